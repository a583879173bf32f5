/**
 * The JSON form of decoded values: 64-bit integers as decimal strings, byte arrays as
 * `{"hex": "..."}`. The encoders accept this form as it is, so JSON round-trips.
 *
 * @module
 */
import { toHex } from './text.js';

/** A JSON-safe copy of a decoded value. */
export function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return { hex: toHex(value) };
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}
