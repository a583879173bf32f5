/**
 * The client's public surface: {@link connect}, the {@link Client}, its errors and its
 * compatibility report.
 *
 * @module vppkit/client
 */
// Types only, erased from the JavaScript: brings the bundled bindings' `BundledMessages` into a
// program that imports this entry point (or `vppkit`), so that `connect()` is typed by default.
export type {} from '../gen/index.js';
export { Client, connect } from './client.js';
export type { ClientState } from './client.js';
export type { DetailView, DetailsIterator } from './calls.js';
export type { Subscription } from './subscription.js';
export { CompatibilityReport } from './compat.js';
export type { CrcMismatch } from './compat.js';
export { MessageTable } from '../protocol/message-table.js';
export type { MessageStatus } from '../protocol/message-table.js';
export {
  AbortError,
  CompatibilityError,
  ConnectionClosedError,
  ProtocolError,
  TimeoutError,
  UnknownMessageError,
  ValidationError,
  VppkitError,
  SubscriptionOverflowError,
} from '../errors/index.js';
export type { IncompatibilityReason } from '../errors/index.js';
export { VppApiError, describeRetval } from '../errors/retval.js';
export type {
  CallArgs,
  CallDetails,
  CallEvent,
  CallInput,
  CallOptions,
  CallReply,
  CallTarget,
  OrUntyped,
  ClientStats,
  ConnectOptions,
  ConnectionEvents,
  Definitions,
  ReconnectOptions,
  RequestName,
  StreamInput,
  SubscribeInput,
  SubscribeOptions,
  Untyped,
  UntypedMessage,
} from './types.js';
export type { Keeper, Transport, TransportFactory, TransportListener } from '../transport/transport.js';
export { SocketTransport, connectSocket } from '../transport/socket.js';
