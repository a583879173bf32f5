/**
 * Reading a trace file back: the header, then each record with its message decoded. A file cut
 * short or damaged yields every record before the damage, then a {@link TraceError} saying where.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { decodeRaw, encodeRaw } from '../codec/index.js';
import { TraceError } from '../errors/index.js';
import { bundledModules } from '../client/bundled.js';
import { messagesByName } from '../schema/load.js';
import type { MessageDef, ModuleDef } from '../schema/model.js';
import { CHECKSUM_BYTES, CHECKSUM_TAG, Direction, HeaderType, RecordType, TRACE_FORMAT, TRACE_MAGIC } from './envelope.js';
import { PayloadSchemas } from './payload.js';

/** Entries larger than this are taken for a damaged length prefix. */
const MAX_ENTRY = 256 * 1024 * 1024;

/** The trace file's first entry. */
export interface TraceHeader {
  readonly kind: 'header';
  /** The file format's version. */
  readonly format: number;
  /** The vppkit that recorded the file. */
  readonly vppkitVersion: string;
  /** The VPP release of that vppkit's bundled bindings. */
  readonly bindings: string;
  /** When recording started, in ns since the Unix epoch. */
  readonly timeNs: bigint;
}

/** One message of a trace. */
export interface TraceRecord {
  readonly kind: 'record';
  /** 1 for the first record after the header, and so on. */
  readonly index: number;
  /** Where the record starts in the file. */
  readonly offset: number;
  readonly direction: 'sent' | 'received';
  /** When it was sent or received, in ns since the Unix epoch. */
  readonly timeNs: bigint;
  readonly name: string;
  readonly crc: string;
  readonly context: number;
  readonly module: string;
  /** VPP's id for the message on the recorded connection. */
  readonly msgId: number;
  /** Paths of fields zeroed when recording. */
  readonly redacted: readonly string[];
  /** The message as protobuf, in the schema of `vppkit gen --proto`. */
  readonly payload: Uint8Array;
  /** The message decoded with its header (`_vl_msg_id`, `client_index`, `context`), when the definitions have it with the recorded CRC. */
  readonly message: Record<string, unknown> | undefined;
  /** Its definition, under the same condition. */
  readonly def: MessageDef | undefined;
  /** Why the message is not there: recorded without a payload, or no matching definition. */
  readonly error: string | undefined;
  /** The VPP bytes, recorded when there was no payload. */
  readonly raw: Uint8Array | undefined;
}

/** One entry of a trace file. */
export type TraceEntry = TraceHeader | TraceRecord;

/** Options of {@link readTrace}. */
export interface ReadTraceOptions {
  /** Definitions to decode messages with. Default: the bundled bindings. */
  readonly definitions?: readonly ModuleDef[];
}

/**
 * Reads a trace (a file path, or its bytes): the header first, then every record.
 * @throws (from the iteration) {@link TraceError} at the first entry cut short, damaged, or (for
 * the header) not a vppkit trace, after every entry before it; the file system's error when the
 * file cannot be read.
 */
export async function* readTrace(source: string | Uint8Array, options: ReadTraceOptions = {}): AsyncGenerator<TraceEntry> {
  const registry = messagesByName(options.definitions ?? (await bundledModules()));
  const schemas = new PayloadSchemas();
  const chunks: AsyncIterable<Buffer> | Buffer[] = typeof source === 'string' ? createReadStream(source) : [Buffer.from(source.buffer, source.byteOffset, source.byteLength)];
  let buf: Buffer = Buffer.alloc(0);
  let base = 0; // the file offset of buf[0]
  let index = 0;
  for await (const chunk of chunks) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const entry = nextEntry(buf, pos, index, base + pos);
      if (entry === undefined) break;
      yield index === 0 ? readHeader(entry.body, base + pos) : readRecord(entry.body, index, base + pos, registry, schemas);
      index++;
      pos = entry.end;
    }
    buf = buf.subarray(pos);
    base += pos;
  }
  if (buf.length > 0) {
    const prefix = varint(buf, 0);
    const what = prefix ? `needs ${prefix.value} bytes after its ${prefix.size}-byte length, the file has ${buf.length - prefix.size}` : 'ends inside its length';
    throw new TraceError(`${entryName(index, base)} is cut short: it ${what} (the file was truncated, or the recording stopped mid-write)`, index, base);
  }
  if (index === 0) throw new TraceError('not a vppkit trace: the file is empty', 0, 0);
}

function entryName(index: number, offset: number): string {
  return `trace ${index === 0 ? 'header' : `record ${index}`} at byte ${offset}`;
}

