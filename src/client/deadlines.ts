/**
 * Timeouts for many calls with one timer.
 *
 * Calls with the same time limit expire in the order they started, so each limit gets a FIFO
 * list: adding, removing and refreshing a call are O(1), and one timer, armed for the earliest
 * head, serves them all. No call goes without a deadline, and none costs a `setTimeout`.
 *
 * @module
 */

import { MAX_TIMER_DELAY } from './options.js';

/** A place in a list of deadlines: a call in it, or the list's own end. */
export interface TimedLink {
  prevTimed: TimedLink | null;
  nextTimed: TimedLink | null;
}

/** Something with a deadline: a call in flight. Its links are null when it has none. */
export interface Timed extends TimedLink {
  /** When it expires, in `performance.now()` milliseconds. */
  deadline: number;
  /** Called once when the deadline of time limit `ms` passes (already removed from its list). */
  expire(ms: number): void;
}

/**
 * The calls sharing one time limit, oldest first: a ring through the list itself, so that a call
 * leaves it by its own two links and needs no third field naming its list.
 */
interface TimedList extends TimedLink {
  readonly ms: number;
}

/** Deadlines for a set of calls, served by a single timer. */
export class Deadlines {
  private readonly lists = new Map<number, TimedList>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  /** Gives `node` a deadline `ms` from now (a number ≥ 0, checked by the caller). An infinite `ms` means none. */
  add(node: Timed, ms: number): void {
    if (ms === Infinity) return;
    let list = this.lists.get(ms);
    if (!list) {
      list = { ms, prevTimed: null, nextTimed: null };
      list.prevTimed = list.nextTimed = list;
      this.lists.set(ms, list);
    }
    // Whole milliseconds: a small integer is stored in the call itself, a fraction would be boxed.
    node.deadline = Math.ceil(performance.now() + ms);
    const tail = list.prevTimed!;
    node.prevTimed = tail;
    node.nextTimed = list;
    tail.nextTimed = node;
    list.prevTimed = node;
    if (tail === list) this.arm(node.deadline);
  }

  /** Takes `node`'s deadline away (the call finished). */
  remove(node: Timed): void {
    const prev = node.prevTimed;
    if (prev === null) return;
    const next = node.nextTimed!;
    prev.nextTimed = next;
    next.prevTimed = prev;
    node.prevTimed = node.nextTimed = null;
  }

  /** Restarts `node`'s time limit, `ms`, from now, if it has a deadline. */
  refresh(node: Timed, ms: number): void {
    if (node.prevTimed === null) return;
    this.remove(node);
    this.add(node, ms);
  }

  /** Stops the timer; deadlines already given are dropped. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.lists.clear();
  }

  private arm(at: number): void {
    if (at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    // A deadline past setTimeout's range gets a timer at the range's end, which re-arms from there.
    this.timer = setTimeout(this.fire, Math.min(MAX_TIMER_DELAY, Math.max(0, Math.ceil(at - performance.now()))));
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [ms, list] of this.lists) {
      let node = list.nextTimed as Timed | TimedList;
      // A timer may fire a little early; a millisecond's slack avoids arming it again for nothing.
      while (node !== list && (node as Timed).deadline <= now + 1) {
        this.remove(node as Timed);
        (node as Timed).expire(ms);
        node = list.nextTimed as Timed | TimedList;
      }
      if (node !== list) next = Math.min(next, (node as Timed).deadline);
      else this.lists.delete(ms);
    }
    if (next < Infinity) this.arm(next);
  };
}
