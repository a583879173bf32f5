/**
 * Client figures: control_ping round trips (one at a time, and 16 / 64 / 256 in flight), dumps of
 * 10,000 and 100,000 acl_details, and 1,000,000 pipelined requests for memory growth — against
 * the echo peer (client cost alone), the protocol simulator, and a real VPP: `VPP_API_SOCKET`'s,
 * else one launched from `VPP_BIN` or `../shared/vpp/26.06/bin/vpp`.
 *
 * How it is measured:
 * - Peers run in processes of their own (`echo-peer.ts`, `sim-peer.ts`), so this process — the
 *   client — has a core to itself ("on one core").
 * - vppkit is loaded from `dist/` when it is built (`npm run build`), so the figures are those of
 *   the code users run: under tsx every named closure gets an esbuild `__name(...)` wrapper,
 *   which makes closures created per call (the client makes some) cost more than they do in the
 *   built code. Without `dist/` it falls back to the sources and says so.
 * - The loops here make no closure per request: pipelined requests chain on one shared callback.
 * - Every rate is a median over several runs; latencies are percentiles over every round trip of
 *   those runs; "client CPU" is this process's user+system CPU time per operation.
 * - Nothing is asserted about time: the "target" column only says whether a figure met its target.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { aclDumpBench } from './acl-dump.js';
import { RawPinger, startEchoPeer } from './echo-peer.js';
import { type Figure, median, quick, si } from './measure.js';
import { startSimPeer } from './sim-peer.js';
import { launchVpp } from '../src/testing/launch.js';
import { localVppBin } from '../test/integration/local-vpp.js';

import type { Client as AnyClient } from '../src/client/index.js';
import type { Messages } from '../src/gen/index.js';

type Lib = typeof import('../src/index.js');
type Client = AnyClient<Messages>;

const here = dirname(fileURLToPath(import.meta.url));

/** vppkit's root entry point: built when `dist/` exists, else the sources (under tsx). */
async function loadLib(): Promise<{ lib: Lib; from: string }> {
  const built = join(here, '..', 'dist', 'src', 'index.js');
  if (existsSync(built)) return { lib: (await import(pathToFileURL(built).href)) as Lib, from: 'dist/' };
  console.warn('bench: dist/ is not built (npm run build); measuring the client from src/ under tsx, which is slower');
  return { lib: await import('../src/index.js'), from: 'src/ (tsx)' };
}

/** A forced full GC, so memory baselines are not left over from the last figure. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const MiB = 1024 * 1024;
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
const us = (x: number): string => x.toFixed(1);
const RUNS = quick ? 3 : 5;
const N = quick
  ? { sync: 1_000, pipelined: 10_000, memory: 50_000, burst: 100_000, dumps: [2_000, 10_000] }
  : { sync: 20_000, pipelined: 200_000, memory: 1_000_000, burst: 1_000_000, dumps: [10_000, 100_000] };
const WINDOWS = [16, 64, 256];

/** This process's CPU time (user + system), in µs. */
function cpuMicros(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

/** Another process's CPU time in µs, from /proc (Linux); undefined elsewhere. */
function procCpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) / 100) * 1e6; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** `n` control_pings one at a time: the rate; each round trip's latency (µs) goes to `lat`. */
async function syncRun(client: Client, n: number, lat: number[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await client.request('control_ping');
    lat.push((performance.now() - s) * 1000);
  }
  return n / ((performance.now() - t0) / 1000);
}

interface SyncFigures {
  /** Median rate over the runs. */
  rate: number;
  p50: number;
  p99: number;
  /** Client CPU µs per ping (median over runs). */
  cpu: number;
}

/** `runs` runs of `n` control_pings one at a time, after a warm-up. */
async function syncPings(client: Client, n: number, runs: number): Promise<SyncFigures> {
  await syncRun(client, Math.min(n, 2000), []);
  const rates: number[] = [];
  const cpus: number[] = [];
  const lat: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = cpuMicros();
    rates.push(await syncRun(client, n, lat));
    cpus.push((cpuMicros() - cpu0) / n);
  }
  lat.sort((a, b) => a - b);
  return { rate: median(rates), p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), cpu: median(cpus) };
}

