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
import { ApiConnection, type ConnectionOwner, type SessionTrace, type Settle, type Waiting } from '../protocol/connection.js';
import type { MessageTable } from '../protocol/message-table.js';
import type { MessageDef } from '../schema/model.js';
import type { Keeper, TransportFactory } from '../transport/transport.js';
import { type Abortable, Call, type DetailsCall, captured, newPromise, unwatchAbort, watchAbort } from './calls.js';
import { Deadlines } from './deadlines.js';
import { after } from './options.js';
import { AbortError, CompatibilityError, ConnectionClosedError, ProtocolError, TimeoutError } from '../errors/index.js';
import { VppApiError } from '../errors/retval.js';

/** The ids a request needs, worked out once per definition and connection. */
export interface Route {
  /** Its number on the connection, kept in the slot of each unary call in flight. */
  readonly index: number;
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

/** How many requests a connection can route: a unary call's route is a `Uint16Array` entry. */
const MAX_ROUTES = 0x10000;

/**
 * A connection to VPP after `sockclnt_create`.
 *
 * A unary call in flight is a slot of the connection's {@link ContextTable}: its promise's resolve
 * function, its context, deadline and route's index; no object of its own.
 */
export class Session implements ConnectionOwner {
  deadlines!: Deadlines;
  /** Whether decoded values keep their header (`_vl_msg_id`, `context`, …). */
  private keepHeader = false;
  private link!: ApiConnection;
  /** The abort signal of each call in flight that has one, by context, with what it ends: kept here, not on every call. */
  private readonly signals = new Map<number, { readonly signal: AbortSignal; readonly watcher: Abortable }>();
  private readonly reader = new Reader(Buffer.alloc(0));
  private readonly routes = new Map<MessageDef, Route>();
  /** The routes by index. */
  private readonly routeList: Route[] = [];

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
      session.deadlines = new Deadlines(session.link.calls, session.expire);
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
    const index = this.routeList.length;
    if (index >= MAX_ROUTES) throw new RangeError(`${def.name}: a connection routes at most ${MAX_ROUTES} different requests`);
    switch (svc?.kind) {
      case 'unary':
      case 'events':
        // A subscription whose events VPP lacks or defines differently would hear nothing, or garbage.
        if (svc.kind === 'events') for (const e of svc.events) this.need(e);
        r = { index, def, session: this, kind: 'unary', id, replyId: this.need(svc.reply), replyDef: svc.reply, detailsId: -1, detailsDef: undefined, endId: -1 };
        break;
      case 'dump':
        this.need(control_ping);
        r = { index, def, session: this, kind: 'dump', id, replyId: -1, replyDef: undefined, detailsId: this.need(svc.details), detailsDef: svc.details, endId: this.need(control_ping_reply) };
        break;
      case 'stream': {
        const replyId = this.need(svc.reply);
        r = { index, def, session: this, kind: 'stream', id, replyId, replyDef: svc.reply, detailsId: this.need(svc.details), detailsDef: svc.details, endId: replyId };
        break;
      }
      default:
        throw new TypeError(`${def.name} is not a request VPP answers`);
    }
    this.learn([r.replyDef, r.detailsDef].filter((d) => d !== undefined));
    this.routes.set(def, r);
    this.routeList.push(r);
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
    const promise = newPromise();
    const resolve = captured;
    try {
      const context = this.launch(resolve, this.route(def), value, timeout, zeroFill, signal);
      if (signal) this.watch(context, signal, { aborted: (reason) => this.reject(context, new AbortError(def.name, reason)) });
    } catch (err) {
      return Promise.reject(err);
    }
    return promise;
  }

  /** Sends a dump (and its `control_ping`) or a stream's first round for `call`. */
  startDetails(call: DetailsCall<unknown>): void {
    const route = this.route(call.def);
    const value = route.kind === 'stream' ? { cursor: 0, ...(call.value as object) } : call.value;
    call.route = route;
    call.context = this.launch(call, route, value, call.timeout, call.zeroFill, call.signalOption);
    call.session = this;
    if (call.signalOption) this.watch(call.context, call.signalOption, call);
  }

