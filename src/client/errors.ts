/**
 * The client's errors. Each is a named class; those caused by something else carry it as `cause`.
 *
 * @module
 */
import { vppErrors } from '../gen/errors.js';

export { ValidationError } from '../codec/errors.js';

let errorTable: Map<number, { readonly name: string; readonly description: string }> | undefined;

/** @internal VPP's "stopped to yield, ask again from the cursor" (VNET_API_ERROR_EAGAIN), in cursor streams. */
export const EAGAIN = -165;
/** @internal VNET_API_ERROR_INVALID_VALUE: what a cursor stream over an empty table may answer. */
export const INVALID_VALUE = -7;

/** VPP's symbolic name and description for a return code, from its errors.json. */
export function describeRetval(code: number): { readonly name: string; readonly description: string } {
  errorTable ??= new Map(vppErrors.map((e) => [e.code, e]));
  return errorTable.get(code) ?? { name: 'UNKNOWN', description: `return code ${code} is not one VPP defines` };
}

/**
 * VPP answered with `retval != 0`. The message reads
 * `sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)`.
 */
export class VppApiError extends Error {
  override name = 'VppApiError';
  /** VPP's symbolic name for the code, e.g. `NO_SUCH_ENTRY`; `UNKNOWN` for a code VPP does not define. */
  readonly symbol: string;
  /** VPP's description of the code, e.g. `No such entry`. */
  readonly description: string;

  /** Creates the error for request `messageName` answered by `reply` with return code `code`. */
  constructor(
    /** The request VPP refused. */
    readonly messageName: string,
    /** The return code (`retval`), negative. */
    readonly code: number,
    /** The decoded reply, which may carry more detail. */
    readonly reply?: unknown,
  ) {
    const { name, description } = describeRetval(code);
    super(`${messageName}: VPP returned ${code} ${name} (${description})`);
    this.symbol = name;
    this.description = description;
  }
}

/** A call got no answer in time. Its late answer, if one comes, is dropped. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  /** Creates the error for the call `messageName` that waited `timeout` ms. */
  constructor(
    /** The request (or `connect`) that timed out. */
    readonly messageName: string,
    /** The time limit, in milliseconds. */
    readonly timeout: number,
  ) {
    super(`${messageName}: no answer from VPP within ${timeout} ms`);
  }
}

/** A call was abandoned because its `signal` aborted. `cause` is the signal's reason. */
export class AbortError extends Error {
  override name = 'AbortError';
  /** Creates the error for the call `messageName`. */
  constructor(
    /** The request (or `connect`) that was aborted. */
    readonly messageName: string,
    cause?: unknown,
  ) {
    super(`${messageName}: aborted`, { cause });
  }
}

/**
 * The connection to VPP is gone (or never opened), so the call cannot complete. `cause` says why:
 * a socket error, a {@link ProtocolError}, or nothing for an orderly close.
 */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  /** Creates the error with a description and the underlying cause. */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** VPP sent something the protocol does not allow: an oversized or malformed frame, an undecodable message. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  /** Creates the error with a description and, when there is one, the underlying decode error. */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * Why a message cannot be used with this VPP:
 * - `missing`: VPP does not know the message at all.
 * - `other-crc`: VPP knows a message of that name with another definition (another CRC).
 * - `no-definition`: the client has no definition of that name.
 */
export type IncompatibilityReason = 'missing' | 'other-crc' | 'no-definition';

/** A message that cannot be used with the VPP connected to. Nothing was sent. */
export class CompatibilityError extends Error {
  override name = 'CompatibilityError';
  /** Creates the error for `messageName`. */
  constructor(
    /** The message that cannot be used (the request, or the reply or details it needs). */
    readonly messageName: string,
    /** Why. */
    readonly reason: IncompatibilityReason,
    /** The CRC of the client's definition, when it has one. */
    readonly expectedCrc?: string,
    /** The CRC of VPP's definition, for `other-crc`. */
    readonly vppCrc?: string,
  ) {
    super(
      reason === 'missing'
        ? `${messageName} (crc ${expectedCrc}) is missing from this VPP`
        : reason === 'other-crc'
          ? `${messageName}: this VPP has another definition of it (crc ${vppCrc}, the client has ${expectedCrc})`
          : `${messageName}: no such message in the client's definitions`,
    );
  }
}