/** The entry at `pos`, checked against its checksum; undefined when `buf` ends first. */
function nextEntry(buf: Buffer, pos: number, index: number, offset: number): { body: Buffer; end: number } | undefined {
  const prefix = varint(buf, pos);
  if (prefix === undefined) {
    if (buf.length - pos >= 5) throw new TraceError(`${entryName(index, offset)} is damaged: its length prefix is not a varint`, index, offset);
    return undefined;
  }
  if (prefix.value > MAX_ENTRY || prefix.value < CHECKSUM_BYTES) throw new TraceError(`${entryName(index, offset)} is damaged: impossible length ${prefix.value}`, index, offset);
  const start = pos + prefix.size;
  const end = start + prefix.value;
  if (end > buf.length) return undefined;
  const at = end - CHECKSUM_BYTES;
  const body = buf.subarray(start, at);
  if (buf[at] !== CHECKSUM_TAG || buf.readUInt32LE(at + 1) !== crc32(body)) {
    throw new TraceError(`${entryName(index, offset)} is damaged: its checksum does not match its ${prefix.value} bytes`, index, offset);
  }
  return { body, end };
}

/** A varint of at most 32 bits at `pos`; undefined when `buf` ends inside it or it is too long. */
function varint(buf: Buffer, pos: number): { value: number; size: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5 && pos + i < buf.length; i++) {
    const b = buf[pos + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { value, size: i + 1 };
  }
  return undefined;
}

function readHeader(body: Buffer, offset: number): TraceHeader {
  let h: Record<string, unknown>;
  try {
    h = HeaderType.toObject(HeaderType.decode(body), { longs: String });
  } catch (err) {
    throw new TraceError(`not a vppkit trace: its header does not decode (${(err as Error).message})`, 0, offset, { cause: err });
  }
  if (h.magic !== TRACE_MAGIC) throw new TraceError(`not a vppkit trace: the header's magic is ${JSON.stringify(h.magic ?? '')}`, 0, offset);
  if (h.format !== TRACE_FORMAT) throw new TraceError(`trace format ${String(h.format)} is not supported (this vppkit reads format ${TRACE_FORMAT})`, 0, offset);
  return { kind: 'header', format: h.format, vppkitVersion: String(h.vppkit_version ?? ''), bindings: String(h.bindings ?? ''), timeNs: BigInt(String(h.time_ns ?? 0)) };
}

function readRecord(body: Buffer, index: number, offset: number, registry: ReadonlyMap<string, MessageDef>, schemas: PayloadSchemas): TraceRecord {
  let r: Record<string, unknown>;
  try {
    r = RecordType.toObject(RecordType.decode(body), { longs: String, defaults: true });
  } catch (err) {
    throw new TraceError(`${entryName(index, offset)} is damaged: ${(err as Error).message}`, index, offset, { cause: err });
  }
  const direction = r.direction === Direction.sent ? 'sent' : r.direction === Direction.received ? 'received' : undefined;
  if (direction === undefined) throw new TraceError(`${entryName(index, offset)} is damaged: direction ${String(r.direction)}`, index, offset);
  const name = r.name as string;
  const crc = r.crc as string;
  const payload = r.payload as Uint8Array;
  let error = (r.error as string) || undefined;
  let def = registry.get(name);
  let message: Record<string, unknown> | undefined;
  if (def && def.crc !== crc) {
    error ??= `the definitions in use have ${name} with CRC ${def.crc}, not ${crc}`;
    def = undefined;
  } else if (def && !error) {
    try {
      message = canonical(def, schemas.decode(def, payload));
    } catch (err) {
      error = `payload does not decode as ${name}: ${(err as Error).message}`;
    }
  } else if (!def && name) error ??= `no definition of ${name}`;
  return {
    kind: 'record',
    index,
    offset,
    direction,
    timeNs: BigInt(r.time_ns as string),
    name,
    crc,
    context: r.context as number,
    module: r.module as string,
    msgId: r.msg_id as number,
    redacted: r.redacted as string[],
    payload,
    message,
    def: message === undefined ? undefined : def,
    error,
    raw: (r.raw as Uint8Array).length ? (r.raw as Uint8Array) : undefined,
  };
}

/** The value as `decodeRaw` gives it (header and every field, VPP's forms), or as it is when it does not encode (a redacted address). */
function canonical(def: MessageDef, value: Record<string, unknown>): Record<string, unknown> {
  try {
    // Protobuf leaves zero values out, so a recorded value is filled back with zeros.
    return decodeRaw(def, encodeRaw(def, value, { zeroFill: true }));
  } catch {
    return value;
  }
}
