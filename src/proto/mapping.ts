/**
 * How VPP's schema maps onto protobuf (proto3): the shape every field takes and the names the
 * `.proto` files use. The `.proto` emitter and the value converter both follow it, so they
 * cannot disagree. The full mapping is described in `docs/protobuf.md`.
 *
 * @module
 */
import { UnsupportedDefinitionError } from '../errors/index.js';
import { type AliasDef, type EnumDef, type FieldDef, type StructDef, type TextForm, type TypeDef, pascal, textForm, unwrap } from '../schema/model.js';

/** Protobuf scalar types the mapping uses. */
export type ProtoScalar = 'uint32' | 'int32' | 'uint64' | 'int64' | 'double' | 'bool' | 'string' | 'bytes';

/** What one VPP value becomes in protobuf. */
export type ProtoShape =
  /** A protobuf scalar carrying the VPP value as it is (64-bit integers as uint64/int64). */
  | { readonly kind: 'scalar'; readonly proto: ProtoScalar }
  /** A protobuf enum with VPP's numeric values. */
  | { readonly kind: 'enum'; readonly def: EnumDef }
  /** A bit set, or an enum with a value outside int32: a plain integer, documented by the enum. */
  | { readonly kind: 'bits'; readonly def: EnumDef; readonly proto: 'uint32' | 'int32' }
  /** An address, prefix or MAC: its text form as a `string`. */
  | { readonly kind: 'text'; readonly def: StructDef | AliasDef; readonly form: Exclude<TextForm, 'timestamp'> }
  /** `timestamp`: seconds since the epoch as a `double` (the f64 VPP sends). */
  | { readonly kind: 'timestamp' }
  /** A typedef or union: a message. */
  | { readonly kind: 'message'; readonly def: StructDef };

/** A field's protobuf form: a shape, possibly `repeated`. */
export interface ProtoField {
  readonly shape: ProtoShape;
  readonly repeated: boolean;
}

/** The field inside the wrapper message a repeated union arm gets (a oneof cannot hold `repeated`). */
export const ARM_ARRAY_FIELD = 'value';

/** The protobuf package of a VPP module: `vpp.<module>`. */
export function protoPackage(module: string): string {
  return `vpp.${module}`;
}

/** The protobuf name of a VPP message, type or enum: `sw_interface_dump` → `SwInterfaceDump`. */
export function protoTypeName(name: string): string {
  return pascal(name);
}

/** The fully qualified protobuf name of a VPP message or type, as `Root.lookupType` takes it. */
export function protoFullName(def: { readonly name: string; readonly module: string }): string {
  return `${protoPackage(def.module)}.${protoTypeName(def.name)}`;
}

/** Whether a type is carried as text (address, prefix, MAC) rather than as a message or bytes. */
export function isText(t: TypeDef): boolean {
  const form = textForm(t);
  return form !== undefined && form !== 'timestamp';
}

const SCALAR: Record<string, ProtoScalar> = {
  u8: 'uint32', u16: 'uint32', u32: 'uint32', i8: 'int32', i16: 'int32', i32: 'int32',
  u64: 'uint64', i64: 'int64', f64: 'double', bool: 'bool',
};

/** Whether every value of an enum fits protobuf's int32 enum values. */
export function fitsProtoEnum(def: EnumDef): boolean {
  return Object.values(def.values).every((v) => v >= -0x80000000 && v <= 0x7fffffff);
}

const isU8 = (t: TypeDef): boolean => t.kind === 'scalar' && t.name === 'u8';

/** The protobuf form of VPP field `f`. */
export function protoField(f: FieldDef): ProtoField {
  const t = unwrap(f.type);
  if (t.kind === 'string') return { shape: { kind: 'scalar', proto: 'string' }, repeated: false };
  if (f.length === undefined) return one(t);
  if (isU8(t)) return { shape: { kind: 'scalar', proto: 'bytes' }, repeated: false };
  const el = one(t);
  if (el.repeated) throw new UnsupportedDefinitionError(`vppkit: field ${f.name} is an array of arrays, which protobuf cannot express`);
  return { shape: el.shape, repeated: true };
}

function one(t: TypeDef): ProtoField {
  const single = (shape: ProtoShape): ProtoField => ({ shape, repeated: false });
  const form = textForm(t);
  if (form === 'timestamp') return single({ kind: 'timestamp' });
  if (form) return single({ kind: 'text', def: t as StructDef | AliasDef, form });
  switch (t.kind) {
    case 'scalar': return single({ kind: 'scalar', proto: SCALAR[t.name]! });
    case 'string': throw new UnsupportedDefinitionError('vppkit: a string type without a field length');
    case 'enum':
      if (!t.flags && fitsProtoEnum(t)) return single({ kind: 'enum', def: t });
      return single({ kind: 'bits', def: t, proto: t.width.startsWith('i') ? 'int32' : 'uint32' });
    case 'alias': {
      // An array alias (`u32 x[4]` under a name): bytes for u8, else repeated.
      const el = unwrap(t.type);
      if (isU8(el)) return single({ kind: 'scalar', proto: 'bytes' });
      const inner = one(el);
      if (inner.repeated) throw new UnsupportedDefinitionError(`vppkit: alias ${t.name} is an array of arrays, which protobuf cannot express`);
      return { shape: inner.shape, repeated: true };
    }
    default:
      return single({ kind: 'message', def: t });
  }
}
