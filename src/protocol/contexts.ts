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
 * half empty would take 2 but hold twice the slots. It halves when under 3/8 full, if no two calls
 * then meet in one slot (none do when they ended in about the order they started), so that a burst
 * gives its memory back as it drains, not only once it has drained; when a call from long before
 * is in the way, it tries again at half as many calls.
 *
 * With a million requests in flight, every byte a call holds counts, so a call is a slot: what
 * waits (an object, or a unary call's resolve function) in one array, and its numbers (context,
 * deadline, deadline-list links, route) in typed arrays beside it, with no object per call. The
 * typed arrays are resizable buffers that grow and shrink in place, so growing leaves no old
 * copies to collect, and shrinking gives their memory back at once.
 *
 * @module
 */

const INITIAL_SLOTS = 256;
/**
 * The most slots a table grows to by default: 2^24, for 2^24 less 1/32 calls in flight on one
 * connection. Its typed arrays reserve address space for this many (24 bytes a slot, 384 MiB of
 * address space, not of memory) so that they grow in place.
 */
export const MAX_SLOTS = 2 ** 24;

type Column = Uint32Array | Float64Array | Uint16Array;

/** A typed array of {@link INITIAL_SLOTS} zeros that grows in place, up to `maxSlots`. */
function column<C extends Column>(Type: { new (buffer: ArrayBuffer): C; readonly BYTES_PER_ELEMENT: number }, maxSlots: number): C {
  return new Type(new ArrayBuffer(INITIAL_SLOTS * Type.BYTES_PER_ELEMENT, { maxByteLength: maxSlots * Type.BYTES_PER_ELEMENT }));
}

/** Calls in flight: for each, what waits under its context and the numbers that go with it. */
export class ContextTable<T> {
  /** What waits, by slot; undefined for a free slot. */
  private readonly entries: (T | undefined)[] = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
  /** The most calls it holds. */
  readonly maxCalls: number;
  /** The context in each slot; 0 for a free one (0 is never given). */
  private readonly contexts: Uint32Array;
  /** Per slot: when its call expires, in `performance.now()` ms (see `Deadlines`). */
  readonly deadline: Float64Array;
  /** Per slot: the contexts before and after it in its deadline list; 0 at a list's end. */
  readonly prev: Uint32Array;
  readonly next: Uint32Array;
  /** Per slot: which deadline list it is in, plus one; 0 for none. */
  readonly list: Uint16Array;
  /** Per slot: a number its owner keeps with the call (the client: its route's index). */
  readonly tag: Uint16Array;
  private readonly columns: readonly Column[];
  private mask = INITIAL_SLOTS - 1;
  /** Below this many calls, {@link delete} tries to halve the table; 0 at the first size. */
  private shrinkBelow = 0;
  private last = 0;
  /** Calls in the table. */
  size = 0;

  /** @param maxSlots The most slots it grows to, a power of two ≥ 256. */
  constructor(maxSlots = MAX_SLOTS) {
    this.maxCalls = (maxSlots / 32) * 31;
    this.columns = [
      (this.contexts = column(Uint32Array, maxSlots)),
      (this.deadline = column(Float64Array, maxSlots)),
      (this.prev = column(Uint32Array, maxSlots)),
      (this.next = column(Uint32Array, maxSlots)),
      (this.list = column(Uint16Array, maxSlots)),
      (this.tag = column(Uint16Array, maxSlots)),
    ];
  }

  /**
   * Gives `entry` a fresh non-zero context and keeps it under it; returns the context.
   * @throws RangeError when it holds {@link maxCalls} already.
   */
  add(entry: T): number {
    if (this.size >= this.maxCalls) throw new RangeError(`${this.maxCalls} calls in flight on one connection already, the most it takes`);
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
   * Stops keeping the call under `context` (its deadline links must be cleared first); as calls
   * end, the table shrinks back. Returns whether one was there.
   */
  delete(context: number): boolean {
    const i = context & this.mask;
    if (this.contexts[i] !== context || context === 0) return false;
    this.entries[i] = undefined;
    this.contexts[i] = 0;
    if (--this.size === 0 && this.entries.length > INITIAL_SLOTS) this.reset();
    else if (this.size < this.shrinkBelow) this.shrink();
    return true;
  }

  /** Empties the table, returning what waited. */
  drain(): T[] {
    const waiting = this.entries.filter((e): e is T => e !== undefined);
    this.reset();
    this.size = 0;
    return waiting;
  }

  /**
   * Doubles the slots in place: a call whose context has the new mask bit moves up by the old
   * size, the others stay, so no call collides and the old arrays leave no garbage.
   */
  private grow(): void {
    const n = this.entries.length;
    this.setSlots(n * 2);
    const { entries, contexts, columns } = this;
    for (let i = 0; i < n; i++) {
      const c = contexts[i]!;
      if ((c & n) === 0) continue;
      entries[i + n] = entries[i];
      entries[i] = undefined;
      for (const col of columns) {
        col[i + n] = col[i]!;
        col[i] = 0;
      }
    }
  }

  /**
   * Halves the slots in place, each call in the upper half moving down by the new size, unless one
   * would meet a call in the lower half: then it stays and tries again at half as many calls.
   */
  private shrink(): void {
    const n = this.entries.length / 2;
    const { entries, contexts, columns } = this;
    for (let i = n; i < 2 * n; i++) {
      if (contexts[i] !== 0 && contexts[i - n] !== 0) {
        this.shrinkBelow = this.size / 2;
        return;
      }
    }
    for (let i = n; i < 2 * n; i++) {
      if (contexts[i] === 0) continue;
      entries[i - n] = entries[i];
      for (const col of columns) col[i - n] = col[i]!;
    }
    this.setSlots(n);
  }

  /** Back to the first size, every slot free. */
  private reset(): void {
    this.setSlots(INITIAL_SLOTS);
    this.entries.fill(undefined);
    for (const col of this.columns) col.fill(0);
  }

  /** `n` slots (a power of two); new ones are free. */
  private setSlots(n: number): void {
    const was = this.entries.length;
    this.entries.length = n;
    if (n > was) this.entries.fill(undefined, was);
    for (const col of this.columns) (col.buffer as ArrayBuffer).resize(n * col.BYTES_PER_ELEMENT);
    this.mask = n - 1;
    this.shrinkBelow = n > INITIAL_SLOTS ? (n / 8) * 3 : 0;
  }
}
