import { describe, expect, it } from 'vitest';
import { StatsBusyError, StatsClosedError, StatsSegmentError, openStatsSegment } from '../../src/stats/index.js';
import { ENTRY, HEADER } from '../../src/stats/layout.js';
import { buildSegment, vppLikeEntries } from '../helpers/stats-segment.js';

const c = (packets: number, bytes: number) => ({ packets: BigInt(packets), bytes: BigInt(bytes) });

describe('stats reader over a segment in memory', () => {
  it('lists entries by pattern, removed ones left out', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    expect(await stats.ls('^/if/')).toEqual(['/if/names', '/if/rx', '/if/tx', '/if/drops', '/if/rx-error', '/if/tx-error']);
    expect(await stats.ls(['ttl', '^/interfaces/'])).toEqual(['/interfaces/pg0/rx', '/interfaces/pg0/drops', '/err/ip4-input/ip4 ttl expired']);
    expect((await stats.ls()).length).toBe(vppLikeEntries().length - 1);
    await expect(stats.ls('([')).rejects.toThrow(/pattern "\(\[" is not a regular expression/);
  });

  it('dumps every entry type as typed values', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    const d = await stats.dump();
    expect(d.get('/sys/boottime')).toEqual({ type: 'scalar', value: 1_796_164_542n });
    expect(d.get('/sys/vector_rate')).toEqual({ type: 'gauge', value: 3n });
    expect(d.get('/if/drops')).toEqual({ type: 'simple', perThread: [[0n, 4n, 0n], [0n, 1n, 0n]] });
    expect(d.get('/if/tx')).toEqual({ type: 'combined', perThread: [[c(0, 0), c(1, 60), c(0, 0)], [c(0, 0), c(2, 120), c(0, 0)]] });
    expect(d.get('/if/names')).toEqual({ type: 'name', names: ['local0', 'pg0', 'deleted', null] });
    expect(d.get('/interfaces/pg0/rx')).toEqual({ type: 'symlink-combined', target: '/if/rx', index: 1, perThread: [c(10, 640), c(5, 320)] });
    expect(d.get('/interfaces/pg0/drops')).toEqual({ type: 'symlink-simple', target: '/if/drops', index: 1, perThread: [4n, 1n] });
    expect(d.get('/histogram/x')).toEqual({ type: 'histogram-log2', perThread: [{ minExp: 2, bins: [1n, 2n] }, { minExp: 0, bins: [] }] });
    expect(d.get('/ring/x')).toEqual({ type: 'ring-buffer', entrySize: 32, ringSize: 8, schemaVersion: 1, perThread: [{ head: 3, sequence: 11n, schemaVersion: 1 }] });
  });

  it('sums interfaces over threads, keyed by name and sw_if_index, deleted ones left out', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    const [local0, pg0, ...rest] = await stats.interfaces();
    expect(rest).toEqual([]);
    expect(local0).toMatchObject({ swIfIndex: 0, name: 'local0', rx: c(0, 0), drops: 0n });
    expect(pg0).toMatchObject({ swIfIndex: 1, name: 'pg0', rx: c(15, 960), tx: c(3, 180), drops: 5n, rxErrors: 1n, txErrors: 2n });
    expect(pg0!.counters['rx-error']).toBe(1n);
    expect(pg0!.perThread.rx).toEqual([c(10, 640), c(5, 320)]);
    expect(pg0!.perThread.drops).toEqual([4n, 1n]);
  });

  it('gives non-zero errors, nodes and system figures', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    expect(await stats.errors()).toEqual([{ path: '/err/ip4-input/ip4 ttl expired', node: 'ip4-input', reason: 'ip4 ttl expired', value: 7n, perThread: [3n, 4n] }]);
    expect((await stats.nodes())[0]).toEqual({ index: 0, name: 'ip4-input', calls: 3n, vectors: 15n, clocks: 1500n, suspends: 0n, vectorsPerCall: 5, clocksPerVector: 100 });
    const sys = await stats.system();
    expect(sys).toMatchObject({ vectorRate: 3n, inputRate: 5n, workerThreads: 1n, vectorRatePerThread: [1n, 2n], loopsPerThread: [100n, 200n], heartbeat: 7n, lastUpdate: 10n });
    expect(sys.heaps).toEqual([{ name: 'main heap', total: 1000n, used: 400n, free: 600n, usedMmap: 0n, totalAlloc: 1000n, freeChunks: 3n, releasable: 500n }]);
    expect(sys.bufferPools).toEqual([{ name: 'default-numa-0', cached: 1n, used: 2n, available: 3n }]);
  });

  it('says how to get node counters when VPP does not publish them', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries().filter((e) => !e.name.startsWith('/sys/node/'))).buffer);
    await expect(stats.nodes()).rejects.toThrow(/per-node-counters on/);
  });

  it('refuses a version other than 2, and a buffer smaller than the header', () => {
    expect(() => openStatsSegment(buildSegment(vppLikeEntries(), { version: 1 }).buffer)).toThrow(new StatsSegmentError('version 1; this reader knows version 2 only'));
    expect(() => openStatsSegment(new ArrayBuffer(16))).toThrow(StatsSegmentError);
  });

  it('names the entry whose data points outside the segment, and reads the others', async () => {
    const seg = buildSegment(vppLikeEntries());
    seg.view.setBigUint64(seg.entryOffset(15) + ENTRY.value, BigInt(seg.base + seg.buffer.byteLength + 64), true);
    const stats = openStatsSegment(seg.buffer);
    await expect(stats.dump('^/if/tx$')).rejects.toThrow(/stats segment: \/if\/tx: per-thread vector: pointer 0x[0-9a-f]+ is outside the segment/);
    await expect(stats.interfaces()).rejects.toThrow(/\/if\/tx/);
    expect((await stats.dump('^/if/rx$')).get('/if/rx')?.type).toBe('combined');
  });

  it('refuses a vector whose length overruns the segment, and a symlink beyond the directory', async () => {
    const seg = buildSegment(vppLikeEntries());
    const names = Number(seg.view.getBigUint64(seg.entryOffset(13) + ENTRY.value, true)) - seg.base;
    seg.view.setUint32(names - 8, 0xffff_ffff, true);
    seg.view.setUint32(seg.entryOffset(19) + ENTRY.index1, 9999, true);
    const stats = openStatsSegment(seg.buffer);
    await expect(stats.dump('^/if/names$')).rejects.toThrow(/\/if\/names: name vector: 4294967295 elements of 8 bytes at offset \d+ overrun the segment's 1048576 bytes/);
    await expect(stats.dump('^/interfaces/pg0/rx$')).rejects.toThrow(/symlink to entry 9999, beyond the directory's 32/);
  });

  it('waits while VPP holds the lock, and reads once it lets go', async () => {
    const seg = buildSegment(vppLikeEntries());
    seg.view.setBigUint64(HEADER.inProgress, 1n, true);
    const stats = openStatsSegment(seg.buffer);
    const read = stats.dump('^/sys/heartbeat$');
    setTimeout(() => {
      seg.view.setBigUint64(HEADER.epoch, 1n, true);
      seg.view.setBigUint64(HEADER.inProgress, 0n, true);
    }, 20);
    expect((await read).get('/sys/heartbeat')).toEqual({ type: 'scalar', value: 7n });
  });

  it('gives up with StatsBusyError when the lock is never released', async () => {
    const seg = buildSegment(vppLikeEntries());
    seg.view.setBigUint64(HEADER.inProgress, 1n, true);
    await expect(openStatsSegment(seg.buffer, { timeout: 30 }).ls()).rejects.toThrow(StatsBusyError);
  });

  it('re-reads the directory when the epoch moves', async () => {
    const seg = buildSegment(vppLikeEntries());
    const stats = openStatsSegment(seg.buffer);
    expect(await stats.ls('^/sys/heartbeat$')).toEqual(['/sys/heartbeat']);
    new Uint8Array(seg.buffer).set(new TextEncoder().encode('/sys/heartbeaT'), seg.entryOffset(0) + ENTRY.name);
    expect(await stats.ls('^/sys/heartbea')).toEqual(['/sys/heartbeat']);
    seg.view.setBigUint64(HEADER.epoch, 2n, true);
    expect(await stats.ls('^/sys/heartbea')).toEqual(['/sys/heartbeaT']);
  });

  it('refuses every read once closed', async () => {
    const stats = openStatsSegment(buildSegment(vppLikeEntries()).buffer);
    stats.close();
    stats.close();
    await expect(stats.ls()).rejects.toThrow(StatsClosedError);
  });
});

describe('stats patterns', () => {
  it('match as regular expressions, a plain ^prefix by startsWith with the same result', async () => {
    const { compilePatterns } = await import('../../src/stats/patterns.js');
    const names = ['/if/rx', '/if/rx-error', '/interfaces/pg0/rx', '/err/ip4-input/x', 'x/if/rx'];
    for (const p of ['^/if/', '^/if/rx$', '/if/', '^/i.', 'rx$', '^/err/ip4-input/']) {
      const [compiled] = compilePatterns(p);
      expect(names.filter((n) => compiled!.test(n)), p).toEqual(names.filter((n) => new RegExp(p).test(n)));
    }
  });
});
