/**
 * The client's public surface: {@link connect}, the {@link Client}, its errors and its
 * compatibility report.
 *
 * @module vppkit/client
 */
// Types only, erased from the JavaScript: brings the bundled bindings' `BundledMessages` into a
// program that imports this entry point (or `vppkit`), so that `connect()` is typed by default.
export type {} from '../gen/index.js';
export { Client, Subscription, connect } from './client.js';
export type { ClientState } from './client.js';
export { DetailsIterator } from './calls.js';
export type { DetailView } from './calls.js';
export { CompatibilityReport, MessageTable } from './compat.js';
export type { CrcMismatch, MessageStatus } from './compat.js';
export {
  AbortError,
  CompatibilityError,
  ConnectionClosedError,
  ProtocolError,
  TimeoutError,
  UnknownMessageError,
  ValidationError,
  VppkitError,
} from '../errors/index.js';
export type { IncompatibilityReason } from '../errors/index.js';
export { VppApiError, describeRetval } from '../errors/retval.js';
export type {
  CallArgs,
  CallDetails,
  CallInput,
  CallOptions,
  CallReply,
  CallTarget,
  OrUntyped,
  ClientEvents,
  ClientStats,
  ConnectOptions,
  ConnectionEvents,
  Definitions,
  EventName,
  EventValue,
  ReconnectOptions,
  RequestName,
  StreamInput,
  SubscribeInput,
  Untyped,
  UntypedMessage,
} from './types.js';
export type { Transport, TransportFactory, TransportListener } from '../transport/transport.js';
export { SocketTransport, connectSocket } from '../transport/socket.js';
