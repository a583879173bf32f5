/**
 * One connection to VPP as the client uses it: calls sent under a context each, with their time
 * limits and abort signals, and the ids each request needs. The protocol itself (the handshake,
 * routing by context, keepalive, goodbye) is {@link ApiConnection}'s.
 *
 * A session lives from `sockclnt_create` to the socket's close. When the connection goes, every
 * call fails at once. Reconnecting makes a new session.
 *
 * @module
 */
import { Reader } from '../codec/buffers.js';
import { decodeFrom, decodeRaw, viewOf } from '../codec/index.js';
import { control_ping, control_ping_reply } from '../bootstrap/memclnt.js';
import { ApiConnection, type ConnectionOwner, type Receiver, type SessionTrace } from '../protocol/connection.js';
import type { MessageTable } from '../protocol/message-table.js';
import type { MessageDef } from '../schema/model.js';
import type { TransportFactory } from '../transport/transport.js';
import { type Call, type DetailsCall, lastPromise, UnaryCall, unwatchAbort, watchAbort } from './calls.js';
import { Deadlines } from './deadlines.js';
import { after } from './options.js';
import { AbortError, CompatibilityError, ConnectionClosedError, ProtocolError, TimeoutError } from '../errors/index.js';

/** The ids a request needs, worked out once per definition and connection. */
export interface Route {
  /** The request. */
  readonly def: MessageDef;
  /** The connection. */
  readonly session: Session;
  readonly kind: 'unary' | 'dump' | 'stream';
  readonly id: number;
  /** The reply's id (unary), or -1. */
  readonly replyId: number;
  readonly replyDef: MessageDef | undefined;
  /** The details' id (dump, stream), or -1. */
  readonly detailsId: number;
  readonly detailsDef: MessageDef | undefined;
  /** The message that ends a dump (`control_ping_reply`) or a stream round (the reply), or -1. */
  readonly endId: number;
}

/** What a session reports to the client that owns it. */
export interface SessionOwner {
  /** An event (a message with no context) arrived: `buf[start..end)`, valid during the call. */
  event(session: Session, def: MessageDef, buf: Buffer, start: number, end: number): void;
  /** The connection is gone; every call in flight has already failed with `error`. */
  closed(session: Session, error: ConnectionClosedError): void;
}

/** How to open a session. */
export interface SessionOptions {
  readonly transport: TransportFactory;
  /** The client's name in `sockclnt_create`. */
  readonly name: string;
  readonly maxFrameSize: number;
  /** Time limit for connecting and the handshake, in ms. */
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
  /** Decoded values keep their header (`ConnectOptions.keepHeader`). */
  readonly keepHeader: boolean;
}

/** A connection to VPP after `sockclnt_create`. */
export class Session implements ConnectionOwner {
  readonly deadlines = new Deadlines();
  /** Whether decoded values keep their header (`_vl_msg_id`, `context`, …). */
  private keepHeader = false;
  private link!: ApiConnection;
  /** The abort signal of each call in flight that has one: kept here, not on every call. */
  private readonly signals = new Map<Call, AbortSignal>();
  private readonly reader = new Reader(Buffer.alloc(0));
  private readonly routes = new Map<MessageDef, Route>();

  private constructor(private readonly owner: SessionOwner) {}

