/**
 * The reader behind {@link StatsReader}: `ls`, `dump` and the summaries, over whatever segment its
 * source holds now. The source is a fixed `ArrayBuffer` ({@link openStatsSegment}) or the
 * connection of `connectStats`, which maps a new segment after VPP restarts.
 *
 * @module
 */
import { StatsClosedError, StatsSegmentError } from './errors.js';
import { DELETED_INTERFACE, EntryType, MEMORY_HEAP_COLUMNS, NODE_COUNTERS, SIZE } from './layout.js';
import { compilePatterns, matching } from './patterns.js';
import { type Directory, type Segment, combinedAt, consistentRead, entryScalar, lockState, nameVector, openSegment, readDirectory, readValue, threadVectors } from './segment.js';
import type { BufferPoolStats, CombinedCounter, ErrorCounter, HeapStats, InterfaceStats, NodeStats, StatValue, StatsReader, SystemStats, WatchOptions } from './types.js';
import { watchSnapshots } from './watch.js';

/** Where the reader gets its segment: the current one, and whether it replaced an earlier one. */
export interface SegmentSource {
  /** The segment to read now (after VPP restarted, a new one). */
  current(): Promise<{ segment: Segment; reconnected: boolean }>;
  /** Releases the segment. */
  close(): void;
}

/** The default time, in ms, to wait for a consistent read. */
export const DEFAULT_STATS_TIMEOUT = 5_000;

/** A reader of a segment already in memory; needs no addon (tests, a segment copied from elsewhere). */
export function openStatsSegment(buffer: ArrayBuffer, options: { timeout?: number } = {}): StatsReader {
  const segment = openSegment(buffer);
  return createReader({ current: () => Promise.resolve({ segment, reconnected: false }), close: () => {} }, options.timeout ?? DEFAULT_STATS_TIMEOUT);
}

function add(a: CombinedCounter, b: CombinedCounter): CombinedCounter {
  return { packets: a.packets + b.packets, bytes: a.bytes + b.bytes };
}

const ZERO: CombinedCounter = { packets: 0n, bytes: 0n };

/** One read of the whole reader: the segment, its directory (cached per epoch) and helpers over both. */
interface Read {
  readonly seg: Segment;
  readonly dir: Directory;
}

