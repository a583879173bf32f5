/**
 * Text forms of addresses, MACs and timestamps, as VPP's Python client prints them.
 * Parsers return `undefined` on bad input; the codec turns that into a ValidationError.
 *
 * @module
 */

/** Parses dotted-quad IPv4 in `s[from..to)` into `out[at..at+4]`. A hot path: no regex, no allocation. */
export function parseIp4(s: string, out: Uint8Array, at: number, from = 0, to = s.length): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else if (c === 46 && digits > 0 && part < 3) {
      out[at + part++] = value;
      value = 0;
      digits = 0;
    } else return false;
  }
  if (part !== 3 || digits === 0) return false;
  out[at + 3] = value;
  return true;
}

export function formatIp4(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/**
 * Prefix text (`"10.1.0.0/16"`) for the IPv4 address at `at` in `b` and length `len`, through a
 * small direct-mapped cache: ACL rules repeat prefixes, and a lookup costs a fraction of
 * formatting. The key is the address as one 32-bit word `w0` in either byte order (the caller
 * has read it), so no byte is read twice. The text is the same with or without the cache.
 */
export function formatPrefix4(b: Uint8Array, at: number, len: number, w0: number): string {
  return cachedPrefix4(b, at, len, w0) ?? cachePrefix(b, at, false, len, w0, 0, 0, 0);
}

/** {@link formatPrefix4} for an IPv6 address (16 bytes at `at`, read by the caller as words `w0`-`w3`). */
export function formatPrefix6(b: Uint8Array, at: number, len: number, w0: number, w1: number, w2: number, w3: number): string {
  return cachedPrefix6(b, at, len, w0, w1, w2, w3) ?? cachePrefix(b, at, true, len, w0, w1, w2, w3);
}

/**
 * The text {@link formatPrefix4} gives, when the cache holds it; else undefined. It calls
 * nothing, so a decoder's loop over hits has no call that V8 must assume changes its buffers.
 * It takes `formatPrefix4`'s arguments, so that a decoder can be given either.
 */
export function cachedPrefix4(_b: Uint8Array, _at: number, len: number, w0: number): string | undefined {
  const slot = slot4(len, w0);
  const k = slot * 5;
  return prefixKeys[k] === (0x10000 | len) && prefixKeys[k + 1] === w0 ? prefixTexts[slot] : undefined;
}

/** {@link cachedPrefix4} for an IPv6 prefix. */
export function cachedPrefix6(_b: Uint8Array, _at: number, len: number, w0: number, w1: number, w2: number, w3: number): string | undefined {
  const slot = slot6(len, w0, w1, w2, w3);
  const k = slot * 5;
  if (prefixKeys[k] === (0x20000 | len) && prefixKeys[k + 1] === w0 && prefixKeys[k + 2] === w1 && prefixKeys[k + 3] === w2 && prefixKeys[k + 4] === w3) return prefixTexts[slot];
  return undefined;
}

function slot4(len: number, w0: number): number {
  return Math.imul(w0 ^ (len << 26), 0x9e3779b1) >>> (32 - PREFIX_SLOT_BITS);
}

function slot6(len: number, w0: number, w1: number, w2: number, w3: number): number {
  return Math.imul(w0 ^ Math.imul(w1 ^ w2 ^ w3, 0x85ebca6b) ^ (len << 26), 0x9e3779b1) >>> (32 - PREFIX_SLOT_BITS);
}

/**
 * A cache miss: formats the text and keeps it in its slot. Apart from the lookups so that they
 * stay small enough for V8 to inline at each of a rule's two prefixes.
 */
function cachePrefix(b: Uint8Array, at: number, v6: boolean, len: number, w0: number, w1: number, w2: number, w3: number): string {
  const text = `${v6 ? formatIp6(b, at) : formatIp4(b, at)}/${len}`;
  const slot = v6 ? slot6(len, w0, w1, w2, w3) : slot4(len, w0);
  const k = slot * 5;
  prefixKeys[k] = (v6 ? 0x20000 : 0x10000) | len;
  prefixKeys[k + 1] = w0;
  prefixKeys[k + 2] = w1;
  prefixKeys[k + 3] = w2;
  prefixKeys[k + 4] = w3;
  prefixTexts[slot] = text;
  return text;
}

const PREFIX_SLOT_BITS = 12;
/** Per slot: family tag | length (0 = empty), then the address as four 32-bit words. */
const prefixKeys = new Int32Array(5 << PREFIX_SLOT_BITS);
const prefixTexts: string[] = new Array<string>(1 << PREFIX_SLOT_BITS).fill('');

/** Parses IPv6 text (RFC 4291, with `::` and an optional dotted IPv4 tail) into 16 bytes. */
export function parseIp6(s: string, out: Uint8Array, at: number): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return false;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!parseIp4(g, v4, 0)) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return false;
  if (dbl >= 0 ? h.length + t.length > 7 : h.length !== 8) return false;
  if (dbl >= 0 && head.includes('.')) return false;
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  for (let i = 0; i < 8; i++) {
    out[at + 2 * i] = all[i]! >> 8;
    out[at + 2 * i + 1] = all[i]! & 0xff;
  }
  return true;
}

/** RFC 5952 text: lowercase, the longest run of two or more zero groups as `::`. */
export function formatIp6(b: Uint8Array, at: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated) into 6 bytes. */
export function parseMac(s: string, out: Uint8Array, at: number): boolean {
  const parts = s.split(/[:-]/);
  if (parts.length !== 6) return false;
  for (let i = 0; i < 6; i++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(parts[i]!)) return false;
    out[at + i] = parseInt(parts[i]!, 16);
  }
  return true;
}

export function formatMac(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[at + i]!.toString(16).padStart(2, '0');
  return s;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, from seconds since the epoch; `undefined` when that loses precision. */
export function formatTimestamp(seconds: number): string | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const us = Math.round(seconds * 1e6);
  if (!Number.isSafeInteger(us) || us / 1e6 !== seconds) return undefined;
  const sec = Math.floor(us / 1e6);
  const frac = us - sec * 1e6;
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) return undefined;
  const base = d.toISOString().slice(0, 19).replace('T', ' ');
  return frac ? `${base}.${String(frac).padStart(6, '0')}` : base;
}

/** Inverse of {@link formatTimestamp}. */
export function parseTimestamp(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z)?$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  if (Number.isNaN(ms)) return undefined;
  const us = ms * 1000 + (m[3] ? Number(m[3].padEnd(6, '0')) : 0);
  return us / 1e6;
}

const HEX = /^([0-9a-fA-F]{2})*$/;

/** Bytes from hex text; `undefined` when it is not hex. */
export function fromHex(s: string): Uint8Array | undefined {
  if (!HEX.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