  /** Sends a cursor stream's next round from `cursor`, under the same context. */
  sendRound(call: DetailsCall<unknown>, cursor: number): void {
    this.link.send(call.def, call.route.id, call.context, { ...(call.value as object), cursor }, call.zeroFill);
  }

  /**
   * Sends `route`'s request for `waiting` under a fresh context, with a deadline; returns the
   * context. The caller then watches `signal`, which must not have aborted yet.
   */
  private launch(waiting: Waiting, route: Route, value: unknown, timeout: number, zeroFill: boolean, signal: AbortSignal | undefined): number {
    if (this.state !== 'open') throw new ConnectionClosedError(`${route.def.name}: not connected to VPP`);
    if (signal?.aborted) throw new AbortError(route.def.name, signal.reason);
    const t = this.link.calls;
    const context = this.link.expect(waiting);
    t.tag[t.slot(context)] = route.index;
    try {
      this.deadlines.add(context, timeout);
      this.link.send(route.def, route.id, context, value, zeroFill);
      if (route.kind === 'dump') this.link.send(control_ping, this.route(control_ping).id, context, undefined);
    } catch (err) {
      this.deadlines.remove(context);
      this.link.forget(context);
      throw err;
    }
    return context;
  }

  /** Ends `watcher`'s call (under `context`) when `signal` aborts. */
  private watch(context: number, signal: AbortSignal, watcher: Abortable): void {
    this.signals.set(context, { signal, watcher });
    watchAbort(signal, watcher);
  }

  /** Stops waiting for `call`: later messages with its context are dropped. */
  forget(call: Call): void {
    if (this.link.calls.get(call.context) === call) this.forgetContext(call.context);
  }

  private forgetContext(context: number): void {
    this.deadlines.remove(context);
    this.link.forget(context);
    const w = this.signals.size === 0 ? undefined : this.signals.get(context);
    if (w) {
      this.signals.delete(context);
      unwatchAbort(w.signal, w.watcher);
    }
  }

  /** @internal The answer to the unary call under `context` arrived. */
  reply(context: number, id: number, buf: Buffer, start: number, end: number): void {
    const { def, replyId, replyDef } = this.routeOf(context);
    if (id !== replyId) {
      this.reject(context, new ProtocolError(`${def.name}: VPP answered with message id ${id}, not ${replyDef!.name} (id ${replyId})`));
      return;
    }
    // Decoding first: if it throws, the connection fails and this call with it.
    const reply = this.decode(replyDef!, buf, start, end) as { retval?: unknown };
    const resolve = this.link.calls.get(context) as Settle;
    this.forgetContext(context);
    const retval = reply.retval;
    if (typeof retval === 'number' && retval !== 0) resolve(Promise.reject(new VppApiError(def.name, retval, reply)));
    else resolve(reply);
  }

  /** Rejects the unary call under `context` with `err`, if it is still in flight. */
  private reject(context: number, err: Error): void {
    const resolve = this.link.calls.get(context) as Settle | undefined;
    if (resolve === undefined) return;
    this.forgetContext(context);
    // Resolving with a rejected promise rejects: a unary call keeps only its resolve function.
    resolve(Promise.reject(err));
  }

  /** The time limit `ms` of the call under `context` passed. */
  private readonly expire = (context: number, ms: number): void => {
    const waiting = this.link.calls.get(context);
    if (waiting instanceof Call) waiting.expire(ms);
    else this.reject(context, new TimeoutError(this.routeOf(context).def.name, ms));
  };

  /** The route of the unary call in flight under `context` (its slot holds the route's index). */
  private routeOf(context: number): Route {
    const t = this.link.calls;
    return this.routeList[t.tag[t.slot(context)]!]!;
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
    const view = viewOf(def, buf, start, end);
    this.link.keep(view as Keeper); // a view copies its bytes out with detach()
    return view;
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
  closed(error: ConnectionClosedError, waiting: readonly Waiting[], wasOpen: boolean): void {
    this.deadlines?.clear(); // none yet if the handshake never finished
    for (const { signal, watcher } of this.signals.values()) unwatchAbort(signal, watcher);
    this.signals.clear();
    for (const w of waiting) {
      if (typeof w === 'function') w(Promise.reject(error));
      else w.fail(error);
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
