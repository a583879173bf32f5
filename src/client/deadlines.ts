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

/** Something with a deadline: a call in flight. */
export interface Timed {
  /** When it expires, in `performance.now()` milliseconds. */
  deadline: number;
  prevTimed: Timed | null;
  nextTimed: Timed | null;
  timedList: TimedList | null;
  /** Called once when the deadline of time limit `ms` passes (already removed from its list). */
  expire(ms: number): void;
}

/** The calls sharing one time limit, oldest first. */
export interface TimedList {
  readonly ms: number;
  head: Timed | null;
  tail: Timed | null;
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
    if (!list) this.lists.set(ms, (list = { ms, head: null, tail: null }));
    // Whole milliseconds: a small integer is stored in the call itself, a fraction would be boxed.
    node.deadline = Math.ceil(performance.now() + ms);
    node.timedList = list;
    node.prevTimed = list.tail;
    node.nextTimed = null;
    if (list.tail) list.tail.nextTimed = node;
    else {
      list.head = node;
      this.arm(node.deadline);
    }
    list.tail = node;
  }

  /** Takes `node`'s deadline away (the call finished). */
  remove(node: Timed): void {
    const list = node.timedList;
    if (!list) return;
    if (node.prevTimed) node.prevTimed.nextTimed = node.nextTimed;
    else list.head = node.nextTimed;
    if (node.nextTimed) node.nextTimed.prevTimed = node.prevTimed;
    else list.tail = node.prevTimed;
    node.prevTimed = node.nextTimed = null;
    node.timedList = null;
  }

  /** Restarts `node`'s time limit from now. */
  refresh(node: Timed): void {
    const list = node.timedList;
    if (!list) return;
    this.remove(node);
    this.add(node, list.ms);
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
      let node = list.head;
      // A timer may fire a little early; a millisecond's slack avoids arming it again for nothing.
      while (node && node.deadline <= now + 1) {
        this.remove(node);
        node.expire(ms);
        node = list.head;
      }
      if (node) next = Math.min(next, node.deadline);
      else this.lists.delete(ms);
    }
    if (next < Infinity) this.arm(next);
  };
}
