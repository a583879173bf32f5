/**
 * Reads VPP's stats segment from an `ArrayBuffer`: the header, the directory and each entry's
 * value. Pointers in the segment are VPP's addresses; each becomes an offset (minus the header's
 * base) that is checked against the segment's size, with the length of what is read there, before
 * a byte is read. A bad one is a {@link StatsSegmentError} naming the entry. Consistency with VPP
 * writing at the same time (the optimistic lock) is {@link consistentRead}'s job.
 *
 * @module
 */
import { StatsBusyError, StatsSegmentError } from './errors.js';
import { ENTRY, EntryType, HEADER, RING_BUFFER, RING_METADATA, SIZE, STATS_SEGMENT_VERSION, VECTOR } from './layout.js';
import type { CombinedCounter, Log2Histogram, RingBufferThread, StatValue } from './types.js';

/** A segment in memory, its header checked. */
export interface Segment {
  readonly buffer: ArrayBuffer;
  readonly view: DataView;
  readonly bytes: Uint8Array;
  /** VPP's address of byte 0, as a number (exact: user-space addresses are below 2^53). */
  readonly base: number;
}

/** The directory at one epoch: each entry's name and type, by index, and the index of each name. */
export interface Directory {
  readonly epoch: bigint;
  readonly names: readonly string[];
  readonly types: readonly number[];
  /** Built on first use: `ls` and `dump` do not need it. */
  readonly byName: ReadonlyMap<string, number>;
  /** Offset of the directory vector's first entry. */
  readonly offset: number;
  /**
   * Each counter entry's per-thread vectors, once found and checked. VPP moves a vector only
   * while it holds the lock, and bumps the epoch when it lets go, so they hold for this epoch.
   */
  readonly vectors: Map<number, ThreadVector[]>;
  /** The entries each list of patterns matched, by the patterns' sources (see `matching`). */
  readonly matches: Map<string, number[]>;
}

/** Where one thread's counters of an entry are: their offset and how many. */
export interface ThreadVector {
  readonly offset: number;
  readonly length: number;
}

/** Checks the header of `buffer` and returns the segment; a {@link StatsSegmentError} if it is not one. */
export function openSegment(buffer: ArrayBuffer): Segment {
  if (buffer.byteLength < HEADER.size) throw new StatsSegmentError(`${buffer.byteLength} bytes is smaller than the ${HEADER.size}-byte header`);
  const view = new DataView(buffer);
  const version = view.getBigUint64(HEADER.version, true);
  if (version !== BigInt(STATS_SEGMENT_VERSION)) throw new StatsSegmentError(`version ${version}; this reader knows version ${STATS_SEGMENT_VERSION} only`);
  const base = u64(view, HEADER.base);
  if (base === 0) throw new StatsSegmentError('the header has no base address');
  return { buffer, view, bytes: new Uint8Array(buffer), base };
}

/** A u64 as a number; larger than 2^53 is an error, as no offset or length can be. */
function u64(view: DataView, offset: number): number {
  const high = view.getUint32(offset + 4, true);
  if (high >= 0x200000) throw new StatsSegmentError(`a pointer or length at offset ${offset} is beyond 2^53`);
  return high * 0x1_0000_0000 + view.getUint32(offset, true);
}

/** Reads the epoch and the in-progress flag. */
export function lockState(seg: Segment): { epoch: bigint; inProgress: boolean } {
  return { epoch: seg.view.getBigUint64(HEADER.epoch, true), inProgress: seg.view.getBigUint64(HEADER.inProgress, true) !== 0n };
}

/**
 * The offset of the vector VPP's pointer `ptr` points to, and its length, checked: the length
 * header and `length × elementSize` bytes lie inside the segment.
 */
