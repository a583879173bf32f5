/**
 * The client: connect to VPP, call it (request/reply, dumps, cursor streams), hear its events,
 * and survive its restarts.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageDef } from '../schema/model.js';
import type { BundledMessages, DumpRequest, EventsRequest, StreamRequest, UnaryRequest } from '../schema/typed.js';
import { connectSocket } from '../transport/socket.js';
import { DetailsCall, type DetailsHost, type DetailsIterator } from './calls.js';
import { CompatibilityReport } from './compat.js';
import { loadErrorTable } from './bundled.js';
import { type Registry, loadLocalDefinitions, loadVppDefinitions } from './definitions.js';
import { ConnectionClosedError, UnknownMessageError } from '../errors/index.js';
import { MAX_TIMER_DELAY, countOption, numberOption, timeoutOption } from './options.js';
import { frameLimit } from '../transport/framing.js';
import { Session, type SessionOptions, type SessionOwner } from './session.js';
import { EventSubscription, type Subscription } from './subscription.js';
import type { Tracer } from './tracing.js';
import type {
  CallArgs,
  CallDetails,
  CallEvent,
  CallInput,
  CallOptions,
  CallReply,
  CallTarget,
  ClientStats,
  ConnectOptions,
  ConnectionEvents,
  ReconnectOptions,
  StreamInput,
  SubscribeInput,
  SubscribeOptions,
} from './types.js';

/** Where a client is in its life. */
export type ClientState = 'open' | 'reconnecting' | 'closing' | 'closed';

const DEFAULTS = {
  socket: '/run/vpp/api.sock',
  name: 'vppkit',
  timeout: 5000,
  callTimeout: 10_000,
  closeTimeout: 1000,
  maxFrameSize: 32 * 1024 * 1024,
  highWaterMark: 1024,
  maxBuffered: 1024,
} as const;

const RECONNECT_DEFAULTS: Required<ReconnectOptions> = { initialDelay: 100, maxDelay: 5000, factor: 2, maxAttempts: Infinity };

/** The reconnection policy, every number checked. */
function reconnectPolicy(r: ReconnectOptions): Required<ReconnectOptions> {
  const where = 'connect: reconnect';
  const p = { ...RECONNECT_DEFAULTS, ...r };
  countOption(p.initialDelay, 'initialDelay', where, 0, MAX_TIMER_DELAY);
  countOption(p.maxDelay, 'maxDelay', where, 0, MAX_TIMER_DELAY);
  numberOption(p.factor, 'factor', where, 1, 1000);
  countOption(p.maxAttempts, 'maxAttempts', where, 1, Infinity);
  return p;
}

/**
 * Connects to VPP: opens the socket, sends `sockclnt_create`, reads VPP's message table and works
 * out which of the client's messages this VPP has ({@link Client.compatibility}).
 *
 * Type the client with the message map of the bindings in use (`connect<Messages>()`); the
 * default is every generated module's.
 *
 * @throws (as a rejection) {@link TimeoutError} past `timeout`, {@link AbortError} when `signal`
 * aborts, {@link ConnectionClosedError} when the socket cannot be reached or closes, {@link ProtocolError}
 * when VPP refuses the client, `SchemaError` when definitions cannot be loaded.
 */
export function connect<M extends object = BundledMessages>(options: ConnectOptions = {}): Promise<Client<M>> {
  return Client.connect<M>(options);
}

/**
 * A connection to VPP's binary API. Create one with {@link connect}.
 *
 * Requests run concurrently, each under a context of its own; answers are matched by context.
 * Every call has a time limit (`callTimeout`, or its own `timeout`) and may take an abort signal.
 * VPP's events are read from a {@link Client.subscribe | subscription}; the client itself emits
 * only its connection's life cycle ({@link ConnectionEvents}: `disconnected`, `reconnecting`,
 * `reconnected`, `closed`, `error`).
 */
export class Client<M extends object = BundledMessages> extends EventEmitter<ConnectionEvents> {
  readonly #options: ConnectOptions;
  #session: Session | undefined;
  #registry: Registry = new Map();
  #report!: CompatibilityReport;
  #currentState: ClientState = 'open';
  /** Active subscriptions, sent again after a reconnection. */
  readonly #subscriptions = new Set<EventSubscription>();
  /** The subscriptions each event goes to, by event name (names stay when definitions are reloaded). */
  readonly #eventRoutes = new Map<string, Set<EventSubscription>>();
  readonly #stop = new AbortController();
  #closing: Promise<void> | undefined;
  #droppedBefore = 0;
  #trace: Tracer | undefined;
  readonly #callTimeout: number;
  readonly #highWaterMark: number;
  readonly #reconnect: Required<ReconnectOptions> | undefined;

