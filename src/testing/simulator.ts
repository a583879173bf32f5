/**
 * A VPP stand-in that speaks the real API socket protocol on a Unix socket: framing, the
 * `sockclnt_create` handshake with a message table, requests answered by scriptable handlers,
 * dumps ended by `control_ping`, cursor streams, events, keepalive, and injected faults.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Header, decode, encodeTo, readHeader } from '../codec/index.js';
import { SimulatorError } from '../errors/index.js';
import { modules as bundledModules } from '../gen/index.js';
import type { Messages } from '../gen/index.js';
import { apiModule as memclnt } from '../gen/memclnt.js';
import { type MessageDef, type ModuleDef, U32_NONE, nameCrc } from '../schema/model.js';
import type { DetailsOf, DumpRequest, EventsRequest, InputOf, Message, OutputOf, ReplyOf, StreamRequest, UnaryRequest } from '../schema/typed.js';
import { FRAME_HEADER_SIZE, FrameReader, FrameWriter, frameLimit } from '../transport/framing.js';
import { apiJsonBundle } from './api-json.js';

/** VNET_API_ERROR_INVALID_REGISTRATION: a second `want_*` enable, or a disable with none. */
const INVALID_REGISTRATION = -31;
/** Writes are batched up to this many bytes while streaming details. */
const FLUSH_BYTES = 64 * 1024;

/** Fields of a message, loosely: what handlers return and what tests push. */
export type Fields = Record<string, unknown>;

/** The message table the simulator announces. */
export interface TableOptions {
  /** Id of the first message outside memclnt (memclnt's 28 are fixed at 1-28, as in VPP). Default 29. */
  readonly firstId?: number;
  /** Ids to use for particular messages, by name. */
  readonly ids?: Readonly<Record<string, number>>;
  /** CRCs to announce instead of the definitions' (`'0xdeadbeef'`): simulates another definition. */
  readonly crcs?: Readonly<Record<string, string>>;
  /** Messages to leave out of the table: simulates a VPP that lacks them. */
  readonly omit?: readonly string[];
}

/** Options of {@link VppSimulator.start}. */
export interface SimulatorOptions extends TableOptions {
  /** Where to listen. Default: `api.sock` in a new temporary directory. */
  readonly socket?: string;
  /** Definitions to serve. Default: the generated bindings' modules. memclnt's are always included. */
  readonly modules?: readonly ModuleDef[];
  /** VPP's process id, as `control_ping_reply.vpe_pid` reports it. Default 4242. */
  readonly pid?: number;
  /** Largest message accepted from a client, in bytes; a client announcing a larger frame is dropped before anything is allocated for it. Default 32 MiB. */
  readonly maxFrameSize?: number;
  /** What `get_api_json` answers. Default: the served modules as VPP would write them. */
  readonly apiJson?: string;
}

/**
 * A message's fields as the simulator encodes them: any left out (zeros, or the default), at any
 * depth, and 64-bit integers as numbers too.
 */
export type Loose<T> = T extends bigint
  ? bigint | number
  : T extends Uint8Array
    ? T
    : T extends readonly (infer E)[]
      ? Loose<E>[]
      : T extends object
        ? { [K in keyof T]?: Loose<T[K]> }
        : T;

/** What a handler may return for request `Q`. */
export type HandlerResult<Q> = Q extends DumpRequest
  ? Iterable<Loose<DetailsOf<Q>> & Fields> | AsyncIterable<Loose<DetailsOf<Q>> & Fields> | void
  : Q extends UnaryRequest | EventsRequest | StreamRequest
    ? (Loose<ReplyOf<Q>> & Fields) | number | void
    : Fields | Iterable<Fields> | AsyncIterable<Fields> | number | void;

/**
 * Answers one request. It receives the decoded request and the {@link SimCall} to answer through.
 *
 * - Unary requests and subscriptions: return the reply's fields, a `retval` number, or nothing
 *   (`retval` 0). Calling `call.reply()` or `call.defer()` instead takes over the answer.
 * - Dumps: return (or yield from an async iterable) the details; `control_ping` ends the dump by itself.
 * - Cursor streams: send details with `call.details()` or `call.sendDetails()`, return the reply
 *   (`retval`, `cursor`); {@link cursorStream} does it all.
 *
 * A handler that returns a promise holds the connection's later requests until it settles, as
 * VPP's single API thread does.
 */
export type Handler<Q = unknown> = (request: RequestOf<Q> & Fields, call: SimCall) => HandlerResult<Q> | Promise<HandlerResult<Q>>;

