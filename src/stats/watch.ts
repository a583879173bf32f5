/**
 * `watch`: snapshots at an interval, each counter with its delta and per-second rate since the
 * previous one. A counter that went down (VPP restarted, or `clear` ran) counts as reset: its
 * delta is its value. After the reader mapped a new segment, every counter counts as reset.
 *
 * It is built to cost little at 1 s on a VPP with thousands of interfaces: the entries, their keys
 * and where their counters lie are worked out once per directory epoch (a plan); each tick then
 * only reads 32-bit halves into arrays, and makes objects for the counters that moved. The map of
 * every counter is built only when a snapshot's `counters` is read.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { StatsSegmentError } from './errors.js';
import { ENTRY, EntryType, SIZE } from './layout.js';
import { type Pattern, compilePatterns, matching } from './patterns.js';
import { type Directory, type Segment, type ThreadVector, symlinkTarget, threadVectors } from './segment.js';
import type { CounterChange, StatsSnapshot, WatchOptions } from './types.js';

/** Runs `fn` under the reader's lock on the current segment; says whether the segment is new. */
export type LockedRead = <T>(fn: (seg: Segment, dir: Directory) => T) => Promise<{ value: T; reconnected: boolean }>;

/** The entries `watch` reads when not told: the interface, error and system counters (not the `/interfaces/` symlinks, which repeat `/if/`). */
export const DEFAULT_WATCH_PATHS: readonly string[] = ['^/if/', '^/err/', '^/sys/'];

/**
 * Where each watched counter lies, for one directory. Counter `k` is the sum of the u64s whose low
 * halves are `words[at[starts[k]]] … words[at[starts[k + 1] - 1]]` (one per thread); each high
 * half is the next word. Indexing a typed array costs far less per tick than DataView calls.
 */
interface Plan {
  readonly dir: Directory;
  readonly keys: string[];
  /** 1 for counters (they only go up until reset), 0 for scalars and gauges. */
  readonly monotonic: Uint8Array;
  readonly starts: Uint32Array;
  readonly at: Uint32Array;
  /** The segment as 32-bit words in the host's order (checked little-endian, as VPP writes it here). */
  readonly words: Uint32Array;
  readonly index: Map<string, number>;
}

/** Whether this host stores numbers little-endian, as the words of {@link Plan} assume. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The plan for the entries that match: a scalar or gauge gives its `name`; a counter vector
 * `name[index]` (summed over threads), a combined one `name[index].packets` and `.bytes`; a
 * symlink `name` (or `name.packets`, `.bytes`). Name vectors, histograms and ring buffers are not
 * counters and are left out.
 */
function makePlan(seg: Segment, dir: Directory, patterns: readonly Pattern[]): Plan {
  const keys: string[] = [];
  const monotonic: number[] = [];
  const starts: number[] = [];
  const offsets: number[] = [];
  // Counter `key`: element `j` of each thread's vector that has one, `field` bytes into it. Pushed
  // in place: a plan of 185,000 counters made two small arrays per counter otherwise.
  const add = (key: string, isCounter: boolean, threads: readonly ThreadVector[], j: number, size: number, field: number): void => {
    keys.push(key);
    monotonic.push(isCounter ? 1 : 0);
    starts.push(offsets.length);
    for (const t of threads) if (j < t.length) offsets.push(t.offset + j * size + field);
  };
  for (const i of matching(dir, patterns)) {
    const name = dir.names[i]!;
    switch (dir.types[i]) {
      case EntryType.scalarIndex:
      case EntryType.gauge:
        add(name, false, [{ offset: dir.offset + i * ENTRY.size + ENTRY.value, length: 1 }], 0, 0, 0);
        break;
      case EntryType.counterVectorSimple:
      case EntryType.counterVectorCombined: {
        const simple = dir.types[i] === EntryType.counterVectorSimple;
        const size = simple ? SIZE.simpleCounter : SIZE.combinedCounter;
        const threads = threadVectors(seg, dir, i, size);
        let n = 0;
        for (const t of threads) n = Math.max(n, t.length);
        for (let j = 0; j < n; j++) {
          if (simple) add(`${name}[${j}]`, true, threads, j, size, 0);
          else {
            add(`${name}[${j}].packets`, true, threads, j, size, 0);
            add(`${name}[${j}].bytes`, true, threads, j, size, 8);
          }
        }
        break;
      }
      case EntryType.symlink: {
        // symlinkTarget has checked that every thread has the column.
        const { column, simple, threads } = symlinkTarget(seg, dir, i);
        const size = simple ? SIZE.simpleCounter : SIZE.combinedCounter;
        if (simple) add(name, true, threads, column, size, 0);
        else {
          add(`${name}.packets`, true, threads, column, size, 0);
          add(`${name}.bytes`, true, threads, column, size, 8);
        }
        break;
      }
      default:
        break;
    }
  }
  starts.push(offsets.length);
  // VPP aligns every counter to 8 bytes; a counter that is not could not be read as two words.
  const odd = offsets.findIndex((o) => o % 4 !== 0);
  if (odd >= 0) throw new StatsSegmentError(`counter at offset ${offsets[odd]} is not 4-byte aligned`, keys[starts.findLastIndex((s) => s <= odd)]);
  const words = new Uint32Array(seg.buffer, 0, seg.buffer.byteLength >>> 2);
  return { dir, keys, monotonic: Uint8Array.from(monotonic), starts: Uint32Array.from(starts), at: Uint32Array.from(offsets, (o) => o / 4), words, index: new Map(keys.map((k, n) => [k, n])) };
}

