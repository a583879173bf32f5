/**
 * Text forms for VPP's address, prefix, MAC and timestamp types.
 *
 * Each takes its usual text (`"10.1.1.3"`, `"10.1.0.0/16"`, `"02:fe:16:3f:5f:0f"`) or its raw
 * form, and decodes to text only when the text encodes back to the same bytes. An address or
 * prefix whose bytes have no text (an unknown family, bytes after an IPv4 address, a length over
 * 32 or 128) decodes to `"0x"` and its wire bytes in hex, which encodes back byte for byte (an
 * unknown family is refused, as in the raw form): a decoded address or prefix is always a string,
 * and nothing is lost.
 *
 * @module
 */
import { type AliasDef, type MessageDef, type StructDef, textForm } from '../schema/model.js';
import { Reader, type Writer } from './buffers.js';
import type { DecAt, TypeCodec } from './compile.js';
import { ValidationError } from '../errors/index.js';
import { clip, rt } from './runtime.js';
import { cachedPrefix4, cachedPrefix6, formatIp4, formatIp6, formatMac, formatPrefix4, formatPrefix6, formatTimestamp, fromHex, parseIp4, parseIp6, parseMac, parseTimestamp, toHex } from './text.js';

type Plain = (def: MessageDef | StructDef | AliasDef) => TypeCodec;

/** The text-form codec for `def` (see `textForm`), or undefined when it has none. */
export function friendlyCodec(def: MessageDef | StructDef | AliasDef, plain: Plain): TypeCodec | undefined {
  switch (def.kind === 'message' ? undefined : textForm(def)) {
    case undefined: return undefined;
    case 'timestamp': return timestamp();
    case 'mac_address': return fixedText(6, parseMac, formatMac, 'a MAC address like "02:fe:16:3f:5f:0f"');
    case 'ip4_address': return fixedText(4, parseIp4, formatIp4, 'an IPv4 address like "10.1.1.3"');
    case 'ip6_address': return fixedText(16, parseIp6, formatIp6, 'an IPv6 address like "2001:db8::1"');
    case 'address': return address(plain(def));
    case 'prefix': return prefix(plain(def), 'address');
    case 'ip4_prefix': return prefix(plain(def), 'ip4_prefix');
    case 'ip6_prefix': return prefix(plain(def), 'ip6_prefix');
  }
}

/** `dec` and `decAt` of a fixed-size codec, from `decAt` (see {@link TypeCodec.decAt}). */
function decoders(size: number, decAt: DecAt): Pick<TypeCodec, 'dec' | 'decAt'> {
  return {
    decAt,
    dec(r: Reader) {
      const at = r.pos;
      if (at + size > r.end) throw rt.short(at, size, r.end);
      r.pos = at + size;
      return decAt(r, r.buf, r.dv, at);
    },
  };
}

function fixedText(n: number, parse: (s: string, b: Uint8Array, at: number) => boolean, format: (b: Uint8Array, at: number) => string, what: string): TypeCodec {
  return {
    size: n,
    enc(w: Writer, v: unknown) {
      if (w.pos + n > w.buf.length) w.grow(n);
      if (typeof v === 'string') {
        if (!parse(v, w.buf, w.pos)) throw new ValidationError(`expected ${what}, got ${JSON.stringify(v)}`);
        w.pos += n;
        return;
      }
      if (v !== undefined && rt.bytes(v).length !== n) throw new ValidationError(`expected ${what} or ${n} bytes, got ${rt.bytes(v).length} bytes`);
      rt.fixedBytes(w, v, n);
    },
    ...decoders(n, (_r, b, _dv, at) => format(b, at)),
  };
}

const PREFIX_EXAMPLE = { address: '"10.1.0.0/16" or "2001:db8::/32"', ip4_prefix: '"10.1.0.0/16"', ip6_prefix: '"2001:db8::/32"' } as const;

function badPrefix(kind: keyof typeof PREFIX_EXAMPLE, v: string): ValidationError {
  return new ValidationError(`expected a prefix like ${PREFIX_EXAMPLE[kind]}, got ${JSON.stringify(v)}`);
}

/** The decimal prefix length at `s[from..]` (1-3 digits), or -1. */
function prefixLength(s: string, from: number): number {
  const n = s.length - from;
  if (n < 1 || n > 3) return -1;
  let v = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Zeroes a short range; cheaper than `Buffer.fill` for a few bytes. */
function zero(b: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) b[i] = 0;
}

/** Whether the 12 bytes at `at` (an IPv4 address's unused tail in an `address`) are all zero: three word reads. */
function tailIsZero(dv: DataView, at: number): boolean {
  return (dv.getInt32(at) | dv.getInt32(at + 4) | dv.getInt32(at + 8)) === 0;
}

