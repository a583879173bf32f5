/**
 * A `want_*` subscription: the events VPP sends for it, read as an async iterator over a bounded
 * {@link Queue} that fails loudly when its consumer falls behind.
 *
 * @module
 */
import { SubscriptionOverflowError } from '../errors/index.js';
import type { MessageDef } from '../schema/model.js';
import { Queue } from './queue.js';
import type { CallOptions } from './types.js';

/**
 * An active `want_*` subscription, from {@link Client.subscribe}: an async iterator of its events,
 * typed from the request (`E`), next to VPP's reply to the subscription (`R`).
 *
 * - It survives reconnections: the client sends the `want_*` request again on the new connection,
 *   and the iteration goes on with the events of the new one.
 * - At most `maxBuffered` events wait for the consumer; one more ends the subscription with a
 *   `SubscriptionOverflowError` after the events held (see {@link SubscribeOptions.maxBuffered}).
 * - Leaving the loop (`break`, `return()`, or a throw in its body) unsubscribes; `unsubscribe()`
 *   does too, and lets the loop take the events already held before it ends.
 * - The iteration ends after `client.close()`, and rejects with the connection's error when the
 *   connection is lost for good, or with VPP's refusal when re-subscribing after a reconnection fails.
 */
export interface Subscription<E = unknown, R = unknown> extends AsyncIterableIterator<E>, AsyncDisposable {
  /** The `want_*` request. */
  readonly request: MessageDef;
  /** The value it was sent with (before `enable_disable` and `pid` were filled in). */
  readonly value: unknown;
  /** VPP's reply to the subscription. */
  readonly reply: R;
  /** Events received and not yet taken. */
  readonly buffered: number;
  /** The next event. Rejects once the events before it are taken, if the subscription failed. */
  next(): Promise<IteratorResult<E>>;
  /** Stops: drops the events held, and unsubscribes. */
  return(): Promise<IteratorResult<E>>;
  /** The subscription itself: events are read once. */
  [Symbol.asyncIterator](): Subscription<E, R>;
  /**
   * Sends the `want_*` request again with `enable_disable = 0`, if connected, and stops sending it
   * after reconnections. The iteration ends once the events already held are taken.
   * @throws (as a rejection) the errors of {@link Client.request}.
   */
  unsubscribe(options?: CallOptions): Promise<void>;
}

/**
 * The client's side of a subscription: the queue its events go into.
 * @internal
 */
export class EventSubscription implements Subscription<unknown, unknown> {
  /** VPP's reply, once it came. */
  reply: unknown = undefined;
  private readonly queue: Queue<unknown>;

  constructor(
    readonly request: MessageDef,
    readonly value: unknown,
    maxBuffered: number,
    /** Stops the subscription at the client: no more routing, no more re-sending, disable sent if connected. */
    private readonly stop: (sub: EventSubscription, options?: CallOptions) => Promise<void>,
    /** Reports what failed with nobody to tell (the disable sent after an overflow). */
    report: (err: Error) => void,
  ) {
    this.queue = new Queue<unknown>(maxBuffered, {
      stopped: () => stop(this),
      overflow: {
        policy: 'fail',
        error: (limit) => {
          stop(this).catch(report);
          return new SubscriptionOverflowError(request.name, limit);
        },
      },
    });
  }

  /** The events `request` subscribes to. */
  get events(): readonly MessageDef[] {
    return (this.request.service as { events: readonly MessageDef[] }).events;
  }

  get buffered(): number {
    return this.queue.buffered;
  }

  /** An event for it arrived. */
  deliver(event: unknown): void {
    this.queue.push(event);
  }

  /** No more events: with `err`, the iteration rejects with it after the events held. */
  finish(err?: Error): void {
    if (err) this.queue.fail(err);
    else this.queue.end();
  }

  next(): Promise<IteratorResult<unknown>> {
    return this.queue.next();
  }

  return(): Promise<IteratorResult<unknown>> {
    return this.queue.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  unsubscribe(options?: CallOptions): Promise<void> {
    return this.stop(this, options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }
}
