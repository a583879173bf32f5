/**
 * The growable output buffer and the bounded input view the compiled codecs work on.
 *
 * @module
 */

/** The size a reusable writer starts at, and shrinks back to after an outsized message. */
export const SCRATCH_SIZE = 64 * 1024;

/** A reusable output buffer. Encoders append at `pos`; `grow` keeps what was written. */
export class Writer {
  buf: Buffer;
  dv: DataView;
  pos = 0;

  /** Creates a writer with `size` bytes of room; it grows as needed. */
  constructor(size = 4096) {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /**
   * Makes room for `n` more bytes after `pos`, in a buffer eight times the size. A buffer costs
   * memory for the pages written, not for its size, while each one outgrown was written full and
   * stays until collected: growing eightfold leaves an eighth of the last size behind, where
   * doubling leaves as much again (a burst of a million requests, 26 MB of frames, took 32 MB more).
   */
  grow(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 8));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * Empties the writer (`pos` = 0) and, if it grew past `size` bytes, gives the memory back, so
   * one outsized message does not keep its buffer for the life of the process.
   */
  shrink(size: number): void {
    this.pos = 0;
    if (this.buf.length <= size) return;
    this.buf = Buffer.allocUnsafeSlow(size);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** A copy of what was written from `start`, which outlives the next reuse of the writer. */
  take(start = 0): Uint8Array {
    return new Uint8Array(this.buf.subarray(start, this.pos));
  }
}

/** A window onto received bytes. Decoders read from `pos` and never past `end`. */
export class Reader {
  buf: Buffer;
  dv: DataView;
  pos: number;
  end: number;

  /** Reads `bytes[start..end)`. */
  constructor(bytes: Uint8Array, start = 0, end = bytes.byteLength) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Points the reader at another message without allocating. */
  reset(bytes: Buffer, start: number, end: number): void {
    if (bytes !== this.buf) {
      this.buf = bytes;
      this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.pos = start;
    this.end = end;
  }
}
