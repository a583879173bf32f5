/**
 * Compiles a schema type into an encoder and a decoder specialised to its field list.
 *
 * Each struct, union and message gets straight-line JavaScript (built once, cached on the
 * definition) so the hot path does no schema walking. Friendly types (addresses, prefixes, MACs,
 * timestamps) have hand-written codecs in `friendly.ts`.
 *
 * @module
 */
import { type AliasDef, type EnumDef, type FieldDef, type MessageDef, type ScalarName, type StructDef, type TypeDef, INT_RANGE, SCALAR_SIZE, headerFields, headerSize, optionalFields, textForm, unwrap } from '../schema/model.js';
import { isDeepStrictEqual } from 'node:util';
import { Reader, type Writer } from './buffers.js';
import { UnsupportedDefinitionError, ValidationError } from '../errors/index.js';
import { formatIp4, formatIp6 } from './text.js';
import { friendlyCodec } from './friendly.js';
import { rt } from './runtime.js';

/** A message's header (see `headerFields`): given apart from the value when encoding, read by `readHeader`. */
export interface Header {
  _vl_msg_id?: number;
  context?: number;
  client_index?: number;
}

/** A compiled codec for one type. `enc` appends to the writer; `dec` reads at the reader's `pos`. */
export interface TypeCodec {
  enc(w: Writer, v: unknown, h?: Header): void;
  dec(r: Reader): unknown;
  /**
   * For a fixed-size type: decodes the value at `o` in `r`'s bytes, whose `size` bytes the caller
   * has checked are there, without moving `r.pos`. A struct's or array's decoder calls it in
   * place of `dec` (for a text type; a plain struct's reads are inlined), with no reader round
   * trip and no bounds check per value. `b` and `dv` are `r.buf` and `r.dv`, passed so that a
   * decoder inlined into a loop reads no field of `r` per value.
   */
  readonly decAt?: DecAt | undefined;
  /**
   * For a text type read through a cache (prefixes): `decAt`'s value when the cache holds it,
   * else undefined. It calls nothing, so an array's loop over such hits (see `decField`) has no
   * call after which V8 must check and load the buffer again.
   */
  readonly decCached?: DecAt | undefined;
  /** Wire size when it is the same for every value. */
  readonly size: number | undefined;
}

/** See {@link TypeCodec.decAt}. */
export type DecAt = (r: Reader, b: Buffer, dv: DataView, o: number) => unknown;

type Compilable = MessageDef | StructDef | AliasDef;

const cache = new WeakMap<object, TypeCodec>();

/** The codec for a message, struct, union or alias, compiled on first use. */
export function compile(def: Compilable): TypeCodec {
  let c = cache.get(def);
  if (!c) {
    c = friendlyCodec(def, compilePlain) ?? compilePlain(def);
    cache.set(def, c);
  }
  return c;
}

/** Static wire size of one value of `t`, or undefined when it varies. */
export function sizeOf(t: TypeDef): number | undefined {
  switch (t.kind) {
    case 'scalar': return SCALAR_SIZE[t.name];
    case 'enum': return SCALAR_SIZE[t.width];
    case 'string': return undefined;
    case 'alias': {
      const s = sizeOf(t.type);
      return s === undefined ? undefined : s * (t.length ?? 1);
    }
    default: return compile(t).size;
  }
}

/** Wire size of field `f` when it is the same for every value. */
export function fieldSize(f: FieldDef): number | undefined {
  if (f.type.kind === 'string') return f.length ? f.length : undefined;
  if (f.length === 0) return undefined;
  const s = sizeOf(f.type);
  return s === undefined ? undefined : s * (f.length ?? 1);
}

const DV: Record<string, string> = { u8: 'Uint8', i8: 'Int8', u16: 'Uint16', i16: 'Int16', u32: 'Uint32', i32: 'Int32' };

/** The scalar or enum behind a type, for inline code; undefined for anything compound. */
function leaf(t: TypeDef): { scalar: ScalarName; en?: EnumDef } | undefined {
  const u = unwrap(t);
  if (u.kind === 'scalar') return { scalar: u.name };
  if (u.kind === 'enum') return { scalar: u.width, en: u };
  return undefined;
}

/**
 * Emits JavaScript for one compound type. Constants reach the code as parameters `K0`, `K1`…
 * of the function that makes it: V8 then checks a called codec's identity with no array load.
 */
