/**
 * The calls in flight on one connection, by context.
 *
 * The client chooses the contexts, so it chooses them to fit a table: power-of-two arrays indexed
 * by the context's low bits. A new context skips any whose slot is taken, so no two calls in
 * flight share a slot (or a context, even after the counter wraps), and a lookup is one array
 * read. The table doubles when 31/32 full; doubling keeps every call in its slot's low bits, so
 * nothing collides. Contexts are given in order and calls mostly end in about that order, so the
 * slots ahead of the counter are mostly free even when the table is nearly full: a new context
 * takes one probe, and about 32 at worst on average when calls end at random, where a table kept
 * half empty would take 2 but hold twice the slots.
 *
 * With a million requests in flight, every byte a call holds counts, so a call is a slot: what
 * waits (an object, or a unary call's resolve function) in one array, and its numbers (context,
 * deadline, deadline-list links, route) in typed arrays beside it, with no object per call.
 *
 * @module
 */

const INITIAL_SLOTS = 256;

/** Calls in flight: for each, what waits under its context and the numbers that go with it. */
export class ContextTable<T> {
  /** What waits, by slot; undefined for a free slot. */
  private entries: (T | undefined)[] = [];
  /** The context in each slot; 0 for a free one (0 is never given). */
  private contexts = new Uint32Array(0);
  /** Per slot: when its call expires, in `performance.now()` ms (see `Deadlines`). */
  deadline = new Float64Array(0);
  /** Per slot: the contexts before and after it in its deadline list; 0 at a list's end. */
  prev = new Uint32Array(0);
  next = new Uint32Array(0);
  /** Per slot: which deadline list it is in, plus one; 0 for none. */
  list = new Uint16Array(0);
  /** Per slot: a number its owner keeps with the call (the client: its route's index). */
  tag = new Uint16Array(0);
  private mask = 0;
  private last = 0;
  /** Calls in the table. */
  size = 0;

  constructor() {
    this.resize(INITIAL_SLOTS);
  }

  /** Gives `entry` a fresh non-zero context and keeps it under it; returns the context. */
  add(entry: T): number {
    if (this.size * 32 >= this.entries.length * 31) this.grow();
    let c = this.last;
    do {
      c = (c + 1) >>> 0 || 1;
    } while (this.entries[c & this.mask] !== undefined);
    this.last = c;
    const i = c & this.mask;
    this.entries[i] = entry;
    this.contexts[i] = c;
    this.list[i] = 0;
    this.size++;
    return c;
  }

  /** The slot of the call under `context`, or -1 when none waits under it. */
  slot(context: number): number {
    const i = context & this.mask;
    return this.contexts[i] === context && context !== 0 ? i : -1;
  }

  /** What waits under `context`, if anything. */
  get(context: number): T | undefined {
    const i = context & this.mask;
    return this.contexts[i] === context ? this.entries[i] : undefined;
  }

  /**
   * Stops keeping the call under `context` (its deadline links must be cleared first); when the
   * table empties after a burst, it shrinks back. Returns whether one was there.
   */
  delete(context: number): boolean {
    const i = context & this.mask;
    if (this.contexts[i] !== context || context === 0) return false;
    this.entries[i] = undefined;
    this.contexts[i] = 0;
    if (--this.size === 0 && this.entries.length > INITIAL_SLOTS) this.resize(INITIAL_SLOTS);
    return true;
  }

  /** Empties the table, returning what waited. */
  drain(): T[] {
    const waiting = this.entries.filter((e): e is T => e !== undefined);
    this.resize(INITIAL_SLOTS);
    this.size = 0;
    return waiting;
  }

  private grow(): void {
    const { entries, contexts, deadline, prev, next, list, tag } = this;
    this.resize(entries.length * 2);
    for (let i = 0; i < entries.length; i++) {
      const c = contexts[i]!;
      if (c === 0) continue;
      const j = c & this.mask;
      this.entries[j] = entries[i];
      this.contexts[j] = c;
      this.deadline[j] = deadline[i]!;
      this.prev[j] = prev[i]!;
      this.next[j] = next[i]!;
      this.list[j] = list[i]!;
      this.tag[j] = tag[i]!;
    }
  }

  /** Fresh, empty arrays of `n` slots (a power of two). */
  private resize(n: number): void {
    this.entries = new Array<T | undefined>(n).fill(undefined);
    this.contexts = new Uint32Array(n);
    this.deadline = new Float64Array(n);
    this.prev = new Uint32Array(n);
    this.next = new Uint32Array(n);
    this.list = new Uint16Array(n);
    this.tag = new Uint16Array(n);
    this.mask = n - 1;
  }
}
