/**
 * VPP's pool: slots addressed by index, freed indices reused most recently freed first.
 *
 * @module
 */

/**
 * A pool with VPP's index rules (src/vppinfra/pool.h): a new element takes the most recently
 * freed index, else grows the pool at the end. Iteration is in index order.
 */
export class Pool<T> {
  private readonly slots: (T | undefined)[] = [];
  private readonly free: number[] = [];

  /** Stores `value` and returns its index. */
  add(value: T): number {
    const index = this.free.pop() ?? this.slots.length;
    this.slots[index] = value;
    return index;
  }

  /** Frees `index`; false if it was not in use. */
  remove(index: number): boolean {
    if (!this.has(index)) return false;
    this.slots[index] = undefined;
    this.free.push(index);
    return true;
  }

  /** Whether `index` is in use. */
  has(index: number): boolean {
    return this.slots[index] !== undefined;
  }

  /** The element at `index`, if in use. */
  get(index: number): T | undefined {
    return this.slots[index];
  }

  /** The number of slots, free ones included: where a cursor walking the pool ends. */
  get length(): number {
    return this.slots.length;
  }

  /** The number of elements in use. */
  get size(): number {
    return this.slots.length - this.free.length;
  }

  /** `[index, element]` of every element in use, in index order. */
  *entries(): IterableIterator<[number, T]> {
    for (let i = 0; i < this.slots.length; i++) {
      const v = this.slots[i];
      if (v !== undefined) yield [i, v];
    }
  }

  /** Frees every element; indices restart at 0. */
  clear(): void {
    this.slots.length = 0;
    this.free.length = 0;
  }
}
