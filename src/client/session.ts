/**
 * One connection to VPP: the handshake, then requests matched to answers by context.
 *
 * A session lives from `sockclnt_create` to the socket's close. It owns the transport, the
 * message table VPP sent, and every call in flight; when the connection goes, every call fails at
 * once. Reconnecting makes a new session.
 *
 * @module
 */
import { Reader } from '../codec/buffers.js';
import { type Header, decodeFrom, decodeRaw, encodeTo, viewOf } from '../codec/index.js';
import {
  SOCKCLNT_CREATE_ID,
  SOCKCLNT_CREATE_REPLY_ID,
  control_ping,
  control_ping_reply,
  memclnt_keepalive,
  memclnt_keepalive_reply,
  sockclnt_create,
  sockclnt_create_reply,
  sockclnt_delete,
} from '../bootstrap/memclnt.js';
import type { MessageDef } from '../schema/model.js';
import type { Transport, TransportFactory, TransportListener } from '../transport/transport.js';
import { type Call, type DetailsCall, lastPromise, UnaryCall, unwatchAbort, watchAbort } from './calls.js';
import { MessageTable } from './compat.js';
import { Deadlines } from './deadlines.js';
import { ContextTable } from './contexts.js';
import { after } from './options.js';
import type { SessionTrace } from './tracing.js';
import { AbortError, CompatibilityError, ConnectionClosedError, ProtocolError, TimeoutError } from '../errors/index.js';

/** The handshake's context; any value will do, VPP echoes it. */
const HANDSHAKE_CONTEXT = 0x7fffffff;
/** Where most answers carry their context: right after the u16 message id. */
const CONTEXT_OFFSET = 2;
/** {@link Session.contextAt} entry: the message has no context (an event). */
const NO_CONTEXT = 255;
/**
 * How often a session whose reading is paused checks that VPP is still there. A close waits
 * behind the unread data, so only writing can see it: the write of a `memclnt_keepalive_reply`
 * (which VPP takes without answering) fails once VPP has closed the socket.
 */
const PAUSED_PROBE_MS = 1000;
const SCALAR_BYTES: Readonly<Record<string, number>> = { u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f64: 8 };

/**
 * Where `def` carries its context: most answers right after the id, but some details put
 * `client_index` first. undefined when it has none; -1 when it cannot be told statically.
 */
function contextOffset(def: MessageDef): number | undefined {
  if (!def.fields.some((f) => f.name === 'context')) return undefined;
  let at = 0;
  for (const f of def.fields) {
    if (f.name === 'context') return at;
    let t = f.type;
    while (t.kind === 'alias' && t.length === undefined) t = t.type;
    const size = t.kind === 'scalar' ? SCALAR_BYTES[t.name] : undefined;
    if (size === undefined || f.length !== undefined) return -1;
    at += size;
  }
  return -1;
}

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
export class Session implements TransportListener {
  /** The client's handle, sent as `client_index` in every request. */
  clientIndex = 0;
  /** VPP's message table. */
  table!: MessageTable;
  state: 'handshake' | 'open' | 'closed' = 'handshake';
  /** Answers nobody waited for (late, or for calls given up), dropped. */
  dropped = 0;
  readonly deadlines = new Deadlines();
  /** Records every message sent and received; null when tracing is off, so one check per message is all it costs. */
  tracer: SessionTrace | null = null;
  /** Whether decoded values keep their header (`_vl_msg_id`, `context`, …). */
  private keepHeader = false;
  /** Resolves once the connection is gone. */
  readonly whenClosed: Promise<void>;

  private transport!: Transport;
  private readonly pending = new ContextTable<Call>();
  /** The abort signal of each call in flight that has one: kept here, not on every call. */
  private readonly signals = new Map<Call, AbortSignal>();
  private readonly reader = new Reader(Buffer.alloc(0));
  private readonly header: Header = { _vl_msg_id: 0, context: 0, client_index: 0 };
  private readonly routes = new Map<MessageDef, Route>();
  private eventDefs: (MessageDef | undefined)[] = [];
  /** Per message id: where its context is, when not at {@link CONTEXT_OFFSET}; {@link NO_CONTEXT} for events. */
  private readonly contextAt = new Uint8Array(65536);
  private keepaliveId = -1;
  private blocked = 0;
  /** The check that VPP is still there while reading is paused. */
  private probe: NodeJS.Timeout | null = null;
  private closedByClient = false;
  private markClosed!: () => void;
  private handshakeDone: { resolve(): void; reject(err: Error): void } | null = null;

