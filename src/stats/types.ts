/**
 * The public types of `vppkit/stats`: the reader, the values it returns per entry type, and the
 * summaries (interfaces, errors, nodes, system) built from them.
 *
 * @module
 */

/** Options of {@link connectStats}. */
export interface ConnectStatsOptions {
  /** The stats socket (`statseg { socket-name … }`). Default `/run/vpp/stats.sock`. */
  readonly socket?: string | undefined;
  /** How long, in ms, to wait for the socket to send the segment, and for a consistent read. Default 5,000. */
  readonly timeout?: number | undefined;
  /** Aborts the connect at once, even while waiting for the socket to answer; once connected, aborting closes the reader. */
  readonly signal?: AbortSignal | undefined;
}

/** One `vlib_counter_t`: packets and bytes. */
export interface CombinedCounter {
  readonly packets: bigint;
  readonly bytes: bigint;
}

/** One thread's log2 histogram: bin i counts values up to 2^(minExp+i) (above the previous bin's bound), as `vpp_get_stats` prints it. */
export interface Log2Histogram {
  readonly minExp: number;
  readonly bins: readonly bigint[];
}

/** One thread's ring: where the producer is. */
export interface RingBufferThread {
  /** The producer's position (the next slot it writes). */
  readonly head: number;
  /** How many entries it has produced, for overwrite detection. */
  readonly sequence: bigint;
  readonly schemaVersion: number;
}

/**
 * The value of one entry, by its type. Counter vectors are indexed `[thread][index]`; a symlink
 * (`/interfaces/loop0/rx`) is resolved to the one column it names, `[thread]`.
 */
export type StatValue =
  | { readonly type: 'scalar'; readonly value: bigint }
  | { readonly type: 'gauge'; readonly value: bigint }
  | { readonly type: 'simple'; readonly perThread: readonly (readonly bigint[])[] }
  | { readonly type: 'combined'; readonly perThread: readonly (readonly CombinedCounter[])[] }
  | { readonly type: 'name'; readonly names: readonly (string | null)[] }
  | { readonly type: 'symlink-simple'; readonly target: string; readonly index: number; readonly perThread: readonly bigint[] }
  | { readonly type: 'symlink-combined'; readonly target: string; readonly index: number; readonly perThread: readonly CombinedCounter[] }
  | { readonly type: 'histogram-log2'; readonly perThread: readonly Log2Histogram[] }
  | {
      readonly type: 'ring-buffer';
      readonly entrySize: number;
      readonly ringSize: number;
      readonly schemaVersion: number;
      readonly perThread: readonly RingBufferThread[];
    }
  | { readonly type: 'empty' };

/** Every counter of one interface, summed over threads and per thread. */
export interface InterfaceStats {
  readonly swIfIndex: number;
  readonly name: string;
  readonly rx: CombinedCounter;
  readonly tx: CombinedCounter;
  readonly drops: bigint;
  readonly rxErrors: bigint;
  readonly txErrors: bigint;
  /**
   * Every `/interfaces/<name>/<counter>` by counter name (`rx`, `rx-multicast`, `drops`, `ip4`,
   * …, as VPP names them under `/if/`), summed over threads.
   */
  readonly counters: Readonly<Record<string, bigint | CombinedCounter>>;
  /** The same counters, `[thread]`. */
  readonly perThread: Readonly<Record<string, readonly bigint[] | readonly CombinedCounter[]>>;
}

/** One non-zero `/err/<node>/<reason>` counter. */
export interface ErrorCounter {
  /** The whole path, `/err/ip4-input/ip4 ttl expired`. */
  readonly path: string;
  readonly node: string;
  readonly reason: string;
  /** Summed over threads. */
  readonly value: bigint;
  readonly perThread: readonly bigint[];
}

/** One graph node's counters (`/sys/node/…`, which VPP publishes with `statseg { per-node-counters on }`). */
export interface NodeStats {
  readonly index: number;
  readonly name: string;
  readonly calls: bigint;
  readonly vectors: bigint;
  readonly clocks: bigint;
  readonly suspends: bigint;
  /** Vectors per call, 0 when never called. */
  readonly vectorsPerCall: number;
  /** Clocks per vector, 0 when no vector. */
  readonly clocksPerVector: number;
}

/** One memory heap (`/mem/<name>`), in bytes. */
export interface HeapStats {
  readonly name: string;
  readonly total: bigint;
  readonly used: bigint;
  readonly free: bigint;
  readonly usedMmap: bigint;
  readonly totalAlloc: bigint;
  readonly freeChunks: bigint;
  readonly releasable: bigint;
}

/** One buffer pool (`/buffer-pools/<name>/…`), in buffers. */
export interface BufferPoolStats {
  readonly name: string;
  readonly cached: bigint;
  readonly used: bigint;
  readonly available: bigint;
}

