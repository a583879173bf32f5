/**
 * Calls in flight: what waits for VPP's answer under one context. A unary call is no object: its
 * session keeps its promise's resolve function (see {@link newPromise}); a dump or cursor stream is
 * an async iterator over a bounded {@link Queue}.
 *
 * @module
 */
import type { MessageDef } from '../schema/model.js';
import { EAGAIN, INVALID_VALUE } from '../bootstrap/retvals.js';
import { AbortError, ProtocolError, TimeoutError } from '../errors/index.js';
import { VppApiError } from '../errors/retval.js';
import { Queue } from './queue.js';
import type { Route, Session } from './session.js';


/**
 * A dump or stream waiting for messages with its context.
 * @internal
 */
export abstract class Call implements Abortable {
  /** @internal The context it was sent with. */
  context = 0;
  /** @internal The ids of its answers on its connection. */
  route!: Route;

  /** @internal The request. */
  abstract readonly def: MessageDef;
  /** @internal The connection it was sent on, once sent. */
  abstract readonly session: Session | undefined;

  /** @internal A message with this call's context arrived: `buf[start..end)`, message id `id`. */
  abstract receive(id: number, buf: Buffer, start: number, end: number): void;

  /** @internal The call ends with `err` (already forgotten by the session). */
  abstract fail(err: Error): void;

  /** @internal The deadline of its time limit, `ms`, passed. */
  expire(ms: number): void {
    this.session?.forget(this);
    this.fail(new TimeoutError(this.def.name, ms));
  }

  /** @internal The call's signal aborted with `reason`. */
  aborted(reason: unknown): void {
    this.session?.forget(this);
    this.fail(new AbortError(this.def.name, reason));
  }
}

/** @internal The resolve function of the promise {@link newPromise} made last. */
export let captured: (value: unknown) => void = () => {};

/** One executor for every unary call's promise, so that no closure is made per call. */
function capture(resolve: (value: unknown) => void): void {
  captured = resolve;
}

/** @internal A promise for a unary call; its resolve function is {@link captured}, to take at once. */
export function newPromise(): Promise<unknown> {
  return new Promise(capture);
}

/** @internal Something an abort signal ends: a dump or stream, or a handle for a unary call. */
export interface Abortable {
  aborted(reason: unknown): void;
}

/**
 * The calls in flight per abort signal. A signal shared by many calls gets one listener, not one
 * per call: adding a listener to an `AbortSignal` costs time in the number it has already (and
 * Node warns past ten), so this keeps each call's cost O(1).
 */
const watched = new WeakMap<AbortSignal, { readonly calls: Set<Abortable>; readonly listener: () => void }>();

/** @internal Ends `call` with `signal`'s reason when it aborts. */
export function watchAbort(signal: AbortSignal, call: Abortable): void {
  let w = watched.get(signal);
  if (!w) {
    const calls = new Set<Abortable>();
    const listener = (): void => {
      watched.delete(signal);
      for (const c of [...calls]) c.aborted(signal.reason);
    };
    watched.set(signal, (w = { calls, listener }));
    signal.addEventListener('abort', listener, { once: true });
  }
  w.calls.add(call);
}

/** @internal Stops watching `signal` for `call`; the signal's listener goes with its last call. */
export function unwatchAbort(signal: AbortSignal, call: Abortable): void {
  const w = watched.get(signal);
  if (!w || !w.calls.delete(call) || w.calls.size > 0) return;
  watched.delete(signal);
  signal.removeEventListener('abort', w.listener);
}

/**
 * Where a details call gets its connection and sends its rounds.
 * @internal
 */
export interface DetailsHost {
  /** Sends the call's request (and, for a dump, its `control_ping`) on the current connection. */
  start(call: DetailsCall<unknown>): void;
}

/**
 * A detail read in place ({@link DetailsIterator.views}): its fields read as in `D`, decoded on
 * access; `toJSON()` gives the decoded detail.
 */
export type DetailView<D> = Readonly<D> & {
  /** The decoded detail, as the default iteration gives it (and what `JSON.stringify` writes). */
  toJSON(): D;
};

/**
 * The details of a dump (`X_dump`, ended by the `control_ping` sent with it) or of a cursor
 * stream (`X_get`, asked again from the returned cursor while VPP answers -165), as an async
 * iterator.
 *
 * The request is sent on the first `next()`. Details wait in a buffer of at most `highWaterMark`
 * entries: when it is full the client stops reading the socket until the consumer has taken
 * half of them, so a slow consumer holds VPP back instead of growing memory. Breaking out of the
 * loop (`return()`) forgets the call: the rest of its details are dropped as they arrive.
 *
 * The time limit counts from the last detail received or the last one taken, whichever is later.
 *
 * Measured bound: a dump of 100,000 `sw_interface_details` to a consumer that yields to the event
 * loop every 100 details never held more than `highWaterMark` (1024) details, and the retained heap
 * grew by 0.2 MiB; without the bound the client held 72,899 details and 57 MiB.
 */