class Emitter {
  readonly k: unknown[] = [];
  private n = 0;
  /**
   * Set while emitting an array's loop over cache hits: a cached value that misses restores `o`
   * from `start` and leaves the loop by `label`; `used` tells whether any value went through a cache.
   */
  hits: { label: string; start: string; used: boolean } | undefined;

  /**
   * Set when the code being emitted is a fixed-size struct whose whole size is checked once at
   * its start (room in the writer, bytes in the reader): its scalar fields then skip their own.
   */
  constructor(readonly bounded = false) {}

  konst(v: unknown): string {
    let i = this.k.indexOf(v);
    if (i < 0) i = this.k.push(v) - 1;
    return `K${i}`;
  }

  tmp(): string {
    return `t${this.n++}`;
  }

  /** Code writing scalar value `x` (already validated) of type `s`. */
  writeScalar(s: ScalarName, x: string): string {
    const size = SCALAR_SIZE[s];
    const pre = this.bounded ? '' : `if (w.pos + ${size} > w.buf.length) w.grow(${size}); `;
    switch (s) {
      case 'u8': return `${pre}w.buf[w.pos] = ${x}; w.pos += 1;`;
      case 'bool': return `${pre}w.buf[w.pos] = ${x} ? 1 : 0; w.pos += 1;`;
      case 'u64': return `${pre}w.dv.setBigUint64(w.pos, ${x}); w.pos += 8;`;
      case 'i64': return `${pre}w.dv.setBigInt64(w.pos, ${x}); w.pos += 8;`;
      case 'f64': return `${pre}w.dv.setFloat64(w.pos, ${x}, true); w.pos += 8;`;
      default: return `${pre}w.dv.set${DV[s]}(w.pos, ${x}); w.pos += ${size};`;
    }
  }

  /** Code validating `x` in place for scalar `s` (or enum `en`); `x` may be reassigned. */
  check(s: ScalarName, x: string, en?: EnumDef): string {
    if (en) return `if (typeof ${x} !== 'number' || ${this.konst(enumNumbers(en))}[${x}] !== 1) ${x} = rt.enumValue(${x}, ${this.konst(en)});`;
    switch (s) {
      case 'bool': return `if (typeof ${x} !== 'boolean') throw rt.bad(${x}, 'a boolean');`;
      case 'f64': return `if (typeof ${x} !== 'number') throw rt.bad(${x}, 'a number');`;
      case 'u64': return `${x} = rt.int64(${x}, false);`;
      case 'i64': return `${x} = rt.int64(${x}, true);`;
      default: {
        const [lo, hi] = INT_RANGE[s];
        return `if (typeof ${x} !== 'number' || !(${x} >= ${lo} && ${x} <= ${hi}) || ${x} % 1 !== 0) throw rt.badInt(${x}, '${s}');`;
      }
    }
  }

  readScalar(s: ScalarName): { code: string; size: number } {
    const size = SCALAR_SIZE[s];
    switch (s) {
      case 'u8': return { code: 'b[o]', size };
      case 'bool': return { code: 'b[o] !== 0', size };
      case 'u64': return { code: 'dv.getBigUint64(o)', size };
      case 'i64': return { code: 'dv.getBigInt64(o)', size };
      case 'f64': return { code: 'dv.getFloat64(o, true)', size };
      default: return { code: `dv.get${DV[s]}(o)`, size };
    }
  }

  /** Encoder code for one (non-array) value `x` of type `t`. */
  encOne(t: TypeDef, x: string): string {
    const l = leaf(t);
    if (l) return `if (${x} === undefined) ${x} = ${this.zero(l.scalar)}; else { ${this.check(l.scalar, x, l.en)} } ${this.writeScalar(l.scalar, x)}`;
    return `${this.konst(compile(unwrap(t) as Compilable))}.enc(w, ${x});`;
  }

  zero(s: ScalarName): string {
    return s === 'bool' ? 'false' : s === 'u64' || s === 'i64' ? '0n' : '0';
  }

