/**
 * A VPP stand-in that speaks the real API socket protocol on a Unix socket: the server's life
 * cycle (listen, restart, close), the handlers that answer requests, events pushed to
 * subscribers, and the faults a test injects. Each connection is a {@link SimConnection}; each
 * request a {@link SimCall}.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Header } from '../codec/index.js';
import { SimulatorError } from '../errors/index.js';
import { modules as bundledModules } from '../gen/index.js';
import type { Messages } from '../gen/index.js';
import { keepaliveHeader } from '../protocol/keepalive.js';
import { type MessageDef, type ModuleDef, U32_NONE } from '../schema/model.js';
import { frameLimit } from '../transport/framing.js';
import { apiJsonBundle } from './api-json.js';
import { type DefaultsHost, defaultAnswer } from './default-answers.js';
import { Faults, Held, type HeldReply, garbageFrame, oversizedFrame } from './faults.js';
import type { AnyHandler, Fields, Handler, HandlerName } from './handler-types.js';
import { Catalog, type TableOptions } from './message-table.js';
import { SimCall } from './sim-call.js';
import { SimConnection } from './sim-connection.js';

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
  private catalog: Catalog;
  /** VPP's pid, as `control_ping_reply` reports it. */
  readonly pid: number;
  /** @internal The largest frame accepted from a client. */
  readonly maxFrameSize: number;
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly faults = new Faults();
  /** What the built-in answers of memclnt's messages read. */
  private readonly defaults: DefaultsHost;
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
    this.defaults = {
      pid: this.pid,
      tableEntries: () => this.catalog.entries,
      apiJson: () => (this.apiJson ??= this.options.apiJson ?? apiJsonBundle(this.modules)),
      definition: (name) => this.definition(name),
    };
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

  /** @internal The definition the current table gives `id`. */
  definitionAt(id: number): MessageDef | undefined {
    return this.catalog.byId.get(id);
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
    for (const conn of this.conns) conn.sendMessage('memclnt_keepalive', {}, keepaliveHeader(conn.index));
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
    const frame = garbageFrame();
    for (const conn of this.conns) conn.sendRaw(frame);
  }

  /** Sends every client the header of a frame of `bytes` bytes, and as many of them as `send` says. */
  sendOversized(bytes: number, send = 1024): void {
    const frame = oversizedFrame(bytes, send);
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
    const fault = this.faults.take(def.name);
    if (fault?.kind === 'drop') return undefined;
    const call = new SimCall(conn, def, value, header, fault);
    const finish = (result: unknown): Promise<void> | undefined => {
      if (fault?.kind === 'hold') fault.held.arrive();
      return this.finish(call, result);
    };
    try {
      const handler = this.handlers.get(def.name) ?? defaultAnswer(def, this.defaults);
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

  private addFault(name: string, fault: Parameters<Faults['add']>[1]): void {
    this.definition(name);
    this.faults.add(name, fault);
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
      const conn = new SimConnection(this, socket, ++this.connectionCount);
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
