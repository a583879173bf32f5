/**
 * Recording: the client hands every message it sends and receives to a `SessionTrace`,
 * which writes it to the trace file as a record. Only a client connected with `trace` has one.
 *
 * @module
 */
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { IdTable, SessionTrace, TraceOptions, Tracer } from '../client/tracing.js';
import { type Header, decodeRaw, encode } from '../codec/index.js';
import type { MessageDef } from '../schema/model.js';
import { Direction, HeaderType, RecordType, TRACE_FORMAT, TRACE_MAGIC, frame } from './envelope.js';
import { PayloadSchemas } from './payload.js';
import { redact } from './redact.js';

type Obj = Record<string, unknown>;

/** Writes one client's trace: the header when opened, then a record per message. */
export class TraceRecorder implements Tracer {
  private readonly schemas = new PayloadSchemas();
  private readonly redactNames: ReadonlySet<string>;
  private readonly startNs: bigint;
  private readonly startHr = process.hrtime.bigint();
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly out: Writable,
    private readonly owned: boolean,
    options: TraceOptions,
  ) {
    this.redactNames = new Set(options.redact ?? []);
    this.startNs = BigInt(Date.now()) * 1_000_000n;
    out.on('error', (err: Error) => (this.failure ??= err));
  }

  /**
   * Opens `options.file` and writes the header.
   * @throws (as a rejection) the file system's error when the file cannot be created.
   */
  static async open(options: TraceOptions): Promise<TraceRecorder> {
    const owned = typeof options.file === 'string';
    const out = typeof options.file === 'string' ? createWriteStream(options.file) : options.file;
    if (owned) await once(out, 'open');
    const recorder = new TraceRecorder(out, owned, options);
    const header = { magic: TRACE_MAGIC, format: TRACE_FORMAT, ...versions(), time_ns: String(recorder.startNs) };
    recorder.write(HeaderType.encode(HeaderType.fromObject(header)).finish());
    return recorder;
  }

  /** The hooks for one connection, whose message ids are in `table`. */
  forSession(table: IdTable, definitions: Iterable<MessageDef>): SessionTrace {
    const byId = new Map<number, MessageDef>();
    for (const def of definitions) {
      const id = table.idOf(def);
      if (id !== undefined) byId.set(id, def);
    }
    return {
      // The session encoded `value` already: zero-filling here adds only what the call itself zero-filled.
      sent: (def, value, header) => this.record(Direction.sent, def, header._vl_msg_id ?? 0, () => decodeRaw(def, encode(def, value, header, { zeroFill: true }))),
      received: (id, buf, start, end) => {
        const def = byId.get(id);
        if (def) this.record(Direction.received, def, id, () => decodeRaw(def, buf, start, end), buf.subarray(start, end));
        else this.write(RecordType.encode(RecordType.fromObject({ direction: Direction.received, time_ns: this.now(), msg_id: id, error: 'no definition for this message id', raw: Buffer.from(buf.subarray(start, end)) })).finish());
      },
    };
  }

  /**
   * Stops recording; a file opened by the recorder is closed once written.
   * @throws (as a rejection) the error that stopped writing, if one did.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.owned && !this.out.destroyed) {
        this.out.end();
        await once(this.out, 'close').catch(() => undefined);
      }
      if (this.failure) throw this.failure;
    })();
    return this.closing;
  }

  /** Nanoseconds since the epoch, from the start's wall clock and the monotonic clock since. */
  private now(): string {
    return String(this.startNs + (process.hrtime.bigint() - this.startHr));
  }

  private record(direction: number, def: MessageDef, id: number, read: () => unknown, bytes?: Uint8Array): void {
    const rec: Obj = { direction, time_ns: this.now(), name: def.name, crc: def.crc, module: def.module, msg_id: id };
    try {
      const value = read() as Obj;
      rec.context = typeof value.context === 'number' ? value.context : 0;
      if (this.redactNames.size) rec.redacted = redact(def, value, this.redactNames);
      rec.payload = this.schemas.encode(def, value);
    } catch (err) {
      // The call goes on; the record says why it holds no payload (raw bytes only when unredacted).
      rec.error = (err as Error).message;
      if (bytes && !this.redactNames.size) rec.raw = Buffer.from(bytes);
    }
    this.write(RecordType.encode(RecordType.fromObject(rec)).finish());
  }

  private write(body: Uint8Array): void {
    if (this.failure === undefined && !this.closing) this.out.write(frame(body));
  }
}

/** vppkit's version and its bindings' VPP release, from the package's own files. */
function versions(): { vppkit_version: string; bindings: string } {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    let pkg: { name?: string; version?: string };
    try {
      pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    if (pkg.name !== 'vppkit') continue;
    return { vppkit_version: pkg.version ?? '', bindings: bindingsRelease(dir) };
  }
  return { vppkit_version: '', bindings: '' };
}

function bindingsRelease(packageDir: URL): string {
  try {
    return `VPP ${(JSON.parse(readFileSync(new URL('api-json/manifest.json', packageDir), 'utf8')) as { vpp: string }).vpp}`;
  } catch {
    return '';
  }
}
