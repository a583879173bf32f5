/**
 * The errors the client throws, kept importable from here; they live in the leaf `src/errors/`.
 *
 * @module
 */
export {
  AbortError,
  CompatibilityError,
  ConnectionClosedError,
  type IncompatibilityReason,
  ProtocolError,
  TimeoutError,
  UnknownMessageError,
  ValidationError,
  VppkitError,
} from '../errors/index.js';
export { EAGAIN, INVALID_VALUE, VppApiError, describeRetval } from '../errors/retval.js';