/**
 * The decoded request a handler receives: its decoded type when the descriptor carries one, else
 * the type encoding it accepts, which the decoded value always fits.
 */
export type RequestOf<Q> = Q extends Message ? (unknown extends OutputOf<Q> ? InputOf<Q> : OutputOf<Q>) : Fields;

/** Names a simulator typed with map `M` takes handlers for: any name when `M` is untyped. */
export type HandlerName<M> = string extends keyof M ? string : keyof M & string;

/** How handlers are stored: typing stops at {@link VppSimulator.handle}. */
type AnyHandler = (request: Fields, call: SimCall) => unknown;

/** A request whose answer is held back; see {@link VppSimulator.holdNext}. */
export interface HeldReply {
  /** Resolves when the request has arrived (and its handler has run). */
  readonly arrived: Promise<void>;
  /** Sends what the handler answered. */
  release(): void;
}

/** A request received, as `request` events report it. */
export interface ReceivedRequest {
  readonly name: string;
  /** The decoded message, without its header. */
  readonly value: Fields;
  /** Its header: `_vl_msg_id`, and `client_index` and `context` where the message has them. */
  readonly header: Header;
  readonly connection: SimConnection;
}

/** Events a simulator emits. */
export interface SimulatorEvents {
  /** A client connected (before its handshake). */
  connection: (connection: SimConnection) => void;
  /** A client's connection closed. */
  disconnect: (connection: SimConnection) => void;
  /** A message arrived from a client (requests, and replies such as `memclnt_keepalive_reply`). */
  request: (request: ReceivedRequest) => void;
  /** Streaming details had to wait for a client to read: its socket buffer is full. */
  backpressure: (connection: SimConnection) => void;
  /** A handler threw, or returned something that does not encode. */
  error: (error: Error) => void;
}

type Fault =
  | { readonly kind: 'drop' }
  | { readonly kind: 'hold'; readonly held: Held }
  | { readonly kind: 'close'; readonly afterDetails: number };

class Held implements HeldReply {
  readonly arrived: Promise<void>;
  arrive!: () => void;
  frames: [SimConnection, MessageDef, Fields, Header][] | null = [];

  constructor() {
    this.arrived = new Promise((resolve) => (this.arrive = resolve));
  }

  release(): void {
    const frames = this.frames;
    this.frames = null;
    for (const [conn, def, value, header] of frames ?? []) conn.send(def, value, header);
  }
}

/** The simulator's message table: ids both ways, and what it announces. */
class Catalog {
  readonly byId = new Map<number, MessageDef>();
  readonly byName = new Map<string, MessageDef>();
  readonly idByName = new Map<string, number>();
  readonly entries: { index: number; name: string }[] = [];

  constructor(modules: readonly ModuleDef[], opts: TableOptions) {
    const omit = new Set(opts.omit ?? []);
    const fixed = memclnt.messages;
    const rest = modules.filter((m) => m.name !== 'memclnt').flatMap((m) => m.messages);
    const explicit = new Set(Object.values(opts.ids ?? {}));
    let next = opts.firstId ?? fixed.length + 1;
    const add = (def: MessageDef, id: number): void => {
      if (this.byName.has(def.name)) return;
      this.byName.set(def.name, def);
      if (omit.has(def.name)) return;
      this.byId.set(id, def);
      this.idByName.set(def.name, id);
      const crc = opts.crcs?.[def.name];
      this.entries.push({ index: id, name: nameCrc({ name: def.name, crc: crc ?? def.crc }) });
    };
    fixed.forEach((def, i) => add(def, i + 1));
    for (const def of rest) {
      let id = opts.ids?.[def.name];
      if (id === undefined) {
        while (explicit.has(next) || this.byId.has(next)) next++;
        id = next++;
      }
      add(def, id);
    }
  }
}

/**
 * One request being answered: its decoded value, its context, and the ways to answer it.
 */
export class SimCall {
  /** The details sent so far. */
  detailsSent = 0;
  private answered = false;

  /** @internal */
  constructor(
    /** The client's connection. */
    readonly connection: SimConnection,
    /** The request's definition. */
    readonly def: MessageDef,
    /** The decoded request. */
    readonly request: Fields,
    /** The request's header: `_vl_msg_id`, `client_index`, `context`. */
    readonly header: Header,
    private readonly fault: Fault | undefined,
  ) {}

  /** The request's message name. */
  get name(): string {
    return this.def.name;
  }

