/**
 * The calls in flight on one connection, by context.
 *
 * The client chooses the contexts, so it chooses them to fit a table: a power-of-two array indexed
 * by the context's low bits. A new context skips any whose slot is taken, so no two calls in
 * flight share a slot (or a context, even after the counter wraps), and a lookup is one array
 * read. The table doubles when half full; doubling keeps every call in its slot's low bits, so
 * nothing collides. It costs one array slot per call instead of a hash-map entry, which matters
 * with a million requests in flight.
 *
 * @module
 */

/** Something waiting under a context. */
export interface Waiting {
  context: number;
}

const INITIAL_SLOTS = 256;

/** Contexts for calls in flight, and the call under each. */
export class ContextTable<T extends Waiting> {
  private slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private last = 0;
  /** Calls in the table. */
  size = 0;

  /** Gives `call` a fresh non-zero context (also set on it) and keeps it under it. */
  add(call: T): number {
    if (this.size * 2 >= this.slots.length) this.grow();
    let c = this.last;
    do {
      c = (c + 1) >>> 0 || 1;
    } while (this.slots[c & this.mask] !== undefined);
    this.last = c;
    call.context = c;
    this.slots[c & this.mask] = call;
    this.size++;
    return c;
  }

  /** The call waiting under `context`, if any. */
  get(context: number): T | undefined {
    const call = this.slots[context & this.mask];
    return call !== undefined && call.context === context ? call : undefined;
  }

  /** Stops keeping `call`; when the table empties after a burst, it shrinks back. */
  delete(call: T): void {
    const i = call.context & this.mask;
    if (this.slots[i] !== call) return;
    this.slots[i] = undefined;
    if (--this.size === 0 && this.slots.length > INITIAL_SLOTS) {
      this.slots = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
      this.mask = INITIAL_SLOTS - 1;
    }
  }

  /** Empties the table, returning what it held. */
  drain(): T[] {
    const calls = this.slots.filter((c): c is T => c !== undefined);
    this.slots = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
    this.mask = INITIAL_SLOTS - 1;
    this.size = 0;
    return calls;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.slots.length * 2).fill(undefined);
    const mask = next.length - 1;
    for (const call of this.slots) if (call !== undefined) next[call.context & mask] = call;
    this.slots = next;
    this.mask = mask;
  }
}
