/**
 * `watch`: snapshots at an interval, each counter with its delta and per-second rate since the
 * previous one. A counter that went down (VPP restarted, or `clear` ran) counts as reset: its
 * delta is its value. After the reader mapped a new segment, every counter counts as reset.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { compilePatterns } from './patterns.js';
import type { CounterChange, StatValue, StatsSnapshot, WatchOptions } from './types.js';

/** What `watch` reads each time: every matching entry's value, and whether the segment is new. */
export type WatchRead = (regexps: readonly RegExp[]) => Promise<{ values: readonly (readonly [string, StatValue])[]; reconnected: boolean }>;

/** The entries `watch` reads when not told: the interface, error and system counters (not the `/interfaces/` symlinks, which repeat `/if/`). */
export const DEFAULT_WATCH_PATHS: readonly string[] = ['^/if/', '^/err/', '^/sys/'];

/**
 * Each value as flat keys: a counter vector gives `name[index]` (summed over threads), a
 * combined one `name[index].packets` and `.bytes`, a symlink `name` (or `name.packets`, `.bytes`).
 * `monotonic` tells counters (which only go up until reset) from scalars and gauges. Name
 * vectors, histograms and ring buffers are not counters and are left out.
 */
export function flatten(values: readonly (readonly [string, StatValue])[], visit: (key: string, value: bigint, monotonic: boolean) => void): void {
  for (const [name, v] of values) {
    switch (v.type) {
      case 'scalar':
      case 'gauge':
        visit(name, v.value, false);
        break;
      case 'simple': {
        const n = Math.max(0, ...v.perThread.map((t) => t.length));
        for (let i = 0; i < n; i++) {
          let sum = 0n;
          for (const t of v.perThread) sum += t[i] ?? 0n;
          visit(`${name}[${i}]`, sum, true);
        }
        break;
      }
      case 'combined': {
        const n = Math.max(0, ...v.perThread.map((t) => t.length));
        for (let i = 0; i < n; i++) {
          let packets = 0n;
          let bytes = 0n;
          for (const t of v.perThread) {
            packets += t[i]?.packets ?? 0n;
            bytes += t[i]?.bytes ?? 0n;
          }
          visit(`${name}[${i}].packets`, packets, true);
          visit(`${name}[${i}].bytes`, bytes, true);
        }
        break;
      }
      case 'symlink-simple':
        visit(name, v.perThread.reduce((a, b) => a + b, 0n), true);
        break;
      case 'symlink-combined':
        visit(`${name}.packets`, v.perThread.reduce((a, b) => a + b.packets, 0n), true);
        visit(`${name}.bytes`, v.perThread.reduce((a, b) => a + b.bytes, 0n), true);
        break;
      default:
        break;
    }
  }
}

/** The async iterable of {@link StatsReader.watch}. Ends on `break`, or quietly when `signal` aborts. */
export async function* watchSnapshots(options: WatchOptions, read: WatchRead): AsyncGenerator<StatsSnapshot, void, undefined> {
  const interval = options.interval ?? 1_000;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) throw new RangeError(`watch: interval must be a positive number of ms, got ${String(interval)}`);
  const regexps = compilePatterns(options.paths ?? DEFAULT_WATCH_PATHS);
  const signal = options.signal;
  let previous: Map<string, bigint> | undefined;
  let previousTime = 0;
  while (!signal?.aborted) {
    const { values, reconnected } = await read(regexps);
    const time = Date.now();
    const elapsed = previous === undefined ? 0 : time - previousTime;
    const seconds = elapsed / 1000;
    const now = new Map<string, bigint>();
    const counters = new Map<string, CounterChange>();
    flatten(values, (key, value, monotonic) => {
      now.set(key, value);
      const before = previous?.get(key);
      if (before === undefined) {
        counters.set(key, { value, delta: 0n, rate: 0, reset: false });
        return;
      }
      const reset = monotonic && (reconnected || value < before);
      const delta = reset ? value : value - before;
      counters.set(key, { value, delta, rate: seconds > 0 ? Number(delta) / seconds : 0, reset });
    });
    previous = now;
    previousTime = time;
    yield { time, elapsed, reconnected, counters };
    try {
      await sleep(interval, undefined, signal ? { signal } : undefined);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }
}
