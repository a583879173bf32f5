/**
 * Converts decoded VPP values to and from the plain objects protobufjs's `Type.fromObject` takes
 * and `Type.toObject` returns, for the schemas `generateProto` writes. VPP bytes → decodeRaw →
 * {@link toProtoObject} → protobuf → {@link fromProtoObject} → encodeRaw gives the same bytes (the header included).
 *
 * Load the `.proto` files with `keepCase: true` (field names are VPP's). `toObject` may use any
 * `longs` and `bytes` option; enums must stay numbers (the default).
 *
 * @module
 */
import { Reader, Writer } from '../codec/buffers.js';
import { compile, sizeOf, type TypeCodec } from '../codec/compile.js';
import { UnsupportedDefinitionError, ValidationError } from '../errors/index.js';
import { parseTimestamp, toHex } from '../codec/text.js';
import type { EnumDef, FieldDef, MessageDef, StructDef } from '../schema/model.js';
import { ARM_ARRAY_FIELD, type ProtoField, type ProtoShape, protoField } from './mapping.js';

type Obj = Record<string, unknown>;

/**
 * The protobufjs plain object for a decoded VPP value of message or type `def`: 64-bit integers
 * as decimal strings, friendly text kept, timestamps as seconds, unions as their one oneof arm.
 * @throws Error when a union's bytes need more than one arm (a oneof holds one).
 */
export function toProtoObject(def: MessageDef | StructDef, value: unknown): Obj {
  return def.kind === 'union' ? unionTo(def, asObj(value), undefined) : structTo(def, asObj(value));
}

/**
 * The VPP value (as `encode` takes it) for a protobufjs plain object of message or type `def`.
 * Scalars protobuf left out stay out, except those with a VPP default: they get an explicit zero,
 * because protobuf cannot tell "zero" from "left out". Encode the result with `{ zeroFill: true }`:
 * to protobuf, a field left out is zero.
 */
export function fromProtoObject(def: MessageDef | StructDef, object: unknown): Obj {
  return def.kind === 'union' ? unionFrom(def, asObj(object)) : structFrom(def, asObj(object));
}

function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null ? (v as Obj) : {};
}

function structTo(def: MessageDef | StructDef, v: Obj): Obj {
  const out: Obj = {};
  for (const f of def.fields) {
    const x = v[f.name];
    if (x === undefined) continue;
    const pf = protoField(f);
    if (f.discriminator !== undefined && pf.shape.kind === 'message') {
      const tag = def.fields.find((g) => g.name === f.discriminator)!;
      out[f.name] = unionTo(pf.shape.def, asObj(x), discriminatedArm(pf.shape.def, tag.type as EnumDef, v[tag.name]));
    } else out[f.name] = fieldTo(pf, x);
  }
  return out;
}

function fieldTo(pf: ProtoField, x: unknown): unknown {
  return pf.repeated ? (x as unknown[]).map((e) => valueTo(pf.shape, e)) : valueTo(pf.shape, x);
}

function valueTo(shape: ProtoShape, x: unknown): unknown {
  switch (shape.kind) {
    case 'scalar': return shape.proto === 'uint64' || shape.proto === 'int64' ? String(x) : x;
    case 'enum':
    case 'bits': return x;
    // A raw form given in a value reads back as the codec decodes it: text, or "0x" and hex.
    case 'text': return typeof x === 'string' ? x : compile(shape.def).dec(new Reader(encodeWith(compile(shape.def), x)));
    case 'timestamp': {
      if (typeof x !== 'string') return x;
      const secs = parseTimestamp(x);
      if (secs === undefined) throw new ValidationError(`expected a timestamp, got ${JSON.stringify(x)}`);
      return secs;
    }
    case 'message': return shape.def.kind === 'union' ? unionTo(shape.def, asObj(x), undefined) : structTo(shape.def, asObj(x));
  }
}

/**
 * A union as its oneof: the one arm given, or for a decoded union (every arm read from the same
 * bytes) the arm that alone encodes to those bytes: the discriminator's arm if it does; none if
 * the bytes are all zero; else the smallest arm that does.
 */
function unionTo(def: StructDef, v: Obj, preferred: FieldDef | undefined): Obj {
  const given = def.fields.filter((f) => v[f.name] !== undefined);
  const picked = given.length === 1 ? { arm: given[0]!, value: v[given[0]!.name] } : pickArm(def, v, preferred);
  if (!picked) return {};
  const pf = protoField(picked.arm);
  const x = fieldTo(pf, picked.value);
  return { [picked.arm.name]: pf.repeated ? { [ARM_ARRAY_FIELD]: x } : x };
}

