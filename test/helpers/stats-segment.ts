/**
 * Builds a stats segment in an `ArrayBuffer` for the reader's tests, with the simulator's writer
 * (src/testing/stats-segment.ts): every entry type, at a base address of VPP's choosing, each at
 * the directory index of its place in the list.
 */
import { HEADER } from '../../src/stats/layout.js';
import type { CombinedCounter, Log2Histogram } from '../../src/stats/types.js';
import { type RingBufferSpec, StatsSegment } from '../../src/testing/stats-segment.js';

/** An entry to lay out; a symlink names its target by directory index. */
export type SyntheticEntry =
  | { name: string; type: 'scalar' | 'gauge'; value: bigint }
  | { name: string; type: 'simple'; perThread: bigint[][] }
  | { name: string; type: 'combined'; perThread: CombinedCounter[][] }
  | { name: string; type: 'name'; names: (string | null)[] }
  | { name: string; type: 'symlink'; target: number; index: number }
  | { name: string; type: 'histogram-log2'; perThread: Log2Histogram[] }
  | ({ name: string; type: 'ring-buffer' } & RingBufferSpec)
  | { name: string; type: 'empty' };

/** The segment, and where things are in it (for tests that corrupt them). */
export interface SyntheticSegment {
  readonly buffer: ArrayBuffer;
  readonly view: DataView;
  readonly base: number;
  /** Offset of directory entry i. */
  entryOffset(i: number): number;
}

export const SYNTHETIC_BASE = 0x7f12_3400_0000;

/** Lays out `entries` in a segment of `size` bytes; `version` overwrites the header's, for tests of a wrong one. */
export function buildSegment(entries: readonly SyntheticEntry[], options: { size?: number; base?: number; version?: number } = {}): SyntheticSegment {
  const base = options.base ?? SYNTHETIC_BASE;
  const s = StatsSegment.inMemory({ size: options.size ?? 1 << 20, base: BigInt(base) });
  entries.forEach((e, i) => {
    switch (e.type) {
      case 'scalar':
        return s.addScalar(e.name, e.value);
      case 'gauge':
        return s.addGauge(e.name, e.value);
      case 'simple':
      case 'combined': {
        const index = s.addCounters(e.name, e.type, e.perThread.length, Math.max(0, ...e.perThread.map((row) => row.length)));
        e.perThread.forEach((row, t) => row.forEach((v, k) => (typeof v === 'bigint' ? s.set(index, t, k, v) : s.set(index, t, k, v.packets, v.bytes))));
        return index;
      }
      case 'name': {
        const index = s.addNameVector(e.name);
        e.names.forEach((n, k) => s.setName(index, k, n ?? undefined));
        return index;
      }
      case 'symlink':
        return s.addSymlink(e.name, e.target, e.index);
      case 'histogram-log2':
        return s.addHistogramLog2(e.name, e.perThread);
      case 'ring-buffer':
        return s.addRingBuffer(e.name, e);
      case 'empty':
        // A placeholder, removed once every index is taken (a removed index is the next one reused).
        return s.addScalar(`\u0000empty ${i}`, 0n);
    }
  });
  entries.forEach((e, i) => e.type === 'empty' && s.remove(i));
  const { buffer } = s.target;
  const view = new DataView(buffer);
  if (options.version !== undefined) view.setBigUint64(HEADER.version, BigInt(options.version), true);
  return { buffer, view, base, entryOffset: (i) => s.entryOffset(i) };
}

/** A small VPP-like segment: two interfaces on two threads, error, node and system entries. */
export function vppLikeEntries(): SyntheticEntry[] {
  const c = (packets: number, bytes: number): CombinedCounter => ({ packets: BigInt(packets), bytes: BigInt(bytes) });
  return [
    { name: '/sys/heartbeat', type: 'scalar', value: 7n },
    { name: '/sys/last_stats_clear', type: 'scalar', value: 0n },
    { name: '/sys/boottime', type: 'scalar', value: 1_796_164_542n },
    { name: '/sys/vector_rate', type: 'gauge', value: 3n },
    { name: '/sys/vector_rate_per_worker', type: 'simple', perThread: [[1n, 2n, 0n]] },
    { name: '/sys/loops_per_worker', type: 'simple', perThread: [[100n, 200n, 0n]] },
    { name: '/sys/num_worker_threads', type: 'gauge', value: 1n },
    { name: '/sys/last_update', type: 'scalar', value: 10n },
    { name: '/sys/input_rate', type: 'gauge', value: 5n },
    { name: '/mem/main heap', type: 'simple', perThread: [[1000n, 400n, 600n, 0n, 1000n, 3n, 500n]] },
    { name: '/buffer-pools/default-numa-0/cached', type: 'gauge', value: 1n },
    { name: '/buffer-pools/default-numa-0/used', type: 'gauge', value: 2n },
    { name: '/buffer-pools/default-numa-0/available', type: 'gauge', value: 3n },
    { name: '/if/names', type: 'name', names: ['local0', 'pg0', 'deleted', null] },
    { name: '/if/rx', type: 'combined', perThread: [[c(0, 0), c(10, 640), c(0, 0)], [c(0, 0), c(5, 320), c(0, 0)]] },
    { name: '/if/tx', type: 'combined', perThread: [[c(0, 0), c(1, 60), c(0, 0)], [c(0, 0), c(2, 120), c(0, 0)]] },
    { name: '/if/drops', type: 'simple', perThread: [[0n, 4n, 0n], [0n, 1n, 0n]] },
    { name: '/if/rx-error', type: 'simple', perThread: [[0n, 1n, 0n], [0n, 0n, 0n]] },
    { name: '/if/tx-error', type: 'simple', perThread: [[0n, 0n, 0n], [0n, 2n, 0n]] },
    { name: '/interfaces/pg0/rx', type: 'symlink', target: 14, index: 1 },
    { name: '/interfaces/pg0/drops', type: 'symlink', target: 16, index: 1 },
    // As in VPP 26.06: one vector of error counters, each /err/ entry a symlink into it.
    { name: '/node/errors', type: 'simple', perThread: [[0n, 3n], [0n, 4n]] },
    { name: '/err/ip4-input/ip4 ttl expired', type: 'symlink', target: 21, index: 1 },
    { name: '/err/null-node/blackholed packets', type: 'symlink', target: 21, index: 0 },
    { name: '/sys/node/names', type: 'name', names: ['ip4-input', 'null-node'] },
    { name: '/sys/node/clocks', type: 'simple', perThread: [[1000n, 0n], [500n, 0n]] },
    { name: '/sys/node/vectors', type: 'simple', perThread: [[10n, 0n], [5n, 0n]] },
    { name: '/sys/node/calls', type: 'simple', perThread: [[2n, 0n], [1n, 0n]] },
    { name: '/sys/node/suspends', type: 'simple', perThread: [[0n, 0n], [0n, 0n]] },
    { name: '/histogram/x', type: 'histogram-log2', perThread: [{ minExp: 2, bins: [1n, 2n] }, { minExp: 0, bins: [] }] },
    { name: '/ring/x', type: 'ring-buffer', entrySize: 32, ringSize: 8, schemaVersion: 1, perThread: [{ head: 3, sequence: 11n }] },
    { name: '', type: 'empty' },
  ];
}
