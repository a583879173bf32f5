/**
 * fast-check arbitraries built from the schema: a random valid value for any message, and a way
 * to break one leaf of it.
 */
import fc from 'fast-check';
import { formatIp4, formatIp6, formatMac, formatTimestamp } from '../../src/codec/text.js';
import { type EnumDef, type FieldDef, type MessageDef, type ScalarName, type StructDef, type TextForm, type TypeDef, INT_RANGE, headerFields, textForm, unwrap } from '../../src/schema/index.js';

const MAX_ARRAY = 4;

function scalar(s: ScalarName): fc.Arbitrary<unknown> {
  switch (s) {
    case 'bool': return fc.boolean();
    case 'f64': return fc.double({ noNaN: true });
    case 'u64': return fc.bigInt(0n, 0xffffffffffffffffn);
    case 'i64': return fc.bigInt(-0x8000000000000000n, 0x7fffffffffffffffn);
    default: return fc.integer({ min: INT_RANGE[s][0], max: INT_RANGE[s][1] });
  }
}

function enumArb(e: EnumDef): fc.Arbitrary<number> {
  const values = [...new Set(Object.values(e.values))];
  if (!e.flags) return fc.constantFrom(...values);
  return fc.subarray(values).map((vs) => vs.reduce((a, b) => a | b, 0) >>> 0);
}

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const ip4 = bytes(4).map((b) => formatIp4(b, 0));
const ip6 = bytes(16).map((b) => formatIp6(b, 0));

function friendly(form: TextForm): fc.Arbitrary<unknown> {
  switch (form) {
    case 'ip4_address': return ip4;
    case 'ip6_address': return ip6;
    case 'mac_address': return bytes(6).map((b) => formatMac(b, 0));
    case 'address': return fc.oneof(ip4, ip6);
    case 'ip4_prefix': return fc.tuple(ip4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`);
    case 'ip6_prefix': return fc.tuple(ip6, fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`);
    case 'prefix':
      return fc.oneof(
        fc.tuple(ip4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`),
        fc.tuple(ip6, fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`),
      );
    case 'timestamp': return fc.integer({ min: 0, max: 4_000_000_000 }).map((s) => formatTimestamp(s + 0.5)!);
  }
}

/** A string of at most `maxBytes` UTF-8 bytes, without NUL. */
function text(maxBytes: number): fc.Arbitrary<string> {
  return fc.string({ unit: 'grapheme', maxLength: maxBytes }).map((s) => {
    const chars = Array.from(s.replace(/\0/g, ''));
    while (Buffer.byteLength(chars.join('')) > maxBytes) chars.pop();
    return chars.join('');
  });
}

function one(t: TypeDef): fc.Arbitrary<unknown> {
  const u = unwrap(t);
  if (u.kind === 'scalar') return scalar(u.name);
  if (u.kind === 'enum') return enumArb(u);
  if (u.kind === 'string') throw new Error('string without length');
  const form = textForm(u);
  if (form) return friendly(form);
  if (u.kind === 'alias') return field({ name: u.name, type: u.type, ...(u.length !== undefined && { length: u.length }) });
  if (u.kind === 'union') return fc.oneof(...u.fields.map((f) => field(f).map((v) => ({ [f.name]: v }))));
  return struct(u);
}

function field(f: FieldDef): fc.Arbitrary<unknown> {
  const t = unwrap(f.type);
  if (t.kind === 'string') return f.length ? text(f.length - 1) : text(64);
  if (f.length === undefined) return one(t);
  if (t.kind === 'scalar' && t.name === 'u8') return fc.uint8Array({ minLength: f.length || 0, maxLength: f.length || 16 });
  if (f.length > 0) return fc.array(one(t), { minLength: f.length, maxLength: f.length });
  return fc.array(one(t), { maxLength: MAX_ARRAY });
}

/** A valid value for a struct or message, without a message's header (not part of values) or count fields (left to the codec). */
export function struct(def: StructDef | MessageDef): fc.Arbitrary<Record<string, unknown>> {
  const counts = new Set(def.fields.flatMap((f) => (f.countField ? [f.countField] : [])));
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of def.kind === 'message' ? def.fields.slice(headerFields(def).length) : def.fields) {
    if (counts.has(f.name)) continue;
    shape[f.name] = field(f);
  }
  return fc.record(shape);
}