  /**
   * Decoder code for one (non-array) value of type `t`, assigning to `x`. `bounded`: the bytes it
   * needs were checked already (a fixed-size struct, or an array of fixed-size values). A plain
   * fixed-size struct is then read inline, so an array of them (an ACL's rules) makes no call per element.
   */
  decOne(t: TypeDef, x: string, bounded = this.bounded): string {
    const l = leaf(t);
    if (l) {
      const { code, size } = this.readScalar(l.scalar);
      return `${bounded ? '' : `if (o + ${size} > r.end) throw rt.short(o, ${size}, r.end); `}${x} = ${code}; o += ${size};`;
    }
    const u = unwrap(t) as Compilable;
    const c = compile(u);
    if (bounded && u.kind === 'struct' && textForm(u) === undefined && c.size !== undefined) {
      const { code, value } = decFields(this, u.fields, true);
      return `{ ${code} ${x} = ${value}; }`;
    }
    if (bounded && c.decCached && this.hits) {
      this.hits.used = true;
      return `${x} = ${this.konst(c.decCached)}(r, b, dv, o); if (${x} === undefined) { o = ${this.hits.start}; break ${this.hits.label}; } o += ${c.size};`;
    }
    if (bounded && c.decAt) return `${x} = ${this.konst(c.decAt)}(r, b, dv, o); o += ${c.size};`;
    return `r.pos = o; ${x} = ${this.konst(c)}.dec(r); o = r.pos;`;
  }
}

function compilePlain(def: Compilable): TypeCodec {
  if (def.kind === 'alias') return compileAlias(def);
  if (def.kind === 'union') return compileUnion(def);
  return compileStruct(def);
}

/** An alias of an array (`u8[4]` and the like): encodes like a fixed array field. */
function compileAlias(def: AliasDef): TypeCodec {
  return compileField({ name: def.name, type: def.type, ...(def.length !== undefined && { length: def.length }) }, def.name);
}

function compileStruct(def: StructDef | MessageDef): TypeCodec {
  let size: number | undefined = 0;
  for (const f of def.fields) {
    const s = fieldSize(f);
    size = s === undefined || size === undefined ? undefined : size + s;
  }
  const e = new Emitter(size !== undefined);
  // A message's header comes from `h` when encoding and is skipped when decoding (`readHeader` reads it).
  const header = def.kind === 'message' ? headerFields(def) : [];
  const fields = def.fields.slice(header.length);
  // A switch over the field names: compares interned strings, where a keyed lookup per key would be megamorphic.
  const cases = fields.map((f) => `case ${JSON.stringify(f.name)}: `).join('');
  const names = e.konst(fields.map((f) => f.name));
  const optional = optionalFields(def);
  const counted = new Map<string, FieldDef[]>();
  for (const f of fields) if (f.countField) counted.set(f.countField, [...(counted.get(f.countField) ?? []), f]);

  let enc = `if (v === undefined) v = rt.EMPTY; else if (typeof v !== 'object' || v === null || Array.isArray(v)) throw rt.bad(v, 'an object');
for (const k in v) switch (k) { ${cases && `${cases}break; `}default: if (v[k] !== undefined) throw ${header.length ? `${e.konst(new Set(header))}.has(k) ? rt.headerField(k) : ` : ''}rt.unknownField(k, ${names}); }
let f = '', x, n;${size !== undefined ? ` if (w.pos + ${size} > w.buf.length) w.grow(${size});` : ''}
try {\n`;
  header.forEach((name, i) => (enc += `f = ${JSON.stringify(name)}; x = h === undefined || h.${name} === undefined ? 0 : h.${name}; ${e.encOne(def.fields[i]!.type, 'x')}\n`));
  const counts = new Map<string, string>();
  for (const f of fields) {
    const x = 'x';
    enc += `f = ${JSON.stringify(f.name)}; ${x} = v.${safe(f.name)};`;
    if (f.default !== undefined) enc += ` if (${x} === undefined) ${x} = ${e.konst(normDefault(f))};`;
    else if (!optional.has(f.name)) enc += ` if (${x} === undefined && !rt.zeroFill) throw rt.missing();`;
    const arrays = counted.get(f.name);
    if (arrays) {
      const c = e.tmp();
      counts.set(f.name, c);
      enc += ` ${x} = rt.count(v, ${x}, ${e.konst(arrays.map((a) => a.name))}, ${e.konst(fields.find((g) => g.name === f.name))}); var ${c} = ${x};`;
    }
    enc += ` ${encField(e, f, x, f.countField ? counts.get(f.countField) : undefined)}\n`;
  }
  enc += `} catch (err) { throw rt.at(err, f); }`;

  const skip = headerSize(header);
  const { code, value } = decFields(e, fields, e.bounded);
  if (size === undefined) {
    const check = skip ? `if (o + ${skip} > r.end) throw rt.short(o, ${skip}, r.end);\no += ${skip};\n` : '';
    return build(e, enc, `let o = r.pos;\n${check}${code}\nr.pos = o; return ${value};`, size, def.name);
  }
  // Fixed size: the bytes are checked once, then read in place (`decAt`; a parent whose bytes are checked inlines the same reads).
  let at = 0;
  const spans = def.fields.map((f) => {
    const n = fieldSize(f)!;
    at += n;
    return [at - n, n] as const;
  });
  return build(e, enc, `${skip ? `o += ${skip};\n` : ''}${code}\nreturn ${value};`, size, def.name, spans);
}

