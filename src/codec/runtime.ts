/**
 * Helpers the compiled codecs call: validation with readable errors, strings and byte arrays.
 *
 * @module
 */
import { type EnumDef, type FieldDef, type SmallInt, INT_RANGE, isOpenEnum } from '../schema/model.js';
import type { Reader, Writer } from './buffers.js';
import { DecodeError, ValidationError, VppkitError } from '../errors/index.js';
import { fromHex } from './text.js';

/** Thrown inside decoders; the top level turns it into a {@link DecodeError} naming the message. */
export class ShortBuffer extends VppkitError {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const enumNames = new WeakMap<EnumDef, Map<number, string>>();
const enumMask = new WeakMap<EnumDef, number>();

/** `s` cut to `max` characters, for echoing input back in a message. */
export function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(clip(v));
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null || typeof v !== 'object') return String(v);
  return 'an object';
}

const U64_MAX = 0xffffffffffffffffn;
const I64_MIN = -0x8000000000000000n;
const I64_MAX = 0x7fffffffffffffffn;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export const rt = {
  EMPTY: Object.freeze({}) as Record<string, unknown>,
  /** Set by `encodeTo` for one encoding: fill missing fields with zeros instead of refusing them. */
  zeroFill: false,

  missing(): ValidationError {
    return new ValidationError('missing, and it has no default');
  },

  bad(v: unknown, expected: string): ValidationError {
    return new ValidationError(`expected ${expected}, got ${show(v)}`);
  },

  badInt(v: unknown, type: SmallInt): ValidationError {
    if (typeof v !== 'number') return new ValidationError(`expected an integer (${type}), got ${show(v)}`);
    if (!Number.isInteger(v)) return new ValidationError(`${v} is not an integer (${type})`);
    const [lo, hi] = INT_RANGE[type];
    return new ValidationError(`${v} is out of range for ${type} (${lo}..${hi})`);
  },

  int64(v: unknown, signed: boolean): bigint {
    let b: bigint;
    if (typeof v === 'bigint') b = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
    else if (typeof v === 'string' && /^-?\d+$/.test(v)) b = BigInt(v);
    else throw new ValidationError(`expected a ${signed ? 'i64' : 'u64'} as a bigint, a safe integer or a decimal string, got ${show(v)}`);
    if (signed ? b < I64_MIN || b > I64_MAX : b < 0n || b > U64_MAX) {
      throw new ValidationError(`${b} is out of range for ${signed ? 'i64' : 'u64'}`);
    }
    return b;
  },

  enumValue(v: unknown, en: EnumDef): number {
    let names = enumNames.get(en);
    if (!names) {
      names = new Map(Object.entries(en.values).map(([k, n]) => [n, k]));
      enumNames.set(en, names);
      enumMask.set(en, Object.values(en.values).reduce((a, b) => a | b, 0));
    }
    if (typeof v === 'string' && Object.hasOwn(en.values, v)) return en.values[v]!;
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (names.has(v)) return v;
      if (en.flags && v >= 0 && (v & ~enumMask.get(en)!) === 0) return v >>> 0;
      if (isOpenEnum(en) && v >= 0 && v <= INT_RANGE[en.width][1]) return v;
    }
    const valid = Object.entries(en.values).map(([k, n]) => `${k}=${n}`).join(', ');
    const open = isOpenEnum(en) ? `, or any number 0..${INT_RANGE[en.width][1]}` : '';
    throw new ValidationError(`${show(v)} is not a valid ${en.name}${en.flags ? ' bit set' : ''} (${valid}${open})`);
  },

  unknownField(k: string, names: readonly string[]): ValidationError {
    const near = suggest(k, names);
    return new ValidationError(`unknown field ${show(k)}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
  },

  /** A header field in a value: the client sets it, so it would be lost. */
  headerField(k: string): ValidationError {
    return new ValidationError(`"${k}" is part of the message header, which the client sets: leave it out of the value (encode takes it as the header argument)`);
  },

  badLength(v: unknown, want: number): ValidationError {
    if (!Array.isArray(v)) return rt.bad(v, `an array of ${want}`);
    return new ValidationError(`expected ${want} elements, got ${v.length}`);
  },

  /** Adds a path segment to a ValidationError unwinding through a struct or array. */
  at(err: unknown, segment: string | number): unknown {
    return err instanceof ValidationError ? err.at(segment) : err;
  },

  /** The element count to write into count field `def`: from the arrays it counts, checked against the given one. */
  count(v: Record<string, unknown>, given: unknown, arrays: readonly string[], def: FieldDef): unknown {
    let n: number | undefined;
    for (const a of arrays) {
      const arr = v[a];
      if (arr === undefined) continue;
      const len = lengthOf(arr);
      if (len === undefined) continue; // the array's own check reports it
      if (n === undefined) n = len;
      else if (n !== len) throw new ValidationError(`arrays ${arrays.join(', ')} counted by ${def.name} differ in length (${n} and ${len})`);
    }
    if (given === undefined) return n ?? 0;
    if (n === undefined ? given !== 0 : given !== n) {
      throw new ValidationError(`count ${show(given)} disagrees with ${arrays.join(', ')} (${n ?? 'missing'}${n === undefined ? '' : ' elements'})`);
    }
    return given;
  },

  bytes(v: unknown): Uint8Array {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'object' && v !== null && typeof (v as { hex?: unknown }).hex === 'string') {
      const b = fromHex((v as { hex: string }).hex);
      if (b) return b;
      throw new ValidationError(`bad hex ${show((v as { hex: string }).hex)}`);
    }
    if (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return Uint8Array.from(v as number[]);
    throw rt.bad(v, 'bytes (Uint8Array or {hex})');
  },

  fixedBytes(w: Writer, v: unknown, n: number): void {
    if (w.pos + n > w.buf.length) w.grow(n);
    if (v === undefined) {
      w.buf.fill(0, w.pos, w.pos + n);
    } else {
      const b = rt.bytes(v);
      if (b.length > n) throw new ValidationError(`${b.length} bytes do not fit in ${n}`);
      w.buf.set(b, w.pos);
      w.buf.fill(0, w.pos + b.length, w.pos + n);
    }
    w.pos += n;
  },

  varBytes(w: Writer, v: unknown): void {
    if (v === undefined) return;
    const b = rt.bytes(v);
    if (w.pos + b.length > w.buf.length) w.grow(b.length);
    w.buf.set(b, w.pos);
    w.pos += b.length;
  },

  fixedString(w: Writer, v: unknown, n: number): void {
    if (v === undefined) v = '';
    if (typeof v !== 'string') throw rt.bad(v, 'a string');
    if (w.pos + n > w.buf.length) w.grow(n);
    // Fast path: ASCII of at most n-1 chars always fits.
    const len = v.length < n / 3 ? w.buf.write(v, w.pos, 'utf8') : Buffer.byteLength(v, 'utf8');
    if (len > n - 1) throw new ValidationError(`string of ${len} bytes is longer than ${n - 1}, the most this field holds`);
    if (v.includes('\0')) throw new ValidationError('string contains a NUL character');
    if (!v.isWellFormed()) throw new ValidationError('string is not well-formed Unicode (it has a lone surrogate)');
    if (v.length >= n / 3) w.buf.write(v, w.pos, 'utf8');
    w.buf.fill(0, w.pos + len, w.pos + n);
    w.pos += n;
  },

  varString(w: Writer, v: unknown): void {
    if (v === undefined) v = '';
    if (typeof v !== 'string') throw rt.bad(v, 'a string');
    if (!v.isWellFormed()) throw new ValidationError('string is not well-formed Unicode (it has a lone surrogate)');
    const len = Buffer.byteLength(v, 'utf8');
    if (len > INT_RANGE.u32[1]) throw new ValidationError(`string of ${len} bytes is too long for its u32 length (at most ${INT_RANGE.u32[1]})`);
    if (w.pos + 4 + len > w.buf.length) w.grow(4 + len);
    w.dv.setUint32(w.pos, len);
    w.buf.write(v, w.pos + 4, 'utf8');
    w.pos += 4 + len;
  },

  readFixedString(b: Buffer, o: number, n: number): string {
    let end = b.indexOf(0, o);
    if (end < 0 || end > o + n) end = o + n;
    return b.toString('utf8', o, end);
  },

  readVarString(r: Reader): string {
    if (r.pos + 4 > r.end) throw rt.short(r.pos, 4, r.end);
    const len = r.dv.getUint32(r.pos);
    if (r.pos + 4 + len > r.end) throw rt.short(r.pos + 4, len, r.end);
    const s = len === 0 ? '' : utf8.decode(r.buf.subarray(r.pos + 4, r.pos + 4 + len));
    r.pos += 4 + len;
    return s;
  },

  short(at: number, need: number, end: number): ShortBuffer {
    return new ShortBuffer(`needs ${need} bytes at offset ${at}, but the message ends at ${end}`);
  },

  /** For a fixed-size struct at `o` that does not fit before `end`: the error for its first field that does not. */
  shortField(o: number, end: number, fields: readonly (readonly [offset: number, size: number])[]): ShortBuffer {
    const [at, size] = fields.find(([at, size]) => o + at + size > end)!;
    return rt.short(o + at, size, end);
  },

  restCount(o: number, end: number, size: number): number {
    if (size === 0) throw new ShortBuffer('an uncounted array of variable-size elements cannot be decoded');
    const left = end - o;
    if (left < 0 || left % size !== 0) throw new ShortBuffer(`${left} bytes left is not a whole number of ${size}-byte elements`);
    return left / size;
  },

  decodeError(name: string, err: unknown): unknown {
    return err instanceof ShortBuffer ? new DecodeError(name, err.detail) : err;
  },
};

/** Element count of an array or byte value, including `{hex}`. */
function lengthOf(v: unknown): number | undefined {
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length;
  if (typeof v !== 'object' || v === null) return undefined;
  const hex = (v as { hex?: unknown }).hex;
  return typeof hex === 'string' ? hex.length >> 1 : undefined;
}

/** Longest name worth suggesting for: VPP's names are far shorter, and the cost grows with it. */
const SUGGEST_MAX = 100;

/**
 * Up to five of `names` close to `name`: containing it, contained in it, or a few edits away.
 * Bounded: a name over {@link SUGGEST_MAX} characters gets no suggestions, and the edit distance
 * is only worked out for names of about the same length.
 */
export function suggest(name: string, names: readonly string[]): string[] {
  if (name.length === 0 || name.length > SUGGEST_MAX) return [];
  const limit = Math.max(2, Math.floor(name.length / 4));
  const scored: { n: string; d: number }[] = [];
  for (const n of names) {
    const d = n.includes(name) || name.includes(n) ? 0 : Math.abs(n.length - name.length) > limit ? Infinity : distance(n, name);
    if (d <= limit) scored.push({ n, d });
  }
  scored.sort((a, b) => a.d - b.d || a.n.length - b.n.length);
  return scored.slice(0, 5).map((x) => x.n);
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