function pickArm(def: StructDef, v: Obj, preferred: FieldDef | undefined): { arm: FieldDef; value: unknown } | undefined {
  const codec = compile(def);
  const want = encodeWith(codec, v);
  const carrying = (arm: FieldDef): { arm: FieldDef; value: unknown } | undefined => {
    // A text arm is read again on its own: a union shows a prefix arm as a masked view.
    const pf = protoField(arm);
    const value = pf.shape.kind === 'text' && !pf.repeated ? compile(pf.shape.def).dec(new Reader(want)) : v[arm.name];
    try {
      return Buffer.compare(encodeWith(codec, { [arm.name]: value }), want) === 0 ? { arm, value } : undefined;
    } catch (err) {
      if (err instanceof ValidationError) return undefined;
      throw err;
    }
  };
  const first = preferred && carrying(preferred);
  if (first) return first;
  if (want.every((b) => b === 0)) return undefined;
  for (const arm of [...def.fields].sort((a, b) => armSize(a) - armSize(b))) {
    const found = arm !== preferred && carrying(arm);
    if (found) return found;
  }
  throw new UnsupportedDefinitionError(`vppkit: no single arm of union ${def.name} encodes to its bytes ${toHex(want)}, so a protobuf oneof cannot carry them`);
}

function armSize(f: FieldDef): number {
  return f.type.kind === 'string' ? f.length! : (sizeOf(f.type) ?? 0) * (f.length || 1);
}

/**
 * The arm a discriminator value selects: the arm whose `case` names the value, else the arm whose
 * name ends the value's name (`FLOW_TYPE_IP4_N_TUPLE_V2` → `ip4_n_tuple`), longest first. Only a
 * preference: {@link pickArm} still checks the bytes.
 */
function discriminatedArm(def: StructDef, en: EnumDef, value: unknown): FieldDef | undefined {
  const name = Object.keys(en.values).find((k) => en.values[k] === value);
  if (name === undefined) return undefined;
  const byCase = def.fields.find((f) => f.case === name);
  if (byCase) return byCase;
  const bare = name.toLowerCase().replace(/_v\d+$/, '');
  return def.fields
    .filter((f) => bare === f.name || bare.endsWith(`_${f.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

function encodeWith(codec: TypeCodec, v: unknown): Uint8Array {
  const w = new Writer(64);
  codec.enc(w, v);
  return w.take();
}

function structFrom(def: MessageDef | StructDef, o: Obj): Obj {
  const out: Obj = {};
  for (const f of def.fields) {
    const x = o[f.name];
    const pf = protoField(f);
    if (x !== undefined && x !== null) out[f.name] = fieldFrom(pf, x);
    // protobuf reads an unset message as its zero value, so its defaulted fields must be zero too.
    else if (!pf.repeated && pf.shape.kind === 'message') out[f.name] = valueFrom(pf.shape, {});
    else if (!pf.repeated && f.default !== undefined) out[f.name] = zero(pf.shape);
  }
  return out;
}

function unionFrom(def: StructDef, o: Obj): Obj {
  const arm = def.fields.find((f) => o[f.name] !== undefined && o[f.name] !== null);
  if (!arm) return {};
  const pf = protoField(arm);
  const x = pf.repeated ? asObj(o[arm.name])[ARM_ARRAY_FIELD] ?? [] : o[arm.name];
  return { [arm.name]: fieldFrom(pf, x) };
}

function fieldFrom(pf: ProtoField, x: unknown): unknown {
  return pf.repeated ? (x as unknown[]).map((e) => valueFrom(pf.shape, e)) : valueFrom(pf.shape, x);
}

function valueFrom(shape: ProtoShape, x: unknown): unknown {
  switch (shape.kind) {
    case 'scalar':
      switch (shape.proto) {
        case 'uint64': return toBigInt(x, false);
        case 'int64': return toBigInt(x, true);
        case 'bytes': return typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'base64')) : x instanceof Uint8Array ? x : Uint8Array.from(x as number[]);
        // `toObject({ json: true })` writes non-finite doubles as strings.
        case 'double': return Number(x);
        default: return x;
      }
    case 'enum':
    case 'bits': return x;
    // The codec takes the text and the "0x" form alike.
    case 'text': return x;
    case 'timestamp': return Number(x);
    case 'message': return shape.def.kind === 'union' ? unionFrom(shape.def, asObj(x)) : structFrom(shape.def, asObj(x));
  }
}

/** A 64-bit integer from any protobufjs `longs` form: bigint, decimal string, number or Long. */
function toBigInt(x: unknown, signed: boolean): bigint {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'string' || typeof x === 'number') return BigInt(x);
  const { low, high } = x as { low: number; high: number };
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

/** The zero value protobuf leaves out, for a field VPP would otherwise fill with its default. */
function zero(shape: ProtoShape): unknown {
  if (shape.kind !== 'scalar') return 0; // defaults sit only on scalars, enums and bit sets
  switch (shape.proto) {
    case 'uint64': case 'int64': return 0n;
    case 'bool': return false;
    case 'string': return '';
    default: return 0;
  }
}
