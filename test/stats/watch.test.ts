import { describe, expect, it } from 'vitest';
import { openStatsSegment } from '../../src/stats/index.js';
import { ENTRY } from '../../src/stats/layout.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import { buildSegment, vppLikeEntries } from '../helpers/stats-segment.js';

/** Offset of thread `t`'s counter `i` of the simple or combined entry `entry`. */
function counterOffset(seg: ReturnType<typeof buildSegment>, entry: number, t: number, i: number, size: number): number {
  const threads = Number(seg.view.getBigUint64(seg.entryOffset(entry) + ENTRY.value, true)) - seg.base;
  return Number(seg.view.getBigUint64(threads + t * 8, true)) - seg.base + i * size;
}

describe('stats watch', () => {
  it('gives deltas and rates, a reset when a counter goes down, and ends on break', async () => {
    const seg = buildSegment(vppLikeEntries());
    const stats = openStatsSegment(seg.buffer);
    const drops = counterOffset(seg, 16, 0, 1, 8); // /if/drops, thread 0, pg0: 4
    const rxBytes = counterOffset(seg, 14, 1, 1, 16) + 8; // /if/rx, thread 1, pg0 bytes: 320
    const seen: StatsSnapshot[] = [];
    for await (const snap of stats.watch({ interval: 5, paths: ['^/if/(drops|rx)$', '^/sys/vector_rate$', '^/interfaces/pg0/rx$'] })) {
      seen.push(snap);
      if (seen.length === 1) {
        seg.view.setBigUint64(drops, 10n, true);
        seg.view.setBigUint64(rxBytes, 2n ** 40n + 0xffff_ffffn, true); // above 32 bits: the halves carry
        seg.view.setBigUint64(seg.entryOffset(3) + ENTRY.value, 1n, true); // the gauge goes down
      }
      if (seen.length === 2) seg.view.setBigUint64(drops, 2n, true);
      if (seen.length === 3) break;
    }
    const [first, second, third] = seen as [StatsSnapshot, StatsSnapshot, StatsSnapshot];
    expect(first.elapsed).toBe(0);
    expect(first.counters.get('/if/drops[1]')).toEqual({ key: '/if/drops[1]', value: 5n, delta: 0n, rate: 0, reset: false });
    expect(first.changed).toEqual([]);
    expect([...first.counters.keys()]).toContain('/if/rx[2].bytes');
    expect(second.elapsed).toBeGreaterThan(0);
    const drops2 = second.counters.get('/if/drops[1]')!;
    expect(drops2).toMatchObject({ value: 11n, delta: 6n, reset: false });
    expect(drops2.rate).toBeCloseTo(6 / (second.elapsed / 1000), 6);
    expect(second.counters.get('/if/rx[1].bytes')).toMatchObject({ value: 640n + 2n ** 40n + 0xffff_ffffn, delta: 2n ** 40n + 0xffff_ffffn - 320n });
    expect(second.counters.get('/interfaces/pg0/rx.bytes')).toMatchObject({ value: 640n + 2n ** 40n + 0xffff_ffffn });
    expect(second.counters.get('/sys/vector_rate')).toMatchObject({ value: 1n, delta: -2n, reset: false });
    expect(second.changed.map((c) => c.key)).toEqual(['/sys/vector_rate', '/if/rx[1].bytes', '/if/drops[1]', '/interfaces/pg0/rx.bytes']);
    expect(third.counters.get('/if/drops[1]')).toMatchObject({ value: 3n, delta: 3n, reset: true });
    expect(third.changed).toEqual([third.counters.get('/if/drops[1]')]);
  });

  it('stops when its signal aborts, and refuses a bad interval', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    const abort = new AbortController();
    let n = 0;
    for await (const _ of stats.watch({ interval: 5, signal: abort.signal })) if (++n === 2) abort.abort();
    expect(n).toBe(2);
    await expect(stats.watch({ interval: 0 }).next()).rejects.toThrow(/interval must be a positive number of ms, got 0/);
  });
});
