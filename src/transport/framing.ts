/**
 * The socket's framing: a 16-byte header (`q`, big-endian u32 payload length, timestamp) before
 * every message, both ways. Pure byte handling, no I/O.
 *
 * @module
 */
import { SCRATCH_SIZE, Writer } from '../codec/buffers.js';
import { ProtocolError } from '../errors/index.js';

/** Bytes before every payload. */
export const FRAME_HEADER_SIZE = 16;
/** Where the payload length sits in the header. */
const LENGTH_OFFSET = 8;
/** A payload must at least hold the u16 message id. */
const MIN_PAYLOAD = 2;
/** The most the header's u32 length can announce. */
const MAX_PAYLOAD = 0xffffffff;

/**
 * `value` as a limit on payload sizes: a whole number of bytes the header can announce, so that
 * every frame over it is refused before a byte of it is allocated.
 * @throws TypeError for a value that is not a number, RangeError for one out of range.
 */
export function frameLimit(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: maxFrameSize must be a number of bytes, got ${typeof value}`);
  if (!Number.isInteger(value) || value < MIN_PAYLOAD || value > MAX_PAYLOAD) {
    throw new RangeError(`${where}: maxFrameSize must be a whole number of bytes in ${MIN_PAYLOAD}..${MAX_PAYLOAD}, got ${value}`);
  }
  return value;
}

/** Writes at `buf[at..]` the header of a frame announcing `length` payload bytes: `q` and the timestamp 0. */
export function writeFrameHeader(buf: Buffer, at: number, length: number): void {
  buf.fill(0, at, at + LENGTH_OFFSET);
  buf.writeUInt32BE(length, at + LENGTH_OFFSET);
  buf.writeUInt32BE(0, at + LENGTH_OFFSET + 4);
}

/** Receives one whole payload: `buf[start..end)`, valid only during the call. */
export type FrameHandler = (buf: Buffer, start: number, end: number) => void;

/**
 * Cuts a byte stream into payloads. Payloads that lie within one chunk are handed over in place,
 * without copying. The unfinished end of a chunk is kept as it is: when the next chunk follows it
 * in memory (reads into one buffer, as the socket transport does), the two are read as one and a
 * payload split between them is handed over in place too; otherwise the payload is assembled,
 * into a buffer of its exact size. Chunks must not be written to once pushed, until the reader is
 * done with them ({@link moveTail}). It can stop
 * between two payloads ({@link pause}) and keeps the rest of the chunk for {@link resume}, so a
 * paused reader holds at most one chunk and one partial payload.
 */
export class FrameReader {
  /** True while no payloads are handed over. */
  paused = false;
  private readonly header = Buffer.alloc(FRAME_HEADER_SIZE);
  private headerFill = 0;
  /** The payload being assembled across chunks. */
  private partial: Buffer | null = null;
  private partialFill = 0;
  /**
   * The last chunk's unfinished end (a frame begun), not yet copied: `tail[tailStart..tailEnd)`
   * (see {@link FrameReader}). Kept as offsets, so that a read costs no buffer object.
   */
  private tail: Buffer | null = null;
  private tailStart = 0;
  private tailEnd = 0;
  /** Chunks (and where to continue in the first) left while paused. */
  private backlog: Buffer[] = [];
  private backlogPos = 0;
  private stopped = false;

  /**
   * Creates a reader that refuses payloads over `maxFrameSize` bytes, sent by `peer` (named in
   * its errors).
   * @throws RangeError when `maxFrameSize` is not a whole number of bytes a header can announce.
   */
  constructor(
    private readonly maxFrameSize: number,
    private readonly onFrame: FrameHandler,
    private readonly peer = 'VPP',
  ) {
    frameLimit(maxFrameSize, 'FrameReader');
  }

  /**
   * Takes the next chunk of the stream: `buf[start..end)`, all of `buf` by default.
   * @throws `ProtocolError` for a payload over the limit or too short to hold a message id.
   */
  push(buf: Buffer, start = 0, end = buf.length): void {
    if (this.stopped) return;
    if (this.paused || this.backlog.length > 0) {
      this.backlog.push(buf.subarray(start, end));
      return;
    }
    this.feed(buf, start, end);
  }

  /** Stops handing over payloads after the current one. */
  pause(): void {
    this.paused = true;
  }

  /** Hands over what was held back, unless a handler pauses again. */
  resume(): void {
    this.paused = false;
    while (this.backlog.length > 0 && !this.paused && !this.stopped) {
      const chunk = this.backlog.shift()!;
      const pos = this.backlogPos;
      this.backlogPos = 0;
      this.feed(chunk, pos, chunk.length);
    }
  }

  /**
   * Moves the unfinished frame at the end of the last chunk (see {@link FrameReader}) to the start
   * of `into`, and returns its length: the next chunk must then follow it there, and the buffer it
   * lay in is no longer read. Returns -1 and moves nothing while chunks are held back (paused), or
   * when that frame's bytes are more than `max`.
   */
  moveTail(into: Buffer, max: number): number {
    const t = this.tail;
    const n = this.tailEnd - this.tailStart;
    if (this.backlog.length > 0 || (t !== null && n > max)) return -1;
    if (t === null) return 0;
    t.copy(into, 0, this.tailStart, this.tailEnd); // a copy within one buffer is safe even when the ranges overlap
    this.tail = into;
    this.tailStart = 0;
    this.tailEnd = n;
    return n;
  }

  /** Drops everything; later chunks are ignored. */
  stop(): void {
    this.stopped = true;
    this.backlog = [];
    this.partial = null;
    this.tail = null;
  }

  /** Parses `buf[pos..end)` after the tail: as one with it when it follows the tail in memory. */
  private feed(buf: Buffer, pos: number, end: number): void {
    const t = this.tail;
    if (t !== null) {
      this.tail = null;
      if (t === buf && this.tailEnd === pos) {
        this.parse(buf, this.tailStart, end, true);
        return;
      }
      if (t.buffer === buf.buffer && t.byteOffset + this.tailEnd === buf.byteOffset + pos) {
        const joined = Buffer.from(t.buffer, t.byteOffset + this.tailStart, this.tailEnd - this.tailStart + end - pos);
        this.parse(joined, 0, joined.length, true);
        return;
      }
      this.parse(t, this.tailStart, this.tailEnd, false); // an unfinished frame: copied into the header or the partial payload
    }
    this.parse(buf, pos, end, true);
  }

  /** Parses `chunk[pos..n)`; an unfinished frame at its end is kept in place if `inPlace`, else copied. */
  private parse(chunk: Buffer, pos: number, n: number, inPlace: boolean): void {
    while (pos < n) {
      if (this.paused || this.stopped) {
        if (!this.stopped) this.keep(chunk.subarray(0, n), pos);
        return;
      }
      if (this.partial !== null) {
        const take = Math.min(this.partial.length - this.partialFill, n - pos);
        chunk.copy(this.partial, this.partialFill, pos, pos + take);
        this.partialFill += take;
        pos += take;
        if (this.partialFill === this.partial.length) {
          const whole = this.partial;
          this.partial = null;
          this.onFrame(whole, 0, whole.length);
        }
        continue;
      }
      if (inPlace && this.headerFill === 0 && n - pos < FRAME_HEADER_SIZE) {
        this.keepTail(chunk, pos, n);
        return;
      }
      if (this.headerFill > 0 || n - pos < FRAME_HEADER_SIZE) {
        const take = Math.min(FRAME_HEADER_SIZE - this.headerFill, n - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < FRAME_HEADER_SIZE) return;
        this.headerFill = 0;
        this.startPartial(this.checkLength(this.header.readUInt32BE(LENGTH_OFFSET)));
        continue;
      }
      const len = this.checkLength(chunk.readUInt32BE(pos + LENGTH_OFFSET));
      const start = pos + FRAME_HEADER_SIZE;
      if (start + len <= n) {
        pos = start + len;
        this.onFrame(chunk, start, pos);
      } else if (inPlace) {
        this.keepTail(chunk, pos, n);
        return;
      } else {
        this.startPartial(len);
        pos = start;
      }
    }
  }

  private keepTail(buf: Buffer, start: number, end: number): void {
    this.tail = buf;
    this.tailStart = start;
    this.tailEnd = end;
  }

  private keep(chunk: Buffer, pos: number): void {
    this.backlog.unshift(chunk);
    this.backlogPos = pos;
  }

  private startPartial(len: number): void {
    this.partial = Buffer.allocUnsafe(len);
    this.partialFill = 0;
  }

  private checkLength(len: number): number {
    if (len > this.maxFrameSize) {
      throw new ProtocolError(`${this.peer} sent a frame of ${len} bytes, over the limit of ${this.maxFrameSize} (maxFrameSize)`);
    }
    if (len < MIN_PAYLOAD) throw new ProtocolError(`${this.peer} sent a frame of ${len} bytes, too short to hold a message id`);
    return len;
  }
}

/**
 * Collects outgoing messages, each behind its frame header, into one buffer that is written with
 * a single socket write. Encode a payload between {@link begin} and {@link commit}.
 */
export class FrameWriter {
  /** The shared encoding buffer. */
  readonly out = new Writer(SCRATCH_SIZE);
  private frameStart = 0;

  /** Reserves a frame header and returns the writer positioned for the payload. */
  begin(): Writer {
    const w = this.out;
    if (w.pos + FRAME_HEADER_SIZE > w.buf.length) w.grow(FRAME_HEADER_SIZE);
    this.frameStart = w.pos;
    w.pos += FRAME_HEADER_SIZE;
    return w;
  }

  /** Completes the frame begun last: fills in its header. */
  commit(): void {
    const { buf, pos } = this.out;
    writeFrameHeader(buf, this.frameStart, pos - this.frameStart - FRAME_HEADER_SIZE);
  }

  /** Forgets the frame begun last (its payload failed to encode). */
  cancel(): void {
    this.out.pos = this.frameStart;
  }

  /** Bytes waiting to be written. */
  get size(): number {
    return this.out.pos;
  }

  /**
   * The frames collected so far, as a buffer the caller owns; the writer starts over. Frames that
   * outgrew the first buffer are handed over in the buffer they grew in, and the writer takes a
   * new one: a copy would hold them twice (26 MB each for a burst of a million requests).
   */
  take(): Buffer {
    const { buf, pos } = this.out;
    let batch: Buffer;
    if (buf.length > SCRATCH_SIZE) batch = buf.subarray(0, pos);
    else {
      batch = Buffer.allocUnsafe(pos);
      buf.copy(batch, 0, 0, pos);
    }
    this.out.shrink(SCRATCH_SIZE);
    return batch;
  }
}