/**
 * Decoder code reading `fields` from `o` into fresh locals (`code`), and the object literal made
 * of them (`value`): one literal of constant shape per struct. `bounded` as in `decOne`.
 */
function decFields(e: Emitter, fields: readonly FieldDef[], bounded: boolean): { code: string; value: string } {
  const locals = fields.map(() => e.tmp());
  const reads = fields.map((f, i) => {
    const count = f.countField ? locals[fields.findIndex((g) => g.name === f.countField)] : undefined;
    return decField(e, f, locals[i]!, count, bounded);
  });
  return {
    code: locals.length ? `let ${locals.join(', ')};\n${reads.join('\n')}` : '',
    value: `{ ${fields.map((f, i) => `${JSON.stringify(f.name)}: ${locals[i]}`).join(', ')} }`,
  };
}

/**
 * Unions: every arm decodes from the same bytes. When several arms are given (a decoded union
 * re-encoded), they are written largest first, each over the last; an arm that does not encode
 * is accepted only if it reads back from the bytes already written, so no given value is lost.
 * A `prefix` arm reads as VPP's Python client reads it (masked, or `"None"` for an invalid
 * family): inside a union it is often a view of another arm's bytes.
 */
function compileUnion(def: StructDef): TypeCodec {
  const sizes = def.fields.map((f) => fieldSize(f));
  if (sizes.some((s) => s === undefined)) throw new UnsupportedDefinitionError(`union ${def.name} has a variable-size arm`);
  const size = Math.max(0, ...(sizes as number[]));
  const arms = def.fields
    .map((f, i) => {
      const t = unwrap(f.type);
      const prefix = f.length === undefined && t.kind === 'struct' && t.name === 'prefix';
      const covered = Math.max(0, ...sizes.filter((_, j) => j !== i).map(Number));
      return { f, size: sizes[i]!, prefix, codec: prefix ? unionPrefix(compile(t), covered) : compileField(f, `${def.name}_${f.name}`) };
    })
    .sort((a, b) => b.size - a.size);
  const order = def.fields.map((f) => arms.find((a) => a.f === f)!);
  const keys = new Set(def.fields.map((f) => f.name));
  const names = def.fields.map((f) => f.name);
  return {
    size,
    enc(w: Writer, v: unknown) {
      if (v === undefined) v = rt.EMPTY;
      else if (typeof v !== 'object' || v === null || Array.isArray(v)) throw rt.bad(v, 'an object');
      const o = v as Record<string, unknown>;
      for (const k in o) if (!keys.has(k) && o[k] !== undefined) throw rt.unknownField(k, names);
      if (w.pos + size > w.buf.length) w.grow(size);
      const start = w.pos;
      w.buf.fill(0, start, start + size);
      let written = 0;
      for (const arm of arms) {
        const x = o[arm.f.name];
        if (x === undefined || (arm.prefix && x === 'None')) continue;
        const saved = written > 0 ? Buffer.from(w.buf.subarray(start, start + size)) : undefined;
        w.pos = start;
        try {
          arm.codec.enc(w, x);
        } catch (err) {
          if (!saved || !(err instanceof ValidationError)) throw rt.at(err, arm.f.name);
          w.buf.set(saved, start);
          if (!isDeepStrictEqual(arm.codec.dec(new Reader(w.buf, start, start + size)), x)) throw rt.at(err, arm.f.name);
        }
        written++;
      }
      w.pos = start + size;
    },
    dec(r: Reader) {
      const start = r.pos;
      if (start + size > r.end) throw rt.short(start, size, r.end);
      const out: Record<string, unknown> = {};
      for (const arm of order) {
        r.pos = start;
        out[arm.f.name] = arm.codec.dec(r);
      }
      r.pos = start + size;
      return out;
    },
  };
}

