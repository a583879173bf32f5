import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/client/index.js';
import { Deadlines, MAX_TIME_LIMITS } from '../../src/client/deadlines.js';
import { ContextTable } from '../../src/protocol/contexts.js';
import { FRAME_HEADER_SIZE, FrameReader, FrameWriter } from '../../src/transport/index.js';
import { framed } from '../helpers/frames.js';

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

  it('hands over frames that outgrew its buffer as they lie, and later frames go to a buffer of their own', () => {
    const w = new FrameWriter();
    const payload = Buffer.alloc(100 * 1024, 0xab);
    const out = w.begin();
    out.grow(payload.length);
    out.pos += payload.copy(out.buf, out.pos);
    w.commit();
    const grown = w.out.buf;
    const batch = w.take();
    expect(batch.buffer).toBe(grown.buffer); // not copied
    expect(batch.length).toBe(FRAME_HEADER_SIZE + payload.length);
    w.begin().buf.fill(0xcd, w.out.pos, w.out.pos + 2);
    w.out.pos += 2;
    w.commit();
    expect(w.take().subarray(FRAME_HEADER_SIZE).toString('hex')).toBe('cdcd');
    expect(batch.readUInt32BE(8)).toBe(payload.length);
    expect(batch.subarray(FRAME_HEADER_SIZE).equals(payload)).toBe(true);
  });

  it('copies frames that fit its buffer, which it keeps', () => {
    const w = new FrameWriter();
    const kept = w.out.buf;
    const out = w.begin();
    out.buf.writeUInt16BE(0x0102, out.pos);
    out.pos += 2;
    w.commit();
    const batch = w.take();
    expect(batch.buffer).not.toBe(kept.buffer);
    expect(w.out.buf).toBe(kept);
    expect(batch.subarray(FRAME_HEADER_SIZE).toString('hex')).toBe('0102');
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
  /** A table of named calls whose expiries go to `expired`, as `name/ms`. */
  function setup(): { t: ContextTable<string>; d: Deadlines; expired: string[] } {
    const t = new ContextTable<string>();
    const expired: string[] = [];
    const d = new Deadlines(t, (context, ms) => {
      expired.push(`${t.get(context)}/${ms}`);
      t.delete(context);
    });
    return { t, d, expired };
  }

  it('expires every call, and never a removed one, whatever its place in its list', async () => {
    const { t, d, expired } = setup();
    const c = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => [n, t.add(n)]));
    d.add(c.a!, 60);
    d.add(c.b!, 10);
    d.add(c.c!, 60);
    d.add(c.d!, 10);
    d.add(c.e!, 30);
    d.add(c.f!, 60);
    d.add(c.g!, Infinity);
    d.remove(c.c!); // the middle of the 60 ms list
    d.remove(c.b!); // the head of the 10 ms list
    d.remove(c.e!); // the only one of the 30 ms list
    d.remove(c.g!); // none
    await new Promise((r) => setTimeout(r, 120));
    expect(expired.sort()).toEqual(['a/60', 'd/10', 'f/60']);
    d.clear();
  });

  it('restarts a refreshed call from now, and leaves a call without a deadline without one', async () => {
    const { t, d, expired } = setup();
    const a = t.add('a');
    const b = t.add('b');
    const none = t.add('none');
    d.add(a, 40);
    await new Promise((r) => setTimeout(r, 5));
    d.add(b, 40);
    d.refresh({ context: a }, 40);
    d.refresh({ context: none }, 40);
    await new Promise((r) => setTimeout(r, 100));
    expect(expired).toEqual(['b/40', 'a/40']);
    d.clear();
  });

  it('keeps the lists through the table’s growth', async () => {
    const { t, d, expired } = setup();
    const contexts = Array.from({ length: 1000 }, (_, i) => t.add(`c${i}`));
    for (const c of contexts) d.add(c, 20); // the table grows from 256 slots meanwhile
    for (const c of contexts.slice(0, 500)) d.remove(c);
    await new Promise((r) => setTimeout(r, 80));
    expect(expired).toEqual(contexts.slice(500).map((_, i) => `c${500 + i}/20`));
    d.clear();
  });

  it('keeps the lists through the table’s shrinking', async () => {
    const { t, d, expired } = setup();
    const contexts = Array.from({ length: 1000 }, (_, i) => t.add(`c${i}`));
    for (const c of contexts) d.add(c, 20);
    for (const c of contexts.slice(0, 700)) {
      d.remove(c);
      t.delete(c); // the table halves twice meanwhile, from 2,048 slots to 512, and again as the rest expire
    }
    expect(t.deadline.length).toBe(512);
    await new Promise((r) => setTimeout(r, 80));
    expect(expired).toEqual(contexts.slice(700).map((_, i) => `c${700 + i}/20`));
    d.clear();
  });

  it(`refuses a time limit past ${MAX_TIME_LIMITS} different ones in use`, () => {
    const { t, d } = setup();
    for (let ms = 1; ms <= MAX_TIME_LIMITS; ms++) d.add(t.add('x'), 1e6 + ms);
    const c = t.add('one too many');
    expect(() => d.add(c, 1)).toThrow(`calls in flight already have ${MAX_TIME_LIMITS} different time limits (timeout); no more fit`);
    d.add(c, 1e6 + 1); // a limit already in use still fits
    d.clear();
  });
});