const TWO32 = 0x1_0000_0000;

/** Reads every counter of the plan as high and low 32-bit halves (sums over threads stay exact). */
function sample(plan: Plan): { hi: Float64Array; lo: Float64Array } {
  const n = plan.keys.length;
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  const { starts, at, words } = plan;
  for (let k = 0; k < n; k++) {
    let h = 0;
    let l = 0;
    const end = starts[k + 1]!;
    for (let s = starts[k]!; s < end; s++) {
      const w = at[s]!;
      l += words[w]!;
      h += words[w + 1]!;
    }
    const carry = Math.floor(l / TWO32);
    hi[k] = h + carry;
    lo[k] = l - carry * TWO32;
  }
  return { hi, lo };
}

const big = (hi: number, lo: number): bigint => (BigInt(hi) << 32n) + BigInt(lo);

/** The async iterable of {@link StatsReader.watch}. Ends on `break`, or quietly when `signal` aborts. */
export async function* watchSnapshots(options: WatchOptions, read: LockedRead): AsyncGenerator<StatsSnapshot, void, undefined> {
  const interval = options.interval ?? 1_000;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) throw new RangeError(`watch: interval must be a positive number of ms, got ${String(interval)}`);
  if (!LITTLE_ENDIAN) throw new StatsSegmentError('watch reads counters as little-endian words, and this host is big-endian');
  const patterns = compilePatterns(options.paths ?? DEFAULT_WATCH_PATHS);
  const signal = options.signal;
  let plan: Plan | undefined;
  let previous: { plan: Plan; hi: Float64Array; lo: Float64Array; time: number } | undefined;
  while (!signal?.aborted) {
    const { value, reconnected } = await read((seg, dir) => {
      if (plan?.dir !== dir) plan = makePlan(seg, dir, patterns);
      return { plan, ...sample(plan) };
    });
    const { hi, lo } = value;
    const now = value.plan;
    const time = Date.now();
    const elapsed = previous === undefined ? 0 : time - previous.time;
    const seconds = elapsed / 1000;
    // Each counter's previous position: the same one, or looked up by key when the plan changed.
    const before = previous;
    const prevAt = before === undefined ? undefined : before.plan === now ? (k: number) => k : (k: number) => before.plan.index.get(now.keys[k]!);
    const change = (k: number): CounterChange => {
      const v = big(hi[k]!, lo[k]!);
      const p = prevAt?.(k);
      if (p === undefined || before === undefined) return { key: now.keys[k]!, value: v, delta: 0n, rate: 0, reset: false };
      const reset = now.monotonic[k] === 1 && (reconnected || hi[k]! < before.hi[p]! || (hi[k] === before.hi[p] && lo[k]! < before.lo[p]!));
      const delta = reset ? v : v - big(before.hi[p]!, before.lo[p]!);
      return { key: now.keys[k]!, value: v, delta, rate: seconds > 0 ? Number(delta) / seconds : 0, reset };
    };
    const changed: CounterChange[] = [];
    if (before !== undefined && before.plan === now && !reconnected) {
      // The common case, kept tight: same counters at the same positions.
      for (let k = 0; k < hi.length; k++) if (hi[k] !== before.hi[k] || lo[k] !== before.lo[k]) changed.push(change(k));
    } else if (before !== undefined) {
      for (let k = 0; k < hi.length; k++) {
        const p = prevAt!(k);
        if (reconnected || p === undefined || hi[k] !== before.hi[p] || lo[k] !== before.lo[p]) changed.push(change(k));
      }
    }
    let counters: Map<string, CounterChange> | undefined;
    yield {
      time,
      elapsed,
      reconnected,
      changed,
      get counters() {
        counters ??= new Map(now.keys.map((key, k) => [key, change(k)]));
        return counters;
      },
    };
    previous = { plan: now, hi, lo, time };
    try {
      await sleep(interval, undefined, signal ? { signal } : undefined);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }
}
