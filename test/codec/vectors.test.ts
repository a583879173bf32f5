/**
 * Conformance: every vector VPP's Python client made decodes to its fields and encodes back to
 * its bytes. The reference's fields include the header, which `decode` leaves out and
 * `readHeader` reads.
 */
import { describe, expect, it } from 'vitest';
import { decode, decodeRaw, encode, encodeRaw, readHeader } from '../../src/codec/index.js';
import { type MessageDef, headerFields } from '../../src/schema/model.js';
import { formatTimestamp } from '../../src/codec/text.js';
import { allMessages, loadVectors, toReferenceForm } from '../helpers/reference.js';

const { vectors, skipped } = loadVectors();
const messages = await allMessages();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** VPP's Python client fills the fields a value leaves out with zeros; its vectors rely on that. */
const PAPI = { zeroFill: true } as const;

/**
 * VPP's Python client prints `timestamp` rounded to microseconds. We decode to that text only
 * when it encodes back to the same f64; otherwise to seconds, which keeps every bit. Compare a
 * seconds value by the client's rounding.
 */
function referenceTimestamps(ours: unknown, ref: unknown): unknown {
  if (typeof ours === 'number' && typeof ref === 'string') {
    const us = Math.round(ours * 1e6);
    return formatTimestamp(us / 1e6);
  }
  if (Array.isArray(ours) && Array.isArray(ref)) return ours.map((o, i) => referenceTimestamps(o, ref[i]));
  if (ours && ref && typeof ours === 'object' && typeof ref === 'object') {
    return Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, referenceTimestamps(v, (ref as Record<string, unknown>)[k])]));
  }
  return ours;
}

/** The reference's fields split into the header and the rest. */
function split(def: MessageDef, fields: Record<string, unknown>): { header: Record<string, unknown>; body: Record<string, unknown> } {
  const names = headerFields(def);
  const header = Object.fromEntries(Object.entries(fields).filter(([k]) => names.includes(k)));
  const body = Object.fromEntries(Object.entries(fields).filter(([k]) => !names.includes(k)));
  return { header, body };
}

describe('reference vectors', () => {
  it('covers every message but the one the reference skipped', () => {
    expect(vectors.length).toBe(2094);
    expect(messages.size).toBe(2095);
    const covered = new Set([...vectors.map((v) => v.message), ...skipped.map(([m]) => m)]);
    expect([...messages.keys()].filter((m) => !covered.has(m))).toEqual([]);
  });

  it.each(vectors.map((v) => [v.message, v] as const))('%s decodes to its fields and re-encodes exactly', (_name, v) => {
    const def = messages.get(v.message);
    expect(def, `definition of ${v.message}`).toBeDefined();
    expect(def!.crc).toBe(v.crc);
    const bytes = Buffer.from(v.hex, 'hex');
    const { header, body } = split(def!, v.fields);
    expect(Object.keys(header).sort()).toEqual([...headerFields(def!)].sort());
    const decoded = decode(def!, bytes);
    expect(referenceTimestamps(toReferenceForm(decoded), body)).toEqual(body);
    expect(readHeader(def!, bytes)).toEqual(header);
    expect(hex(encode(def!, decoded, readHeader(def!, bytes)))).toBe(v.hex);
  });

  it.each(vectors.map((v) => [v.message, v] as const))('%s encodes from the reference fields', (_name, v) => {
    const def = messages.get(v.message)!;
    const timestamps = /timestamp/.test(JSON.stringify(v.fields)) && /"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+"/.test(JSON.stringify(v.fields));
    if (timestamps) {
      // The reference's µs text cannot carry the f64's sub-µs bits: it encodes to the rounded value.
      const decoded = decodeRaw(def, encodeRaw(def, v.fields, PAPI));
      expect(referenceTimestamps(toReferenceForm(decoded), v.fields)).toEqual(v.fields);
      return;
    }
    expect(hex(encodeRaw(def, v.fields, PAPI))).toBe(v.hex);
  });
});
