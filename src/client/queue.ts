/**
 * The one queue between VPP and a consumer: dumps, cursor streams and subscriptions each hand
 * their messages to a {@link Queue} and give it to the caller as an async iterator.
 *
 * @module
 */

/** What a queue does when it holds `bound` items and more arrive. */
export type Overflow =
  /** Asks its producer to stop (`pause`) until the consumer has taken half (`resume`): nothing is lost. */
  | { readonly policy: 'pause'; pause(): void; resume(): void }
  /**
   * Fails: the consumer gets the items held, then the error `error` makes (called once the queue
   * has closed, so it may stop the producer); later items are dropped, as the error says.
   */
  | { readonly policy: 'fail'; error(bound: number): Error };

/** How a queue tells its producer what the consumer does. */
export interface QueueHooks {
  /** The first `next()`: starts the producer (sends the request). Throwing rejects that `next()`. */
  start?(): void;
  /** The consumer took an item. */
  took?(): void;
  /** The consumer stopped early (`return()`: `break`, or a throw in a `for await` body) while the producer was still going. */
  stopped?(): Promise<void> | void;
  /** What to do when the queue is full. */
  readonly overflow: Overflow;
}

const DONE: IteratorResult<never> = Object.freeze({ done: true, value: undefined });

interface Waiter<T> {
  resolve(r: IteratorResult<T>): void;
  reject(err: Error): void;
}

/**
 * Items from a producer (`push`, then `end` or `fail`), read once by one consumer as an async
 * iterator. At most `bound` wait; past that the hooks' overflow policy applies. Leaving a
 * `for await` loop early (`return()`) drops what is held and tells the producer (`stopped`).
 */
export class Queue<T> implements AsyncIterableIterator<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private waiters: Waiter<T>[] = [];
  private error: Error | null = null;
  private started = false;
  /** The producer is done: ended, or failed. */
  private closed = false;
  /** The consumer is done: it stopped, or has been given the end or the error. */
  private finished = false;
  /** Whether the producer is paused by this queue. */
  private paused = false;

  constructor(
    private readonly bound: number,
    private readonly hooks: QueueHooks,
  ) {}

  /** Items held and not yet taken. */
  get buffered(): number {
    return this.items.length - this.head;
  }

  /** Hands `item` to a waiting consumer, or holds it; a full queue applies its overflow policy. */
  push(item: T): void {
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      w.resolve({ done: false, value: item });
      return;
    }
    const overflow = this.hooks.overflow;
    if (overflow.policy === 'fail' && this.buffered >= this.bound) {
      // Closed first, so that the error's maker may stop the producer; with items held, no one waits.
      this.closed = true;
      this.error = overflow.error(this.bound);
      return;
    }
    this.items.push(item);
    if (overflow.policy === 'pause' && !this.paused && this.buffered >= this.bound) {
      this.paused = true;
      overflow.pause();
    }
  }

  /** No more items: the iteration ends once those held are taken. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.resume();
    for (const w of this.waiters.splice(0)) w.resolve(DONE);
  }

  /** The iteration rejects with `err` once the items held are taken. */
  fail(err: Error): void {
    if (this.closed || this.finished) return;
    this.closed = true;
    this.resume();
    const w = this.waiters.shift();
    if (w) {
      this.finished = true;
      w.reject(err);
      for (const rest of this.waiters.splice(0)) rest.resolve(DONE);
    } else this.error = err;
  }

  /** The next item. Rejects with the producer's error once the items before it are taken. */
  next(): Promise<IteratorResult<T>> {
    if (!this.started) {
      this.started = true;
      try {
        this.hooks.start?.();
      } catch (err) {
        this.closed = this.finished = true;
        return Promise.reject(err);
      }
    }
    if (this.head < this.items.length) return Promise.resolve({ done: false, value: this.take() });
    if (this.error) {
      const err = this.error;
      this.error = null;
      this.finished = true;
      return Promise.reject(err);
    }
    if (this.closed || this.finished) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Stops early: what is held is dropped, and the producer is told (`stopped`). */
  async return(): Promise<IteratorResult<T>> {
    if (this.finished) return DONE;
    this.finished = this.started = true;
    const stopping = !this.closed;
    this.closed = true;
    this.items = [];
    this.head = 0;
    this.error = null;
    this.resume();
    for (const w of this.waiters.splice(0)) w.resolve(DONE);
    if (stopping) await this.hooks.stopped?.();
    return DONE;
  }

  /** The queue itself: items are read once. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Collects every item into an array. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }

  private take(): T {
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.hooks.took?.();
    if (this.paused && this.buffered <= this.bound >> 1) this.resume();
    return item;
  }

  /** Lets the producer go on, if this queue paused it. */
  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    (this.hooks.overflow as { resume(): void }).resume();
  }
}