export interface DetailsIterator<D> extends AsyncIterableIterator<D> {
  /** Details received and not yet taken: never more than the high-water mark. */
  readonly buffered: number;
  /** The next detail. Rejects with the call's error once the details received before it are taken. */
  next(): Promise<IteratorResult<D>>;
  /** Stops early: the rest of the details are dropped, and the connection stays usable. */
  return(): Promise<IteratorResult<D>>;
  /**
   * Gives the details as views over the received bytes instead of decoded objects: each field is
   * decoded when it is read, and reads as the same value. For big dumps where only some fields are
   * read, this skips most of the decoding (an ACL's 1,000 rules are not built unless `r` is read).
   * A view reads the bytes where they were received; before the client reads over them, it copies
   * them into V8's heap, so a view stays valid for as long as it is kept. A malformed detail
   * throws its `DecodeError` when the field is read; `JSON.stringify` or
   * `toJSON()` give the decoded detail, to keep. Call it before iterating; it returns this iterator.
   * @throws TypeError once the iteration has started.
   */
  views(): DetailsIterator<DetailView<D>>;
  /** The iterator itself: details are read once. */
  [Symbol.asyncIterator](): DetailsIterator<D>;
  /** Collects every detail into an array. */
  toArray(): Promise<D[]>;
}

/**
 * A dump or cursor stream in flight: routes its details into a {@link Queue} that pauses the
 * socket when full, and is the {@link DetailsIterator} its caller reads.
 * @internal
 */
export class DetailsCall<D> extends Call implements DetailsIterator<D> {
  /** The connection it was sent on, once sent. */
  session: Session | undefined = undefined;
  private readonly queue: Queue<D>;
  private started = false;
  /** Details in the current round of a cursor stream. */
  private round = 0;
  /** Whether details are given as views rather than decoded objects. */
  private asViews = false;

  /** Creates the call; nothing is sent until the first `next()`. */
  constructor(
    /** The request. */
    readonly def: MessageDef,
    /** Its time limit, in ms. */
    readonly timeout: number,
    /** Whether fields the value leaves out are sent as zeros (`zeroFill`) rather than refused. */
    readonly zeroFill: boolean,
    /** The request's value; a stream's rounds send it again with the next cursor. */
    readonly value: unknown,
    /** The call's abort signal. */
    readonly signalOption: AbortSignal | undefined,
    host: DetailsHost,
    highWaterMark: number,
  ) {
    super();
    this.queue = new Queue<D>(highWaterMark, {
      start: () => {
        this.started = true;
        host.start(this as DetailsCall<unknown>);
      },
      took: () => this.session?.deadlines.refresh(this, this.timeout),
      stopped: () => this.session?.forget(this),
      overflow: { policy: 'pause', pause: () => this.session!.block(), resume: () => this.session?.unblock() },
    });
  }

  get buffered(): number {
    return this.queue.buffered;
  }

  next(): Promise<IteratorResult<D>> {
    return this.queue.next();
  }

  return(): Promise<IteratorResult<D>> {
    this.started = true;
    return this.queue.return();
  }

  views(): DetailsIterator<DetailView<D>> {
    if (this.started) throw new TypeError(`${this.def.name}: views() must be called before the iteration starts`);
    this.asViews = true;
    return this as DetailsIterator<unknown> as DetailsIterator<DetailView<D>>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  toArray(): Promise<D[]> {
    return this.queue.toArray();
  }

  receive(id: number, buf: Buffer, start: number, end: number): void {
    const session = this.session!;
    const route = this.route;
    if (id === route.detailsId) {
      const detail = (this.asViews ? session.view(route.detailsDef!, buf, start, end) : session.decode(route.detailsDef!, buf, start, end)) as D;
      this.round++;
      session.deadlines.refresh(this, this.timeout);
      this.queue.push(detail);
    } else if (id === route.endId && route.kind === 'dump') {
      session.forget(this);
      this.queue.end();
    } else if (id === route.endId) {
      const reply = session.decode(route.replyDef!, buf, start, end) as { retval: number; cursor: number };
      const details = this.round;
      this.round = 0;
      if (reply.retval === EAGAIN) {
        session.deadlines.refresh(this, this.timeout);
        session.sendRound(this as DetailsCall<unknown>, reply.cursor);
        return;
      }
      session.forget(this);
      // An empty table answers -7 with no details: that is the end, not an error.
      if (reply.retval === 0 || (reply.retval === INVALID_VALUE && details === 0)) this.queue.end();
      else this.fail(new VppApiError(this.def.name, reply.retval, reply));
    } else {
      session.forget(this);
      this.fail(new ProtocolError(`${this.def.name}: VPP sent message id ${id} among its details`));
    }
  }

  fail(err: Error): void {
    this.queue.fail(err);
  }
}
