/**
 * The client's option and call types, and the types that tie a message map to typed calls.
 *
 * @module
 */
import type { NamesOf, InputOf, ReplyOf, DetailsOf, EventOf } from '../schema/typed.js';
import type { MessageDef, ModuleDef } from '../schema/model.js';
import type { TransportFactory } from '../transport/transport.js';
import type { CompatibilityReport } from './compat.js';
import type { TraceOptions } from './tracing.js';
import type { ConnectionClosedError } from '../errors/index.js';

/** Options every call takes. */
export interface CallOptions {
  /** Milliseconds to wait for VPP; defaults to the client's `callTimeout`. `Infinity` waits forever. */
  readonly timeout?: number;
  /** Abandons the call when it aborts. */
  readonly signal?: AbortSignal;
  /**
   * Sends fields the value leaves out as zeros, as VPP's Python client does, instead of refusing
   * the call with a `ValidationError`. Defaults to the client's `zeroFill` (off).
   */
  readonly zeroFill?: boolean;
}

/**
 * Where the client's message definitions come from:
 * - a list of modules: generated bindings (`vppkit/bindings`' `modules`), or modules loaded with `loadApiDir`;
 * - `{ apiDir }`: every `.api.json` below a directory, read when connecting;
 * - `'vpp'`: the VPP connected to, through `get_api_json`, so no files are needed.
 *
 * memclnt's messages of the handshake and life-cycle (`sockclnt_create`, `sockclnt_delete`,
 * `control_ping`, `memclnt_keepalive`, `get_api_json`, with their replies) are always included;
 * the rest of memclnt comes with the definitions, as any other module.
 */
export type Definitions = readonly ModuleDef[] | { readonly apiDir: string } | 'vpp';

/** Options of {@link Client.subscribe}. */
export interface SubscribeOptions extends CallOptions {
  /**
   * Events held for a consumer that has not taken them yet (a whole number, 1 or more). When
   * that many wait and another arrives, the subscription ends with a `SubscriptionOverflowError`
   * after the events it holds: VPP sends events unasked, so a consumer that falls behind loses
   * them loudly rather than stalling every other call on the connection. Events that arrive in
   * one socket read all wait before the consumer runs again: size it for the largest burst.
   * Default 1024.
   */
  readonly maxBuffered?: number;
}

/** Reconnection with exponential backoff. */
export interface ReconnectOptions {
  /** Wait before the first attempt, in ms. Default 100. */
  readonly initialDelay?: number;
  /** Longest wait between attempts, in ms. Default 5000. */
  readonly maxDelay?: number;
  /** Growth of the wait per attempt. Default 2. */
  readonly factor?: number;
  /** Attempts before giving up (the client then closes). Default: no limit. */
  readonly maxAttempts?: number;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** VPP's API socket. Default `/run/vpp/api.sock`. */
  readonly socket?: string;
  /** The client's name, as VPP lists it (at most 63 characters). Default `vppkit`. */
  readonly name?: string;
  /** Time limit for connecting and the handshake, in ms. Default 5000. */
  readonly timeout?: number;
  /** Abandons connecting when it aborts. */
  readonly signal?: AbortSignal;
  /** Where message definitions come from. Default: the bundled bindings (`vppkit/bindings`). */
  readonly definitions?: Definitions;
  /** Default time limit of every call, in ms. Default 10000. */
  readonly callTimeout?: number;
  /** How long `close()` waits for `sockclnt_delete_reply`, in ms. Default 1000. */
  readonly closeTimeout?: number;
  /** Reconnect after the connection is lost. Default: off. */
  readonly reconnect?: boolean | ReconnectOptions;
  /** Largest message accepted from VPP, in bytes (a whole number in 2..2^32-1); a larger frame fails the connection before anything is allocated for it. Default 32 MiB. */
  readonly maxFrameSize?: number;
  /**
   * Sends fields a call's value leaves out as zeros, as VPP's Python client does, for every call
   * (a call's own `zeroFill` overrides it). Default off: a missing field with no default is a
   * `ValidationError`, and nothing is sent.
   */
  readonly zeroFill?: boolean;
  /** Details a dump or stream buffers before the client stops reading the socket. Default 1024. */
  readonly highWaterMark?: number;
  /** Opens the connection instead of the Unix socket at `socket` (for tests, or another stream). */
  readonly transport?: TransportFactory;
  /**
   * Decoded replies, details and events keep their header (`_vl_msg_id`, `context`, and
   * `client_index` where the message has it), as the CLI's `--raw` shows them. Their types do not
   * declare it. Views (`DetailsIterator.views`) hold the message's own fields either way.
   * Default: off (values hold the message's own fields only).
   */
  readonly keepHeader?: boolean;
  /** Records every message sent and received to a trace file (`vppkit trace show`, `docs/trace.md`). Default: off. */
  readonly trace?: TraceOptions;
}

