/**
 * A stats segment written as VPP 26.06 writes its own (src/vlib/stats/): the version 2 header,
 * the directory vector and VPP's vectors, each preceded by its `vec_header_t`, at addresses
 * `base + offset`. Changes to the directory and to vector sizes take VPP's optimistic lock
 * (`in_progress` set, then `epoch` bumped); counter values are written in place without it, as
 * VPP's data plane does. The bytes go to a memory-backed file (the simulator's segment: every
 * write is a positioned write, so a reader that mapped it `MAP_SHARED` sees it at once) or to an
 * `ArrayBuffer` (the reader's tests, which then corrupt it).
 *
 * @module
 */
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatorError } from '../errors/index.js';
import { ENTRY, EntryType, HEADER, RING_BUFFER, RING_METADATA, SIZE, STATS_SEGMENT_VERSION, VECTOR } from '../stats/layout.js';
import type { Log2Histogram } from '../stats/types.js';

/** VPP's heap starts one page into the segment; the header has the first page. */
const HEAP_START = 4096;
/** Vectors are cache-line aligned (`vec_validate_aligned (…, CLIB_CACHE_LINE_BYTES)`). */
const ALIGN = 64;
/** `vec_header_t`'s log2 alignment field, for {@link ALIGN}. */
const LOG2_ALIGN = 6;

/** Where a vector lives: its data's offset and how many elements fit before it must move. */
interface Vec {
  offset: number;
  capacity: number;
  length: number;
}

/** A counter vector's per-thread vectors. */
interface Counters {
  readonly kind: 'simple' | 'combined';
  threads: Vec;
  readonly perThread: Vec[];
}

/** A block of the heap that is no vector (a ring buffer), and its size. */
interface Block {
  readonly offset: number;
  readonly bytes: number;
}

type Entry =
  | { readonly name: string; readonly type: typeof EntryType.scalarIndex | typeof EntryType.gauge }
  | { readonly name: string; readonly type: typeof EntryType.counterVectorSimple | typeof EntryType.counterVectorCombined | typeof EntryType.histogramLog2; readonly counters: Counters }
  | { readonly name: string; readonly type: typeof EntryType.ringBuffer; readonly block: Block }
  | { readonly name: string; readonly type: typeof EntryType.nameVector; names: Vec; readonly strings: (Vec | undefined)[] }
  | { readonly name: string; readonly type: typeof EntryType.symlink }
  | { readonly name: ''; readonly type: typeof EntryType.empty };

/** Where the segment's bytes go: positioned writes and reads. */
export interface SegmentBytes {
  write(offset: number, data: Uint8Array): void;
  read(offset: number, into: Uint8Array): void;
  /** Releases what holds the bytes. */
  close(): void;
}

/** A segment in a file: what the stats socket sends is `fd`. */
export interface SegmentFile extends SegmentBytes {
  readonly path: string;
  readonly fd: number;
}

/** A segment in memory, for a reader over the `ArrayBuffer` itself. */
export interface SegmentMemory extends SegmentBytes {
  readonly buffer: ArrayBuffer;
}

/** A ring buffer's shape and each thread's producer position. */
export interface RingBufferSpec {
  readonly entrySize: number;
  readonly ringSize: number;
  readonly schemaVersion: number;
  readonly perThread: readonly { readonly head: number; readonly sequence: bigint }[];
}

/** Options of {@link StatsSegment.create}. */
export interface StatsSegmentOptions {
  /** The segment's size in bytes. Default 32 MiB, VPP's `STAT_SEGMENT_DEFAULT_SIZE`. */
  readonly size?: number;
  /** The address the writer pretends to have mapped the segment at: pointers are `base + offset`. */
  readonly base?: bigint;
}

/** The size option, checked: room for the header's page and some heap. */
function checkedSize(options: StatsSegmentOptions): number {
  const size = options.size ?? 32 * 1024 * 1024;
  if (!Number.isInteger(size) || size < 2 * HEAP_START) throw new SimulatorError(`stats segment size must be a whole number of bytes of at least ${2 * HEAP_START}, got ${size}`);
  return size;
}

const elementSize = (kind: 'simple' | 'combined'): number => (kind === 'simple' ? SIZE.simpleCounter : SIZE.combinedCounter);