  /** The request's context, which every answer carries. */
  get context(): number {
    return this.header.context ?? 0;
  }

  /** Whether an answer was sent (or deferred). */
  get replied(): boolean {
    return this.answered;
  }

  /** Sends the request's reply (`retval` 0 unless given) with its context. */
  reply(fields: Fields = {}): void {
    const s = this.def.service;
    if (s?.kind !== 'unary' && s?.kind !== 'events' && s?.kind !== 'stream') throw new TypeError(`${this.def.name} has no reply`);
    this.answered = true;
    this.send(s.reply, s.reply.fields.some((f) => f.name === 'retval') ? { retval: 0, ...fields } : fields);
  }

  /** Replies with `retval`, VPP's way of refusing. */
  fail(retval: number): void {
    this.reply({ retval });
  }

  /** Sends one detail of a dump or stream with the request's context. */
  details(fields: Fields): void {
    const s = this.def.service;
    if (s?.kind !== 'dump' && s?.kind !== 'stream') throw new TypeError(`${this.def.name} has no details`);
    this.send(s.details, fields);
    this.detailsSent++;
    if (this.fault?.kind === 'close' && this.detailsSent >= this.fault.afterDetails) this.connection.destroy();
  }

  /**
   * Sends many details, waiting whenever the client's socket buffer is full, so memory stays
   * bounded on both sides. Resolves when all are written (or the connection closed).
   */
  async sendDetails(rows: Iterable<Fields> | AsyncIterable<Fields>): Promise<void> {
    for await (const row of rows) {
      if (this.connection.closed) return;
      this.details(row);
      if (this.connection.pendingBytes >= FLUSH_BYTES && !this.connection.flush()) await this.connection.drained();
    }
  }

  /** Sends event `name` to this client: see {@link SimConnection.event}. */
  event(name: string, fields: Fields): void {
    this.connection.event(name, fields);
  }

  /** Takes over the answer: nothing is sent for the handler's result; call {@link reply} later. */
  defer(): void {
    this.answered = true;
  }

  private send(def: MessageDef, value: Fields): void {
    const header: Header = { context: this.context };
    if (this.fault?.kind === 'hold' && this.fault.held.frames) this.fault.held.frames.push([this.connection, def, value, header]);
    else this.connection.send(def, value, header);
  }
}

/** One client's connection to the simulator. */
export class SimConnection {
  /** The handle given to the client (`0x80000000 | n`), checked on every request as VPP does. */
  readonly index: number;
  /** The name the client gave in `sockclnt_create`. */
  name = '';
  /** Active `want_*` subscriptions: request name to the pid the client sent. */
  readonly subscriptions = new Map<string, number>();
  /** Whether the socket has closed. */
  closed = false;
  private readonly writer = new FrameWriter();
  private readonly reader: FrameReader;
  private flushScheduled = false;
  private readonly queue: ([MessageDef, Fields, Header] | undefined)[] = [];
  private queueHead = 0;
  private busy = false;