/** What VPP 26.06 publishes about itself under `/sys`, `/mem` and `/buffer-pools`. */
export interface SystemStats {
  /** `/sys/vector_rate`: vectors per main-loop iteration, over all threads. */
  readonly vectorRate: bigint;
  /** `/sys/input_rate`. */
  readonly inputRate: bigint;
  /** `/sys/num_worker_threads`: threads besides the main one. */
  readonly workerThreads: bigint;
  /** `/sys/vector_rate_per_worker`, by thread (0 is the main thread, then each worker). */
  readonly vectorRatePerThread: readonly bigint[];
  /** `/sys/loops_per_worker`: main-loop iterations per second, by thread. */
  readonly loopsPerThread: readonly bigint[];
  /** `/sys/heartbeat`: bumped by VPP at each stats update. */
  readonly heartbeat: bigint;
  /** `/sys/boottime`, seconds since the epoch. */
  readonly boottime: bigint;
  /** `/sys/last_update`. */
  readonly lastUpdate: bigint;
  /** `/sys/last_stats_clear`. */
  readonly lastStatsClear: bigint;
  readonly heaps: readonly HeapStats[];
  readonly bufferPools: readonly BufferPoolStats[];
}

/** Options of {@link StatsReader.watch}. */
export interface WatchOptions {
  /** Between snapshots, in ms. Default 1,000. */
  readonly interval?: number | undefined;
  /** Patterns (regular expressions, as for `ls`) of the entries to watch. Default: every counter. */
  readonly paths?: string | readonly string[] | undefined;
  /** Ends the iteration. */
  readonly signal?: AbortSignal | undefined;
}

/** How one counter moved since the previous snapshot. */
export interface CounterChange {
  /** The counter: `/if/rx[1].packets`, `/err/ip4-input/ip4 ttl expired`, `/sys/vector_rate`. */
  readonly key: string;
  /** The current value. */
  readonly value: bigint;
  /** Since the previous snapshot (0 in the first); after a reset, the value itself. Scalars and gauges may go down. */
  readonly delta: bigint;
  /** Per second, over the time between the two snapshots. */
  readonly rate: number;
  /** The counter went down (VPP restarted, or its counters were cleared), or the reader mapped a new segment. */
  readonly reset: boolean;
}

/**
 * One snapshot of `watch`: every counter the patterns match, flattened to one value per key. A
 * counter vector gives `name[index]` (summed over threads), a combined one `name[index].packets`
 * and `name[index].bytes`; a symlink gives `name` (or `name.packets`, `name.bytes`); a scalar or
 * gauge gives `name`. Name vectors, histograms and ring buffers are left out.
 */
export interface StatsSnapshot {
  /** When it was read (`Date.now()`). */
  readonly time: number;
  /** Since the previous snapshot, in ms; 0 for the first. */
  readonly elapsed: number;
  /** VPP restarted before this snapshot: the reader mapped the new segment. */
  readonly reconnected: boolean;
  /** The counters that moved (or appeared, or reset) since the previous snapshot; none in the first. */
  readonly changed: readonly CounterChange[];
  /** Every counter, by key (built when first read: with thousands of interfaces, reading only `changed` costs less). */
  readonly counters: ReadonlyMap<string, CounterChange>;
}

/** A reader of VPP's stats segment. */
export interface StatsReader {
  /** The names of the entries that match any of the patterns (regular expressions, as `vpp_get_stats ls`); every entry without. */
  ls(patterns?: string | readonly string[]): Promise<string[]>;
  /** The values of the entries that match the patterns, by name, in directory order. */
  dump(patterns?: string | readonly string[]): Promise<Map<string, StatValue>>;
  /** Every interface, by `sw_if_index`; deleted ones (`deleted` in `/if/names`) are left out, `dump('^/if/')` still shows them. */
  interfaces(): Promise<InterfaceStats[]>;
  /** Every non-zero `/err/` counter. */
  errors(): Promise<ErrorCounter[]>;
  /** Every graph node's counters; an error when VPP does not publish them. */
  nodes(): Promise<NodeStats[]>;
  /** VPP's own figures. */
  system(): Promise<SystemStats>;
  /** Snapshots every `interval` ms, with deltas and rates; `break` or `signal` ends it. */
  watch(options?: WatchOptions): AsyncGenerator<StatsSnapshot, void, undefined>;
  /** Unmaps the segment. Reads afterwards fail with `StatsClosedError`. Safe to call twice. */
  close(): void;
  /** Same as {@link close}, for `await using stats = await connectStats()`. */
  [Symbol.asyncDispose](): Promise<void>;
}