/** A single field compiled on its own: an alias's value, a union arm, or a field of a message view. */
export function compileField(f: FieldDef, name: string): TypeCodec {
  const e = new Emitter();
  const enc = `let x = v; ${encField(e, f, 'x', undefined)}`;
  const dec = `let o = r.pos, x; ${decField(e, f, 'x', undefined)} r.pos = o; return x;`;
  return build(e, enc, dec, fieldSize(f), name);
}

/**
 * A `prefix` seen through a union, as VPP's Python client shows it: masked text, or `"None"` when
 * the family is neither IPv4 nor IPv6. Bytes below `covered` are carried by the other arms; when
 * that view would lose a byte above it, the prefix decodes exactly instead.
 */
function unionPrefix(exact: TypeCodec, covered: number): TypeCodec {
  return {
    size: 18,
    enc: exact.enc,
    dec(r: Reader) {
      if (r.pos + 18 > r.end) throw rt.short(r.pos, 18, r.end);
      const b = r.buf;
      const at = r.pos;
      const af = b[at]!;
      const len = b[at + 17]!;
      const n = af === 0 ? 4 : af === 1 ? 16 : 0;
      const view = new Uint8Array(18); // the bytes the shown value encodes to
      let shown = 'None';
      if (n > 0 && len <= n * 8) {
        view[0] = af;
        view[17] = len;
        for (let i = 0; i < n; i++) view[1 + i] = b[at + 1 + i]! & ((0xff << (8 - Math.max(0, Math.min(8, len - i * 8)))) & 0xff);
        shown = `${af === 0 ? formatIp4(view, 1) : formatIp6(view, 1)}/${len}`;
      }
      for (let i = covered; i < 18; i++) if (view[i] !== b[at + i]) return exact.dec(r);
      r.pos += 18;
      return shown;
    },
  };
}

/** The named values of an enum as keys, for the encoders' fast check; anything else goes through `rt.enumValue`. */
function enumNumbers(en: EnumDef): Record<number, 1> {
  const valid: Record<number, 1> = {};
  for (const n of Object.values(en.values)) valid[n] = 1;
  return valid;
}

function safe(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `[${JSON.stringify(name)}]`;
}

function normDefault(f: FieldDef): unknown {
  const l = leaf(f.type);
  const d = f.default;
  if (!l) return d;
  if (l.scalar === 'bool') return d === 'true' || d === true || (typeof d === 'number' && d !== 0);
  if (l.scalar === 'u64' || l.scalar === 'i64') return BigInt(d as number);
  return d;
}

/** Encoder code for field `f` whose value is in `x`; `count` names the local holding its element count. */
function encField(e: Emitter, f: FieldDef, x: string, count: string | undefined): string {
  const t = f.type;
  if (t.kind === 'string') {
    if (f.length! > 0) return `rt.fixedString(w, ${x}, ${f.length});`;
    return `rt.varString(w, ${x});`;
  }
  if (f.length === undefined) return e.encOne(t, x);
  const l = leaf(t);
  if (l && l.scalar === 'u8' && !l.en) {
    if (f.length > 0) return `rt.fixedBytes(w, ${x}, ${f.length});`;
    return `rt.varBytes(w, ${x});`;
  }
  const el = e.tmp();
  const i = e.tmp();
  const inner = e.encOne(t, el);
  if (f.length > 0) {
    return `if (${x} === undefined) { for (let ${i} = 0; ${i} < ${f.length}; ${i}++) { let ${el}; ${inner} } }
else { if (!Array.isArray(${x}) || ${x}.length !== ${f.length}) throw rt.badLength(${x}, ${f.length});
let ${i} = 0; try { for (; ${i} < ${f.length}; ${i}++) { let ${el} = ${x}[${i}]; ${inner} } } catch (err) { throw rt.at(err, ${i}); } }`;
  }
  const limit = count ? ` if (${x}.length !== ${count}) throw rt.badLength(${x}, ${count});` : '';
  return `if (${x} !== undefined) { if (!Array.isArray(${x})) throw rt.bad(${x}, 'an array');${limit}
let ${i} = 0; try { for (; ${i} < ${x}.length; ${i}++) { let ${el} = ${x}[${i}]; ${inner} } } catch (err) { throw rt.at(err, ${i}); } }`;
}