  /** @internal */
  constructor(
    private readonly sim: VppSimulator<object>,
    readonly socket: Socket,
    n: number,
  ) {
    this.index = (0x80000000 | n) >>> 0;
    this.reader = new FrameReader(sim.maxFrameSize, (buf, start, end) => this.frame(buf, start, end), 'the client');
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (err) {
        // A frame VPP would not accept: VPP drops such a client.
        this.destroy();
        sim.report(err as Error);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.reader.stop();
      sim.disconnected(this);
    });
  }

  /** Sends message `name` with `fields` and the given header (`context`, …). */
  sendMessage(name: string, fields: Fields, header: Header = {}): void {
    this.send(this.sim.definition(name), fields, header);
  }

  /** @internal Encodes `value` as `def` with this simulator's id for it, in the next write. */
  send(def: MessageDef, value: Fields, header: Header): void {
    if (this.closed) return;
    const id = this.sim.idOf(def.name);
    const w = this.writer.begin();
    try {
      // Handlers answer with the fields they care about; VPP's answers carry zeros for the rest.
      encodeTo(w, def, value, { ...header, _vl_msg_id: id }, { zeroFill: true });
    } catch (err) {
      this.writer.cancel();
      this.sim.report(err as Error);
      return;
    }
    this.writer.commit();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Sends event `name` to this client, with its `client_index` and the pid of the client's
   * subscription filled in unless given.
   */
  event(name: string, fields: Fields): void {
    const def = this.sim.definition(name);
    const pid = [...this.sim.subscriptionsFor(name)].map((want) => this.subscriptions.get(want)).find((p) => p !== undefined);
    this.send(def, { pid: pid ?? 0, ...fields }, { client_index: this.index });
  }

  /** Writes raw bytes, as they are (for malformed frames). */
  sendRaw(bytes: Uint8Array): void {
    this.flush();
    if (!this.closed) this.socket.write(bytes);
  }

  /** Bytes encoded and not yet written. */
  get pendingBytes(): number {
    return this.writer.size;
  }

  /** @internal Writes what is batched; false when the socket's buffer is full. */
  flush(): boolean {
    this.flushScheduled = false;
    if (this.writer.size === 0 || this.closed) return true;
    const ok = this.socket.write(this.writer.take());
    if (!ok) this.sim.backpressure(this);
    return ok;
  }

  /** @internal Resolves when the socket's buffer has drained, or the socket closed. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Closes the connection at once, as a crashing VPP would (after writing what it has sent). */
  destroy(): void {
    this.flush();
    this.socket.destroy();
  }

  /** Writes what is batched, then closes (as `sockclnt_delete` does). */
  end(): void {
    this.flush();
    this.socket.end();
  }

  private frame(buf: Buffer, start: number, end: number): void {
    const id = buf.readUInt16BE(start);
    const def = this.sim.catalog.byId.get(id);
    // Unknown ids and short messages get no answer from VPP: it logs and drops them.
    if (!def) return;
    let value: Fields;
    let header: Header;
    try {
      header = readHeader(def, buf, start, end);
      value = decode(def, buf, start, end) as Fields;
    } catch {
      return;
    }
    if (header.client_index !== undefined && header.client_index !== this.index) return;
    this.queue.push([def, value, header]);
    this.pump();
  }

  /** Handles queued requests in order; an async handler holds the rest until it settles. */
  private pump(): void {
    while (!this.busy && this.queueHead < this.queue.length && !this.closed) {
      const [def, value, header] = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined;
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      const pending = this.sim.dispatch(this, def, value, header);
      if (pending) {
        this.busy = true;
        void pending.then(() => {
          this.busy = false;
          this.pump();
        });
      }
    }
  }
}

/**
 * A protocol-level VPP simulator on a Unix socket, for testing clients without VPP.
 *
 * ```ts
 * const sim = await VppSimulator.start();
 * sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
 * const client = await connect({ socket: sim.socketPath });
 * ```
 *
 * Every message of the served definitions has an answer by default: replies with `retval` 0,
 * empty dumps, streams that end at once, `want_*` subscriptions kept per client (a second one
 * answers -31, as VPP does), `control_ping`, `get_api_json`, `sockclnt_delete`. Handlers replace
 * the defaults per message. Requests with a wrong `client_index`, unknown ids or short bodies get
 * no answer, as in VPP.
 */
export class VppSimulator<M extends object = Messages> extends EventEmitter<SimulatorEvents> {
  /** @internal */
  catalog: Catalog;
  /** VPP's pid, as `control_ping_reply` reports it. */
  readonly pid: number;
  /** @internal The largest frame accepted from a client. */
  readonly maxFrameSize: number;
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly counts = new Map<string, number>();
  private readonly conns = new Set<SimConnection>();
  private readonly wants = new Map<string, Set<string>>();
  private readonly modules: readonly ModuleDef[];
  private tableOptions: TableOptions;
  private server: Server | undefined;
  private apiJson: string | undefined;
  private tempDir: string | undefined;
  private connectionCount = 0;

  private constructor(
    /** The socket's path. */
    readonly socketPath: string,
    private readonly options: SimulatorOptions,
  ) {
    super();
    this.modules = options.modules ?? bundledModules;
    this.tableOptions = options;
    this.catalog = new Catalog(this.modules, options);
    this.pid = options.pid ?? 4242;
    this.maxFrameSize = frameLimit(options.maxFrameSize ?? 32 * 1024 * 1024, 'VppSimulator');
  }

  /** Starts a simulator listening on `options.socket` (or a new temporary path). */
  static async start<M extends object = Messages>(options: SimulatorOptions = {}): Promise<VppSimulator<M>> {
    let path = options.socket;
    let tempDir: string | undefined;
    if (path === undefined) {
      tempDir = mkdtempSync(join(tmpdir(), 'vppkit-sim-'));
      path = join(tempDir, 'api.sock');
    }
    const sim = new VppSimulator<M>(path, options);
    sim.tempDir = tempDir;
    await sim.listen();
    return sim;
  }

