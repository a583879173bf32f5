/**
 * A segment of random bytes, or a good one with random bytes written over it (pointers leading
 * anywhere, lengths of any size), gives a StatsSegmentError (or StatsBusyError, when the bytes
 * say VPP holds the lock) and never a crash, a hang or another error: every read is checked
 * against the segment's size before it happens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatsBusyError, StatsSegmentError, openStatsSegment } from '../../src/stats/index.js';
import { HEADER } from '../../src/stats/layout.js';
import type { StatsReader } from '../../src/stats/types.js';
import { buildSegment, vppLikeEntries } from '../helpers/stats-segment.js';

const SIZE = 64 * 1024;

/** Runs every read of the reader; each either succeeds or fails with the segment's own errors. */
async function readEverything(buffer: ArrayBuffer): Promise<void> {
  let stats: StatsReader;
  try {
    stats = openStatsSegment(buffer, { timeout: 5 });
  } catch (err) {
    expect(err).toBeInstanceOf(StatsSegmentError);
    return;
  }
  const reads: (() => Promise<unknown>)[] = [() => stats.ls(), () => stats.dump(), () => stats.interfaces(), () => stats.errors(), () => stats.nodes(), () => stats.system()];
  for (const read of reads) {
    try {
      await read();
    } catch (err) {
      if (!(err instanceof StatsSegmentError || err instanceof StatsBusyError)) throw err;
    }
  }
}

describe('stats reader on hostile segments', () => {
  it('survives random bytes with a valid version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 4096 }), async (bytes) => {
        const buffer = new ArrayBuffer(Math.max(bytes.length, HEADER.size));
        new Uint8Array(buffer).set(bytes);
        if (bytes.length >= 8) new DataView(buffer).setBigUint64(HEADER.version, 2n, true);
        await readEverything(buffer);
      }),
      { numRuns: 300 },
    );
  });

  it('survives a real-looking segment with random bytes written over it', async () => {
    const good = buildSegment(vppLikeEntries(), { size: SIZE });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat({ max: SIZE - 8 }), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), kind: fc.constantFrom('u64', 'u32', 'pointer') }), { minLength: 1, maxLength: 8 }),
        async (writes) => {
          const buffer = good.buffer.slice(0);
          const view = new DataView(buffer);
          for (const w of writes) {
            // A pointer near the segment (so that it may land just inside or just outside), or any u64 or u32.
            if (w.kind === 'pointer') view.setBigUint64(w.at, BigInt(good.base) + (w.value % BigInt(2 * SIZE)) - BigInt(SIZE / 2), true);
            else if (w.kind === 'u64') view.setBigUint64(w.at, w.value, true);
            else view.setUint32(w.at, Number(w.value % 2n ** 32n), true);
          }
          await readEverything(buffer);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('can fail: the good segment itself reads without error', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries(), { size: SIZE }).buffer);
    expect((await stats.dump()).size).toBe(vppLikeEntries().length - 1);
  });
});