/** Bytes with no text form as a string: `"0x"` and `b[at..at+n)` in hex. */
function hexForm(b: Uint8Array, at: number, n: number): string {
  return `0x${toHex(b.subarray(at, at + n))}`;
}

/**
 * Writes `v`, `"0x"` and `raw`'s bytes in hex (as {@link hexForm} gives them), to `w`. They go
 * through the raw form, so they are checked as it is: an unknown address family is refused.
 */
function writeHexForm(w: Writer, v: string, raw: TypeCodec, what: string): void {
  const b = fromHex(v.slice(2));
  if (!b || b.length !== raw.size) throw new ValidationError(`expected ${what}, or "0x" and its ${raw.size} bytes in hex, got ${JSON.stringify(clip(v))}`);
  raw.enc(w, raw.dec(new Reader(b)));
}

const isHexForm = (v: string): boolean => v.charCodeAt(0) === 48 && v.charCodeAt(1) === 120; // "0x"

/** `address`: `af` (u8) then a 16-byte union. Text when af is 0 or 1 and no stray bytes follow an IPv4 address. */
function address(raw: TypeCodec): TypeCodec {
  return {
    size: 17,
    enc(w: Writer, v: unknown) {
      if (typeof v !== 'string') return raw.enc(w, v);
      if (isHexForm(v)) return writeHexForm(w, v, raw, 'an IP address like "10.1.1.3"');
      if (w.pos + 17 > w.buf.length) w.grow(17);
      const b = w.buf;
      const at = w.pos;
      zero(b, at, at + 17);
      if (v.includes(':')) {
        b[at] = 1;
        if (!parseIp6(v, b, at + 1)) throw new ValidationError(`expected an IPv6 address like "2001:db8::1", got ${JSON.stringify(v)}`);
      } else if (!parseIp4(v, b, at + 1)) {
        throw new ValidationError(`expected an IP address like "10.1.1.3" or "2001:db8::1", got ${JSON.stringify(v)}`);
      }
      w.pos += 17;
    },
    ...decoders(17, (_r, b, dv, at) => {
      if (b[at] === 1) return formatIp6(b, at + 1);
      return b[at] === 0 && tailIsZero(dv, at + 5) ? formatIp4(b, at + 1) : hexForm(b, at, 17);
    }),
  };
}

/**
 * Prefix text already parsed and found valid, each in a slot of `parsedWords`: the address as four
 * big-endian 32-bit words (IPv4 in the first), the length, then 1 for IPv6. ACL rules repeat
 * prefixes, and a lookup plus four word writes cost less than parsing. Cleared when full.
 */
const parsed = new Map<string, number>();
const PARSED_SLOTS = 4096;
const parsedWords = new Int32Array(PARSED_SLOTS * 6);

function rememberPrefix(text: string, b: Uint8Array, at: number, v6: boolean, len: number): void {
  if (parsed.size >= PARSED_SLOTS) parsed.clear();
  const slot = parsed.size;
  const k = slot * 6;
  for (let i = 0; i < 4; i++) {
    const j = at + 4 * i;
    parsedWords[k + i] = i === 0 || v6 ? (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]! : 0;
  }
  parsedWords[k + 4] = len;
  parsedWords[k + 5] = v6 ? 1 : 0;
  parsed.set(text, slot);
}

/**
 * `prefix` (`address` + `len`) and `ip4_prefix`/`ip6_prefix` (bare address + `len`). The text keeps
 * host bits as given ("10.1.1.3/24"), because VPP stores and returns them.
 */
