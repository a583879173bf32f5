/**
 * The proto3 corners VPP 26.06 does not reach (array union arms, colliding enum values, i64, an
 * enum too wide for protobuf), on a made-up module; and the fallbacks on real messages.
 */
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { emitProto } from '../../codegen/emit-proto.js';
import { type Header, decode, decodeRaw, encode as encodeStrict, encodeRaw } from '../../src/codec/index.js';
import { fromProtoObject, toProtoObject } from '../../src/proto/convert.js';
import { protoFullName } from '../../src/proto/mapping.js';
import { parseModules } from '../../src/schema/index.js';
import type { MessageDef } from '../../src/schema/index.js';
import { struct } from '../helpers/arbitrary.js';
import { allMessages } from '../helpers/reference.js';
import { generatedProtos, load } from './protos.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** The cases give the fields they are about; the rest are zero, as protobuf leaves them out. */
const encode = (d: MessageDef, v: unknown, h?: Header): Uint8Array => encodeStrict(d, v, h, { zeroFill: true });

const demo = parseModules([{
  file: 'demo.api.json',
  json: {
    module: 'demo',
    options: { version: '1.0.0' },
    vl_api_version: '0x1',
    enums: [
      ['color', ['RED', 1], ['GREEN', 2], { enumtype: 'u8' }],
      ['shade', ['SHADE_NONE', 0], ['RED', 3], { enumtype: 'u8' }],
      ['wide', ['WIDE_SMALL', 1], ['WIDE_ALL', 4294967295], { enumtype: 'u32' }],
      ['kind', ['KIND_NUMBERS', 0], ['KIND_TEXT', 1], ['KIND_ARM', 2], { enumtype: 'u8' }],
    ],
    enumflags: [['demo_flags', ['DEMO_A', 1], ['DEMO_B', 2], { enumtype: 'u32' }]],
    unions: [['payload', ['u32', 'numbers', 3], ['u8', 'text', 12], ['u16', 'arm']]],
    types: [['holder', ['vl_api_kind_t', 'kind'], ['vl_api_payload_t', 'value', { discriminator: 'kind' }]]],
    messages: [[
      'demo_msg',
      ['u16', '_vl_msg_id'], ['u32', 'client_index'], ['u32', 'context'],
      ['i64', 'delta'], ['u64', 'total'], ['vl_api_color_t', 'color'], ['vl_api_shade_t', 'shade'],
      ['vl_api_wide_t', 'wide'], ['vl_api_demo_flags_t', 'flags'], ['vl_api_holder_t', 'holder'],
      ['u32', 'option'], ['u16', 'mtu', { default: 1500 }], ['u8', 'n'], ['i64', 'deltas', 0, 'n'],
      { crc: '0x12345678' },
    ]],
  },
}])[0]!;
const demoText = emitProto(demo, { source: 'a test' });
const demoRoot = protobuf.parse(demoText, { keepCase: true }).root;
demoRoot.resolveAll();
const demoMsg = demo.messages[0]!;
const DemoMsg = demoRoot.lookupType(protoFullName(demoMsg));

/** VPP bytes → protobuf bytes → VPP bytes, with protobufjs's `toObject` options. */
function roundTrip(root: protobuf.Root, def: MessageDef, bytes: Uint8Array, options: protobuf.IConversionOptions = {}): Uint8Array {
  const type = root.lookupType(protoFullName(def));
  const wire = type.encode(type.fromObject(toProtoObject(def, decodeRaw(def, bytes)))).finish();
  return encodeRaw(def, fromProtoObject(def, type.toObject(type.decode(wire), options)), { zeroFill: true });
}

