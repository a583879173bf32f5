/**
 * The client's end of the protocol over a transport: the handshake, requests written with the
 * client's handle, answers routed by context to whatever waits for them, events routed by message
 * id, keepalive, and goodbye. What waits (a call) and what its answers mean are the client's.
 *
 * @module
 */
import {
  SOCKCLNT_CREATE_REPLY_ID,
  memclnt_keepalive,
  memclnt_keepalive_reply,
  sockclnt_create,
  sockclnt_create_reply,
  sockclnt_delete,
} from '../bootstrap/memclnt.js';
import { type Header, decode, encodeTo } from '../codec/index.js';
import { ConnectionClosedError, ProtocolError } from '../errors/index.js';
import { type MessageDef, SCALAR_SIZE, contextOffset } from '../schema/model.js';
import type { Keeper, Transport, TransportFactory, TransportListener } from '../transport/transport.js';
import { ContextTable } from './contexts.js';
import { type TableEntry, helloHeader, welcome } from './handshake.js';
import { KEEPALIVE_REPLY, keepaliveReplyHeader } from './keepalive.js';
import type { MessageTable } from './message-table.js';

/** Where most answers carry their context: right after the u16 message id. */
const CONTEXT_OFFSET = SCALAR_SIZE.u16;
/** {@link ApiConnection.contextAt} entry: the message has no context (an event). */
const NO_CONTEXT = 255;
/**
 * How often a connection whose reading is paused checks that VPP is still there. A close waits
 * behind the unread data, so only writing can see it: the write of a `memclnt_keepalive_reply`
 * (which VPP takes without answering) fails once VPP has closed the socket.
 */
const PAUSED_PROBE_MS = 1000;

/** Waits for the answers under one context. */
export interface Receiver {
  /** A message with its context arrived: `buf[start..end)`, message id `id`, valid during the call. */
  receive(id: number, buf: Buffer, start: number, end: number): void;
  /** The connection closed while it waited; the connection has already forgotten it. */
  fail(error: Error): void;
}

/**
 * A unary call waiting: its promise's resolve function, with no object of its own (a million of
 * them may be in flight). Its answer goes to {@link ConnectionOwner.reply}.
 */
export type Settle = (value: unknown) => void;

/** What waits under a context. */
export type Waiting = Receiver | Settle;

/** What a session tells its trace: every message sent and received. Called only when tracing is on. */
export interface SessionTrace {
  /** Message `def` was just encoded from `value` with `header`. */
  sent(def: MessageDef, value: unknown, header: Header): void;
  /** A message arrived: `buf[start..end)`, valid during the call. */
  received(id: number, buf: Buffer, start: number, end: number): void;
}

/** What a connection reports to its user. */
export interface ConnectionOwner {
  /** An event (a message with no context) arrived: `buf[start..end)`, valid during the call. */
  event(def: MessageDef, buf: Buffer, start: number, end: number): void;
  /** The answer to the unary call under `context` arrived: `buf[start..end)`, message id `id`, valid during the call. */
  reply(context: number, id: number, buf: Buffer, start: number, end: number): void;
  /**
   * The connection is gone. `waiting` held a context each and is forgotten; the owner fails
   * them with `error`. `wasOpen` is false when the handshake never finished.
   */
  closed(error: ConnectionClosedError, waiting: readonly Waiting[], wasOpen: boolean): void;
}

/** How to open a connection. */
export interface OpenOptions {
  readonly transport: TransportFactory;
  /** The client's name in `sockclnt_create`. */
  readonly name: string;
  readonly maxFrameSize: number;
  /** Abandons connecting and the handshake, rejecting with its reason. */
  readonly signal: AbortSignal;
}

/** A connection to VPP after `sockclnt_create`. */
export class ApiConnection implements TransportListener {
  /** The client's handle, sent as `client_index` in every request. */
  clientIndex = 0;
  /** VPP's message table. */
  table!: MessageTable;
  state: 'handshake' | 'open' | 'closed' = 'handshake';
  /** Answers nobody waited for (late, or for receivers forgotten), dropped. */
  dropped = 0;
  /** Sees every message sent and received; null when tracing is off, so one check per message is all it costs. */
  tracer: SessionTrace | null = null;
  /** Resolves once the connection is gone. */
  readonly whenClosed: Promise<void>;

  private transport!: Transport;
  /** What waits for answers, by context. */
  readonly calls = new ContextTable<Waiting>();
  private readonly header: Header = { _vl_msg_id: 0, context: 0, client_index: 0 };
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

  private constructor(private readonly owner: ConnectionOwner) {
    this.whenClosed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /**
   * Connects and sends `sockclnt_create`; resolves once VPP's message table is in.
   * @throws `options.signal`'s reason when it aborts first, {@link ConnectionClosedError} when the
   * socket cannot be reached or closes first, {@link ProtocolError} when VPP refuses the client.
   */
  static async open(owner: ConnectionOwner, options: OpenOptions): Promise<ApiConnection> {
    const conn = new ApiConnection(owner);
    const { signal } = options;
    try {
      conn.transport = await options.transport(conn, { maxFrameSize: options.maxFrameSize, signal });
      await conn.handshake(options.name, signal);
      return conn;
    } catch (err) {
      conn.destroy();
      throw signal.aborted ? (signal.reason as Error) : err;
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
      this.write(sockclnt_create, { name }, helloHeader());
    });
  }

