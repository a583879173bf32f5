/**
 * A stats segment written as VPP 26.06 writes its own (src/vlib/stats/): a memory-backed file
 * with the version 2 header, the directory vector and VPP's vectors, each preceded by its
 * `vec_header_t`, at addresses `base + offset`. Changes to the directory and to vector sizes take
 * VPP's optimistic lock (`in_progress` set, then `epoch` bumped); counter values are written in
 * place without it, as VPP's data plane does. Every write is a positioned write to the file, so a
 * reader that mapped it `MAP_SHARED` sees it at once.
 *
 * @module
 */
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatorError } from '../errors/index.js';
import { ENTRY, EntryType, HEADER, SIZE, STATS_SEGMENT_VERSION, VECTOR } from '../stats/layout.js';

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

type Entry =
  | { readonly name: string; readonly type: typeof EntryType.scalarIndex | typeof EntryType.gauge }
  | { readonly name: string; readonly type: typeof EntryType.counterVectorSimple | typeof EntryType.counterVectorCombined; readonly counters: Counters }
  | { readonly name: string; readonly type: typeof EntryType.nameVector; names: Vec; readonly strings: (Vec | undefined)[] }
  | { readonly name: string; readonly type: typeof EntryType.symlink }
  | { readonly name: ''; readonly type: typeof EntryType.empty };

/** Options of {@link StatsSegment.create}. */
export interface StatsSegmentOptions {
  /** The segment's size in bytes. Default 32 MiB, VPP's `STAT_SEGMENT_DEFAULT_SIZE`. */
  readonly size?: number;
  /** The address the writer pretends to have mapped the segment at: pointers are `base + offset`. */
  readonly base?: bigint;
}

const elementSize = (kind: 'simple' | 'combined'): number => (kind === 'simple' ? SIZE.simpleCounter : SIZE.combinedCounter);

/** The default base: an address of the kind VPP's mmap returns, not 0, so readers must subtract it. */
const DEFAULT_BASE = 0x7f3a_5c00_0000n;

/**
 * The writer's side of a stats segment. Entries are addressed by their directory index, as in
 * VPP; freed indices are reused first.
 */
export class StatsSegment {
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
    /** The file's path. */
    readonly path: string,
    /** The open file: what the stats socket sends. */
    readonly fd: number,
    readonly size: number,
    readonly base: bigint,
    private readonly dir: string,
  ) {
    this.directory = this.allocVec(ENTRY.size, 64);
    this.u64(HEADER.version, BigInt(STATS_SEGMENT_VERSION));
    this.u64(HEADER.base, base);
    this.u64(HEADER.epoch, this.epoch);
    this.u64(HEADER.inProgress, 0n);
    this.u64(HEADER.directoryVector, base + BigInt(this.directory.offset));
  }

  /** Creates the file: in /dev/shm when it exists (memory, as VPP's memfd), else the temporary directory. */
  static create(options: StatsSegmentOptions = {}): StatsSegment {
    const size = options.size ?? 32 * 1024 * 1024;
    if (!Number.isInteger(size) || size < 2 * HEAP_START) throw new SimulatorError(`stats segment size must be a whole number of bytes of at least ${2 * HEAP_START}, got ${size}`);
    const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vppkit-stats-'));
    const path = join(dir, 'stat segment');
    const fd = openSync(path, 'w+', 0o600);
    ftruncateSync(fd, size);
    return new StatsSegment(path, fd, size, options.base ?? DEFAULT_BASE, dir);
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
  addScalar(name: string, value: number): number {
    return this.newEntry({ name, type: EntryType.scalarIndex }, BigInt(Math.trunc(value)));
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

  /** `vlib_stats_set_string_vector`: sets (or, with undefined, frees) string `i` of a name vector. */
  setName(index: number, i: number, value: string | undefined): void {
    const e = this.entry(index);
    if (e.type !== EntryType.nameVector) throw new SimulatorError(`stats entry ${e.name} is not a name vector`);
    this.locked(() => {
      const old = e.strings[i];
      if (old) this.freeVec(old, 1);
      if (value === undefined) {
        e.strings[i] = undefined;
        if (i < e.names.length) this.u64(e.names.offset + i * SIZE.pointer, 0n);
        return;
      }
      const bytes = Buffer.from(`${value}\0`, 'ascii');
      const s = this.allocVec(1, bytes.length);
      this.write(s.offset, bytes);
      e.strings[i] = s;
      if (i >= e.names.length) {
        e.names = this.growVec(e.names, SIZE.pointer, i + 1);
        this.u64(this.entryOffset(index) + ENTRY.value, this.pointer(e.names));
      }
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
      if (e.type === EntryType.counterVectorSimple || e.type === EntryType.counterVectorCombined) {
        for (const v of e.counters.perThread) this.freeVec(v, elementSize(e.counters.kind));
        this.freeVec(e.counters.threads, SIZE.pointer);
      } else if (e.type === EntryType.nameVector) {
        for (const s of e.strings) if (s) this.freeVec(s, 1);
        this.freeVec(e.names, SIZE.pointer);
      }
      this.byName.delete(e.name);
      this.entries[index] = { name: '', type: EntryType.empty };
      // An empty entry's value links to the next free one, as VPP's free list does.
      this.writeEntry(index, EntryType.empty, BigInt(this.freeEntries.at(-1) ?? 0xffffffff), '');
      this.freeEntries.push(index);
    });
  }

  /** Closes the file and removes it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
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

  private entryOffset(index: number): number {
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
    readSync(this.fd, data, 0, data.length, v.offset);
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
    const block = v.offset - ALIGN;
    const bytes = 2 ** Math.ceil(Math.log2(ALIGN + v.capacity * size));
    const list = this.freeBlocks.get(bytes) ?? [];
    list.push(block);
    this.freeBlocks.set(bytes, list);
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
    readSync(this.fd, b, 0, 8, offset);
    return b.readBigUInt64LE(0);
  }

  private u64(offset: number, value: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.write(offset, b);
  }

  private write(offset: number, bytes: Buffer): void {
    if (this.closed) throw new SimulatorError('stats segment is closed');
    writeSync(this.fd, bytes, 0, bytes.length, offset);
  }
}
