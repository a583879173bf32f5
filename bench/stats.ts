/**
 * Stats figures, side by side in one run against one VPP with many loopbacks (5,000; 200 in
 * quick mode), launched here from `VPP_BIN` or `../shared/vpp/26.06/bin/vpp`:
 * - a full read of `/interfaces/` and `/err/`: VPP's own C reader (`vpp_get_stats dump`, beside
 *   the VPP binary, its output to /dev/null, timed from spawn to exit), vppkit doing the same job
 *   (connect, dump, close), and vppkit reading again on a reader already connected. Runs alternate
 *   (C, vppkit, C, vppkit…) so both see the same machine; the ratio is the median of the per-pair
 *   ratios of times. vpp_papi's VPPStats joins them when python3 can import it.
 * - `watch` at a 1 s interval: this process's CPU time (user + system) over the ticks after a
 *   warm-up: ticks until VPP's directory has settled (below), then four more (the first plans the
 *   counters, or re-plans them; over the next three V8 optimizes the tick and collects the plan's
 *   garbage), as a share of one core; the consumer reads `changed`. The warm-up's CPU is reported beside it,
 *   and so is its dearest tick after the first: a re-plan, when the directory changed in it.
 * vppkit is loaded from `dist/` when built, as bench/client.ts does. Nothing is asserted about time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Figure, median, quick } from './measure.js';
import { connect } from '../src/client/index.js';
import { launchVpp } from '../src/testing/launch.js';
import { localVppBin } from '../test/integration/local-vpp.js';

type StatsLib = typeof import('../src/stats/index.js');

const here = dirname(fileURLToPath(import.meta.url));
const LOOPBACKS = quick ? 200 : 5_000;
const RUNS = quick ? 3 : 7;
const WATCH_TICKS = quick ? 3 : 10;
const WATCH_WARMUP = 4;
/**
 * VPP's stats collector publishes new interfaces' counters on its next pass (every 10 s by
 * default), which changes the directory and makes `watch` re-plan once: measuring starts only this
 * long after the loopbacks were made, so the row is the steady tick, and the re-plan is reported apart.
 */
const DIRECTORY_SETTLED_MS = 12_000;
const PATTERNS = ['^/interfaces/', '^/err/'];

async function loadStats(): Promise<{ lib: StatsLib; from: string }> {
  const built = join(here, '..', 'dist', 'src', 'stats', 'index.js');
  if (existsSync(built)) return { lib: (await import(pathToFileURL(built).href)) as StatsLib, from: 'dist/' };
  return { lib: await import('../src/stats/index.js'), from: 'src/ (tsx)' };
}

/** Milliseconds from spawning `vpp_get_stats dump …` (output to /dev/null) to its exit. */
function timeCTool(bin: string, socket: string): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  const t0 = performance.now();
  const child = spawn(bin, ['socket-name', socket, 'dump', ...PATTERNS], { stdio: ['ignore', devNull, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      closeSync(devNull);
      if (code === 0) resolve(ms);
      else reject(new Error(`vpp_get_stats exited ${code}: ${stderr}`));
    });
  });
}

/** Whether python3 can import vpp_papi (VPP's Python reader); the machines here have none. */
function hasVppPapi(): boolean {
  return spawnSync('python3', ['-c', 'import vpp_papi'], { stdio: 'ignore' }).status === 0;
}

const tick = (ok: boolean, what: string): string => `${ok ? '✓' : '✗'} ${what}`;

