/**
 * Encoding and decoding of VPP messages.
 *
 * @module vppkit/codec
 */
import { type MessageDef, headerFields, headerSize } from '../schema/model.js';
import { Reader, SCRATCH_SIZE, Writer } from './buffers.js';
import { type Header, compile } from './compile.js';
import { ValidationError } from '../errors/index.js';
import { rt } from './runtime.js';

export { Reader, Writer } from './buffers.js';
export type { Header } from './compile.js';
export { DecodeError, ValidationError } from '../errors/index.js';
export { toJson } from './json.js';
export { viewOf } from './view.js';

const scratch = new Writer(SCRATCH_SIZE);

/** How to encode. */
export interface EncodeOptions {
  /**
   * Fill fields left out with zeros (empty strings and arrays), as VPP's Python client does,
   * instead of refusing them. Off by default: a missing field is a {@link ValidationError}.
   */
  readonly zeroFill?: boolean;
}

/**
 * Appends `value` as message `def` to `w`.
 * @throws {@link ValidationError} naming the message, the field path and the rule broken; `w.pos` is left where it was.
 */
export function encodeTo(w: Writer, def: MessageDef, value: unknown, header?: Header, options?: EncodeOptions): void {
  const start = w.pos;
  rt.zeroFill = options?.zeroFill === true;
  try {
    compile(def).enc(w, value, header);
  } catch (err) {
    w.pos = start;
    throw err instanceof ValidationError ? err.in(def.name) : err;
  } finally {
    rt.zeroFill = false;
  }
}

/**
 * Encodes `value` as message `def`: `_vl_msg_id`, header fields, then the body, as it travels
 * after the 16-byte socket frame header.
 * @throws {@link ValidationError} before a byte is written.
 */
export function encode(def: MessageDef, value: unknown, header?: Header, options?: EncodeOptions): Uint8Array {
  scratch.pos = 0;
  try {
    encodeTo(scratch, def, value, header, options);
    return scratch.take();
  } finally {
    scratch.shrink(SCRATCH_SIZE);
  }
}

/**
 * Decodes message `def` from `bytes[start..end]`. Trailing bytes past the message are ignored,
 * as VPP does.
 * @throws {@link DecodeError} when the bytes end before the message does.
 */
export function decode(def: MessageDef, bytes: Uint8Array, start = 0, end = bytes.byteLength): unknown {
  return decodeFrom(new Reader(bytes, start, end), def);
}

/** Decodes message `def` at the reader's position and advances it. */
export function decodeFrom(r: Reader, def: MessageDef): unknown {
  try {
    return compile(def).dec(r);
  } catch (err) {
    throw rt.decodeError(def.name, err);
  }
}

/**
 * The header of message `def` at `bytes[start..end]`: `_vl_msg_id`, and `client_index` and
 * `context` where `def` has them (`headerFields`). Decoded values leave the header out.
 * @throws {@link DecodeError} when the bytes end before the header does.
 */
export function readHeader(def: MessageDef, bytes: Uint8Array, start = 0, end = bytes.byteLength): Header {
  const names = headerFields(def);
  if (start + headerSize(names) > end) throw rt.decodeError(def.name, rt.short(start, headerSize(names), end));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h: Record<string, number> = { _vl_msg_id: dv.getUint16(start) };
  names.slice(1).forEach((name, i) => (h[name] = dv.getUint32(start + headerSize(names.slice(0, i + 1)))));
  return h;
}

/**
 * Encodes `raw`, a message with its header fields among the others (as {@link decodeRaw} gives
 * it): the header fields go to `encode`'s header argument, the rest is the value.
 * @throws {@link ValidationError} as `encode` does.
 */
export function encodeRaw(def: MessageDef, raw: unknown, options?: EncodeOptions): Uint8Array {
  if (typeof raw !== 'object' || raw === null) return encode(def, raw, undefined, options);
  const value: Record<string, unknown> = { ...raw };
  const header: Record<string, unknown> = {};
  for (const name of headerFields(def)) {
    header[name] = value[name];
    delete value[name];
  }
  return encode(def, value, header as Header, options);
}

/**
 * Message `def` as it travels, header first: for traces, the CLI's `--raw` and conformance
 * checks. `encode(def, body, header)` writes it back, with the header taken apart from the body.
 */
export function decodeRaw(def: MessageDef, bytes: Uint8Array, start = 0, end = bytes.byteLength): Record<string, unknown> {
  return { ...readHeader(def, bytes, start, end), ...(decode(def, bytes, start, end) as Record<string, unknown>) };
}