/**
 * Decoder code for field `f`, assigning to `x`; `count` names the local holding its element count.
 * `bounded`: the field's bytes were checked already (see `decOne`).
 */
function decField(e: Emitter, f: FieldDef, x: string, count: string | undefined, bounded = e.bounded): string {
  const t = f.type;
  if (t.kind === 'string') {
    if (f.length! > 0) return `if (o + ${f.length} > r.end) throw rt.short(o, ${f.length}, r.end); ${x} = rt.readFixedString(b, o, ${f.length}); o += ${f.length};`;
    return `r.pos = o; ${x} = rt.readVarString(r); o = r.pos;`;
  }
  if (f.length === undefined) return e.decOne(t, x, bounded);
  const l = leaf(t);
  const n = f.length > 0 ? String(f.length) : count ?? `rt.restCount(o, r.end, ${sizeOf(t) ?? 0})`;
  if (l && l.scalar === 'u8' && !l.en) {
    const nn = e.tmp();
    return `const ${nn} = ${n}; if (o + ${nn} > r.end) throw rt.short(o, ${nn}, r.end); ${x} = new Uint8Array(b.subarray(o, o + ${nn})); o += ${nn};`;
  }
  const nn = e.tmp();
  const el = e.tmp();
  const i = e.tmp();
  const s = sizeOf(t);
  const guard = s !== undefined ? `if (o + ${nn} * ${s} > r.end) throw rt.short(o, ${nn} * ${s}, r.end);` : '';
  const loop = `for (; ${i} < ${nn}; ${i}++) { let ${el}; ${e.decOne(t, el, s !== undefined)} ${x}[${i}] = ${el}; }`;
  return `const ${nn} = ${n}; ${guard} ${x} = new Array(${nn}); let ${i} = 0; ${s !== undefined ? hitsLoop(e, t, x, nn, i) : ''}${loop}`;
}

/**
 * For an array of fixed-size elements holding cached text (an ACL's rules and their prefixes): a
 * loop that decodes elements while every cached value hits, and stops at the first miss, leaving
 * that element and the rest to the ordinary loop after it. With no call in it (see
 * `TypeCodec.decCached`), V8 checks the buffer and the DataView once an element instead of again
 * after each value (acl_details: 32 fewer instructions a rule). Empty when the elements hold no
 * cached text.
 */
function hitsLoop(e: Emitter, t: TypeDef, x: string, nn: string, i: string): string {
  if (e.hits) return ''; // an array inside an element: the outer loop over hits covers it
  const hits = (e.hits = { label: e.tmp(), start: e.tmp(), used: false });
  const el = e.tmp();
  const body = e.decOne(t, el, true);
  e.hits = undefined;
  return hits.used ? `${hits.label}: for (; ${i} < ${nn}; ${i}++) { const ${hits.start} = o; let ${el}; ${body} ${x}[${i}] = ${el}; }\n` : '';
}

/**
 * Builds the encoder, and the decoder from `decBody`. With `spans` (a fixed-size type's fields:
 * offset and size), `decBody` is the body of its `decAt(r, b, dv, o)`, and `dec` checks the bytes
 * once, reads in place and moves `r.pos` past them.
 */
function build(e: Emitter, encBody: string, decBody: string, size: number | undefined, name: string, spans?: readonly (readonly [number, number])[]): TypeCodec {
  const make = (fn: string): unknown => new Function('rt', ...e.k.map((_, i) => `K${i}`), `return ${fn}`)(rt, ...e.k);
  try {
    const enc = make(`function enc_${name}(w, v, h) {\n${encBody}\n}`) as TypeCodec['enc'];
    if (spans === undefined || size === undefined) {
      const dec = make(`function dec_${name}(r) {\nconst b = r.buf, dv = r.dv;\n${decBody}\n}`) as TypeCodec['dec'];
      return { enc, dec, size };
    }
    const decAt = make(`function decAt_${name}(r, b, dv, o) {\n${decBody}\n}`) as DecAt;
    const dec = (r: Reader): unknown => {
      const o = r.pos;
      if (o + size > r.end) throw rt.shortField(o, r.end, spans);
      const v = decAt(r, r.buf, r.dv, o);
      r.pos = o + size;
      return v;
    };
    return { enc, dec, decAt, size };
  } catch (err) {
    throw new UnsupportedDefinitionError(`vppkit: failed to compile the codec for ${name}`, { cause: err });
  }
}