/** The default base: an address of the kind VPP's mmap returns, not 0, so readers must subtract it. */
const DEFAULT_BASE = 0x7f3a_5c00_0000n;

/**
 * The writer's side of a stats segment. Entries are addressed by their directory index, as in
 * VPP; freed indices are reused first.
 */
export class StatsSegment<B extends SegmentBytes = SegmentBytes> {
  private readonly entries: Entry[] = [];
  private directory: Vec;
  private readonly byName = new Map<string, number>();
  private readonly freeEntries: number[] = [];
  /** Free blocks by size (a power of two), for reuse. */
  private readonly freeBlocks = new Map<number, number[]>();
  private next = HEAP_START;
  private epoch = 1n;
  private lockDepth = 0;
  private closed = false;

  private constructor(
    /** Where the bytes are. */
    readonly target: B,
    readonly size: number,
    readonly base: bigint,
  ) {
    this.directory = this.allocVec(ENTRY.size, 0);
    this.u64(HEADER.version, BigInt(STATS_SEGMENT_VERSION));
    this.u64(HEADER.base, base);
    this.u64(HEADER.epoch, this.epoch);
    this.u64(HEADER.inProgress, 0n);
    this.u64(HEADER.directoryVector, base + BigInt(this.directory.offset));
  }

  /** Creates the file: in /dev/shm when it exists (memory, as VPP's memfd), else the temporary directory. */
  static create(options: StatsSegmentOptions = {}): StatsSegment<SegmentFile> {
    const size = checkedSize(options);
    const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vppkit-stats-'));
    const path = join(dir, 'stat segment');
    const fd = openSync(path, 'w+', 0o600);
    ftruncateSync(fd, size);
    const file: SegmentFile = {
      path,
      fd,
      write: (offset, data) => void writeSync(fd, data, 0, data.length, offset),
      read: (offset, into) => void readSync(fd, into, 0, into.length, offset),
      close: () => {
        closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return new StatsSegment(file, size, options.base ?? DEFAULT_BASE);
  }

  /** Creates the segment in an `ArrayBuffer`. */
  static inMemory(options: StatsSegmentOptions = {}): StatsSegment<SegmentMemory> {
    const size = checkedSize(options);
    const buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    const memory: SegmentMemory = {
      buffer,
      write: (offset, data) => bytes.set(data, offset),
      read: (offset, into) => into.set(bytes.subarray(offset, offset + into.length)),
      close: () => {},
    };
    return new StatsSegment(memory, size, options.base ?? DEFAULT_BASE);
  }

  /** Bytes of the segment in use (the header's page, and the heap up to its last block). */
  get used(): number {
    return this.next;
  }

  /** The current epoch: it changes with every change to the directory. */
  get currentEpoch(): bigint {
    return this.epoch;
  }

  /** Runs `change` under VPP's lock: `in_progress` set, then `epoch` bumped and `in_progress` cleared. Nests. */
  locked<T>(change: () => T): T {
    if (this.lockDepth++ === 0) this.u64(HEADER.inProgress, 1n);
    try {
      return change();
    } finally {
      if (--this.lockDepth === 0) {
        this.u64(HEADER.epoch, ++this.epoch);
        this.u64(HEADER.inProgress, 0n);
      }
    }
  }

  /** The directory index of `name`, if it has an entry. */
  find(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Adds a scalar (`STAT_DIR_TYPE_SCALAR_INDEX`, written as VPP does: the value converted to u64). */
  addScalar(name: string, value: bigint | number): number {
    return this.newEntry({ name, type: EntryType.scalarIndex }, BigInt(typeof value === 'number' ? Math.trunc(value) : value));
  }

  /** Adds a gauge (`STAT_DIR_TYPE_GAUGE`). */
  addGauge(name: string, value: bigint | number): number {
    return this.newEntry({ name, type: EntryType.gauge }, BigInt(value));
  }

  /** Sets a scalar's or a gauge's value, in place as VPP does (no lock). */
  setValue(index: number, value: bigint | number): void {
    const e = this.entry(index);
    if (e.type !== EntryType.scalarIndex && e.type !== EntryType.gauge) throw new SimulatorError(`stats entry ${e.name} is not a scalar or gauge`);
    this.u64(this.entryOffset(index) + ENTRY.value, BigInt(typeof value === 'number' ? Math.trunc(value) : value));
  }

  /** Adds a simple or combined counter vector with `threads` thread vectors of `length` counters. */
  addCounters(name: string, kind: 'simple' | 'combined', threads: number, length: number): number {
    return this.locked(() => {
      const counters: Counters = { kind, threads: this.allocVec(SIZE.pointer, threads), perThread: [] };
      for (let t = 0; t < threads; t++) counters.perThread.push(this.allocVec(elementSize(kind), length));
      this.writeThreadPointers(counters);
      return this.newEntry({ name, type: kind === 'simple' ? EntryType.counterVectorSimple : EntryType.counterVectorCombined, counters }, this.pointer(counters.threads));
    });
  }

  /** Adds a log2 histogram: per thread, a vector of the smallest exponent then the bins. */
  addHistogramLog2(name: string, perThread: readonly Log2Histogram[]): number {
    return this.locked(() => {
      const counters: Counters = { kind: 'simple', threads: this.allocVec(SIZE.pointer, perThread.length), perThread: [] };
      for (const h of perThread) {
        const v = this.allocVec(SIZE.simpleCounter, 1 + h.bins.length);
        [BigInt(h.minExp), ...h.bins].forEach((x, i) => this.u64(v.offset + i * SIZE.simpleCounter, x));
        counters.perThread.push(v);
      }
      this.writeThreadPointers(counters);
      return this.newEntry({ name, type: EntryType.histogramLog2, counters }, this.pointer(counters.threads));
    });
  }

  /** Adds a ring buffer: the header, each thread's 64-byte metadata, then room for every thread's ring. */
  addRingBuffer(name: string, ring: RingBufferSpec): number {
    return this.locked(() => {
      const metadataOffset = Math.ceil(RING_BUFFER.size / ALIGN) * ALIGN;
      const dataOffset = metadataOffset + ring.perThread.length * RING_METADATA.size;
      const bytes = dataOffset + ring.perThread.length * ring.ringSize * ring.entrySize;
      const block: Block = { offset: this.allocBlock(bytes), bytes };
      const b = Buffer.alloc(bytes);
      b.writeUInt32LE(ring.entrySize, RING_BUFFER.entrySize);
      b.writeUInt32LE(ring.ringSize, RING_BUFFER.ringSize);
      b.writeUInt32LE(ring.perThread.length, RING_BUFFER.threads);
      b.writeUInt32LE(ring.schemaVersion, RING_BUFFER.schemaVersion);
      b.writeUInt32LE(metadataOffset, RING_BUFFER.metadataOffset);
      b.writeUInt32LE(dataOffset, RING_BUFFER.dataOffset);
      ring.perThread.forEach((t, k) => {
        const at = metadataOffset + k * RING_METADATA.size;
        b.writeUInt32LE(t.head, at + RING_METADATA.head);
        b.writeUInt32LE(ring.schemaVersion, at + RING_METADATA.schemaVersion);
        b.writeBigUInt64LE(t.sequence, at + RING_METADATA.sequence);
      });
      this.write(block.offset, b);
      return this.newEntry({ name, type: EntryType.ringBuffer, block }, this.base + BigInt(block.offset));
    });
  }

  /** `vlib_stats_validate`: grows every thread's vector to hold index `last` (moving it if it must, under the lock). */
  validate(index: number, last: number): void {
    const { counters } = this.countersOf(index);
    if (counters.perThread.every((v) => v.length > last)) return;
    this.locked(() => {
      const size = elementSize(counters.kind);
      counters.perThread.forEach((v, t) => (counters.perThread[t] = this.growVec(v, size, last + 1)));
      this.writeThreadPointers(counters);
    });
  }

  /** Adds `packets` (and `bytes`, for a combined vector) to counter `i` of thread `thread`. */
  add(index: number, thread: number, i: number, packets: bigint, bytes = 0n): void {
    const { name, counters } = this.countersOf(index);
    const v = counters.perThread[thread];
    if (!v || i >= v.length) throw new SimulatorError(`stats entry ${name} has no counter [${thread}][${i}]`);
    const at = v.offset + i * elementSize(counters.kind);
    this.u64(at, this.readU64(at) + packets);
    if (counters.kind === 'combined') this.u64(at + 8, this.readU64(at + 8) + bytes);
  }

  /** Sets counter `i` of thread `thread` (its packets, and bytes for a combined vector). */
  set(index: number, thread: number, i: number, packets: bigint, bytes = 0n): void {
    const { name, counters } = this.countersOf(index);
    const v = counters.perThread[thread];
    if (!v || i >= v.length) throw new SimulatorError(`stats entry ${name} has no counter [${thread}][${i}]`);
    const at = v.offset + i * elementSize(counters.kind);
    this.u64(at, packets);
    if (counters.kind === 'combined') this.u64(at + 8, bytes);
  }

  /** Adds an empty name vector (`STAT_DIR_TYPE_NAME_VECTOR`). */
  addNameVector(name: string): number {
    return this.locked(() => {
      const names = this.allocVec(SIZE.pointer, 0);
      return this.newEntry({ name, type: EntryType.nameVector, names, strings: [] }, this.pointer(names));
    });
  }

  /** `vlib_stats_set_string_vector`: sets (or, with undefined, frees) string `i` of a name vector, which grows to hold it. */
  setName(index: number, i: number, value: string | undefined): void {
    const e = this.entry(index);
    if (e.type !== EntryType.nameVector) throw new SimulatorError(`stats entry ${e.name} is not a name vector`);
    this.locked(() => {
      const old = e.strings[i];
      if (old) this.freeVec(old, 1);
      if (i >= e.names.length) {
        e.names = this.growVec(e.names, SIZE.pointer, i + 1);
        this.u64(this.entryOffset(index) + ENTRY.value, this.pointer(e.names));
      }
      if (value === undefined) {
        e.strings[i] = undefined;
        this.u64(e.names.offset + i * SIZE.pointer, 0n);
        return;
      }
      const bytes = Buffer.from(`${value}\0`, 'ascii');
      const s = this.allocVec(1, bytes.length);
      this.write(s.offset, bytes);
      e.strings[i] = s;
      this.u64(e.names.offset + i * SIZE.pointer, this.pointer(s));
    });
  }

  /** Adds a symlink to counter `i` of entry `target` (`index1`, `index2`). */
  addSymlink(name: string, target: number, i: number): number {
    this.entry(target);
    return this.locked(() => this.newEntry({ name, type: EntryType.symlink }, (BigInt(i) << 32n) | BigInt(target)));
  }

  /** `vlib_stats_remove_entry`: frees what the entry holds and leaves an empty entry whose index is reused first. */
  remove(index: number): void {
    const e = this.entry(index);
    this.locked(() => {
      if (e.type === EntryType.counterVectorSimple || e.type === EntryType.counterVectorCombined || e.type === EntryType.histogramLog2) {
        for (const v of e.counters.perThread) this.freeVec(v, elementSize(e.counters.kind));
        this.freeVec(e.counters.threads, SIZE.pointer);
      } else if (e.type === EntryType.nameVector) {
        for (const s of e.strings) if (s) this.freeVec(s, 1);
        this.freeVec(e.names, SIZE.pointer);
      } else if (e.type === EntryType.ringBuffer) {
        this.freeBlock(e.block.offset, e.block.bytes);
      }
      this.byName.delete(e.name);
      this.entries[index] = { name: '', type: EntryType.empty };
      // An empty entry's value links to the next free one, as VPP's free list does.
      this.writeEntry(index, EntryType.empty, BigInt(this.freeEntries.at(-1) ?? 0xffffffff), '');
      this.freeEntries.push(index);
    });
  }

  /** Releases the bytes (closes the file and removes it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.target.close();
  }

  private entry(index: number): Entry {
    const e = this.entries[index];
    if (!e || e.type === EntryType.empty) throw new SimulatorError(`stats segment has no entry ${index}`);
    return e;
  }

  private countersOf(index: number): { name: string; counters: Counters } {
    const e = this.entry(index);
    if (e.type !== EntryType.counterVectorSimple && e.type !== EntryType.counterVectorCombined) throw new SimulatorError(`stats entry ${e.name} is not a counter vector`);
    return e;
  }

  private newEntry(entry: Entry, value: bigint): number {
    const bytes = Buffer.byteLength(entry.name, 'ascii');
    if (bytes >= ENTRY.nameSize) throw new SimulatorError(`stats entry name ${entry.name} is ${bytes} bytes; VPP's names hold at most ${ENTRY.nameSize - 1}`);
    if (this.byName.has(entry.name)) throw new SimulatorError(`stats entry ${entry.name} already exists`);
    return this.locked(() => {
      const index = this.freeEntries.pop() ?? this.entries.length;
      this.entries[index] = entry;
      this.byName.set(entry.name, index);
      if (index >= this.directory.length) {
        const moved = this.growVec(this.directory, ENTRY.size, index + 1);
        if (moved !== this.directory) this.u64(HEADER.directoryVector, this.pointer(moved));
        this.directory = moved;
      }
      this.writeEntry(index, entry.type, value, entry.name);
      return index;
    });
  }

  private writeEntry(index: number, type: number, value: bigint, name: string): void {
    const b = Buffer.alloc(ENTRY.size);
    b.writeUInt32LE(type, ENTRY.type);
    b.writeBigUInt64LE(value, ENTRY.value);
    b.write(name, ENTRY.name, ENTRY.nameSize - 1, 'ascii');
    this.write(this.entryOffset(index), b);
  }

  /** Where directory entry `index` is, from the segment's start. */
  entryOffset(index: number): number {
    return this.directory.offset + index * ENTRY.size;
  }

  private writeThreadPointers(c: Counters): void {
    const b = Buffer.alloc(c.perThread.length * SIZE.pointer);
    c.perThread.forEach((v, t) => b.writeBigUInt64LE(this.pointer(v), t * SIZE.pointer));
    this.write(c.threads.offset, b);
  }

  private pointer(v: Vec): bigint {
    return this.base + BigInt(v.offset);
  }

  /** A vector of `length` elements of `size` bytes, zeroed, with room to grow to a power of two. */
  private allocVec(size: number, length: number): Vec {
    const capacity = Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(length, 1))));
    const block = this.allocBlock(ALIGN + capacity * size);
    const v: Vec = { offset: block + ALIGN, capacity, length };
    this.write(block, Buffer.alloc(ALIGN + capacity * size));
    this.writeVecHeader(v);
    return v;
  }