/**
 * vppkit's one-at-a-time pings against the raw client's, run by run in turn (raw, vppkit, raw,
 * vppkit…) so both see the same machine; the ratio is the median of the per-pair ratios.
 */
async function syncAgainstFloor(client: Client, raw: RawPinger, n: number, runs: number): Promise<{ floor: SyncFigures; vppkit: SyncFigures; ratio: number }> {
  await raw.run(Math.min(n, 2000));
  await syncRun(client, Math.min(n, 2000), []);
  const f = { rates: [] as number[], cpus: [] as number[], lat: [] as number[] };
  const v = { rates: [] as number[], cpus: [] as number[], lat: [] as number[] };
  const ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    let cpu0 = cpuMicros();
    f.rates.push(await raw.run(n, f.lat));
    f.cpus.push((cpuMicros() - cpu0) / n);
    cpu0 = cpuMicros();
    v.rates.push(await syncRun(client, n, v.lat));
    v.cpus.push((cpuMicros() - cpu0) / n);
    ratios.push(f.rates[r]! / v.rates[r]!);
  }
  const figures = (x: typeof f): SyncFigures => {
    x.lat.sort((a, b) => a - b);
    return { rate: median(x.rates), p50: percentile(x.lat, 0.5), p99: percentile(x.lat, 0.99), cpu: median(x.cpus) };
  };
  return { floor: figures(f), vppkit: figures(v), ratio: median(ratios) };
}

/**
 * `total` control_pings with `window` in flight: each reply sends the next request, through one
 * shared callback. `every` (if given) is called each time another `every.n` replies are in.
 */
function pipelined(client: Client, total: number, window: number, every?: { n: number; fn: (done: number) => void }): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let failed = false;
    const t0 = performance.now();
    const fail = (err: unknown): void => {
      if (!failed) reject(err);
      failed = true;
    };
    const onReply = (): void => {
      done++;
      if (every && done % every.n === 0) every.fn(done);
      if (sent < total) {
        sent++;
        client.request('control_ping').then(onReply, fail);
      } else if (done === total) resolve(total / ((performance.now() - t0) / 1000));
    };
    for (; sent < Math.min(window, total); ) {
      sent++;
      client.request('control_ping').then(onReply, fail);
    }
  });
}

/** Median rate and client CPU µs per request of `runs` pipelined runs. */
async function pipelinedRuns(client: Client, n: number, window: number, runs: number): Promise<{ rate: number; cpu: number }> {
  await pipelined(client, Math.min(n, 20_000), window); // warm-up
  const rates: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = cpuMicros();
    rates.push(await pipelined(client, n, window));
    cpus.push((cpuMicros() - cpu0) / n);
  }
  return { rate: median(rates), cpu: median(cpus) };
}

/**
 * `total` pipelined requests (256 in flight), sampling memory every 10,000 replies (fewer in quick
 * mode). The RSS baseline is taken once warm (after a tenth of the requests); growth is the peak
 * RSS after it, less it. The retained heap is the heap after a final full GC less the heap after
 * a full GC at the baseline.
 */
async function memoryRun(client: Client, total: number): Promise<{ rate: number; warmRss: number; peakRss: number; endRss: number; warmHeap: number; endHeap: number }> {
  const every = Math.min(10_000, Math.floor(total / 50));
  const warmAt = Math.ceil(total / 10 / every) * every;
  let warmRss = 0;
  let warmHeap = 0;
  let peakRss = 0;
  gc();
  const rate = await pipelined(client, total, 256, {
    n: every,
    fn: (done) => {
      if (done === warmAt) {
        warmRss = peakRss = process.memoryUsage.rss();
        gc();
        warmHeap = process.memoryUsage().heapUsed;
      } else if (done > warmAt) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    },
  });
  const endRss = process.memoryUsage.rss();
  gc();
  return { rate, warmRss, peakRss, endRss, warmHeap, endHeap: process.memoryUsage().heapUsed };
}