/** Creates a reader over `source`, waiting at most `timeout` ms for each consistent read. */
export function createReader(source: SegmentSource, timeout: number): StatsReader {
  let closed = false;
  let cached: { seg: Segment; dir: Directory } | undefined;

  /**
   * Runs `fn` under the lock with the current directory (re-read when the epoch or the segment
   * changed); says too whether the source mapped a new segment for it.
   */
  async function readFrom<T>(fn: (r: Read) => T): Promise<{ value: T; reconnected: boolean }> {
    if (closed) throw new StatsClosedError();
    const { segment, reconnected } = await source.current();
    const value = await consistentRead(
      segment,
      () => {
        if (cached?.seg !== segment || cached.dir.epoch !== lockState(segment).epoch) cached = { seg: segment, dir: readDirectory(segment) };
        return fn({ seg: segment, dir: cached.dir });
      },
      timeout,
    );
    return { value, reconnected };
  }

  const read = async <T>(fn: (r: Read) => T): Promise<T> => (await readFrom(fn)).value;

  /** The index of entry `name`, which must exist and have type `type`. */
  function entry(r: Read, name: string, ...types: number[]): number {
    const index = r.dir.byName.get(name);
    if (index === undefined) throw new StatsSegmentError('no such entry', name);
    if (!types.includes(r.dir.types[index]!)) throw new StatsSegmentError(`has type ${r.dir.types[index]}, expected ${types.join(' or ')}`, name);
    return index;
  }

  function interfaces(r: Read): InterfaceStats[] {
    const names = nameVector(r.seg, r.dir, entry(r, '/if/names', EntryType.nameVector));
    type Column = { name: string; simple: boolean; threads: { offset: number; length: number }[] };
    const columns: Column[] = [];
    for (let i = 0; i < r.dir.names.length; i++) {
      const path = r.dir.names[i]!;
      if (!path.startsWith('/if/') || path === '/if/names') continue;
      const type = r.dir.types[i];
      if (type !== EntryType.counterVectorSimple && type !== EntryType.counterVectorCombined) continue;
      const simple = type === EntryType.counterVectorSimple;
      columns.push({ name: path.slice(4), simple, threads: threadVectors(r.seg, r.dir, i, simple ? SIZE.simpleCounter : SIZE.combinedCounter) });
    }
    const out: InterfaceStats[] = [];
    for (const [swIfIndex, name] of names.entries()) {
      // A deleted interface is no live one; its slot and stale counters stay visible through dump().
      if (name === null || name === DELETED_INTERFACE) continue;
      const counters: Record<string, bigint | CombinedCounter> = {};
      const perThread: Record<string, bigint[] | CombinedCounter[]> = {};
      for (const c of columns) {
        // A counter vector shorter than the name vector: VPP has not grown it yet; the counter is 0.
        if (c.simple) {
          const values = c.threads.map((t) => (swIfIndex < t.length ? r.seg.view.getBigUint64(t.offset + swIfIndex * SIZE.simpleCounter, true) : 0n));
          perThread[c.name] = values;
          counters[c.name] = values.reduce((a, b) => a + b, 0n);
        } else {
          const values = c.threads.map((t) => (swIfIndex < t.length ? combinedAt(r.seg, t.offset + swIfIndex * SIZE.combinedCounter) : ZERO));
          perThread[c.name] = values;
          counters[c.name] = values.reduce(add, ZERO);
        }
      }
      const combined = (k: string): CombinedCounter => {
        const v = counters[k];
        if (typeof v !== 'object') throw new StatsSegmentError(`no combined counter /if/${k}`, '/if/');
        return v;
      };
      const scalar = (k: string): bigint => {
        const v = counters[k];
        if (typeof v !== 'bigint') throw new StatsSegmentError(`no simple counter /if/${k}`, '/if/');
        return v;
      };
      out.push({ swIfIndex, name, rx: combined('rx'), tx: combined('tx'), drops: scalar('drops'), rxErrors: scalar('rx-error'), txErrors: scalar('tx-error'), counters, perThread });
    }
    return out;
  }

  /**
   * Every non-zero `/err/` counter. VPP 26.06 keeps them in one vector, `/node/errors`, and names
   * each with a symlink into it; a plain simple counter (one column) is read too.
   */
  function errors(r: Read): ErrorCounter[] {
    const out: ErrorCounter[] = [];
    for (let i = 0; i < r.dir.names.length; i++) {
      const path = r.dir.names[i]!;
      if (!path.startsWith('/err/')) continue;
      const v = readValue(r.seg, r.dir, i);
      let perThread: readonly bigint[];
      if (v.type === 'symlink-simple') perThread = v.perThread;
      else if (v.type === 'simple') perThread = v.perThread.map((row) => row[0] ?? 0n);
      else continue;
      const value = perThread.reduce((a, b) => a + b, 0n);
      if (value === 0n) continue;
      const slash = path.indexOf('/', 5);
      out.push({ path, node: slash < 0 ? path.slice(5) : path.slice(5, slash), reason: slash < 0 ? '' : path.slice(slash + 1), value, perThread });
    }
    return out;
  }

  function nodes(r: Read): NodeStats[] {
    if (!r.dir.byName.has('/sys/node/names')) {
      throw new StatsSegmentError('VPP publishes no per-node counters: start it with `statseg { per-node-counters on }`', '/sys/node/names');
    }
    const names = nameVector(r.seg, r.dir, entry(r, '/sys/node/names', EntryType.nameVector));
    const [clocks, vectors, calls, suspends] = NODE_COUNTERS.map((c) => threadVectors(r.seg, r.dir, entry(r, `/sys/node/${c}`, EntryType.counterVectorSimple), SIZE.simpleCounter));
    const sum = (threads: { offset: number; length: number }[], i: number): bigint => {
      let total = 0n;
      for (const t of threads) if (i < t.length) total += r.seg.view.getBigUint64(t.offset + i * SIZE.simpleCounter, true);
      return total;
    };
    const out: NodeStats[] = [];
    for (const [index, name] of names.entries()) {
      if (name === null) continue;
      const n = { calls: sum(calls!, index), vectors: sum(vectors!, index), clocks: sum(clocks!, index), suspends: sum(suspends!, index) };
      out.push({ index, name, ...n, vectorsPerCall: n.calls === 0n ? 0 : Number(n.vectors) / Number(n.calls), clocksPerVector: n.vectors === 0n ? 0 : Number(n.clocks) / Number(n.vectors) });
    }
    return out;
  }

  function system(r: Read): SystemStats {
    const scalar = (name: string): bigint => entryScalar(r.seg, r.dir, entry(r, name, EntryType.scalarIndex, EntryType.gauge));
    // By thread: VPP's collector writes thread i's figure at index i of row 0, which it sizes one
    // longer than the threads (its last element stays 0 and is left out here).
    const threads = Number(scalar('/sys/num_worker_threads')) + 1;
    const perThread = (name: string): bigint[] => {
      const row = threadVectors(r.seg, r.dir, entry(r, name, EntryType.counterVectorSimple), SIZE.simpleCounter)[0];
      if (row === undefined || row.length < threads) throw new StatsSegmentError(`${row?.length ?? 0} values for ${threads} threads`, name);
      return Array.from({ length: threads }, (_, i) => r.seg.view.getBigUint64(row.offset + i * SIZE.simpleCounter, true));
    };
    const heaps: HeapStats[] = [];
    const pools = new Map<string, Partial<Record<'cached' | 'used' | 'available', bigint>>>();
    for (let i = 0; i < r.dir.names.length; i++) {
      const path = r.dir.names[i]!;
      if (path.startsWith('/mem/') && !path.slice(5).includes('/') && r.dir.types[i] === EntryType.counterVectorSimple) {
        const row = threadVectors(r.seg, r.dir, i, SIZE.simpleCounter)[0];
        if (row === undefined || row.length < MEMORY_HEAP_COLUMNS.length) throw new StatsSegmentError(`a heap has ${MEMORY_HEAP_COLUMNS.length} counters, this has ${row?.length ?? 0}`, path);
        const heap = Object.fromEntries(MEMORY_HEAP_COLUMNS.map((c, k) => [c, r.seg.view.getBigUint64(row.offset + k * 8, true)]));
        heaps.push({ name: path.slice(5), ...(heap as Omit<HeapStats, 'name'>) });
      }
      const pool = /^\/buffer-pools\/([^/]+)\/(cached|used|available)$/.exec(path);
      if (pool && (r.dir.types[i] === EntryType.gauge || r.dir.types[i] === EntryType.scalarIndex)) {
        const p = pools.get(pool[1]!) ?? {};
        p[pool[2] as 'cached'] = entryScalar(r.seg, r.dir, i);
        pools.set(pool[1]!, p);
      }
    }
    const bufferPools: BufferPoolStats[] = [...pools].map(([name, p]) => {
      if (p.cached === undefined || p.used === undefined || p.available === undefined) throw new StatsSegmentError('a buffer pool needs cached, used and available', `/buffer-pools/${name}`);
      return { name, cached: p.cached, used: p.used, available: p.available };
    });
    return {
      vectorRate: scalar('/sys/vector_rate'),
      inputRate: scalar('/sys/input_rate'),
      workerThreads: scalar('/sys/num_worker_threads'),
      vectorRatePerThread: perThread('/sys/vector_rate_per_worker'),
      loopsPerThread: perThread('/sys/loops_per_worker'),
      heartbeat: scalar('/sys/heartbeat'),
      boottime: scalar('/sys/boottime'),
      lastUpdate: scalar('/sys/last_update'),
      lastStatsClear: scalar('/sys/last_stats_clear'),
      heaps,
      bufferPools,
    };
  }

  const reader: StatsReader = {
    ls: async (patterns) => {
      const compiled = compilePatterns(patterns);
      return read((r) => matching(r.dir, compiled).map((i) => r.dir.names[i]!));
    },
    dump: async (patterns) => {
      const compiled = compilePatterns(patterns);
      return read((r) => new Map<string, StatValue>(matching(r.dir, compiled).map((i) => [r.dir.names[i]!, readValue(r.seg, r.dir, i)])));
    },
    interfaces: () => read(interfaces),
    errors: () => read(errors),
    nodes: () => read(nodes),
    system: () => read(system),
    watch: (options: WatchOptions = {}) => watchSnapshots(options, (fn) => readFrom((r) => fn(r.seg, r.dir))),
    close: () => {
      if (closed) return;
      closed = true;
      cached = undefined;
      source.close();
    },
    [Symbol.asyncDispose]: async () => reader.close(),
  };
  return reader;
}
