import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/client/index.js';
import { Deadlines, type Timed, type TimedLink } from '../../src/client/deadlines.js';
import { FRAME_HEADER_SIZE, FrameReader, FrameWriter } from '../../src/transport/index.js';

/** Frames `payloads` the way FrameWriter does. */
function framed(payloads: Buffer[]): Buffer {
  const w = new FrameWriter();
  for (const p of payloads) {
    const out = w.begin();
    out.grow(p.length);
    p.copy(out.buf, out.pos);
    out.pos += p.length;
    w.commit();
  }
  return w.take();
}

function collect(max = 1 << 20): { reader: FrameReader; got: string[] } {
  const got: string[] = [];
  const reader = new FrameReader(max, (buf, start, end) => got.push(buf.subarray(start, end).toString('hex')));
  return { reader, got };
}

describe('FrameWriter', () => {
  it('writes the 16-byte header: q = 0, big-endian length, timestamp 0', () => {
    const bytes = framed([Buffer.from('0102', 'hex'), Buffer.from('aabbcc', 'hex')]);
    expect(bytes.toString('hex')).toBe(
      '0000000000000000' + '00000002' + '00000000' + '0102' + '0000000000000000' + '00000003' + '00000000' + 'aabbcc',
    );
  });

  it('forgets a cancelled frame', () => {
    const w = new FrameWriter();
    w.begin().pos += 4;
    w.cancel();
    expect(w.size).toBe(0);
  });
});

describe('FrameReader', () => {
  // Chunks as views of one stream (split payloads handed over in place), or each with memory of its own (split payloads copied).
  it.each([
    ['views of one buffer', (chunk: Buffer) => chunk],
    ['chunks with memory of their own', (chunk: Buffer) => Buffer.from(new Uint8Array(chunk).buffer)],
  ])('cuts any split of a byte stream into the same payloads: %s', (_, chunkOf) => {
    const payload = fc.uint8Array({ minLength: 2, maxLength: 300 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (payloads, cuts) => {
        const stream = framed(payloads);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const { reader, got } = collect();
        let from = 0;
        for (const p of [...points, stream.length]) {
          reader.push(chunkOf(stream.subarray(from, p)));
          from = p;
        }
        expect(got).toEqual(payloads.map((p) => p.toString('hex')));
      }),
    );
  });

  it('hands over a payload split between chunks that follow each other in memory in place, without a copy', () => {
    const payloads = [Buffer.alloc(100, 1), Buffer.alloc(300, 2)];
    const stream = framed(payloads);
    const seen: { buffer: ArrayBufferLike; hex: string }[] = [];
    const reader = new FrameReader(1024, (buf, start, end) => seen.push({ buffer: buf.buffer, hex: buf.subarray(start, end).toString('hex') }));
    for (const [a, b] of [[0, 10], [10, 150], [150, 300], [300, stream.length]]) reader.push(stream.subarray(a, b));
    expect(seen.map((s) => s.hex)).toEqual(payloads.map((p) => p.toString('hex')));
    expect(seen.every((s) => s.buffer === stream.buffer)).toBe(true);
  });

  it('pauses between payloads, keeps the rest, and resumes where it stopped', () => {
    const payloads = [1, 2, 3, 4].map((n) => Buffer.from([0, n, n]));
    const got: number[] = [];
    const reader = new FrameReader(1024, (buf, start) => {
      got.push(buf[start + 1]!);
      if (got.length === 2) reader.pause();
    });
    const stream = framed(payloads);
    reader.push(stream.subarray(0, 40));
    reader.push(stream.subarray(40));
    expect(got).toEqual([1, 2]);
    reader.resume();
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('refuses a frame over the limit as soon as its header is in', () => {
    const { reader, got } = collect(100);
    const header = Buffer.alloc(FRAME_HEADER_SIZE);
    header.writeUInt32BE(101, 8);
    expect(() => reader.push(header)).toThrow(ProtocolError);
    expect(got).toEqual([]);
  });

  it('refuses a frame too short to hold a message id', () => {
    const { reader } = collect();
    expect(() => reader.push(framed([Buffer.from([7])]))).toThrow(/too short/);
  });
});

describe('Deadlines', () => {
  class Node implements Timed {
    deadline = 0;
    prevTimed: TimedLink | null = null;
    nextTimed: TimedLink | null = null;
    constructor(readonly name: string, readonly expired: string[]) {}
    expire(): void {
      this.expired.push(this.name);
    }
  }

  it('expires every node, and never a removed one', async () => {
    const d = new Deadlines();
    const expired: string[] = [];
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((n) => new Node(n, expired));
    d.add(nodes[0]!, 60);
    d.add(nodes[1]!, 10);
    d.add(nodes[2]!, 60);
    d.add(nodes[3]!, 10);
    d.add(nodes[4]!, 30);
    d.remove(nodes[2]!);
    await new Promise((r) => setTimeout(r, 120));
    expect(expired.sort()).toEqual(['a', 'b', 'd', 'e']);
    d.clear();
  });

  it('restarts a refreshed node from now', async () => {
    const d = new Deadlines();
    const expired: string[] = [];
    const a = new Node('a', expired);
    const b = new Node('b', expired);
    d.add(a, 40);
    await new Promise((r) => setTimeout(r, 5));
    d.add(b, 40);
    d.refresh(a, 40);
    await new Promise((r) => setTimeout(r, 100));
    expect(expired).toEqual(['b', 'a']);
    d.clear();
  });
});