  /** `vec_validate`: the same vector with a longer length, or a copy in a bigger block (the old one freed). */
  private growVec(v: Vec, size: number, length: number): Vec {
    if (length <= v.capacity) {
      v.length = length;
      this.writeVecHeader(v);
      return v;
    }
    const moved = this.allocVec(size, length);
    const data = Buffer.alloc(v.length * size);
    this.target.read(v.offset, data);
    this.write(moved.offset, data);
    this.freeVec(v, size);
    return moved;
  }

  private writeVecHeader(v: Vec): void {
    const h = Buffer.alloc(VECTOR.headerSize);
    h.writeUInt32LE(v.length, 0);
    h.writeUInt8(VECTOR.headerSize / 8, 4); // hdr_size, in units of 8 bytes
    h.writeUInt8(LOG2_ALIGN, 5);
    this.write(v.offset - VECTOR.headerSize, h);
  }

  private freeVec(v: Vec, size: number): void {
    this.freeBlock(v.offset - ALIGN, ALIGN + v.capacity * size);
  }

  private freeBlock(block: number, bytes: number): void {
    const rounded = 2 ** Math.ceil(Math.log2(bytes));
    const list = this.freeBlocks.get(rounded) ?? [];
    list.push(block);
    this.freeBlocks.set(rounded, list);
  }

  private allocBlock(bytes: number): number {
    const rounded = 2 ** Math.ceil(Math.log2(bytes));
    const reused = this.freeBlocks.get(rounded)?.pop();
    if (reused !== undefined) return reused;
    if (this.next + rounded > this.size) throw new SimulatorError(`stats segment of ${this.size} bytes is full: pass a larger stats size`);
    const block = this.next;
    this.next += rounded;
    return block;
  }

  private readU64(offset: number): bigint {
    const b = Buffer.alloc(8);
    this.target.read(offset, b);
    return b.readBigUInt64LE(0);
  }

  private u64(offset: number, value: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.write(offset, b);
  }

  private write(offset: number, bytes: Buffer): void {
    if (this.closed) throw new SimulatorError('stats segment is closed');
    this.target.write(offset, bytes);
  }
}