function vector(seg: Segment, ptr: number, elementSize: number, what: string, entry: string | undefined): { offset: number; length: number } {
  const offset = ptr - seg.base;
  const size = seg.buffer.byteLength;
  if (ptr === 0) throw new StatsSegmentError(`${what}: null pointer`, entry);
  if (offset < VECTOR.headerSize || offset > size) {
    throw new StatsSegmentError(`${what}: pointer 0x${ptr.toString(16)} is outside the segment (base 0x${seg.base.toString(16)}, ${size} bytes)`, entry);
  }
  const length = seg.view.getUint32(offset - VECTOR.lengthBefore, true);
  if (offset + length * elementSize > size) {
    throw new StatsSegmentError(`${what}: ${length} elements of ${elementSize} bytes at offset ${offset} overrun the segment's ${size} bytes`, entry);
  }
  return { offset, length };
}

/** Reads the directory: names and types (their values are read by {@link readValue}). */
export function readDirectory(seg: Segment): Directory {
  const epoch = seg.view.getBigUint64(HEADER.epoch, true);
  const { offset, length } = vector(seg, u64(seg.view, HEADER.directoryVector), ENTRY.size, 'directory vector', undefined);
  const names: string[] = new Array<string>(length);
  const types: number[] = new Array<number>(length);
  // One decode of the whole directory, then a slice per name: far cheaper than a decode per name
  // with 100,000 entries (the slices keep that string alive as long as this directory).
  const text = Buffer.from(seg.buffer).toString('latin1', offset, offset + length * ENTRY.size);
  for (let i = 0; i < length; i++) {
    const at = i * ENTRY.size;
    const type = seg.view.getUint32(offset + at + ENTRY.type, true);
    types[i] = type;
    // A removed entry keeps no name (VPP zeroes it).
    if (type === EntryType.empty) {
      names[i] = '';
      continue;
    }
    const start = at + ENTRY.name;
    const nul = text.indexOf('\0', start);
    names[i] = text.slice(start, nul < 0 || nul > start + ENTRY.nameSize ? start + ENTRY.nameSize : nul);
  }
  let byName: Map<string, number> | undefined;
  return {
    epoch,
    names,
    types,
    get byName() {
      byName ??= new Map(names.flatMap((name, i) => (types[i] === EntryType.empty ? [] : [[name, i] as const])));
      return byName;
    },
    offset,
    vectors: new Map(),
    matches: new Map(),
  };
}

/**
 * Runs `read` under VPP's optimistic lock: read the epoch, wait while `in_progress` is set,
 * read, and try again if the epoch moved or `in_progress` got set meanwhile. A segment error
 * while VPP was changing the segment is retried too; one with the segment at rest is thrown.
 * Gives up with {@link StatsBusyError} after `timeout` ms: it never spins forever, and waits
 * between attempts with a timer so that the event loop runs.
 */
export async function consistentRead<T>(seg: Segment, read: () => T, timeout: number): Promise<T> {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    // Unmapped meanwhile (closed, or replaced after a restart): unmap detaches the buffer.
    if (seg.buffer.byteLength === 0) throw new StatsSegmentError('the segment was unmapped while it was read (the reader closed, or VPP restarted)');
    const before = lockState(seg);
    if (!before.inProgress) {
      let value: T | undefined;
      let failure: unknown;
      try {
        value = read();
      } catch (err) {
        failure = err;
      }
      const after = lockState(seg);
      if (!after.inProgress && after.epoch === before.epoch) {
        if (failure !== undefined) throw failure;
        return value as T;
      }
      if (failure !== undefined && !(failure instanceof StatsSegmentError)) throw failure;
    }
    const elapsed = Date.now() - start;
    if (elapsed >= timeout) throw new StatsBusyError(attempt, elapsed);
    await new Promise((resolve) => setTimeout(resolve, attempt < 4 ? 0 : 1));
  }
}

/** The raw u64 in an entry's value field (scalar, gauge) as a bigint. */
export function entryScalar(seg: Segment, dir: Directory, index: number): bigint {
  return seg.view.getBigUint64(dir.offset + index * ENTRY.size + ENTRY.value, true);
}

