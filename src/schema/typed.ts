/**
 * TypeScript types carried by message definitions, so a descriptor in gives a typed value out.
 *
 * Generated bindings declare each message with these types; definitions loaded at run time are
 * the same objects without them (`Message<unknown, unknown>`).
 *
 * @module
 */
import type { MessageDef } from './model.js';

declare const input: unique symbol;
declare const output: unique symbol;
declare const event: unique symbol;

/**
 * A message definition typed with what encoding takes (`I`: no header, which the client sets;
 * count and defaulted fields optional; text or raw forms accepted) and what decoding gives (`O`).
 */
export interface Message<I = unknown, O = unknown> extends MessageDef {
  /** Type-level only: never present at run time. */
  readonly [input]?: I;
  /** Type-level only: never present at run time. */
  readonly [output]?: O;
}

/** A message with no context, which VPP sends unasked (an event). */
export interface EventMessage<I = unknown, O = unknown> extends Message<I, O> {
  /** Type-level only: never present at run time. */
  readonly [event]: true;
}

/** What encoding message `M` takes. */
export type InputOf<M> = M extends Message<infer I, unknown> ? I : never;
/** What decoding message `M` gives. */
export type OutputOf<M> = M extends Message<unknown, infer O> ? O : never;

/** A request answered by one reply. */
export interface UnaryRequest<I = unknown, R = unknown> extends Message<I> {
  readonly service: { readonly kind: 'unary'; readonly reply: Message<unknown, R> };
}

/** A request answered by nothing. */
export interface NoReplyRequest<I = unknown> extends Message<I> {
  readonly service: { readonly kind: 'noreply' };
}

/** A classic dump: details with no end marker (the client ends it with `control_ping`). */
export interface DumpRequest<I = unknown, D = unknown> extends Message<I> {
  readonly service: { readonly kind: 'dump'; readonly details: Message<unknown, D> };
}

/** A cursor stream (`X_get`): details, then a reply with the cursor to continue from. */
export interface StreamRequest<I = unknown, R = unknown, D = unknown> extends Message<I> {
  readonly service: { readonly kind: 'stream'; readonly reply: Message<unknown, R>; readonly details: Message<unknown, D> };
}

/** A `want_*` subscription: its reply, then events with no context. */
export interface EventsRequest<I = unknown, R = unknown, E = unknown> extends Message<I> {
  readonly service: { readonly kind: 'events'; readonly reply: Message<unknown, R>; readonly events: readonly Message<unknown, E>[] };
}

/** Any request. */
export type Request = UnaryRequest | NoReplyRequest | DumpRequest | StreamRequest | EventsRequest;

/**
 * The bundled bindings' message map: the default type map of `connect()`. Empty here; the
 * generated `vppkit/bindings` adds every bundled message to it (declaration merging), so the core
 * compiles without the bindings and is typed with them.
 */
export interface BundledMessages {}

/** A map from message name to its typed descriptor, as each generated module exports (`Messages`). */
export type MessageMap = { readonly [name: string]: Message };

/** Names in map `M` whose descriptor is of request kind `R`. */
export type NamesOf<M, R> = { [K in keyof M]: M[K] extends R ? K : never }[keyof M] & string;

/** The reply type of a unary request descriptor. */
export type ReplyOf<Q> = Q extends { service: { reply: Message<unknown, infer R> } } ? R : never;
/** The details type of a dump or stream descriptor. */
export type DetailsOf<Q> = Q extends { service: { details: Message<unknown, infer D> } } ? D : never;
/** The event type of a subscription descriptor. */
export type EventOf<Q> = Q extends { service: { events: readonly Message<unknown, infer E>[] } } ? E : never;
