/**
 * Every error vppkit throws, on one common base, {@link VppkitError}, but the built-in
 * `TypeError` and `RangeError` for a misused argument. Each is a named class; those caused by
 * something else carry it as `cause`. This module imports nothing, so every
 * layer (framing, codec, schema, client, trace, testing) can throw them without depending on
 * another. `VppApiError` lives beside it in `retval.ts`, as it needs VPP's error table.
 *
 * @module
 */

/** The base of every error vppkit throws: `err instanceof VppkitError` tells them from others. */
export class VppkitError extends Error {
  override name = 'VppkitError';
  /** Creates the error with a description and, when there is one, what caused it. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : options);
  }
}

/**
 * A value that cannot be encoded. Thrown before a byte is written. The message reads
 * `acl_add_replace: r[3].src_prefix: expected a prefix like "10.1.0.0/16", got "10.1.0.0"`.
 */
export class ValidationError extends VppkitError {
  override name = 'ValidationError';
  /** The message being encoded, once known. */
  messageName: string | undefined;
  /** Path segments from the message down to the bad field, e.g. `['r', 3, 'src_prefix']`. */
  readonly segments: (string | number)[] = [];

  /** Creates the error for `rule`; the path is added as it unwinds through the encoders. */
  constructor(
    /** The rule broken, e.g. `3000000000 is out of range for i32 (-2147483648..2147483647)`. */
    readonly rule: string,
  ) {
    super(rule);
  }

  /** The field path: `r[3].src_prefix`. */
  get path(): string {
    return formatPath(this.segments);
  }

  /** @internal Prepends a path segment while the error unwinds through the encoders. */
  at(segment: string | number): this {
    this.segments.unshift(segment);
    this.message = this.describe();
    return this;
  }

  /** @internal Names the message, once it reaches the top. */
  in(messageName: string): this {
    this.messageName = messageName;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const where = [this.messageName, this.path].filter(Boolean).join(': ');
    return where ? `${where}: ${this.rule}` : this.rule;
  }
}

/** @internal `['r', 3, 'src_prefix']` as `r[3].src_prefix`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let s = '';
  for (const seg of segments) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}

/** A buffer that does not hold a whole message. Nothing is returned from such a buffer. */
export class DecodeError extends VppkitError {
  override name = 'DecodeError';
  /** Creates the error for message `messageName`. */
  constructor(
    /** The message being decoded. */
    readonly messageName: string,
    /** What went wrong, with offsets. */
    readonly detail: string,
  ) {
    super(`${messageName}: ${detail}`);
  }
}

/** A definition the model does not understand. Names the file and the definition. */
export class SchemaError extends VppkitError {
  override name = 'SchemaError';
  /** Creates the error for a definition in `file`. */
  constructor(
    /** The `.api.json` file (or module) the definition came from. */
    readonly file: string,
    /** The message or type being parsed, when there is one. */
    readonly definition: string | undefined,
    detail: string,
  ) {
    super(`${file}${definition ? `: ${definition}` : ''}: ${detail}`);
  }
}

/** A call got no answer in time. Its late answer, if one comes, is dropped. */
export class TimeoutError extends VppkitError {
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
export class AbortError extends VppkitError {
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
export class ConnectionClosedError extends VppkitError {
  override name = 'ConnectionClosedError';
  /** Creates the error with a description and the underlying cause. */
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** VPP sent something the protocol does not allow: an oversized or malformed frame, an undecodable message. */
export class ProtocolError extends VppkitError {
  override name = 'ProtocolError';
  /** Creates the error with a description and, when there is one, the underlying decode error. */
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/**
 * Why a message cannot be used with this VPP:
 * - `missing`: VPP does not know the message at all.
 * - `other-crc`: VPP knows a message of that name with another definition (another CRC).
 */
export type IncompatibilityReason = 'missing' | 'other-crc';

/** A message that cannot be used with the VPP connected to. Nothing was sent. */
export class CompatibilityError extends VppkitError {
  override name = 'CompatibilityError';
  /** Creates the error for `messageName`. */
  constructor(
    /** The message that cannot be used (the request, or the reply or details it needs). */
    readonly messageName: string,
    /** Why. */
    readonly reason: IncompatibilityReason,
    /** The CRC of the client's definition. */
    readonly expectedCrc?: string,
    /** The CRC of VPP's definition, for `other-crc`. */
    readonly vppCrc?: string,
  ) {
    super(
      reason === 'missing'
        ? `${messageName} (crc ${expectedCrc}) is missing from this VPP`
        : `${messageName}: this VPP has another definition of it (crc ${vppCrc}, the client has ${expectedCrc})`,
    );
  }
}

/**
 * A message named by a string that the client's own definitions do not have: a typo, or a module
 * not loaded. Whatever VPP knows does not matter here, so this is not a {@link CompatibilityError}.
 */
export class UnknownMessageError extends VppkitError {
  override name = 'UnknownMessageError';
  /** Creates the error for the name `messageName`. */
  constructor(
    /** The name asked for. */
    readonly messageName: string,
  ) {
    super(`${messageName}: no such message in the client's definitions`);
  }
}

/** A trace file that cannot be read past record {@link record}, at byte {@link offset}. */
export class TraceError extends VppkitError {
  override name = 'TraceError';
  /** Creates the error for entry `record` starting at byte `offset`. */
  constructor(
    message: string,
    /** The entry that is damaged: 0 for the header, then 1, 2… for records. */
    readonly record: number,
    /** Where that entry starts in the file. */
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A definition the codec or the protobuf mapping cannot express (a union with a variable-size arm,
 * an array of arrays), or a codec that failed to compile (`cause` is the compiler's error).
 */
export class UnsupportedDefinitionError extends VppkitError {
  override name = 'UnsupportedDefinitionError';
}

/** The simulator or its VPP model was asked for something it does not have or cannot do. */
export class SimulatorError extends VppkitError {
  override name = 'SimulatorError';
}

/** `launchVpp` could not start, or lost, the VPP it launches. The message says which paths it used. */
export class LaunchError extends VppkitError {
  override name = 'LaunchError';
}

/**
 * A subscription's consumer fell behind: `limit` events waited unread when another arrived. The
 * subscription has ended (the client sends its `want_*` disable): the iteration gives the events
 * it held, then this error; the event that overflowed and every later one are not delivered.
 */
export class SubscriptionOverflowError extends VppkitError {
  override name = 'SubscriptionOverflowError';
  /** Creates the error for subscription `messageName`. */
  constructor(
    /** The `want_*` request. */
    readonly messageName: string,
    /** Events it held: its `maxBuffered`. */
    readonly limit: number,
  ) {
    super(`${messageName}: ${limit} events waited unread (maxBuffered ${limit}); the subscription ended, and later events are not delivered`);
  }
}