/** The per-thread vectors of a counter entry: for each thread, the offset and length of its counters. */
export function threadVectors(seg: Segment, dir: Directory, index: number, elementSize: number): ThreadVector[] {
  const known = dir.vectors.get(index);
  if (known !== undefined) return known;
  const name = dir.names[index];
  const ptr = u64(seg.view, dir.offset + index * ENTRY.size + ENTRY.value);
  const threads = vector(seg, ptr, SIZE.pointer, 'per-thread vector', name);
  const out: ThreadVector[] = new Array<ThreadVector>(threads.length);
  for (let t = 0; t < threads.length; t++) {
    out[t] = vector(seg, u64(seg.view, threads.offset + t * SIZE.pointer), elementSize, `thread ${t}`, name);
  }
  dir.vectors.set(index, out);
  return out;
}

function simple(seg: Segment, dir: Directory, index: number): bigint[][] {
  return threadVectors(seg, dir, index, SIZE.simpleCounter).map(({ offset, length }) => {
    const row = new Array<bigint>(length);
    for (let i = 0; i < length; i++) row[i] = seg.view.getBigUint64(offset + i * SIZE.simpleCounter, true);
    return row;
  });
}

/** The combined counter at `offset`. */
export function combinedAt(seg: Segment, offset: number): CombinedCounter {
  return { packets: seg.view.getBigUint64(offset, true), bytes: seg.view.getBigUint64(offset + 8, true) };
}

function combined(seg: Segment, dir: Directory, index: number): CombinedCounter[][] {
  return threadVectors(seg, dir, index, SIZE.combinedCounter).map(({ offset, length }) => {
    const row = new Array<CombinedCounter>(length);
    for (let i = 0; i < length; i++) row[i] = combinedAt(seg, offset + i * SIZE.combinedCounter);
    return row;
  });
}

/** A name vector: each element a string (a vector of bytes ending with NUL), or null. */
export function nameVector(seg: Segment, dir: Directory, index: number): (string | null)[] {
  const name = dir.names[index];
  const names = vector(seg, u64(seg.view, dir.offset + index * ENTRY.size + ENTRY.value), SIZE.pointer, 'name vector', name);
  const out = new Array<string | null>(names.length);
  for (let i = 0; i < names.length; i++) {
    const ptr = u64(seg.view, names.offset + i * SIZE.pointer);
    if (ptr === 0) {
      out[i] = null;
      continue;
    }
    const s = vector(seg, ptr, 1, `name ${i}`, name);
    const nul = seg.bytes.subarray(s.offset, s.offset + s.length).indexOf(0);
    out[i] = Buffer.from(seg.buffer, s.offset, nul < 0 ? s.length : nul).toString('utf8');
  }
  return out;
}

function histogram(seg: Segment, dir: Directory, index: number): Log2Histogram[] {
  const name = dir.names[index];
  const threads = vector(seg, u64(seg.view, dir.offset + index * ENTRY.size + ENTRY.value), SIZE.pointer, 'per-thread vector', name);
  const out: Log2Histogram[] = [];
  for (let t = 0; t < threads.length; t++) {
    const ptr = u64(seg.view, threads.offset + t * SIZE.pointer);
    if (ptr === 0) {
      out.push({ minExp: 0, bins: [] });
      continue;
    }
    const { offset, length } = vector(seg, ptr, 8, `thread ${t}`, name);
    const bins: bigint[] = [];
    for (let i = 1; i < length; i++) bins.push(seg.view.getBigUint64(offset + i * 8, true));
    out.push({ minExp: length > 0 ? Number(seg.view.getBigUint64(offset, true)) : 0, bins });
  }
  return out;
}