  private handshakeMessage(id: number, buf: Buffer, start: number, end: number): void {
    if (id !== SOCKCLNT_CREATE_REPLY_ID || !this.handshakeDone) return;
    let reply: { response: number; index: number; message_table: TableEntry[] };
    try {
      reply = decode(sockclnt_create_reply, buf, start, end) as typeof reply;
    } catch (err) {
      throw new ProtocolError(`VPP sent a malformed ${sockclnt_create_reply.name}: ${(err as Error).message}`, err);
    }
    // A refusal, or a table that is not one, throws a ProtocolError: the transport closes with it
    // as the cause, and connect() rejects with it.
    const w = welcome(reply);
    const done = this.handshakeDone;
    this.handshakeDone = null;
    this.table = w.table;
    this.clientIndex = w.clientIndex;
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
      } else if (at !== CONTEXT_OFFSET) this.contextAt[id] = at;
    }
  }

  /** Gives `waiting` a fresh context, under which it gets its answers until {@link forget}. */
  expect(waiting: Waiting): number {
    return this.calls.add(waiting);
  }

  /** Stops routing answers under `context`: later messages with it are dropped. */
  forget(context: number): void {
    this.calls.delete(context);
  }

  /** Calls waiting for an answer. */
  get waiting(): number {
    return this.calls.size;
  }

  /**
   * Encodes request `def` from `value` under message id `id` and `context`, with the client's
   * handle, into the transport's next write.
   * @throws `ValidationError` when `value` does not encode; nothing is sent.
   */
  send(def: MessageDef, id: number, context: number, value: unknown, zeroFill = false): void {
    const h = this.header;
    h._vl_msg_id = id;
    h.context = context;
    h.client_index = this.clientIndex;
    this.write(def, value, h, zeroFill);
  }

  /** Encodes one message with `header` into the transport. */
  private write(def: MessageDef, value: unknown, header: Header, zeroFill = false): void {
    const w = this.transport.begin();
    try {
      encodeTo(w, def, value, header, { zeroFill });
    } catch (err) {
      this.transport.cancel();
      throw err;
    }
    if (this.tracer !== null) this.tracer.sent(def, value, header);
    this.transport.commit();
  }

  /** The message being routed is used after its delivery (a view): `keeper` copies it out before its bytes change. */
  keep(keeper: Keeper): void {
    this.transport.keep?.(keeper);
  }

  /** The reader of answers is full: stop reading until {@link resume}, checking meanwhile that VPP is there. */
  pause(): void {
    if (this.blocked++ !== 0 || this.state !== 'open') return;
    this.transport.pause();
    this.probe = setInterval(() => this.answerKeepalive(), PAUSED_PROBE_MS).unref();
  }

  /** Reads again once every {@link pause} is matched. */
  resume(): void {
    if (--this.blocked !== 0 || this.state !== 'open') return;
    this.stopProbe();
    this.transport.resume();
  }

  private stopProbe(): void {
    if (this.probe !== null) clearInterval(this.probe);
    this.probe = null;
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
      this.owner.event(event, buf, start, end);
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
    const context = buf.readUInt32BE(start + at);
    const waiting = this.calls.get(context);
    if (waiting === undefined) this.dropped++;
    else if (typeof waiting === 'function') this.owner.reply(context, id, buf, start, end);
    else waiting.receive(id, buf, start, end);
  }

  /** VPP checks on its clients with `memclnt_keepalive`; the answer carries the client's handle. Sent unasked, it checks on VPP. */
  private answerKeepalive(): void {
    const id = this.table.idOf(memclnt_keepalive_reply);
    if (id === undefined) return;
    this.write(memclnt_keepalive_reply, KEEPALIVE_REPLY, { _vl_msg_id: id, ...keepaliveReplyHeader(this.clientIndex) });
  }

  /** The transport is gone: the owner fails everything waiting, now. */
  closed(cause: Error | undefined): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.stopProbe();
    const error = this.closedByClient
      ? new ConnectionClosedError('the connection to VPP was closed by the client', cause)
      : new ConnectionClosedError(cause ? `the connection to VPP failed: ${cause.message}` : 'VPP closed the connection', cause);
    // During the handshake, a protocol error is what connect() rejects with, as documented.
    this.handshakeDone?.reject(cause instanceof ProtocolError ? cause : error);
    this.handshakeDone = null;
    this.owner.closed(error, this.calls.drain(), wasOpen);
    this.markClosed();
  }

  /**
   * Says goodbye: sends `sockclnt_delete`, waits for its reply (or VPP closing the socket) until
   * `signal` aborts, then closes the socket. Receivers still waiting then fail.
   */
  async goodbye(signal: AbortSignal): Promise<void> {
    const id = this.state === 'open' ? this.table.idOf(sockclnt_delete) : undefined;
    if (id !== undefined && !signal.aborted) {
      await new Promise<void>((resolve) => {
        let context = 0;
        const farewell: Receiver = {
          receive: () => finish(),
          fail: () => finish(),
        };
        const finish = (): void => {
          signal.removeEventListener('abort', finish);
          this.forget(context);
          resolve();
        };
        signal.addEventListener('abort', finish, { once: true });
        try {
          context = this.expect(farewell);
        } catch {
          finish(); // the table is full (its RangeError): close without the goodbye, failing every call
          return;
        }
        this.send(sockclnt_delete, id, context, { index: this.clientIndex });
      });
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
