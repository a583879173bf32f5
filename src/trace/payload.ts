/**
 * Trace payloads: VPP messages as protobuf, in the schema `vppkit gen --proto` writes. The
 * protobufjs types are built from the definitions by reflection (no `.proto` text to parse), once
 * per message; they encode exactly as the generated files do: an enum field is an int32 on the
 * wire either way.
 *
 * @module
 */
import protobuf from 'protobufjs';
import { fromProtoObject, toProtoObject } from '../proto/convert.js';
import { ARM_ARRAY_FIELD, type ProtoField, protoField, protoFullName, protoTypeName } from '../proto/mapping.js';
import type { MessageDef, StructDef } from '../schema/model.js';

type FieldJson = { type: string; id: number; rule?: 'repeated' };
type TypeJson = { edition: 'proto3'; fields: Record<string, FieldJson>; oneofs?: Record<string, { oneof: string[] }>; nested?: Record<string, TypeJson> };

/** Protobuf types for VPP messages, built on first use. */
export class PayloadSchemas {
  private readonly root = new protobuf.Root();
  private readonly types = new Map<string, protobuf.Type>();

  /** `value` (a decoded VPP message) as protobuf bytes. */
  encode(def: MessageDef, value: unknown): Uint8Array {
    const type = this.type(def);
    return type.encode(type.fromObject(toProtoObject(def, value))).finish();
  }

  /**
   * The VPP value (as `encode` takes it) in protobuf `bytes`.
   * @throws Error when the bytes are not a protobuf message of this type.
   */
  decode(def: MessageDef, bytes: Uint8Array): Record<string, unknown> {
    const type = this.type(def);
    return fromProtoObject(def, type.toObject(type.decode(bytes), { longs: String }));
  }

  /** The type of `def`, built with the types it uses. */
  type(def: MessageDef | StructDef): protobuf.Type {
    const name = protoFullName(def);
    let type = this.types.get(name);
    if (type) return type;
    const json: TypeJson = { edition: 'proto3', fields: {} };
    const arms: string[] = [];
    def.fields.forEach((f, i) => {
      const pf = protoField(f);
      const element = this.typeName(pf);
      if (def.kind === 'union') {
        arms.push(f.name);
        // A oneof cannot hold `repeated`: the arm is a message holding the array.
        if (pf.repeated) {
          const wrapper = `${protoTypeName(f.name)}Array`;
          (json.nested ??= {})[wrapper] = { edition: 'proto3', fields: { [ARM_ARRAY_FIELD]: { type: element, id: 1, rule: 'repeated' } } };
          json.fields[f.name] = { type: wrapper, id: i + 1 };
          return;
        }
      }
      json.fields[f.name] = pf.repeated ? { type: element, id: i + 1, rule: 'repeated' } : { type: element, id: i + 1 };
    });
    if (arms.length) json.oneofs = { arm: { oneof: arms } };
    type = protobuf.Type.fromJSON(protoTypeName(def.name), json);
    this.root.define(`vpp.${def.module}`).add(type);
    this.types.set(name, type);
    return type;
  }

  private typeName(pf: ProtoField): string {
    const s = pf.shape;
    switch (s.kind) {
      case 'scalar': case 'bits': return s.proto;
      case 'enum': return 'int32';
      case 'text': return 'string';
      case 'timestamp': return 'double';
      case 'message': return this.type(s.def).fullName;
    }
  }
}