  /**
   * Replaces the answer to `name` with `handler`. Typed by the simulator's message map; type the
   * simulator with an untyped map (`VppSimulator.start<Record<string, Message>>()`) to handle
   * messages of definitions loaded at run time.
   */
  handle<K extends HandlerName<M>>(name: K, handler: Handler<K extends keyof M ? M[K] : unknown>): this {
    this.definition(name);
    this.handlers.set(name, handler as AnyHandler);
    return this;
  }

  /** The id the current table gives `name`. */
  idOf(name: string): number {
    const id = this.catalog.idByName.get(name);
    if (id === undefined) throw new SimulatorError(`the simulator's table has no message ${name}`);
    return id;
  }

  /** The definition of message `name`. */
  definition(name: string): MessageDef {
    const def = this.catalog.byName.get(name);
    if (!def) throw new SimulatorError(`the simulator has no definition of ${name}`);
    return def;
  }

  /** Open connections. */
  get connections(): readonly SimConnection[] {
    return [...this.conns];
  }

  /** How many messages `name` arrived (since start, across restarts). */
  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /**
   * Sends event `name` to every client subscribed to a `want_*` that names it (or to every
   * client with `all`). Returns how many clients it went to.
   */
  pushEvent(name: string, fields: Fields, options: { readonly all?: boolean } = {}): number {
    const wants = this.subscriptionsFor(name);
    let n = 0;
    for (const conn of this.conns) {
      if (options.all || [...wants].some((w) => conn.subscriptions.has(w))) {
        conn.event(name, fields);
        n++;
      }
    }
    return n;
  }

  /** Sends `memclnt_keepalive` to every client; their replies arrive as `request` events. */
  sendKeepalive(): void {
    for (const conn of this.conns) conn.sendMessage('memclnt_keepalive', {}, { client_index: conn.index, context: 0 });
  }

  /** The next `count` requests `name` get no answer at all. */
  dropNext(name: string, count = 1): void {
    for (let i = 0; i < count; i++) this.addFault(name, { kind: 'drop' });
  }

  /**
   * Holds back the answer to the next request `name` until `release()`. Later requests are
   * answered meanwhile, so the held answer arrives late and out of order.
   */
  holdNext(name: string): HeldReply {
    const held = new Held();
    this.addFault(name, { kind: 'hold', held });
    return held;
  }

  /** Delays the answer to the next request `name` by `ms` (see {@link holdNext}). */
  delayNext(name: string, ms: number): void {
    const held = this.holdNext(name);
    void held.arrived.then(() => setTimeout(() => held.release(), ms));
  }

  /** Closes the connection after the next dump or stream `name` has sent `afterDetails` details. */
  closeMidDump(name: string, afterDetails: number): void {
    this.addFault(name, { kind: 'close', afterDetails });
  }

  /** Sends every client a frame too short to hold a message id. */
  sendGarbage(): void {
    const frame = Buffer.alloc(FRAME_HEADER_SIZE + 1);
    frame.writeUInt32BE(1, 8);
    for (const conn of this.conns) conn.sendRaw(frame);
  }

  /** Sends every client the header of a frame of `bytes` bytes, and as many of them as `send` says. */
  sendOversized(bytes: number, send = 1024): void {
    const frame = Buffer.alloc(FRAME_HEADER_SIZE + Math.min(send, bytes));
    frame.writeUInt32BE(bytes, 8);
    for (const conn of this.conns) conn.sendRaw(frame);
  }

  /**
   * Simulates VPP restarting: drops every connection, stops listening for `downtime` ms, then
   * listens again with a new table (`firstId`, `ids`, `crcs`, `omit` replace the old ones' where
   * given). Subscriptions are forgotten, as a new VPP would.
   */
  async restart(options: TableOptions & { readonly downtime?: number } = {}): Promise<void> {
    const { downtime = 0, ...table } = options;
    await this.stopListening();
    this.tableOptions = { ...this.tableOptions, ...table };
    this.catalog = new Catalog(this.modules, this.tableOptions);
    if (downtime > 0) await new Promise((r) => setTimeout(r, downtime));
    await this.listen();
  }