/**
 * A burst: `n` control_pings issued at once, their promises kept in an array (8 bytes each, as
 * `Promise.all` would hold them), then awaited one by one. Memory is sampled right after the last
 * is issued (none has been answered: no I/O has run yet) and every 5 ms until all are answered.
 * The figure is the peak RSS growth over the RSS after a full GC, per request; the heap and
 * buffers grown at issue time are what the calls in flight hold, with nothing yet collectable.
 */
async function burstRun(client: Client, n: number): Promise<{ rate: number; perRequest: number; heapPerRequest: number; peakRss: number }> {
  gc();
  const base = process.memoryUsage();
  let peak = base.rss;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const t0 = performance.now();
  const replies = new Array<Promise<unknown>>(n);
  for (let i = 0; i < n; i++) replies[i] = client.request('control_ping');
  const issued = process.memoryUsage();
  sample();
  const timer = setInterval(sample, 5);
  try {
    for (const r of replies) await r;
  } finally {
    clearInterval(timer);
  }
  return {
    rate: n / ((performance.now() - t0) / 1000),
    perRequest: (peak - base.rss) / n,
    heapPerRequest: (issued.heapUsed + issued.arrayBuffers - base.heapUsed - base.arrayBuffers) / n,
    peakRss: peak,
  };
}

/** A dump of `n` acl_details from the simulator: details/s, client CPU per detail, peak memory. */
async function dumpRun(client: Client, n: number): Promise<{ rate: number; cpu: number; rssPeak: number; rssGrowth: number; heapGrowth: number }> {
  gc();
  const m0 = process.memoryUsage();
  let rssPeak = m0.rss;
  let heapPeak = m0.heapUsed;
  let count = 0;
  const cpu0 = cpuMicros();
  const t0 = performance.now();
  for await (const d of client.dump('acl_dump', { acl_index: 0xffffffff })) {
    if ((++count & 1023) === 0) {
      const m = process.memoryUsage();
      if (m.rss > rssPeak) rssPeak = m.rss;
      if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
    }
    if (d.r.length < 2) throw new Error('bench: short acl_details');
  }
  const seconds = (performance.now() - t0) / 1000;
  if (count !== n) throw new Error(`bench: dump of ${n} gave ${count} details`);
  return { rate: n / seconds, cpu: (cpuMicros() - cpu0) / n, rssPeak, rssGrowth: rssPeak - m0.rss, heapGrowth: heapPeak - m0.heapUsed };
}

const tick = (ok: boolean, what: string): string => `${ok ? '✓' : '✗'} ${what}`;

/** The burst row: a tenth-size burst to warm up, then the burst measured. */
async function burstFigure(client: Client): Promise<Figure> {
  await burstRun(client, N.burst / 10); // warm-up
  const burst = await burstRun(client, N.burst);
  return {
    suite: 'echo', name: `burst of ${N.burst.toLocaleString('en')} control_pings issued at once: memory per request in flight`, opsPerSec: burst.rate,
    // The target is for a burst of 1,000,000: at quick mode's 100,000, RSS left over from earlier figures hides most of it.
    ...(!quick && { target: tick(burst.perRequest <= 300, `≤ 300 B/request (${burst.perRequest.toFixed(0)} B)`) }),
    extra: { rss_bytes_per_request: burst.perRequest.toFixed(0), heap_bytes_per_request_issued: burst.heapPerRequest.toFixed(0), peak_rss_mib: mib(burst.peakRss) },
  };
}

/** `npm run bench -- --burst`: the burst row alone, against an echo peer of its own. */
export async function burstBench(): Promise<Figure[]> {
  const { lib } = await loadLib();
  const echo = await startEchoPeer();
  try {
    const client = await lib.connect({ socket: echo.socketPath, name: 'bench' });
    try {
      return [await burstFigure(client)];
    } finally {
      await client.close();
    }
  } finally {
    await echo.close();
  }
}