function ringBuffer(seg: Segment, dir: Directory, index: number): StatValue {
  const name = dir.names[index];
  const ptr = u64(seg.view, dir.offset + index * ENTRY.size + ENTRY.value);
  const at = ptr - seg.base;
  const size = seg.buffer.byteLength;
  const inside = (offset: number, length: number): boolean => offset >= 0 && offset + length <= size;
  if (ptr === 0 || !inside(at, RING_BUFFER.size)) throw new StatsSegmentError(`ring buffer at 0x${ptr.toString(16)} is outside the segment`, name);
  const u32 = (offset: number): number => seg.view.getUint32(offset, true);
  const threads = u32(at + RING_BUFFER.threads);
  const metadata = at + u32(at + RING_BUFFER.metadataOffset);
  if (!inside(metadata, threads * RING_METADATA.size)) throw new StatsSegmentError(`ring metadata of ${threads} threads at offset ${metadata} overruns the segment`, name);
  const perThread: RingBufferThread[] = [];
  for (let t = 0; t < threads; t++) {
    const m = metadata + t * RING_METADATA.size;
    perThread.push({ head: u32(m + RING_METADATA.head), sequence: seg.view.getBigUint64(m + RING_METADATA.sequence, true), schemaVersion: u32(m + RING_METADATA.schemaVersion) });
  }
  return { type: 'ring-buffer', entrySize: u32(at + RING_BUFFER.entrySize), ringSize: u32(at + RING_BUFFER.ringSize), schemaVersion: u32(at + RING_BUFFER.schemaVersion), perThread };
}

/** Where a symlink points: the target entry, its column, and the target's per-thread vectors (each long enough). */
export function symlinkTarget(seg: Segment, dir: Directory, index: number): { target: number; column: number; simple: boolean; threads: ThreadVector[] } {
  const name = dir.names[index];
  const at = dir.offset + index * ENTRY.size;
  const target = seg.view.getUint32(at + ENTRY.index1, true);
  const column = seg.view.getUint32(at + ENTRY.index2, true);
  if (target >= dir.names.length) throw new StatsSegmentError(`symlink to entry ${target}, beyond the directory's ${dir.names.length}`, name);
  const targetType = dir.types[target];
  const simple = targetType === EntryType.counterVectorSimple;
  if (!simple && targetType !== EntryType.counterVectorCombined) throw new StatsSegmentError(`symlink to ${dir.names[target]}, of type ${targetType}, not a counter vector`, name);
  const threads = threadVectors(seg, dir, target, simple ? SIZE.simpleCounter : SIZE.combinedCounter);
  for (let t = 0; t < threads.length; t++) {
    if (column >= threads[t]!.length) throw new StatsSegmentError(`symlink to ${dir.names[target]}[${column}], beyond thread ${t}'s ${threads[t]!.length} counters`, name);
  }
  return { target, column, simple, threads };
}

function symlink(seg: Segment, dir: Directory, index: number): StatValue {
  const { target, column, simple, threads } = symlinkTarget(seg, dir, index);
  const n = threads.length;
  if (simple) {
    const perThread = new Array<bigint>(n);
    for (let t = 0; t < n; t++) perThread[t] = seg.view.getBigUint64(threads[t]!.offset + column * SIZE.simpleCounter, true);
    return { type: 'symlink-simple', target: dir.names[target]!, index: column, perThread };
  }
  const perThread = new Array<CombinedCounter>(n);
  for (let t = 0; t < n; t++) perThread[t] = combinedAt(seg, threads[t]!.offset + column * SIZE.combinedCounter);
  return { type: 'symlink-combined', target: dir.names[target]!, index: column, perThread };
}

/** The value of directory entry `index`, by its type; an unknown type is an error naming it. */
export function readValue(seg: Segment, dir: Directory, index: number): StatValue {
  switch (dir.types[index]) {
    case EntryType.scalarIndex:
      return { type: 'scalar', value: entryScalar(seg, dir, index) };
    case EntryType.gauge:
      return { type: 'gauge', value: entryScalar(seg, dir, index) };
    case EntryType.counterVectorSimple:
      return { type: 'simple', perThread: simple(seg, dir, index) };
    case EntryType.counterVectorCombined:
      return { type: 'combined', perThread: combined(seg, dir, index) };
    case EntryType.nameVector:
      return { type: 'name', names: nameVector(seg, dir, index) };
    case EntryType.symlink:
      return symlink(seg, dir, index);
    case EntryType.histogramLog2:
      return { type: 'histogram-log2', perThread: histogram(seg, dir, index) };
    case EntryType.ringBuffer:
      return ringBuffer(seg, dir, index);
    case EntryType.empty:
      return { type: 'empty' };
    default:
      throw new StatsSegmentError(`unknown entry type ${dir.types[index]}`, dir.names[index]);
  }
}