  /** Closes every connection and the socket, and removes the temporary directory if it made one. */
  async close(): Promise<void> {
    await this.stopListening();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** Same as {@link close}, for `await using sim = await VppSimulator.start()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal The `want_*` requests whose events include `name`. */
  subscriptionsFor(name: string): ReadonlySet<string> {
    let wants = this.wants.get(name);
    if (!wants) {
      wants = new Set();
      for (const def of this.catalog.byName.values()) {
        if (def.service?.kind === 'events' && def.service.events.some((e) => e.name === name)) wants.add(def.name);
      }
      this.wants.set(name, wants);
    }
    return wants;
  }

  /** @internal Runs the handler of one request; returns a promise when it must be waited for. */
  dispatch(conn: SimConnection, def: MessageDef, value: Fields, header: Header): Promise<void> | undefined {
    this.counts.set(def.name, this.count(def.name) + 1);
    this.emit('request', { name: def.name, value, header, connection: conn });
    const fault = this.takeFault(def.name);
    if (fault?.kind === 'drop') return undefined;
    const call = new SimCall(conn, def, value, header, fault);
    const finish = (result: unknown): Promise<void> | undefined => {
      if (fault?.kind === 'hold') fault.held.arrive();
      return this.finish(call, result);
    };
    try {
      const handler = this.handlers.get(def.name) ?? this.defaultHandler(def);
      const result = handler?.(value, call);
      if (result instanceof Promise) return result.then(finish, (err: Error) => this.report(err));
      return finish(result);
    } catch (err) {
      this.report(err as Error);
      return undefined;
    }
  }

  /** Sends what a handler returned, unless it answered itself. */
  private finish(call: SimCall, result: unknown): Promise<void> | undefined {
    const kind = call.def.service?.kind;
    if (kind === 'dump') {
      if (result && typeof result === 'object' && (Symbol.iterator in result || Symbol.asyncIterator in result)) {
        return call.sendDetails(result as Iterable<Fields>).catch((err: Error) => this.report(err));
      }
      return undefined;
    }
    if (call.replied || (kind !== 'unary' && kind !== 'events' && kind !== 'stream')) return undefined;
    if (typeof result === 'number') call.fail(result);
    else call.reply(kind === 'stream' ? { cursor: U32_NONE, ...(result as Fields) } : (result as Fields | undefined));
    return undefined;
  }

  private defaultHandler(def: MessageDef): AnyHandler | undefined {
    switch (def.name) {
      case 'sockclnt_create':
        return (req, call) => {
          const conn = call.connection;
          conn.name = String(req.name ?? '');
          const table = this.catalog.entries;
          conn.send(this.definition('sockclnt_create_reply'), { response: 0, index: conn.index, count: table.length, message_table: table }, { context: call.context });
          call.defer();
        };
      case 'sockclnt_delete':
        return (req, call) => {
          const ok = req.index === call.connection.index;
          call.reply({ response: ok ? 1 : -1 });
          if (ok) call.connection.end();
        };
      case 'control_ping':
        return (_req, call) => ({ client_index: call.connection.index, vpe_pid: this.pid });
      case 'get_api_json':
        return () => ({ json: (this.apiJson ??= this.options.apiJson ?? apiJsonBundle(this.modules)) });
    }
    if (def.service?.kind === 'events') {
      return (req, call) => {
        const enable = req.enable_disable === undefined || req.enable_disable !== 0;
        const subs = call.connection.subscriptions;
        if (enable === subs.has(def.name)) return INVALID_REGISTRATION;
        if (enable) subs.set(def.name, (req.pid as number | undefined) ?? 0);
        else subs.delete(def.name);
        return undefined;
      };
    }
    return undefined;
  }

  private addFault(name: string, fault: Fault): void {
    this.definition(name);
    let list = this.faults.get(name);
    if (!list) this.faults.set(name, (list = []));
    list.push(fault);
  }

  private takeFault(name: string): Fault | undefined {
    const list = this.faults.get(name);
    return list && list.length > 0 ? list.shift() : undefined;
  }

  /** @internal */
  report(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else queueMicrotask(() => {
      throw err;
    });
  }

  /** @internal */
  backpressure(conn: SimConnection): void {
    this.emit('backpressure', conn);
  }

  /** @internal */
  disconnected(conn: SimConnection): void {
    if (this.conns.delete(conn)) this.emit('disconnect', conn);
  }

  private listen(): Promise<void> {
    rmSync(this.socketPath, { force: true });
    const server = createServer((socket) => {
      const conn = new SimConnection(this as unknown as VppSimulator<object>, socket, ++this.connectionCount);
      this.conns.add(conn);
      this.emit('connection', conn);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closing = [...this.conns].map((c) => new Promise<void>((resolve) => (c.closed ? resolve() : (c.socket.once('close', () => resolve()), c.destroy()))));
    await Promise.all(closing);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
