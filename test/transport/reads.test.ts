import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameReader, type SocketTransport, connectSocket } from '../../src/transport/index.js';
import { framed } from '../helpers/frames.js';

/** A payload of `n` bytes (at least 2) that says which it is: its index, then bytes from it. */
function payload(i: number, n: number): Buffer {
  const b = Buffer.alloc(Math.max(n, 4));
  b.writeUInt32BE(i);
  for (let k = 4; k < b.length; k++) b[k] = (i * 31 + k) & 0xff;
  return b;
}

describe('FrameReader.moveTail', () => {
  it('moves an unfinished frame so that reading goes on after it in a reused buffer: any split gives the same payloads', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 900 }), { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }), (sizes, reads) => {
        const payloads = sizes.map((n, i) => payload(i, n));
        const stream = framed(payloads);
        const got: string[] = [];
        const reader = new FrameReader(1 << 20, (buf, start, end) => got.push(buf.subarray(start, end).toString('hex')));
        // One 2 KiB buffer read into again and again, as the socket transport reads: a frame of
        // more than 1 KiB cannot move, and a new buffer takes over.
        let slab = Buffer.alloc(2048);
        let used = 0;
        let from = 0;
        for (let r = 0; from < stream.length; r++) {
          if (slab.length - used < 700) {
            const moved = reader.moveTail(slab, 1024);
            if (moved < 0) slab = Buffer.alloc(2048);
            used = Math.max(moved, 0);
          }
          const n = Math.min(reads[r % reads.length]!, slab.length - used, stream.length - from);
          stream.copy(slab, used, from, from + n);
          reader.push(slab.subarray(used, used + n));
          used += n;
          from += n;
        }
        expect(got).toEqual(payloads.map((p) => p.toString('hex')));
      }),
    );
  });

  it('moves nothing while it holds chunks back (paused)', () => {
    const stream = framed([payload(0, 10), payload(1, 10)]);
    const reader = new FrameReader(1024, () => reader.pause());
    reader.push(stream.subarray(0, stream.length - 3));
    expect(reader.moveTail(Buffer.alloc(64), 64)).toBe(-1);
  });
});

describe('socket reads into a reused buffer', () => {
  /** A server that writes `stream` to each client in pieces of the given sizes. */
  async function serve(stream: Buffer, pieces: number[]): Promise<{ path: string; server: Server; dir: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'vppkit-reads-'));
    const path = join(dir, 's.sock');
    const server = createServer((s: Socket) => {
      let from = 0;
      for (let i = 0; from < stream.length; i++) {
        const n = pieces[i % pieces.length]!;
        s.write(stream.subarray(from, from + n));
        from += n;
      }
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { path, server, dir };
  }

  /** A kept payload, read in place until the transport detaches it: then from its own copy. */
  interface Kept {
    i: number;
    bytes: Buffer;
    detached: boolean;
    detach(): void;
  }

  /** Reads the payloads of `stream`, written in `pieces`; `keep` says which to keep past their delivery. */
  async function readAll(stream: Buffer, count: number, pieces: number[], keep: (i: number) => boolean) {
    const { path, server, dir } = await serve(stream, pieces);
    const got: string[] = [];
    const kept: Kept[] = [];
    const buffers = new Set<ArrayBufferLike>();
    let transport: SocketTransport | undefined;
    const all = new Promise<void>((resolve, reject) => {
      const listener = {
        message(buf: Buffer, start: number, end: number) {
          const i = buf.readUInt32BE(start);
          got.push(buf.subarray(start, end).toString('hex'));
          buffers.add(buf.buffer);
          if (keep(i)) {
            const k: Kept = {
              i,
              bytes: buf.subarray(start, end),
              detached: false,
              detach() {
                this.bytes = Buffer.from(this.bytes);
                this.detached = true;
              },
            };
            transport!.keep(k);
            kept.push(k);
          }
          if (got.length === count) resolve();
        },
        closed: (cause: Error | undefined) => reject(cause ?? new Error('closed early')),
      };
      connectSocket(path, listener, { maxFrameSize: 1 << 20, signal: new AbortController().signal }).then((t) => (transport = t), reject);
    });
    try {
      await all;
    } finally {
      transport?.destroy();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
    return { got, kept, buffers };
  }

  // 3 MB in payloads of up to 60 KB, written in uneven pieces: the 256 KiB read buffer fills many times over.
  const payloads = Array.from({ length: 150 }, (_, i) => payload(i, 2 + ((i * 7919) % 60_000)));
  const stream = framed(payloads);
  const pieces = [1000, 70_000, 4096, 30_000, 17];

  it('hands over every payload intact, reading into one buffer again and again', async () => {
    const { got, buffers } = await readAll(stream, payloads.length, pieces, () => false);
    expect(got).toEqual(payloads.map((p) => p.toString('hex')));
    expect(buffers.size).toBe(1);
  });

  it('tells each kept payload (a view) to copy itself out before reading over it, and still reads into one buffer', async () => {
    const { got, kept, buffers } = await readAll(stream, payloads.length, pieces, (i) => i % 3 === 0);
    expect(got).toEqual(payloads.map((p) => p.toString('hex')));
    expect(kept.length).toBe(50);
    for (const k of kept) expect(k.bytes.equals(payloads[k.i]!), `payload ${k.i}`).toBe(true);
    // Payloads kept in every pass over the buffer but the last were detached.
    expect(kept.filter((k) => k.detached).length).toBeGreaterThan(40);
    expect(buffers.size).toBe(1);
  });
});
