/**
 * Property tests over all 2,095 messages: random valid values round-trip byte for byte, and a
 * random broken leaf is rejected with its field path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, decode, encode, viewOf } from '../../src/codec/index.js';
import { formatPath } from '../../src/errors/index.js';
import { formatIp4, formatIp6, parseIp4, parseIp6 } from '../../src/codec/text.js';
import { Reader, Writer } from '../../src/codec/buffers.js';
import { compile } from '../../src/codec/compile.js';
import { type StructDef, textForm } from '../../src/schema/index.js';
import { breakables, replaceAt, struct } from '../helpers/arbitrary.js';
import { allMessages, allModules } from '../helpers/reference.js';

const messages = [...(await allMessages()).values()];
const RUNS = Number(process.env.VPPKIT_PROPERTY_RUNS ?? 8);

/** `a.b.c.d/len` with the host bits cleared, or undefined for anything else. */
function masked(p: string): string | undefined {
  const m = /^([\d.]+|[\da-f:]+)\/(\d+)$/.exec(p);
  if (!m) return undefined;
  const v6 = m[1]!.includes(':');
  const b = Buffer.alloc(16);
  if (v6 ? !parseIp6(m[1]!, b, 0) : !parseIp4(m[1]!, b, 0)) return undefined;
  const len = Number(m[2]);
  for (let i = 0; i < 16; i++) b[i] = b[i]! & ((0xff << (8 - Math.max(0, Math.min(8, len - i * 8)))) & 0xff);
  return `${v6 ? formatIp6(b, 0) : formatIp4(b, 0)}/${len}`;
}

/**
 * Whether every value given appears in the decoded value (unions decode all arms; counts are
 * filled in). A prefix arm of a union reads back masked, its host bits kept by the other arms:
 * the byte-exact re-encode checks that nothing was lost.
 */
function appears(given: unknown, decoded: unknown): boolean {
  if (typeof given === 'string' && typeof decoded === 'string' && given !== decoded) return masked(given) === decoded;
  if (given instanceof Uint8Array) return decoded instanceof Uint8Array && Buffer.compare(Buffer.from(given), Buffer.from(decoded)) === 0;
  if (Array.isArray(given)) return Array.isArray(decoded) && given.length === decoded.length && given.every((g, i) => appears(g, decoded[i]));
  if (given !== null && typeof given === 'object') {
    if (decoded === null || typeof decoded !== 'object') return false;
    return Object.entries(given).every(([k, v]) => appears(v, (decoded as Record<string, unknown>)[k]));
  }
  return Object.is(given, decoded);
}

describe('property: random valid values round-trip, and views read the same', () => {
  it('has all messages', () => expect(messages.length).toBe(2095));
  it.each(messages.map((m) => [m.name, m] as const))('%s', (_name, def) => {
    fc.assert(
      fc.property(struct(def), (value) => {
        const bytes = encode(def, value);
        const decoded = decode(def, bytes) as Record<string, unknown>;
        expect(Buffer.from(encode(def, decoded)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
        expect(appears(value, decoded), `decoded ${def.name} differs from what was encoded`).toBe(true);
        // Decoded again, its prefixes are in the cache: arrays of them go through the loop over hits.
        expect(decode(def, bytes), `${def.name} decoded a second time`).toEqual(decoded);
        const view = viewOf(def, bytes) as Record<string, unknown>;
        for (const f of def.fields) expect(view[f.name], `view of ${def.name}.${f.name}`).toEqual(decoded[f.name]); // header fields: undefined in both
        // Detached, a view reads its own copy: the bytes it was made over may change.
        const reused = Buffer.from(bytes);
        const detached = viewOf(def, reused) as { detach(): void };
        detached.detach();
        reused.fill(0xa5);
        for (const f of def.fields) expect((detached as Record<string, unknown>)[f.name], `detached view of ${def.name}.${f.name}`).toEqual(decoded[f.name]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: a broken leaf is rejected with its path', () => {
  it.each(messages.map((m) => [m.name, m] as const))('%s', (_name, def) => {
    const cases = struct(def).chain((value) => fc.constantFrom(...breakables(def, value)).map((b) => ({ value, b })));
    fc.assert(
      fc.property(cases, ({ value, b }) => {
        const bad = replaceAt(value, b.path, b.bad);
        let err: unknown;
        try {
          encode(def, bad);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ValidationError);
        const v = err as ValidationError;
        expect(v.messageName).toBe(def.name);
        expect(v.path).toBe(formatPath(b.errorPath));
        expect(v.rule).toMatch(b.rule);
        expect(v.message).toContain(def.name);
      }),
      { numRuns: RUNS },
    );
  });
});

const textStructs = (await allModules()).flatMap((m) => m.types).filter((t): t is StructDef => t.kind === 'struct' && textForm(t) !== undefined);

describe('property: an address or prefix decodes to a string, whatever its bytes', () => {
  it('covers the four', () => expect(textStructs.map((t) => t.name).sort()).toEqual(['address', 'ip4_prefix', 'ip6_prefix', 'prefix']));
  it.each(textStructs.map((t) => [t.name, t] as const))('%s: the string encodes back byte for byte, or names an unknown family', (_name, t) => {
    const codec = compile(t);
    const family = t.fields[0]!.name === 'af' || t.fields[0]!.type.name === 'address';
    fc.assert(
      fc.property(fc.uint8Array({ minLength: codec.size!, maxLength: codec.size! }), fc.integer({ min: 0, max: 3 }), (bytes, af) => {
        if (family) bytes[0] = af; // mostly the two known families, so both paths run
        const v = codec.dec(new Reader(bytes));
        expect(typeof v).toBe('string');
        const w = new Writer(32);
        if (family && af > 1) {
          expect(v).toMatch(/^0x/);
          expect(() => codec.enc(w, v)).toThrow(ValidationError);
          return;
        }
        codec.enc(w, v);
        expect(Buffer.from(w.take())).toEqual(Buffer.from(bytes));
      }),
      { numRuns: RUNS * 50 },
    );
  });
});