/** Every stats figure; the VPP is started and stopped here. */
export async function statsBench(): Promise<Figure[]> {
  const local = localVppBin();
  const cTool = local ? join(dirname(local.bin), 'vpp_get_stats') : '';
  if (!local || !existsSync(cTool)) {
    console.log('bench: stats figures skipped: no local VPP with vpp_get_stats (set VPP_BIN, or put ../shared/vpp beside the checkout)');
    return [];
  }
  const { lib, from } = await loadStats();
  const vpp = await launchVpp({ bin: local.bin });
  const figures: Figure[] = [];
  try {
    const client = await connect({ socket: vpp.socket, name: 'bench-stats' });
    try {
      for (let done = 0; done < LOOPBACKS; done += 250) {
        const batch = Array.from({ length: Math.min(250, LOOPBACKS - done) }, () => client.request('create_loopback', { mac_address: '00:00:00:00:00:00' }));
        await Promise.all(batch);
      }
    } finally {
      await client.close();
    }
    const loopbacksMade = performance.now();

    // --- A full read of /interfaces/ and /err/: the C tool, vppkit from scratch, vppkit connected. ---
    const reader = await lib.connectStats({ socket: vpp.statsSocket });
    const entries = (await reader.dump(PATTERNS)).size;
    const c: number[] = [];
    const fresh: number[] = [];
    const connected: number[] = [];
    // One of each first, so that neither pays for a first run (page cache, JIT).
    await timeCTool(cTool, vpp.statsSocket);
    const warm = await lib.connectStats({ socket: vpp.statsSocket });
    await warm.dump(PATTERNS);
    warm.close();
    for (let r = 0; r < RUNS; r++) {
      c.push(await timeCTool(cTool, vpp.statsSocket));
      const t0 = performance.now();
      const once = await lib.connectStats({ socket: vpp.statsSocket });
      await once.dump(PATTERNS);
      once.close();
      fresh.push(performance.now() - t0);
      const t1 = performance.now();
      await reader.dump(PATTERNS);
      connected.push(performance.now() - t1);
    }
    const ratio = median(fresh.map((f, i) => f / c[i]!));
    const ms = (xs: number[]): string => median(xs).toFixed(1);
    const papi = hasVppPapi() ? 'importable, but this bench does not measure it' : 'not installed here (python3 cannot import vpp_papi)';
    figures.push({ suite: 'stats', name: `vpp_get_stats dump ${PATTERNS.join(' ')} (${LOOPBACKS} loopbacks, ${entries} entries)`, opsPerSec: 1000 / median(c), extra: { ms: ms(c), vpp_papi: papi } });
    figures.push({
      suite: 'stats', name: 'vppkit connectStats + dump + close, same entries', opsPerSec: 1000 / median(fresh), ratio,
      target: tick(ratio <= 2, `within 2× of vpp_get_stats (${ratio.toFixed(2)}×)`), extra: { ms: ms(fresh), loaded_from: from },
    });
    figures.push({ suite: 'stats', name: 'vppkit dump on a connected reader, same entries', opsPerSec: 1000 / median(connected), ratio: median(connected.map((f, i) => f / c[i]!)), extra: { ms: ms(connected) } });

    // --- watch at 1 s: CPU over the ticks after the warm-up. ---
    let n = 0;
    let counters = 0;
    let changed = 0;
    const warmup0 = process.cpuUsage();
    let warmupCpu = 0;
    /** The tick on which the last warm-up tick falls: WATCH_WARMUP ticks after the directory settled. */
    let warmupTicks = 0;
    let dearestWarmupTick = 0;
    let tickCpu = process.cpuUsage();
    let cpu0 = process.cpuUsage();
    let t0 = performance.now();
    for await (const snap of reader.watch({ interval: 1_000 })) {
      if (++n === 1) counters = snap.counters.size;
      if (warmupTicks === 0 || n <= warmupTicks) {
        const t = process.cpuUsage(tickCpu);
        if (n > 1) dearestWarmupTick = Math.max(dearestWarmupTick, (t.user + t.system) / 1000);
        tickCpu = process.cpuUsage();
        if (warmupTicks === 0 && performance.now() - loopbacksMade >= DIRECTORY_SETTLED_MS) warmupTicks = n + WATCH_WARMUP - 1;
        if (n === warmupTicks) {
          const w = process.cpuUsage(warmup0);
          warmupCpu = (w.user + w.system) / 1000;
          cpu0 = process.cpuUsage();
          t0 = performance.now();
        }
        continue;
      }
      changed += snap.changed.length;
      if (n === warmupTicks + WATCH_TICKS) break;
    }
    const used = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    const share = ((used.user + used.system) / 1000 / wall) * 100;
    figures.push({
      suite: 'stats', name: `vppkit watch at 1 s (default paths, ${counters} counters, ${WATCH_TICKS} ticks after ${warmupTicks} of warm-up)`, opsPerSec: (WATCH_TICKS * 1000) / wall,
      target: tick(share < 1, `< 1% of a core (${share.toFixed(2)}%)`),
      extra: { cpu_ms: ((used.user + used.system) / 1000).toFixed(1), wall_ms: wall.toFixed(0), changed, warmup_cpu_ms: warmupCpu.toFixed(1), dearest_warmup_tick_ms: dearestWarmupTick.toFixed(1) },
    });
    reader.close();
  } finally {
    await vpp.stop();
  }
  return figures;
}