  private constructor(private readonly owner: SessionOwner) {
    this.whenClosed = new Promise((resolve) => (this.markClosed = resolve));
  }

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
      session.transport = await options.transport(session, { maxFrameSize: options.maxFrameSize, signal: ac.signal });
      await session.handshake(options.name, ac.signal);
      return session;
    } catch (err) {
      session.destroy();
      throw ac.signal.aborted ? (ac.signal.reason as Error) : err;
    } finally {
      cancelTimer();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private handshake(name: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal.removeEventListener('abort', onAbort);
      this.handshakeDone = {
        resolve: () => (done(), resolve()),
        reject: (err) => (done(), reject(err)),
      };
      const h = this.header;
      h._vl_msg_id = SOCKCLNT_CREATE_ID;
      h.context = HANDSHAKE_CONTEXT;
      this.write(sockclnt_create, { name });
    });
  }

  private handshakeMessage(id: number, buf: Buffer, start: number, end: number): void {
    if (id !== SOCKCLNT_CREATE_REPLY_ID || !this.handshakeDone) return;
    const reply = this.decode(sockclnt_create_reply, buf, start, end) as { response: number; index: number; message_table: { index: number; name: string }[] };
    // A table that is not one (throws a ProtocolError) fails the connection, and connect() with it.
    const table = reply.response === 0 ? new MessageTable(reply.message_table) : undefined;
    const done = this.handshakeDone;
    this.handshakeDone = null;
    if (table === undefined) {
      done.reject(new ProtocolError(`VPP refused the client: sockclnt_create answered response ${reply.response}`));
      return;
    }
    this.table = table;
    this.clientIndex = reply.index;
    this.keepaliveId = this.table.idOf(memclnt_keepalive) ?? -1;
    this.state = 'open';
    done.resolve();
  }

  /**
   * Learns where the answers among `defs` that VPP has carry their context, and routes the
   * events among them (messages with no context field) to the owner.
   */
  learn(defs: Iterable<MessageDef>): void {
    for (const def of defs) {
      const id = this.table.idOf(def);
      if (id === undefined || id === SOCKCLNT_CREATE_REPLY_ID) continue;
      const at = contextOffset(def);
      if (at === undefined) {
        this.eventDefs[id] = def;
        this.contextAt[id] = NO_CONTEXT;
      } else if (at > 0 && at !== CONTEXT_OFFSET) this.contextAt[id] = at;
    }
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
    const h = this.header;
    h._vl_msg_id = call.route.id;
    h.context = call.context;
    h.client_index = this.clientIndex;
    this.write(call.def, { ...(call.value as object), cursor }, call.zeroFill);
  }

  private launch(call: Call, value: unknown, timeout: number, zeroFill: boolean, signal: AbortSignal | undefined): void {
    if (this.state !== 'open') throw new ConnectionClosedError(`${call.def.name}: not connected to VPP`);
    if (signal?.aborted) throw new AbortError(call.def.name, signal.reason);
    const context = this.pending.add(call);
    const h = this.header;
    h._vl_msg_id = call.route.id;
    h.context = context;
    h.client_index = this.clientIndex;
    try {
      this.write(call.def, value, zeroFill);
      if (call.route.kind === 'dump') {
        h._vl_msg_id = this.route(control_ping).id;
        this.write(control_ping, undefined);
      }
    } catch (err) {
      this.pending.delete(call);
      throw err;
    }
    this.deadlines.add(call, timeout);
    if (signal) {
      this.signals.set(call, signal);
      watchAbort(signal, call);
    }
  }

  /** Encodes one message with the current header into the transport. */
  private write(def: MessageDef, value: unknown, zeroFill = false): void {
    const w = this.transport.begin();
    try {
      encodeTo(w, def, value, this.header, { zeroFill });
    } catch (err) {
      this.transport.cancel();
      throw err;
    }
    if (this.tracer !== null) this.tracer.sent(def, value, this.header);
    this.transport.commit();
  }

  /** Stops waiting for `call`: later messages with its context are dropped. */
  forget(call: Call): void {
    this.pending.delete(call);
    this.deadlines.remove(call);
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
    return viewOf(def, buf, start, end);
  }

  /** A details buffer is full: stop reading until it drains, checking meanwhile that VPP is there. */
  block(): void {
    if (this.blocked++ !== 0 || this.state !== 'open') return;
    this.transport.pause();
    this.probe = setInterval(() => this.answerKeepalive(), PAUSED_PROBE_MS).unref();
  }

  /** A details buffer drained (or its call ended). */
  unblock(): void {
    if (--this.blocked !== 0 || this.state !== 'open') return;
    this.stopProbe();
    this.transport.resume();
  }

  private stopProbe(): void {
    if (this.probe !== null) clearInterval(this.probe);
    this.probe = null;
  }

  /** Calls waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Routes one payload from VPP: an event by its id, anything else by its context. */
  message(buf: Buffer, start: number, end: number): void {
    const id = buf.readUInt16BE(start);
    if (this.state !== 'open') {
      this.handshakeMessage(id, buf, start, end);
      return;
    }
    if (this.tracer !== null) this.tracer.received(id, buf, start, end);
    const event = this.eventDefs[id];
    if (event !== undefined) {
      this.owner.event(this, event, buf, start, end);
      return;
    }
    if (id === this.keepaliveId) {
      this.answerKeepalive();
      return;
    }
    const at = this.contextAt[id] || CONTEXT_OFFSET;
    if (at === NO_CONTEXT) {
      this.dropped++;
      return;
    }
    if (end - start < at + 4) throw new ProtocolError(`VPP sent message id ${id} in ${end - start} bytes, too short to hold a context`);
    const call = this.pending.get(buf.readUInt32BE(start + at));
    if (call === undefined) this.dropped++;
    else call.receive(id, buf, start, end);
  }

  /** VPP checks on its clients with `memclnt_keepalive`; the answer carries the client's handle. Sent unasked, it checks on VPP. */
  private answerKeepalive(): void {
    const h = this.header;
    const id = this.table.idOf(memclnt_keepalive_reply);
    if (id === undefined) return;
    h._vl_msg_id = id;
    h.context = this.clientIndex;
    this.write(memclnt_keepalive_reply, { retval: 0 });
  }

  /** The transport is gone: every call in flight fails now. */
  closed(cause: Error | undefined): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.deadlines.clear();
    this.stopProbe();
    const error = this.closedByClient
      ? new ConnectionClosedError('the connection to VPP was closed by the client', cause)
      : new ConnectionClosedError(cause ? `the connection to VPP failed: ${cause.message}` : 'VPP closed the connection', cause);
    // During the handshake, a protocol error is what connect() rejects with, as documented.
    this.handshakeDone?.reject(cause instanceof ProtocolError ? cause : error);
    this.handshakeDone = null;
    for (const call of this.pending.drain()) {
      this.forget(call);
      call.fail(error);
    }
    this.markClosed();
    if (wasOpen) this.owner.closed(this, error);
  }

  /**
   * Says goodbye: sends `sockclnt_delete`, waits up to `timeout` ms for its reply (or VPP closing
   * the socket), then closes the socket. Calls still in flight then fail.
   */
  async goodbye(timeout: number): Promise<void> {
    if (this.state === 'open') {
      try {
        await this.unary(sockclnt_delete, { index: this.clientIndex }, timeout, undefined);
      } catch {
        // No answer, or the socket closed first: either way the session ends.
      }
    }
    this.destroy();
    await this.whenClosed;
  }

  /** Closes the socket at once. */
  destroy(): void {
    this.closedByClient = true;
    if (this.transport) this.transport.destroy();
    else this.closed(undefined);
  }
}
