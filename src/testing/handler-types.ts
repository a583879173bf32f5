/**
 * The types of the simulator's handlers: what a handler receives and what it may return.
 *
 * @module
 */
import type { DetailsOf, DumpRequest, EventsRequest, InputOf, Message, OutputOf, ReplyOf, StreamRequest, UnaryRequest } from '../schema/typed.js';
import type { SimCall } from './sim-call.js';

/** Fields of a message, loosely: what handlers return and what tests push. */
export type Fields = Record<string, unknown>;

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

/** How handlers are stored: typing stops at `VppSimulator.handle`. */
export type AnyHandler = (request: Fields, call: SimCall) => unknown;
