/**
 * The codec's errors.
 *
 * @module
 */

/**
 * A value that cannot be encoded. Thrown before a byte is written. The message reads
 * `acl_add_replace: r[3].src_prefix: expected a prefix like "10.1.0.0/16", got "10.1.0.0"`.
 */
export class ValidationError extends Error {
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

/** A buffer that does not hold a whole message. Nothing is returned from such a buffer. */
export class DecodeError extends Error {
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

export function formatPath(segments: readonly (string | number)[]): string {
  let s = '';
  for (const seg of segments) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}
