/**
 * Builds a stats segment in an `ArrayBuffer`, laid out as VPP lays it out (src/stats/layout.ts),
 * for the reader's tests: every entry type, at a base address of VPP's choosing, with each vector
 * behind its 8-byte length header.
 */
import { ENTRY, EntryType, HEADER, RING_BUFFER, RING_METADATA, STATS_SEGMENT_VERSION, VECTOR } from '../../src/stats/layout.js';
import type { CombinedCounter, Log2Histogram } from '../../src/stats/types.js';

/** An entry to lay out; a symlink names its target by directory index. */
export type SyntheticEntry =
  | { name: string; type: 'scalar' | 'gauge'; value: bigint }
  | { name: string; type: 'simple'; perThread: bigint[][] }
  | { name: string; type: 'combined'; perThread: CombinedCounter[][] }
  | { name: string; type: 'name'; names: (string | null)[] }
  | { name: string; type: 'symlink'; target: number; index: number }
  | { name: string; type: 'histogram-log2'; perThread: Log2Histogram[] }
  | { name: string; type: 'ring-buffer'; entrySize: number; ringSize: number; schemaVersion: number; perThread: { head: number; sequence: bigint }[] }
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

const TYPE = {
  scalar: EntryType.scalarIndex,
  gauge: EntryType.gauge,
  simple: EntryType.counterVectorSimple,
  combined: EntryType.counterVectorCombined,
  name: EntryType.nameVector,
  symlink: EntryType.symlink,
  'histogram-log2': EntryType.histogramLog2,
  'ring-buffer': EntryType.ringBuffer,
  empty: EntryType.empty,
} as const;

/** Lays out `entries` in a segment of `size` bytes. */
export function buildSegment(entries: readonly SyntheticEntry[], options: { size?: number; base?: number; version?: number } = {}): SyntheticSegment {
  const size = options.size ?? 1 << 20;
  const base = options.base ?? SYNTHETIC_BASE;
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let next = HEADER.size;
  const align = (n: number): number => Math.ceil(n / 16) * 16;
  const pointer = (offset: number): bigint => BigInt(base + offset);
  /** Allocates a vector of `length` elements of `elementSize` bytes; returns its data offset. */
  const vec = (length: number, elementSize: number): number => {
    const data = align(next + VECTOR.headerSize);
    view.setUint32(data - VECTOR.lengthBefore, length, true);
    next = data + length * elementSize;
    if (next > size) throw new Error(`buildSegment: ${size} bytes are too few`);
    return data;
  };
  const perThread = <T>(rows: T[][], elementSize: number, write: (at: number, v: T) => void): number => {
    const threads = vec(rows.length, 8);
    rows.forEach((row, t) => {
      const data = vec(row.length, elementSize);
      row.forEach((v, i) => write(data + i * elementSize, v));
      view.setBigUint64(threads + t * 8, pointer(data), true);
    });
    return threads;
  };

  const directory = vec(entries.length, ENTRY.size);
  view.setBigUint64(HEADER.version, BigInt(options.version ?? STATS_SEGMENT_VERSION), true);
  view.setBigUint64(HEADER.base, BigInt(base), true);
  view.setBigUint64(HEADER.directoryVector, pointer(directory), true);
  entries.forEach((e, i) => {
    const at = directory + i * ENTRY.size;
    view.setUint32(at + ENTRY.type, TYPE[e.type], true);
    bytes.set(new TextEncoder().encode(e.name).subarray(0, ENTRY.nameSize), at + ENTRY.name);
    const setPtr = (offset: number): void => view.setBigUint64(at + ENTRY.value, pointer(offset), true);
    switch (e.type) {
      case 'scalar':
      case 'gauge':
        view.setBigUint64(at + ENTRY.value, e.value, true);
        break;
      case 'simple':
        setPtr(perThread(e.perThread, 8, (o, v) => view.setBigUint64(o, v, true)));
        break;
      case 'combined':
        setPtr(
          perThread(e.perThread, 16, (o, v) => {
            view.setBigUint64(o, v.packets, true);
            view.setBigUint64(o + 8, v.bytes, true);
          }),
        );
        break;
      case 'name': {
        const names = vec(e.names.length, 8);
        e.names.forEach((n, k) => {
          if (n === null) return;
          const encoded = new TextEncoder().encode(`${n}\0`);
          const data = vec(encoded.length, 1);
          bytes.set(encoded, data);
          view.setBigUint64(names + k * 8, pointer(data), true);
        });
        setPtr(names);
        break;
      }
      case 'symlink':
        view.setUint32(at + ENTRY.index1, e.target, true);
        view.setUint32(at + ENTRY.index2, e.index, true);
        break;
      case 'histogram-log2':
        setPtr(perThread(e.perThread.map((h) => [BigInt(h.minExp), ...h.bins]), 8, (o, v) => view.setBigUint64(o, v, true)));
        break;
      case 'ring-buffer': {
        const ring = align(next);
        const metadata = align(ring + RING_BUFFER.size);
        next = metadata + e.perThread.length * RING_METADATA.size;
        view.setUint32(ring + RING_BUFFER.entrySize, e.entrySize, true);
        view.setUint32(ring + RING_BUFFER.ringSize, e.ringSize, true);
        view.setUint32(ring + RING_BUFFER.threads, e.perThread.length, true);
        view.setUint32(ring + RING_BUFFER.schemaVersion, e.schemaVersion, true);
        view.setUint32(ring + RING_BUFFER.metadataOffset, metadata - ring, true);
        view.setUint32(ring + RING_BUFFER.dataOffset, next - ring, true);
        e.perThread.forEach((t, k) => {
          view.setUint32(metadata + k * RING_METADATA.size + RING_METADATA.head, t.head, true);
          view.setUint32(metadata + k * RING_METADATA.size + RING_METADATA.schemaVersion, e.schemaVersion, true);
          view.setBigUint64(metadata + k * RING_METADATA.size + RING_METADATA.sequence, t.sequence, true);
        });
        setPtr(ring);
        break;
      }
      case 'empty':
        break;
    }
  });
  return { buffer, view, base, entryOffset: (i) => directory + i * ENTRY.size };
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