/** The VPP to measure against: `VPP_API_SOCKET`'s (left running), else a local binary launched for the bench (stopped after). */
export async function realVpp(): Promise<{ socket: string; stop(): Promise<void> } | undefined> {
  const given = process.env.VPP_API_SOCKET;
  if (given) return { socket: given, stop: async () => undefined };
  const local = localVppBin();
  if (!local) return undefined;
  const launched = await launchVpp({ bin: local.bin });
  console.log(`bench: launched ${local.bin} (${local.from}) for the real-VPP figures`);
  return launched;
}

/** Every client figure; peers are started and stopped here. */
export async function clientBench(): Promise<Figure[]> {
  const { lib, from } = await loadLib();
  const figures: Figure[] = [];
  const add = (f: Figure): void => {
    figures.push(f);
  };
  const loaded = { client: from };

  // --- The echo peer: the client's own cost. ---
  const echo = await startEchoPeer();
  try {
    const raw = await RawPinger.open(echo.socketPath);
    const client = await lib.connect({ socket: echo.socketPath, name: 'bench' });
    try {
      const { floor, vppkit: sync, ratio } = await syncAgainstFloor(client, raw, N.sync, RUNS);
      raw.close();
      add({ suite: 'echo', name: 'raw socket client (no vppkit), 1 in flight: the peer\'s floor', opsPerSec: floor.rate, extra: { p50_us: us(floor.p50), p99_us: us(floor.p99), client_cpu_us: us(floor.cpu) } });
      add({
        suite: 'echo', name: 'vppkit control_ping, 1 in flight', opsPerSec: sync.rate, ratio,
        target: tick(ratio <= 1.5, `≤ 1.5× floor (${ratio.toFixed(2)}×)`),
        extra: { p50_us: us(sync.p50), p99_us: us(sync.p99), client_cpu_us: us(sync.cpu), ...loaded },
      });
      for (const w of WINDOWS) {
        const peer0 = procCpuMicros(echo.pid);
        const t0 = performance.now();
        const p = await pipelinedRuns(client, N.pipelined, w, RUNS);
        const peer1 = procCpuMicros(echo.pid);
        const wall = (performance.now() - t0) * 1000;
        const extra: Record<string, string> = { client_cpu_us: us(p.cpu) };
        if (peer0 !== undefined && peer1 !== undefined) extra.peer_busy = `${Math.round(((peer1 - peer0) / wall) * 100)}%`;
        add({
          suite: 'echo', name: `vppkit control_ping, ${w} in flight`, opsPerSec: p.rate,
          ...(w === 256 && { target: tick(p.rate >= 500_000, `≥ 500k/s (${si(p.rate)}/s; ${us(p.cpu)} µs client CPU/req)`) }),
          extra,
        });
      }
      const mem = await memoryRun(client, N.memory);
      const growth = mem.peakRss - mem.warmRss;
      add({
        suite: 'echo', name: `${N.memory.toLocaleString('en')} pipelined control_pings (256 in flight): memory`, opsPerSec: mem.rate,
        target: tick(growth < 30 * MiB, `RSS growth < 30 MB (${mib(growth)} MiB)`),
        extra: { warm_rss_mib: mib(mem.warmRss), peak_rss_mib: mib(mem.peakRss), end_rss_mib: mib(mem.endRss), rss_growth_mib: mib(growth), heap_retained_mib: mib(mem.endHeap - mem.warmHeap) },
      });
      add(await burstFigure(client));
    } finally {
      await client.close();
    }
  } finally {
    await echo.close();
  }

  // --- The protocol simulator, in its own process. ---
  const sim = await startSimPeer();
  try {
    const client = await lib.connect({ socket: sim.socketPath, name: 'bench' });
    try {
      const sync = await syncPings(client, Math.ceil(N.sync / 4), RUNS);
      add({ suite: 'simulator', name: 'vppkit control_ping, 1 in flight', opsPerSec: sync.rate, extra: { p50_us: us(sync.p50), p99_us: us(sync.p99), client_cpu_us: us(sync.cpu) } });
      const p = await pipelinedRuns(client, Math.ceil(N.pipelined / 4), 256, RUNS);
      add({ suite: 'simulator', name: 'vppkit control_ping, 256 in flight', opsPerSec: p.rate, extra: { client_cpu_us: us(p.cpu) } });
      for (const n of N.dumps) {
        await sim.setDumpSize(n);
        await dumpRun(client, n); // warm-up
        const runs: Awaited<ReturnType<typeof dumpRun>>[] = [];
        for (let r = 0; r < (n >= 100_000 ? Math.min(RUNS, 3) : RUNS); r++) runs.push(await dumpRun(client, n));
        const rate = median(runs.map((x) => x.rate));
        const cpu = median(runs.map((x) => x.cpu));
        add({
          suite: 'simulator', name: `dump of ${n.toLocaleString('en')} acl_details (2-5 rules each)`, opsPerSec: rate,
          ...(n === 100_000 && { target: tick(rate >= 300_000, `≥ 300k details/s (${si(rate)}/s)`) }),
          extra: {
            client_cpu_us: us(cpu), client_capacity: `${si(1e6 / cpu)}/s`,
            peak_rss_mib: mib(Math.max(...runs.map((x) => x.rssPeak))), rss_growth_mib: mib(Math.max(...runs.map((x) => x.rssGrowth))), heap_growth_mib: mib(Math.max(...runs.map((x) => x.heapGrowth))),
          },
        });
      }
    } finally {
      await client.close();
    }
  } finally {
    await sim.close();
  }

  // --- A real VPP, when there is one: VPP_API_SOCKET's, else one launched from a local binary. ---
  const vpp = await realVpp();
  if (!vpp) {
    console.log('bench: no VPP (VPP_API_SOCKET is not set, no VPP_BIN and no ../shared/vpp/26.06/bin/vpp); skipping the real-VPP client figures');
  } else {
    const client = await lib.connect({ socket: vpp.socket, name: 'vppkit-bench' });
    try {
      // First: in two full runs, VPP 26.06 stopped answering during this part when it came last (see docs/performance.md).
      for (const f of await aclDumpBench(client, vpp.socket)) add(f);
      const sync = await syncPings(client, Math.ceil(N.sync / 2), RUNS);
      add({ suite: 'vpp', name: 'vppkit control_ping, 1 in flight', opsPerSec: sync.rate, extra: { p50_us: us(sync.p50), p99_us: us(sync.p99), client_cpu_us: us(sync.cpu) } });
      for (const w of WINDOWS) {
        const p = await pipelinedRuns(client, N.pipelined / 2, w, RUNS);
        add({ suite: 'vpp', name: `vppkit control_ping, ${w} in flight`, opsPerSec: p.rate, extra: { client_cpu_us: us(p.cpu) } });
      }
      const mem = await memoryRun(client, N.memory);
      add({
        suite: 'vpp', name: `${N.memory.toLocaleString('en')} pipelined control_pings (256 in flight): memory`, opsPerSec: mem.rate,
        extra: { warm_rss_mib: mib(mem.warmRss), peak_rss_mib: mib(mem.peakRss), rss_growth_mib: mib(mem.peakRss - mem.warmRss), heap_retained_mib: mib(mem.endHeap - mem.warmHeap) },
      });
      // VPP's interfaces are what a bench can dump without configuring anything.
      const rates: number[] = [];
      let count = 0;
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        count = (await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()).length;
        rates.push(count / ((performance.now() - t0) / 1000));
      }
      add({ suite: 'vpp', name: `dump of sw_interface_details (${count} interfaces)`, opsPerSec: median(rates) });
    } finally {
      await client.close();
      await vpp.stop();
    }
  }
  return figures;
}
