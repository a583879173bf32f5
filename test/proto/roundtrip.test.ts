/**
 * VPP binary → decodeRaw → protobuf object → protobuf bytes (protobufjs) → protobuf object → VPP
 * binary is byte-exact: for random values of all 2,095 messages, and for every reference vector.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type protobuf from 'protobufjs';
import { decodeRaw, encode, encodeRaw } from '../../src/codec/index.js';
import { fromProtoObject, toProtoObject } from '../../src/proto/convert.js';
import { protoFullName } from '../../src/proto/mapping.js';
import type { MessageDef } from '../../src/schema/index.js';
import { struct } from '../helpers/arbitrary.js';
import { allMessages, loadVectors } from '../helpers/reference.js';
import { generatedProtos, load } from './protos.js';

const messages = await allMessages();
const root = load((await generatedProtos()).files);
const RUNS = Number(process.env.VPPKIT_PROPERTY_RUNS ?? 8);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The `toObject` options a protobufjs user might pick; the conversion back must accept them all. */
const toObjectOptions = fc.record({
  longs: fc.constantFrom<unknown>(undefined, String, BigInt),
  bytes: fc.constantFrom<unknown>(undefined, String, Array),
  defaults: fc.boolean(),
  oneofs: fc.boolean(),
  json: fc.boolean(),
}).map((o) => o as protobuf.IConversionOptions);

/** VPP bytes through protobuf and back. */
function viaProtobuf(def: MessageDef, bytes: Uint8Array, options: protobuf.IConversionOptions = { longs: String }): Uint8Array {
  const type = root.lookupType(protoFullName(def));
  const object = toProtoObject(def, decodeRaw(def, bytes));
  expect(type.verify(type.fromObject(object)), `${def.name} does not verify`).toBeNull();
  const wire = type.encode(type.fromObject(object)).finish();
  return encodeRaw(def, fromProtoObject(def, type.toObject(type.decode(wire), options)), { zeroFill: true });
}

describe('property: random messages survive protobuf byte for byte', () => {
  it('has all messages', () => expect(messages.size).toBe(2095));
  it.each([...messages.values()].map((m) => [m.name, m] as const))('%s', (_name, def) => {
    fc.assert(
      fc.property(struct(def), toObjectOptions, (value, options) => {
        const bytes = encode(def, value);
        expect(hex(viaProtobuf(def, bytes, options))).toBe(hex(bytes));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('reference vectors survive protobuf byte for byte', () => {
  const { vectors } = loadVectors();
  it('has the vectors', () => expect(vectors.length).toBe(2094));
  it.each(vectors.map((v) => [v.message, v] as const))('%s', (_name, v) => {
    const def = messages.get(v.message)!;
    expect(hex(viaProtobuf(def, Buffer.from(v.hex, 'hex')))).toBe(v.hex);
  });
});