/** A leaf of a value that can be broken, how to break it, and the error path it must report. */
export interface Breakable {
  /** Where to put the bad value. */
  path: (string | number)[];
  bad: unknown;
  rule: RegExp;
  /** The field path the error must name (an unknown field is reported at its parent). */
  errorPath: (string | number)[];
}

/** Every leaf of `value` (of type `def`) with an invalid replacement and the error it must cause. */
export function breakables(def: StructDef | MessageDef, value: Record<string, unknown>, path: (string | number)[] = []): Breakable[] {
  const out: Breakable[] = [{ path: [...path, 'no_such_field'], bad: 1, rule: /unknown field "no_such_field"/, errorPath: path }];
  for (const f of def.fields) {
    if (!(f.name in value)) continue;
    out.push(...fieldBreakables(f, value[f.name], [...path, f.name]));
  }
  return out;
}

function fieldBreakables(f: FieldDef, v: unknown, path: (string | number)[]): Breakable[] {
  const t = unwrap(f.type);
  if (t.kind === 'string') {
    if (!f.length) return [{ path, bad: 42, rule: /expected a string/, errorPath: path }];
    return [{ path, bad: 'x'.repeat(f.length), rule: new RegExp(`longer than ${f.length - 1}`), errorPath: path }];
  }
  if (f.length === undefined) return oneBreakables(t, v, path);
  if (t.kind === 'scalar' && t.name === 'u8') {
    return f.length > 0 ? [{ path, bad: new Uint8Array(f.length + 1), rule: new RegExp(`do not fit in ${f.length}`), errorPath: path }] : [{ path, bad: 'zz', rule: /expected bytes/, errorPath: path }];
  }
  const arr = v as unknown[];
  const out: Breakable[] = [];
  if (f.length > 0) out.push({ path, bad: [...arr, arr[0]], rule: new RegExp(`expected ${f.length} elements, got ${f.length + 1}`), errorPath: path });
  arr.forEach((el, i) => out.push(...oneBreakables(t, el, [...path, i])));
  return out;
}

function oneBreakables(t: TypeDef, v: unknown, path: (string | number)[]): Breakable[] {
  if (t.kind === 'scalar') {
    if (t.name === 'bool') return [{ path, bad: 'yes', rule: /expected a boolean/, errorPath: path }];
    if (t.name === 'f64') return [{ path, bad: '1.5', rule: /expected a number/, errorPath: path }];
    if (t.name === 'u64' || t.name === 'i64') return [{ path, bad: 2n ** 64n, rule: /out of range/, errorPath: path }];
    const [, hi] = INT_RANGE[t.name];
    return [
      { path, bad: hi + 1, rule: new RegExp(`out of range for ${t.name}`), errorPath: path },
      { path, bad: 1.5, rule: /not an integer/, errorPath: path },
    ];
  }
  if (t.kind === 'enum') return [{ path, bad: 0x7fffffff, rule: new RegExp(`not a valid ${t.name}`), errorPath: path }];
  if (t.kind === 'string') return [];
  const form = textForm(t);
  if (form) {
    if (form === 'timestamp') return [{ path, bad: 'yesterday', rule: /expected a timestamp/, errorPath: path }];
    if (form.endsWith('prefix')) return [{ path, bad: form === 'ip6_prefix' ? '::/129' : '10.0.0.0/33', rule: /out of range|expected a prefix/, errorPath: path }];
    return [{ path, bad: '300.1.2.3', rule: /expected an? (IPv4|IP|IPv6|MAC)/, errorPath: path }];
  }
  if (t.kind === 'alias') return fieldBreakables({ name: t.name, type: t.type, ...(t.length !== undefined && { length: t.length }) }, v, path);
  if (t.kind === 'union') {
    const [arm] = Object.keys(v as object);
    const f = t.fields.find((x) => x.name === arm)!;
    return fieldBreakables(f, (v as Record<string, unknown>)[arm!], [...path, arm!]);
  }
  return breakables(t, v as Record<string, unknown>, path);
}

/** A deep copy of `value` with the leaf at `path` replaced. */
export function replaceAt(value: unknown, path: readonly (string | number)[], bad: unknown): unknown {
  if (path.length === 0) return bad;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((x, i) => (i === head ? replaceAt(x, rest, bad) : x));
  const obj = { ...(value as Record<string, unknown>) };
  obj[head as string] = replaceAt(obj[head as string], rest, bad);
  return obj;
}