describe('proto3 rules on a made-up module', () => {
  it('gives an enum without 0 a synthetic zero, prefixes a value another enum has, keeps a too-wide enum as a comment', () => {
    expect(demoText).toMatch(/enum Color \{\n {2}COLOR_UNSPECIFIED = 0;.*\n {2}RED = 1;/);
    expect(demoText).toMatch(/enum Shade \{\n {2}SHADE_NONE = 0;\n {2}SHADE_RED = 3;/);
    expect(demoText).toContain('// VPP enum wide (u32): a value is outside');
    expect(demoText).not.toContain('enum Wide');
    expect(DemoMsg.fields.wide!.type).toBe('uint32');
    expect(DemoMsg.fields.flags!.type).toBe('uint32');
    expect(DemoMsg.fields.color!.type).toBe('.vpp.demo.Color');
  });

  it('wraps an array arm of a union, and keeps the oneof name apart from an arm named "arm"', () => {
    const payload = demoRoot.lookupType('vpp.demo.Payload');
    expect(payload.oneofsArray.map((o) => o.name)).toEqual(['arm_']);
    expect(payload.fields.numbers!.type).toBe('NumbersArray');
    expect(payload.lookupType('NumbersArray').fields.value!.repeated).toBe(true);
    expect(payload.fields.text!.type).toBe('bytes');
  });

  it('round-trips random values, with every toObject option', () => {
    fc.assert(
      fc.property(struct(demoMsg), fc.constantFrom<unknown>(undefined, String, BigInt), fc.boolean(), (value, longs, defaults) => {
        const bytes = encode(demoMsg, value);
        expect(hex(roundTrip(demoRoot, demoMsg, bytes, { longs, defaults } as protobuf.IConversionOptions))).toBe(hex(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('carries 64-bit extremes through protobufjs Long objects', () => {
    const bytes = encode(demoMsg, { delta: -(2n ** 63n), total: 2n ** 64n - 1n, deltas: [-1n, 2n ** 63n - 1n], color: 1, wide: 4294967295 });
    expect(hex(roundTrip(demoRoot, demoMsg, bytes))).toBe(hex(bytes));
  });

  it('picks the arm the discriminator names when it carries the bytes, else one that does', () => {
    const numbers = encode(demoMsg, { color: 1, holder: { kind: 0, value: { numbers: [1, 2, 3] } } });
    const asText = encode(demoMsg, { color: 1, holder: { kind: 1, value: { numbers: [1, 2, 3] } } });
    const asArm = encode(demoMsg, { color: 1, holder: { kind: 2, value: { numbers: [1, 2, 3] } } });
    const holder = (b: Uint8Array) => toProtoObject(demoMsg, decode(demoMsg, b)).holder as { value: Record<string, unknown> };
    expect(holder(numbers).value).toEqual({ numbers: { value: [1, 2, 3] } });
    expect(Object.keys(holder(asText).value)).toEqual(['text']);
    // The u16 arm cannot carry 12 bytes: the smallest arm that can, the first of equals.
    expect(Object.keys(holder(asArm).value)).toEqual(['numbers']);
    for (const b of [numbers, asText, asArm]) expect(hex(roundTrip(demoRoot, demoMsg, b))).toBe(hex(b));
  });

  it('sends zero, not the VPP default, for a defaulted field protobuf left out', () => {
    const bytes = encode(demoMsg, { color: 2, mtu: 0 });
    expect(decode(demoMsg, roundTrip(demoRoot, demoMsg, bytes))).toMatchObject({ mtu: 0 });
    expect(fromProtoObject(demoMsg, {})).toMatchObject({ mtu: 0 });
  });
});

describe('fallbacks on VPP 26.06 messages', async () => {
  const messages = await allMessages();
  const root = load((await generatedProtos()).files);

  it('writes an address with no text form as "0x" + its bytes, and reads it back', () => {
    const def = messages.get('ip_address_details')!;
    for (const prefix of [
      { address: { af: 0, un: { ip6: '1:2:3:4::' } }, len: 24 }, // bytes after the IPv4 address
      { address: { af: 1, un: { ip6: '2001:db8::' } }, len: 200 }, // length past 128
    ]) {
      const bytes = encode(def, { sw_if_index: 1, prefix });
      const text = toProtoObject(def, decode(def, bytes)).prefix as string;
      expect(text).toMatch(/^0x[0-9a-f]{36}$/);
      expect(hex(roundTrip(root, def, bytes))).toBe(hex(bytes));
    }
    const plain = encode(def, { prefix: '10.1.1.3/24' });
    expect(toProtoObject(def, decode(def, plain)).prefix).toBe('10.1.1.3/24');
  });

  it('writes a timestamp as seconds, whether VPP decoded it to text or to seconds', () => {
    const def = messages.get('show_vpe_system_time_reply')!;
    for (const t of [1_780_000_000.25, 1_780_000_000.123456789]) {
      const bytes = encode(def, { vpe_system_time: t });
      expect(toProtoObject(def, decode(def, bytes)).vpe_system_time).toBe(t);
      expect(hex(roundTrip(root, def, bytes))).toBe(hex(bytes));
    }
  });

  it('sets the flow arm that flow_rule.type names', () => {
    const def = messages.get('flow_add')!;
    const ip4 = { foo: 7, src_addr: { addr: '10.0.0.1', mask: '255.255.255.0' } };
    const bytes = encode(def, { flow: { type: 2, flow: { ip4 } } }); // FLOW_TYPE_IP4
    const flow = (toProtoObject(def, decode(def, bytes)).flow as { flow: Record<string, unknown> }).flow;
    expect(Object.keys(flow)).toEqual(['ip4']);
    expect(hex(roundTrip(root, def, bytes))).toBe(hex(bytes));
  });
});