/** A decoded message of a definition with no TypeScript types (loaded at run time). */
export type UntypedMessage = Record<string, unknown>;

/** Whether a message map is only an index signature (definitions with no types). */
export type Untyped<M> = string extends keyof M ? true : false;

/** Names in `M` of request kind `R`; any string when `M` is untyped. */
export type RequestName<M, R> = Untyped<M> extends true ? string : NamesOf<M, R>;

/**
 * What a call names: a typed descriptor of kind `R`, a name of such a request in `M`, or any
 * definition loaded at run time. One signature rather than overloads, so that a wrong field is
 * reported as such (with overloads, TypeScript 7 reports only the last overload's mismatch).
 */
export type CallTarget<M, R> = R | RequestName<M, R> | MessageDef;

/** What a call to `Q` (a descriptor, or a name in `M`) takes; `unknown` for an untyped definition. */
export type CallInput<M, Q> = Q extends string ? (Q extends keyof M ? InputOf<M[Q]> : unknown) : InputOf<Q>;

/** The reply type of a call to `Q`. */
export type CallReply<M, Q> = OrUntyped<Q extends string ? (Q extends keyof M ? ReplyOf<M[Q]> : unknown) : ReplyOf<Q>>;

/** The event type of a subscription `Q` (a union when its `want_*` names several events). */
export type CallEvent<M, Q> = OrUntyped<Q extends string ? (Q extends keyof M ? EventOf<M[Q]> : unknown) : EventOf<Q>>;

/** The details type of a dump or stream `Q`. */
export type CallDetails<M, Q> = OrUntyped<Q extends string ? (Q extends keyof M ? DetailsOf<M[Q]> : unknown) : DetailsOf<Q>>;

/** `T`, or an untyped message when the definition carries no type. */
export type OrUntyped<T> = [T] extends [never] ? UntypedMessage : unknown extends T ? UntypedMessage : T;

/** A call's arguments: the value is optional when every field is, or when the definition is untyped. */
export type CallArgs<I, O = CallOptions> = unknown extends I ? [value?: unknown, options?: O] : {} extends I ? [value?: I, options?: O] : [value: I, options?: O];

/** A cursor stream's request without its cursor, which the client fills in. */
export type StreamInput<I> = unknown extends I ? unknown : Omit<I, 'cursor'> & { cursor?: number };

/** A subscription's request without `enable_disable` and `pid`, which the client fills in. */
export type SubscribeInput<I> = unknown extends I ? unknown : Omit<I, 'enable_disable' | 'pid'> & { pid?: number };

/**
 * The events a client emits: its connection's life cycle only. VPP's events come through
 * {@link Client.subscribe}.
 */
export interface ConnectionEvents {
  /** The connection was lost; every call in flight has failed with `error`. */
  disconnected: (error: ConnectionClosedError) => void;
  /** A reconnection attempt starts after `delay` ms. */
  reconnecting: (info: { readonly attempt: number; readonly delay: number }) => void;
  /** Connected again: new message table, subscriptions sent again. */
  reconnected: (compatibility: CompatibilityReport) => void;
  /** The client is closed for good: by `close()`, or after the last reconnection attempt failed (`error`). */
  closed: (error?: Error) => void;
  /**
   * Something failed with no call to reject: unsubscribing after a subscription overflowed, closing
   * the trace, or a listener (of any event but `error`) that threw. With no `error` listener, the
   * first two become a process warning and a throwing listener an uncaught exception: never nothing.
   */
  error: (error: Error) => void;
}

/** Counters of a client. */
export interface ClientStats {
  /** Calls waiting for VPP now. */
  readonly inFlight: number;
  /** Answers that came with no call waiting (late, or for calls given up), dropped since connecting. */
  readonly dropped: number;
}