  /**
   * Connects and sends `sockclnt_create`; resolves once VPP's message table is in.
   * @throws {@link TimeoutError} past `options.timeout`, {@link AbortError} when `options.signal`
   * aborts, {@link ConnectionClosedError} when the socket cannot be reached or closes first,
   * {@link ProtocolError} when VPP refuses the client.
   */
  static async open(owner: SessionOwner, options: SessionOptions): Promise<Session> {
    const session = new Session(owner);
    session.keepHeader = options.keepHeader;
    const ac = new AbortController();
    const cancelTimer = after(options.timeout, () => ac.abort(new TimeoutError('connect', options.timeout)));
    const onAbort = (): void => ac.abort(new AbortError('connect', options.signal?.reason));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      session.link = await ApiConnection.open(session, { transport: options.transport, name: options.name, maxFrameSize: options.maxFrameSize, signal: ac.signal });
      return session;
    } finally {
      cancelTimer();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The client's handle, sent as `client_index` in every request. */
  get clientIndex(): number {
    return this.link.clientIndex;
  }

  /** VPP's message table. */
  get table(): MessageTable {
    return this.link.table;
  }

  get state(): 'handshake' | 'open' | 'closed' {
    return this.link.state;
  }

  /** Answers nobody waited for (late, or for calls given up), dropped. */
  get dropped(): number {
    return this.link.dropped;
  }

  /** Resolves once the connection is gone. */
  get whenClosed(): Promise<void> {
    return this.link.whenClosed;
  }

  /** Records every message sent and received; null when tracing is off. */
  get tracer(): SessionTrace | null {
    return this.link.tracer;
  }

  set tracer(tap: SessionTrace | null) {
    this.link.tracer = tap;
  }

  /**
   * Learns where the answers among `defs` that VPP has carry their context, and routes the
   * events among them (messages with no context field) to the owner.
   */
  learn(defs: Iterable<MessageDef>): void {
    this.link.learn(defs);
  }

  /**
   * The ids `def` needs on this connection.
   * @throws {@link CompatibilityError} when VPP lacks the request or its answer, or defines one differently.
   */
  route(def: MessageDef): Route {
    let r = this.routes.get(def);
    if (r) return r;
    const svc = def.service;
    const id = this.need(def);
    switch (svc?.kind) {
      case 'unary':
      case 'events':
        // A subscription whose events VPP lacks or defines differently would hear nothing, or garbage.
        if (svc.kind === 'events') for (const e of svc.events) this.need(e);
        r = { def, session: this, kind: 'unary', id, replyId: this.need(svc.reply), replyDef: svc.reply, detailsId: -1, detailsDef: undefined, endId: -1 };
        break;
      case 'dump':
        this.need(control_ping);
        r = { def, session: this, kind: 'dump', id, replyId: -1, replyDef: undefined, detailsId: this.need(svc.details), detailsDef: svc.details, endId: this.need(control_ping_reply) };
        break;
      case 'stream': {
        const replyId = this.need(svc.reply);
        r = { def, session: this, kind: 'stream', id, replyId, replyDef: svc.reply, detailsId: this.need(svc.details), detailsDef: svc.details, endId: replyId };
        break;
      }
      default:
        throw new TypeError(`${def.name} is not a request VPP answers`);
    }
    this.learn([r.replyDef, r.detailsDef].filter((d) => d !== undefined));
    this.routes.set(def, r);
    return r;
  }

  private need(def: MessageDef): number {
    const s = this.table.status(def);
    if (s.status === 'present') return s.id;
    throw new CompatibilityError(def.name, s.status, def.crc, s.status === 'other-crc' ? s.vppCrc : undefined);
  }

  /**
   * Sends unary request `def` and waits for its reply.
   * @throws (as a rejection) {@link ValidationError} before anything is sent, {@link VppApiError},
   * {@link TimeoutError}, {@link AbortError}, {@link ConnectionClosedError}.
   */
  unary(def: MessageDef, value: unknown, timeout: number, signal: AbortSignal | undefined, zeroFill = false): Promise<unknown> {
    const call = new UnaryCall();
    const promise = lastPromise;
    try {
      call.route = this.route(def);
      this.launch(call, value, timeout, zeroFill, signal);
    } catch (err) {
      return Promise.reject(err);
    }
    return promise;
  }

  /** Sends a dump (and its `control_ping`) or a stream's first round for `call`. */
  startDetails(call: DetailsCall<unknown>): void {
    call.route = this.route(call.def);
    const value = call.route.kind === 'stream' ? { cursor: 0, ...(call.value as object) } : call.value;
    this.launch(call, value, call.timeout, call.zeroFill, call.signalOption);
    call.session = this;
  }

  /** Sends a cursor stream's next round from `cursor`, under the same context. */
  sendRound(call: DetailsCall<unknown>, cursor: number): void {
    this.link.send(call.def, call.route.id, call.context, { ...(call.value as object), cursor }, call.zeroFill);
  }

  private launch(call: Call, value: unknown, timeout: number, zeroFill: boolean, signal: AbortSignal | undefined): void {
    if (this.state !== 'open') throw new ConnectionClosedError(`${call.def.name}: not connected to VPP`);
    if (signal?.aborted) throw new AbortError(call.def.name, signal.reason);
    const context = this.link.expect(call);
    try {
      this.link.send(call.def, call.route.id, context, value, zeroFill);
      if (call.route.kind === 'dump') this.link.send(control_ping, this.route(control_ping).id, context, undefined);
    } catch (err) {
      this.link.forget(call);
      throw err;
    }
    this.deadlines.add(call, timeout);
    if (signal) {
      this.signals.set(call, signal);
      watchAbort(signal, call);
    }
  }

  /** Stops waiting for `call`: later messages with its context are dropped. */
  forget(call: Call): void {
    this.link.forget(call);
    this.deadlines.remove(call);
    this.unwatch(call);
  }

  private unwatch(call: Call): void {
    const signal = this.signals.size === 0 ? undefined : this.signals.get(call);
    if (signal) {
      this.signals.delete(call);
      unwatchAbort(signal, call);
    }
  }

  /**
   * Decodes `def` from `buf[start..end)` with the session's reader.
   * @throws {@link ProtocolError} when the bytes do not hold the message.
   */
  decode(def: MessageDef, buf: Buffer, start: number, end: number): unknown {
    this.reader.reset(buf, start, end);
    try {
      return this.keepHeader ? decodeRaw(def, buf, start, end) : decodeFrom(this.reader, def);
    } catch (err) {
      throw new ProtocolError(`VPP sent a malformed ${def.name}: ${(err as Error).message}`, err);
    }
  }

  /** A view of `def` over `buf[start..end)`, decoded as it is read; see {@link DetailsCall.views}. */
  view(def: MessageDef, buf: Buffer, start: number, end: number): object {
    this.link.keep();
    return viewOf(def, buf, start, end);
  }

  /** A details buffer is full: stop reading until it drains, checking meanwhile that VPP is there. */
  block(): void {
    this.link.pause();
  }

  /** A details buffer drained (or its call ended). */
  unblock(): void {
    this.link.resume();
  }

  /** Calls waiting for an answer. */
  get inFlight(): number {
    return this.link.waiting;
  }

  /** @internal An event arrived. */
  event(def: MessageDef, buf: Buffer, start: number, end: number): void {
    this.owner.event(this, def, buf, start, end);
  }

  /** @internal The connection is gone: every call in flight fails now. */
  closed(error: ConnectionClosedError, waiting: readonly Receiver[], wasOpen: boolean): void {
    this.deadlines.clear();
    for (const r of waiting) {
      // Every receiver but the goodbye's is a call, and only calls have signals.
      this.unwatch(r as Call);
      r.fail(error);
    }
    if (wasOpen) this.owner.closed(this, error);
  }

  /**
   * Says goodbye: sends `sockclnt_delete`, waits up to `timeout` ms for its reply (or VPP closing
   * the socket), then closes the socket. Calls still in flight then fail.
   */
  async goodbye(timeout: number): Promise<void> {
    const ac = new AbortController();
    const cancel = after(timeout, () => ac.abort());
    try {
      await this.link.goodbye(ac.signal);
    } finally {
      cancel();
    }
  }

  /** Closes the socket at once. */
  destroy(): void {
    this.link.destroy();
  }
}