  /** @throws TypeError or RangeError for an option that is not a valid number. */
  private constructor(options: ConnectOptions) {
    super();
    this.#options = options;
    timeoutOption(options.timeout ?? DEFAULTS.timeout, 'timeout', 'connect');
    timeoutOption(options.closeTimeout ?? DEFAULTS.closeTimeout, 'closeTimeout', 'connect');
    frameLimit(options.maxFrameSize ?? DEFAULTS.maxFrameSize, 'connect');
    this.#callTimeout = timeoutOption(options.callTimeout ?? DEFAULTS.callTimeout, 'callTimeout', 'connect');
    this.#highWaterMark = countOption(options.highWaterMark ?? DEFAULTS.highWaterMark, 'highWaterMark', 'connect', 1, 2 ** 32);
    const r = options.reconnect;
    this.#reconnect = r ? reconnectPolicy(r === true ? {} : r) : undefined;
  }

  /** See {@link connect}. */
  static async connect<M extends object = BundledMessages>(options: ConnectOptions = {}): Promise<Client<M>> {
    const client = new Client<M>(options);
    const [local] = await Promise.all([loadLocalDefinitions(options.definitions), loadErrorTable()]);
    const session = await Session.open(client.#owner, client.#sessionOptions(options.signal));
    try {
      // Loaded only when asked for: a client without a trace never touches the trace code.
      if (options.trace) client.#trace = await (await import('../trace/recorder.js')).TraceRecorder.open(options.trace);
      await client.#adopt(session, local);
      if (session.state !== 'open') throw new ConnectionClosedError('VPP closed the connection while connecting');
    } catch (err) {
      session.destroy();
      await client.#trace?.close().catch(() => undefined);
      throw err;
    }
    client.#currentState = 'open';
    return client;
  }

  /** `open` while calls can be made; `reconnecting` between connections; `closed` for good. */
  get state(): ClientState {
    return this.#currentState;
  }

  /** Which of the client's messages the VPP connected to has, lacks, or defines differently. */
  get compatibility(): CompatibilityReport {
    return this.#report;
  }

  /** The handle VPP gave this client (`client_index` in every request). */
  get clientIndex(): number {
    return this.#session?.clientIndex ?? 0;
  }

  /** Calls in flight and answers dropped. */
  get stats(): ClientStats {
    return { inFlight: this.#session?.inFlight ?? 0, dropped: this.#droppedBefore + (this.#session?.dropped ?? 0) };
  }

  /**
   * Sends request `msg` and resolves with its reply.
   * @throws (as a rejection) {@link ValidationError} for a value that cannot be encoded (nothing
   * is sent); {@link UnknownMessageError} for a name the client has no definition of; TypeError
   * for a message that is not a request with one reply (a `want_*` goes through {@link subscribe});
   * {@link CompatibilityError} when VPP lacks the message or has another definition of
   * it (nothing is sent); {@link VppApiError} when the reply's `retval` is not 0; {@link TimeoutError};
   * {@link AbortError}; {@link ConnectionClosedError}.
   */
  request<Q extends CallTarget<M, UnaryRequest>>(msg: Q, ...args: CallArgs<CallInput<M, Q>>): Promise<CallReply<M, Q>>;
  request(msg: string | MessageDef, value?: unknown, options?: CallOptions): Promise<unknown> {
    try {
      const def = this.#resolve(msg);
      const kind = def.service?.kind;
      if (kind === 'events') {
        throw new TypeError(`${def.name} is a subscription: use client.subscribe('${def.name}'), which reads its events and sends it again after a reconnection`);
      }
      if (kind !== 'unary') throw new TypeError(`${def.name} is not a request with one reply (it is ${kind ?? 'not a request'})`);
      return this.#open(def).unary(def, value, this.#timeout(def, options), options?.signal, this.#zeroFill(options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Sends dump `msg` followed by a `control_ping` under the same context, and iterates over the
   * details until the ping's reply. Nothing is sent until the iteration starts; `.toArray()`
   * collects them. Breaking out of the loop drops the rest and leaves the connection healthy.
   * @throws (from the iteration) the errors of {@link request}.
   */
  dump<Q extends CallTarget<M, DumpRequest>>(msg: Q, ...args: CallArgs<CallInput<M, Q>>): DetailsIterator<CallDetails<M, Q>>;
  dump(msg: string | MessageDef, value?: unknown, options?: CallOptions): DetailsIterator<unknown> {
    return this.#details(msg, 'dump', value, options);
  }

  /**
   * Iterates over a cursor stream (`X_get`): sends it from cursor 0, and again from the returned
   * cursor each time VPP answers -165 (EAGAIN), until VPP says done. An empty table's -7 ends it
   * with no details rather than an error.
   * @throws (from the iteration) the errors of {@link request}.
   */
  stream<Q extends CallTarget<M, StreamRequest>>(msg: Q, ...args: CallArgs<StreamInput<CallInput<M, Q>>>): DetailsIterator<CallDetails<M, Q>>;
  stream(msg: string | MessageDef, value?: unknown, options?: CallOptions): DetailsIterator<unknown> {
    return this.#details(msg, 'stream', value, options);
  }

  /**
   * Subscribes to events: sends `want_X` with `enable_disable = 1` and this process's `pid`, and
   * resolves once VPP has replied with a {@link Subscription}: an async iterator of the events it
   * names, typed from the request, bounded by `maxBuffered` (see {@link SubscribeOptions}). Events
   * sent right after the reply are not missed: they wait for the loop. The subscription is sent
   * again after a reconnection, and the same iterator goes on.
   * @throws (as a rejection) the errors of {@link request}, {@link CompatibilityError} also when
   * VPP lacks one of its events or defines it differently (nothing is sent); TypeError for a
   * message that is not a `want_*`, RangeError for a `maxBuffered` that is not a count; VPP
   * answers -31 (INVALID_REGISTRATION) to a second subscription of the same client.
   */
  subscribe<Q extends CallTarget<M, EventsRequest>>(msg: Q, ...args: CallArgs<SubscribeInput<CallInput<M, Q>>, SubscribeOptions>): Promise<Subscription<CallEvent<M, Q>, CallReply<M, Q>>>;
  async subscribe(msg: string | MessageDef, value?: unknown, options?: SubscribeOptions): Promise<Subscription<unknown, unknown>> {
    const def = this.#resolve(msg);
    if (def.service?.kind !== 'events') throw new TypeError(`${def.name} is not a subscription (want_*)`);
    const maxBuffered = countOption(options?.maxBuffered ?? DEFAULTS.maxBuffered, 'maxBuffered', def.name, 1, 2 ** 32);
    const enable = subscriptionValue(def, value, true);
    const session = this.#open(def);
    const sub = new EventSubscription(def, value, maxBuffered, (s, o) => this.#unsubscribe(s, o), (err) => this.#reportError(err));
    // Routed before it is sent: events that follow the reply in the same read reach it.
    session.learn(sub.events);
    this.#routeEvents(sub, true);
    try {
      sub.reply = await session.unary(def, enable, this.#timeout(def, options), options?.signal, this.#zeroFill(options));
    } catch (err) {
      this.#routeEvents(sub, false);
      throw err;
    }
    this.#subscriptions.add(sub);
    return sub;
  }

  /** Adds (`on`) or removes `sub` from the routes of its events. */
  #routeEvents(sub: EventSubscription, on: boolean): void {
    for (const e of sub.events) {
      const subs = this.#eventRoutes.get(e.name) ?? new Set();
      if (on) this.#eventRoutes.set(e.name, subs.add(sub));
      else if (subs.delete(sub) && subs.size === 0) this.#eventRoutes.delete(e.name);
    }
  }

  /** Stops `sub`: no more events routed or re-sending, its iteration ends; sends its disable if connected. */
  async #unsubscribe(sub: EventSubscription, options?: CallOptions): Promise<void> {
    this.#timeout(sub.request, options);
    this.#routeEvents(sub, false);
    sub.finish();
    if (!this.#subscriptions.delete(sub)) return;
    if (!sub.request.fields.some((f) => f.name === 'enable_disable')) return;
    const session = this.#session;
    if (session?.state !== 'open' || this.#currentState !== 'open') return;
    await session.unary(sub.request, subscriptionValue(sub.request, sub.value, false), this.#timeout(sub.request, options), options?.signal);
  }

  /** Ends every subscription: their iterations end (after the events held), with `err` if given. */
  #endSubscriptions(err?: Error): void {
    for (const sub of this.#subscriptions) sub.finish(err);
    this.#subscriptions.clear();
    this.#eventRoutes.clear();
  }

  /**
   * Ends the session: sends `sockclnt_delete`, waits briefly (`closeTimeout`) for its reply, and
   * closes the socket. Calls still in flight then fail with {@link ConnectionClosedError}. A
   * pending reconnection stops. Never rejects, but for a `timeout` that is not a valid time limit
   * (TypeError, RangeError).
   */
  close(options: { readonly timeout?: number } = {}): Promise<void> {
    let timeout: number;
    try {
      timeout = timeoutOption(options.timeout ?? this.#options.closeTimeout ?? DEFAULTS.closeTimeout, 'timeout', 'close');
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#currentState === 'closed') return Promise.resolve();
    this.#closing ??= (async () => {
      this.#currentState = 'closing';
      this.#stop.abort();
      this.#endSubscriptions();
      await this.#session?.goodbye(timeout);
      await this.#trace?.close().catch((err: Error) => this.#reportError(err));
      this.#currentState = 'closed';
      this.#fire('closed');
    })();
    return this.#closing;
  }

  /** Same as {@link close}, for `await using client = await connect()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #resolve(msg: string | MessageDef): MessageDef {
    if (typeof msg !== 'string') return msg;
    const def = this.#registry.get(msg);
    if (!def) throw new UnknownMessageError(msg);
    return def;
  }

  /**
   * A call's time limit: its own `timeout`, checked, or the client's `callTimeout`.
   * @throws TypeError or RangeError for a `timeout` that is not a valid time limit.
   */
  #timeout(def: MessageDef, options: CallOptions | undefined): number {
    return options?.timeout === undefined ? this.#callTimeout : timeoutOption(options.timeout, 'timeout', def.name);
  }

  /** Whether a call zero-fills the fields its value leaves out: its own option, else the client's. */
  #zeroFill(options: CallOptions | undefined): boolean {
    return options?.zeroFill ?? this.#options.zeroFill ?? false;
  }

  #open(def: MessageDef): Session {
    const s = this.#session;
    if (s === undefined || this.#currentState !== 'open') {
      throw new ConnectionClosedError(`${def.name}: the client is ${this.#currentState === 'reconnecting' ? 'reconnecting' : 'closed'}`);
    }
    return s;
  }

  #details(msg: string | MessageDef, kind: 'dump' | 'stream', value: unknown, options: CallOptions | undefined): DetailsCall<unknown> {
    let def: MessageDef;
    let timeout: number;
    try {
      def = this.#resolve(msg);
      timeout = this.#timeout(def, options);
    } catch (err) {
      return failedDetails(typeof msg === 'string' ? msg : msg.name, err as Error);
    }
    const host: DetailsHost = {
      start: (call) => {
        if (def.service?.kind !== kind) throw new TypeError(`${def.name} is not a ${kind === 'dump' ? 'dump' : 'cursor stream'}`);
        this.#open(def).startDetails(call);
      },
    };
    return new DetailsCall(def, timeout, this.#zeroFill(options), value, options?.signal, host, this.#highWaterMark);
  }

  #sessionOptions(signal: AbortSignal | undefined): SessionOptions {
    const o = this.#options;
    const socket = o.socket ?? DEFAULTS.socket;
    return {
      transport: o.transport ?? ((listener, opts) => connectSocket(socket, listener, opts)),
      name: o.name ?? DEFAULTS.name,
      maxFrameSize: o.maxFrameSize ?? DEFAULTS.maxFrameSize,
      timeout: o.timeout ?? DEFAULTS.timeout,
      signal,
      keepHeader: o.keepHeader ?? false,
    };
  }

  /** Takes a fresh session into use: definitions (from VPP if asked), events, compatibility. */
  async #adopt(session: Session, local: Registry | undefined): Promise<void> {
    this.#registry = local ?? (await loadVppDefinitions((def) => session.unary(def, undefined, this.#callTimeout, this.#stop.signal)));
    session.tracer = this.#trace?.forSession(session.table, this.#registry.values()) ?? null;
    session.learn(this.#registry.values());
    this.#report = new CompatibilityReport(this.#registry.values(), session.table);
    this.#session = session;
  }

  /** What sessions report to the client. */
  readonly #owner: SessionOwner = {
    event: (session, def, buf, start, end) => {
      const subs = this.#eventRoutes.get(def.name);
      if (session !== this.#session || subs === undefined) return;
      const event = session.decode(def, buf, start, end);
      for (const sub of subs) sub.deliver(event);
    },
    closed: (session, error) => {
      if (session !== this.#session) return;
      this.#droppedBefore += session.dropped;
      this.#session = undefined;
      if (this.#currentState !== 'open') return;
      this.#fire('disconnected', error);
      if (this.#reconnect) {
        this.#currentState = 'reconnecting';
        void this.#reconnectLoop(this.#reconnect, error);
      } else {
        this.#currentState = 'closed';
        this.#endSubscriptions(error);
        this.#fire('closed', error);
      }
    },
  };

  /**
   * Emits an event without the map's typing (names are checked where they are written). Every
   * event the client emits goes through here, so no listener can break the client: one that
   * throws is reported ({@link listenerFailed}), and the client carries on. As with Node's
   * EventEmitter, the listeners after it miss that one event.
   */
  #fire(name: string, ...args: unknown[]): void {
    try {
      (this.emit as (name: string, ...args: unknown[]) => boolean)(name, ...args);
    } catch (err) {
      this.#listenerFailed(err, name);
    }
  }

  /**
   * Something failed with no call to reject (the disable sent after a subscription overflowed, a
   * trace that would not close): the `error` listeners get it; with none, it becomes a process
   * warning, never nothing.
   */
  #reportError(err: Error): void {
    if (this.#listening('error') > 0) this.#fire('error', err);
    else process.emitWarning(err);
  }

  #listening(name: string): number {
    return (this.listenerCount as (name: string) => number)(name);
  }

  /**
   * A listener threw `err`: it goes to the `error` listeners, or, with none (or one that throws
   * too), is thrown outside the client, as an uncaught exception, never into its state machine.
   */
  #listenerFailed(err: unknown, name: string): void {
    if (name !== 'error' && this.#listening('error') > 0) {
      try {
        (this.emit as (name: string, ...args: unknown[]) => boolean)('error', err);
        return;
      } catch (again) {
        err = again;
      }
    }
    queueMicrotask(() => {
      throw err;
    });
  }

  async #reconnectLoop(policy: Required<ReconnectOptions>, cause: Error): Promise<void> {
    const stop = this.#stop.signal;
    let lastError = cause;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const delay = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** (attempt - 1));
      this.#fire('reconnecting', { attempt, delay });
      try {
        await sleep(delay, undefined, { signal: stop });
        const local = this.#options.definitions === 'vpp' ? undefined : this.#registry;
        const session = await Session.open(this.#owner, this.#sessionOptions(stop));
        try {
          await this.#adopt(session, local);
          await this.#resubscribe(session);
        } catch (err) {
          session.destroy();
          throw err;
        }
        // The session may have closed while subscriptions were sent; then try again.
        if (stop.aborted || this.#session !== session) throw new ConnectionClosedError('the connection closed while reconnecting');
        this.#currentState = 'open';
        this.#fire('reconnected', this.#report);
        return;
      } catch (err) {
        if (stop.aborted) return;
        lastError = err as Error;
      }
    }
    this.#currentState = 'closed';
    this.#endSubscriptions(lastError);
    this.#fire('closed', lastError);
  }

  /** Sends every active subscription again on a new session; one VPP refuses ends with VPP's error. */
  async #resubscribe(session: Session): Promise<void> {
    for (const sub of [...this.#subscriptions]) {
      try {
        session.learn(sub.events);
        await session.unary(sub.request, subscriptionValue(sub.request, sub.value, true), this.#callTimeout, this.#stop.signal);
      } catch (err) {
        if (err instanceof ConnectionClosedError) throw err;
        this.#subscriptions.delete(sub);
        this.#routeEvents(sub, false);
        sub.finish(err as Error);
      }
    }
  }
}

/** The `want_*` value with `enable_disable` and `pid` filled in where the message has them. */
function subscriptionValue(def: MessageDef, value: unknown, enable: boolean): unknown {
  const out: Record<string, unknown> = { ...(value as object) };
  for (const f of def.fields) {
    if (f.name === 'enable_disable') out.enable_disable = enable ? 1 : 0;
    else if (f.name === 'pid' && out.pid === undefined) out.pid = process.pid;
  }
  return out;
}

/** A details iterator whose first `next()` rejects with `err` (for a name with no definition). */
function failedDetails(name: string, err: Error): DetailsCall<unknown> {
  const placeholder: MessageDef = { kind: 'message', name, module: '', crc: '', fields: [], options: {}, role: 'request' };
  const host: DetailsHost = {
    start: () => {
      throw err;
    },
  };
  return new DetailsCall(placeholder, 0, false, undefined, undefined, host, 1);
}
