/**
 * Timeouts for many calls with one timer.
 *
 * Calls with the same time limit expire in the order they started, so each limit gets a FIFO
 * list: adding, removing and refreshing a call are O(1), and one timer, armed for the earliest
 * head, serves them all. No call goes without a deadline, and none costs a `setTimeout`.
 *
 * The lists live in the calls' own table ({@link ContextTable}): a call's deadline and its two
 * links (the contexts before and after it) are numbers in the table's typed arrays, so a
 * deadline costs no object.
 *
 * @module
 */

import type { ContextTable } from '../protocol/contexts.js';
import { MAX_TIMER_DELAY } from './options.js';

/** The calls sharing one time limit, oldest first, by context (0: none). */
interface TimedList {
  readonly ms: number;
  /** Its number in the table's `list` column (never 0). */
  readonly id: number;
  head: number;
  tail: number;
}

/** How many time limits can have calls at once: a call's list is a `Uint16Array` entry, 0 for none. */
export const MAX_TIME_LIMITS = 0xffff;

/** Deadlines for the calls in a table, served by a single timer. */
export class Deadlines {
  private readonly lists = new Map<number, TimedList>();
  /** The lists by id; id 0 is none. */
  private readonly byId: (TimedList | undefined)[] = [undefined];
  /** Ids of lists deleted, to give again. */
  private readonly freeIds: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  /**
   * @param table The calls.
   * @param expire Called once for the call under `context` when its time limit `ms` has passed,
   *   after its deadline is removed.
   */
  constructor(
    private readonly table: ContextTable<unknown>,
    private readonly expire: (context: number, ms: number) => void,
  ) {}

  /**
   * Gives the call under `context` (in the table, with no deadline) a deadline `ms` from now (a
   * number ≥ 0, checked by the caller). An infinite `ms` means none.
   * @throws RangeError when {@link MAX_TIME_LIMITS} other time limits have calls already.
   */
  add(context: number, ms: number): void {
    if (ms === Infinity) return;
    const t = this.table;
    const list = this.lists.get(ms) ?? this.newList(ms);
    const i = t.slot(context);
    t.deadline[i] = performance.now() + ms;
    t.list[i] = list.id;
    t.prev[i] = list.tail;
    t.next[i] = 0;
    if (list.tail === 0) {
      list.head = context;
      this.arm(t.deadline[i]!);
    } else t.next[t.slot(list.tail)] = context;
    list.tail = context;
  }

  /** Takes away the deadline of the call under `context`, if it has one (it finished). */
  remove(context: number): void {
    const t = this.table;
    const i = t.slot(context);
    const list = i < 0 ? undefined : this.byId[t.list[i]!];
    if (list === undefined) return;
    const prev = t.prev[i]!;
    const next = t.next[i]!;
    if (prev === 0) list.head = next;
    else t.next[t.slot(prev)] = next;
    if (next === 0) list.tail = prev;
    else t.prev[t.slot(next)] = prev;
    t.list[i] = 0;
  }

  /** Restarts the time limit `ms` of call `waiting` from now, if it has a deadline. */
  refresh(waiting: { readonly context: number }, ms: number): void {
    const i = this.table.slot(waiting.context);
    if (i < 0 || this.table.list[i] === 0) return;
    this.remove(waiting.context);
    this.add(waiting.context, ms);
  }

  private newList(ms: number): TimedList {
    const id = this.freeIds.pop() ?? this.byId.length;
    if (id > MAX_TIME_LIMITS) throw new RangeError(`calls in flight already have ${MAX_TIME_LIMITS} different time limits (timeout); no more fit`);
    const list = { ms, id, head: 0, tail: 0 };
    this.byId[id] = list;
    this.lists.set(ms, list);
    return list;
  }

  /** Stops the timer; deadlines already given are dropped. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.lists.clear();
    this.byId.length = 1;
    this.freeIds.length = 0;
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
    const t = this.table;
    const now = performance.now();
    let next = Infinity;
    for (const [ms, list] of this.lists) {
      // A timer may fire a little early; a millisecond's slack avoids arming it again for nothing.
      while (list.head !== 0 && t.deadline[t.slot(list.head)]! <= now + 1) {
        const context = list.head;
        this.remove(context);
        this.expire(context, ms);
      }
      if (list.head !== 0) next = Math.min(next, t.deadline[t.slot(list.head)]!);
      else {
        this.lists.delete(ms);
        this.byId[list.id] = undefined;
        this.freeIds.push(list.id);
      }
    }
    if (next < Infinity) this.arm(next);
  };
}
