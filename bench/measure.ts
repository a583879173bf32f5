/** Timing helpers for the benchmarks: medians over several runs, never assertions. */

/** One measured figure. */
export interface Figure {
  suite: string;
  name: string;
  /** Operations per second, median over runs. */
  opsPerSec: number;
  /** Bytes per second, when the operation moves bytes. */
  bytesPerSec?: number;
  /** Cost relative to the baseline of the same run (1 = as fast as the baseline). */
  ratio?: number;
  /** The target for this figure, met (✓) or missed (✗), with the measured value. Never asserted. */
  target?: string;
  /** Anything else worth reporting: latencies, memory. */
  extra?: Record<string, number | string>;
}

/** Whether to run small counts (CI) rather than the full suite. */
export const quick = process.argv.includes('--quick') || process.env.VPPKIT_BENCH_QUICK === '1';

/**
 * Runs `fn` (which performs `batch` operations) repeatedly for about `ms` per run, `runs` times,
 * and returns the median operations per second.
 */
export function opsPerSecond(fn: () => void, batch: number, { runs = quick ? 3 : 7, ms = quick ? 40 : 300 } = {}): number {
  // Warm up for as long as one run: a few calls leave the code in V8's lower tiers, and on a busy
  // machine its optimising compiler (a background thread) may not have finished for a while.
  const warm = process.hrtime.bigint();
  do fn();
  while (Number(process.hrtime.bigint() - warm) / 1e6 < ms);
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      fn();
      ops += batch;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed * 1000 < ms);
    rates.push(ops / elapsed);
  }
  return median(rates);
}

/**
 * Rates of `a` and `b` (each performing `batch` operations), measured run by run in turn (a, b,
 * a, b…) so both see the same machine; `ratio` is the median of the per-pair ratios b/a.
 */
export function pairedRates(a: () => void, b: () => void, batch: number, { runs = quick ? 3 : 7, ms = quick ? 40 : 300 } = {}): { a: number; b: number; ratio: number } {
  const ra: number[] = [];
  const rb: number[] = [];
  opsPerSecond(a, batch, { runs: 1, ms });
  opsPerSecond(b, batch, { runs: 1, ms });
  for (let r = 0; r < runs; r++) {
    ra.push(opsPerSecond(a, batch, { runs: 1, ms }));
    rb.push(opsPerSecond(b, batch, { runs: 1, ms }));
  }
  return { a: median(ra), b: median(rb), ratio: median(rb.map((x, i) => x / ra[i]!)) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `1234567` → `1.23M`. */
export function si(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n < 10 ? 2 : 0);
}