function prefix(raw: TypeCodec, kind: 'address' | 'ip4_prefix' | 'ip6_prefix'): TypeCodec {
  const addrSize = kind === 'address' ? 17 : kind === 'ip4_prefix' ? 4 : 16;
  const size = addrSize + 1;
  return {
    size,
    enc(w: Writer, v: unknown) {
      if (typeof v !== 'string') return raw.enc(w, v);
      const slot = parsed.get(v);
      if (slot !== undefined) {
        const k = slot * 6;
        const v6 = parsedWords[k + 5] === 1;
        // Text valid for another kind falls through to the parser, which says what is wrong.
        if (kind === 'address' || v6 === (kind === 'ip6_prefix')) {
          if (w.pos + size > w.buf.length) w.grow(size);
          const dv = w.dv;
          const at = w.pos;
          let a = at;
          if (kind === 'address') w.buf[a++] = v6 ? 1 : 0;
          dv.setInt32(a, parsedWords[k]!);
          if (kind !== 'ip4_prefix') {
            dv.setInt32(a + 4, parsedWords[k + 1]!);
            dv.setInt32(a + 8, parsedWords[k + 2]!);
            dv.setInt32(a + 12, parsedWords[k + 3]!);
          }
          w.buf[at + addrSize] = parsedWords[k + 4]!;
          w.pos += size;
          return;
        }
      }
      if (isHexForm(v)) return writeHexForm(w, v, raw, `a prefix like ${PREFIX_EXAMPLE[kind]}`);
      const slash = v.indexOf('/');
      const len = slash > 0 ? prefixLength(v, slash + 1) : -1;
      if (len < 0) throw badPrefix(kind, v);
      if (w.pos + size > w.buf.length) w.grow(size);
      const b = w.buf;
      const at = w.pos;
      zero(b, at, at + size);
      const v6 = v.lastIndexOf(':', slash) >= 0;
      const text = v6 ? v.slice(0, slash) : '';
      const ok = kind === 'address'
        ? (v6 ? ((b[at] = 1), parseIp6(text, b, at + 1)) : parseIp4(v, b, at + 1, 0, slash))
        : kind === 'ip4_prefix' ? !v6 && parseIp4(v, b, at, 0, slash) : v6 && parseIp6(text, b, at);
      if (!ok) throw badPrefix(kind, v);
      const max = v6 ? 128 : 32;
      if (len > max) throw new ValidationError(`prefix length ${len} is out of range for ${v6 ? 'IPv6' : 'IPv4'} (0..${max})`);
      b[at + addrSize] = len;
      rememberPrefix(v, b, kind === 'address' ? at + 1 : at, v6, len);
      w.pos += size;
    },
    ...decoders(size, prefixText(kind, formatPrefix4, formatPrefix6, hexForm)),
    decCached: prefixText(kind, cachedPrefix4, cachedPrefix6, () => undefined),
  };
}

/**
 * A prefix's decoder, one per kind so that each is straight-line code, ending in `v4`, `v6` or
 * `other` (no text form): the text (`formatPrefix4`…) for `decAt`, or the cached text or
 * undefined for `decCached`. Words are read little-endian (no byte swap): they are only the
 * cache's key (see `formatPrefix4`).
 */
function prefixText<T>(
  kind: 'address' | 'ip4_prefix' | 'ip6_prefix',
  v4: (b: Uint8Array, at: number, len: number, w0: number) => T,
  v6: (b: Uint8Array, at: number, len: number, w0: number, w1: number, w2: number, w3: number) => T,
  other: (b: Uint8Array, at: number, n: number) => T,
): (r: Reader, b: Buffer, dv: DataView, at: number) => T {
  switch (kind) {
    case 'ip4_prefix': return (_r, b, dv, at) => {
      const len = b[at + 4]!;
      return len <= 32 ? v4(b, at, len, dv.getInt32(at, true)) : other(b, at, 5);
    };
    case 'ip6_prefix': return (_r, b, dv, at) => {
      const len = b[at + 16]!;
      return len <= 128 ? v6(b, at, len, dv.getInt32(at, true), dv.getInt32(at + 4, true), dv.getInt32(at + 8, true), dv.getInt32(at + 12, true)) : other(b, at, 17);
    };
    case 'address': return (_r, b, dv, at) => {
      const af = b[at]!;
      const len = b[at + 17]!;
      const w0 = dv.getInt32(at + 1, true);
      const w1 = dv.getInt32(at + 5, true);
      const w2 = dv.getInt32(at + 9, true);
      const w3 = dv.getInt32(at + 13, true);
      // IPv4: the 12 bytes after its four are the union's unused tail, and must be zero to have text.
      if (af === 0 && len <= 32 && (w1 | w2 | w3) === 0) return v4(b, at + 1, len, w0);
      if (af === 1 && len <= 128) return v6(b, at + 1, len, w0, w1, w2, w3);
      return other(b, at, 18);
    };
  }
}

/** `timestamp` (f64 seconds since the epoch): UTC text, as VPP's Python client prints it. */
function timestamp(): TypeCodec {
  return {
    size: 8,
    enc(w: Writer, v: unknown) {
      let secs = v === undefined ? 0 : v;
      if (typeof secs === 'string') {
        const p = parseTimestamp(secs);
        if (p === undefined) throw new ValidationError(`expected a timestamp like "2026-06-01 12:00:00.000001" (UTC) or seconds, got ${JSON.stringify(v)}`);
        secs = p;
      }
      if (typeof secs !== 'number') throw rt.bad(v, 'a timestamp (text or seconds)');
      if (w.pos + 8 > w.buf.length) w.grow(8);
      w.dv.setFloat64(w.pos, secs, true);
      w.pos += 8;
    },
    ...decoders(8, (_r, _b, dv, at) => {
      const secs = dv.getFloat64(at, true);
      return formatTimestamp(secs) ?? secs;
    }),
  };
}
