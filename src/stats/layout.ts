/**
 * The layout of VPP's stats segment (version 2), as VPP 26.06 defines it in
 * `src/vlib/stats/shared.h` and `stats.h`. One module for both sides: the reader reads these
 * offsets and the simulator's writer writes them. Every number is a byte offset from the start of
 * the structure named, little-endian, for 64-bit VPP (pointers are 8 bytes).
 *
 * @module
 */

/** The only segment layout version this reader knows (`STAT_SEGMENT_VERSION`). */
export const STATS_SEGMENT_VERSION = 2;

/** VPP's default stats socket (`statseg { socket-name … }`). */
export const DEFAULT_STATS_SOCKET = '/run/vpp/stats.sock';

/** `vlib_stats_shared_header_t`, at offset 0 of the segment. */
export const HEADER = {
  /** u64: the layout version, {@link STATS_SEGMENT_VERSION}. */
  version: 0,
  /** pointer: VPP's address of the segment's first byte; every pointer below is relative to it. */
  base: 8,
  /** u64: bumped by VPP whenever it changed the directory. */
  epoch: 16,
  /** u64: non-zero while VPP changes the directory. */
  inProgress: 24,
  /** pointer: the directory vector (of {@link ENTRY}). */
  directoryVector: 32,
  /** The header's size. */
  size: 40,
} as const;

/** `vlib_stats_entry_t`, one element of the directory vector. */
export const ENTRY = {
  /** u32 (`stat_directory_type_t`): one of {@link EntryType}. */
  type: 0,
  /** u64 or pointer: the scalar or gauge value, or the pointer to the entry's data. */
  value: 8,
  /** u32: a symlink's target, the directory index of the entry it points to. */
  index1: 8,
  /** u32: a symlink's target, the index within that entry's vectors. */
  index2: 12,
  /** char[128]: the entry's name, NUL-terminated unless it fills all 128 bytes. */
  name: 16,
  /** The name's size. */
  nameSize: 128,
  /** The entry's size. */
  size: 144,
} as const;

/** `stat_directory_type_t`: the kind of an entry. */
export const EntryType = {
  illegal: 0,
  /** A u64 in the entry itself (`/sys/boottime`, …). */
  scalarIndex: 1,
  /** A vector (per thread) of vectors of u64 counters. */
  counterVectorSimple: 2,
  /** A vector (per thread) of vectors of { packets: u64, bytes: u64 }. */
  counterVectorCombined: 3,
  /** A vector of pointers to strings (each a vector of bytes, NUL included), or null. */
  nameVector: 4,
  /** A removed entry, kept so that indices stay stable. */
  empty: 5,
  /** index1 and index2 name another entry and a column of it. */
  symlink: 6,
  /** A vector (per thread) of vectors of u64: element 0 is the smallest exponent, then the bins. */
  histogramLog2: 7,
  /** A pointer to a ring buffer ({@link RING_BUFFER}). */
  ringBuffer: 8,
  /** A u64 in the entry itself, that goes up and down. */
  gauge: 9,
} as const;

/** A value of {@link EntryType}. */
export type EntryTypeNumber = (typeof EntryType)[keyof typeof EntryType];

/**
 * VPP's vector header (`vec_header_t`), just before a vector's first element: the u32 length sits
 * {@link VECTOR.lengthBefore} bytes before the data.
 */
export const VECTOR = {
  lengthBefore: 8,
  /** Size of the header. */
  headerSize: 8,
} as const;

/** Element sizes. */
export const SIZE = {
  pointer: 8,
  /** `counter_t`. */
  simpleCounter: 8,
  /** `vlib_counter_t`: packets then bytes. */
  combinedCounter: 16,
} as const;

/** `vlib_stats_ring_buffer_t` (packed), where a ring-buffer entry points. */
export const RING_BUFFER = {
  entrySize: 0,
  ringSize: 4,
  threads: 8,
  schemaSize: 12,
  schemaVersion: 16,
  /** u32: the per-thread metadata array, relative to this structure. */
  metadataOffset: 20,
  /** u32: the entries, relative to this structure. */
  dataOffset: 24,
  size: 28,
} as const;

/** `vlib_stats_ring_metadata_t`, one per thread, each a 64-byte cache line. */
export const RING_METADATA = {
  head: 0,
  schemaVersion: 4,
  /** u64. */
  sequence: 8,
  schemaOffset: 16,
  schemaSize: 20,
  size: 64,
} as const;

/**
 * What VPP 26.06 writes in a deleted interface's `/if/names` slot (`statseg_sw_interface_add_del`);
 * the slot's counters keep their last values until VPP reuses the `sw_if_index`.
 */
export const DELETED_INTERFACE = 'deleted';

/** The columns of a `/mem/<heap>` simple counter (`provider_mem.c`), in order. */
export const MEMORY_HEAP_COLUMNS = ['total', 'used', 'free', 'usedMmap', 'totalAlloc', 'freeChunks', 'releasable'] as const;

/** The per-node counters VPP publishes under `/sys/node/…` with `statseg { per-node-counters on }`. */
export const NODE_COUNTERS = ['clocks', 'vectors', 'calls', 'suspends'] as const;
