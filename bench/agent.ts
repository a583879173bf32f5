/**
 * The node agent: the time from one key changing in etcd to VPP holding the change, split into
 * VPP's own time (the agent waiting for VPP's replies: here the model's, with the round trips) and
 * the rest (etcd's watch, translating the keys, planning, the client's work); the agent's memory
 * with the issue's size loaded (1,000 interfaces, 1,000 ACLs of 10 rules attached to them, 10,000
 * static mappings); and, in turns on the same state, one change applied by a full reconcile (read
 * everything, plan everything) and by an incremental one (plan the change against the kept
 * state). Against a real etcd and the VPP model in a process of its own; `--quick` uses a small
 * state. Without an etcd binary it reports nothing and says why.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Etcd3 } from 'etcd3';
import { connect } from '../src/client/index.js';
import { type ReadCache, translate } from '../src/agent/translate.js';
import { type Applied, applyChange, readActual } from '../src/desired/index.js';
import type { AgentEvent } from '../src/agent/index.js';
import { type Figure, median, quick } from './measure.js';
import { startModelPeer } from './model-peer.js';
import { loadTesting } from './sim-peer.js';

/** vppkit's `agent` entry point: the built one when `dist/` exists (what users run), else the source. */
async function loadAgent(): Promise<typeof import('../src/agent/index.js')> {
  const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'agent', 'index.js');
  return existsSync(built) ? ((await import(pathToFileURL(built).href)) as typeof import('../src/agent/index.js')) : await import('../src/agent/index.js');
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const PREFIX = '/vnf-agent/bench/';
/** The pause before each measured change, so that it meets an idle agent. */
const PAUSE_MS = 100;

/** The keys of the issue's size (or a small one): name → JSON, in vpp-agent's layout. */
function keys(interfaces: number, acls: number, mappings: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < interfaces; i++) {
    out.set(`config/vpp/v2/interfaces/lo${i}`, JSON.stringify({ name: `lo${i}`, type: 'SOFTWARE_LOOPBACK', enabled: true, ipAddresses: [`10.${100 + (i >> 8)}.${i & 255}.1/24`], mtu: 1500 }));
  }
  for (let a = 0; a < acls; a++) {
    const rules = Array.from({ length: 10 }, (_, r) => ({ action: r % 2 ? 'PERMIT' : 'REFLECT', ipRule: { ip: { sourceNetwork: `10.${a >> 8}.${a & 255}.0/24`, destinationNetwork: `192.168.${r}.0/24` }, tcp: { destinationPortRange: { lowerPort: 80 + r } } } }));
    out.set(`config/vpp/acls/v2/acl/acl${a}`, JSON.stringify({ name: `acl${a}`, rules, interfaces: { ingress: [`lo${a % interfaces}`] } }));
  }
  out.set('config/vpp/nat/v2/nat44-global', JSON.stringify({}));
  out.set('config/vpp/nat/v2/nat44-pool/pool', JSON.stringify({ name: 'pool', firstIp: '192.0.2.1', lastIp: '192.0.2.4' }));
  out.set('config/vpp/nat/v2/nat44-interface/lo0', JSON.stringify({ name: 'lo0', natOutside: true }));
  // Ten mappings per DNat44 key, as a service with ten ports would be.
  for (let d = 0; d < mappings / 10; d++) {
    const st = Array.from({ length: 10 }, (_, j) => {
      const m = d * 10 + j;
      return { externalIp: '192.0.2.1', externalPort: 1024 + m, protocol: 'TCP', localIps: [{ localIp: `172.16.${m >> 8}.${m & 255}`, localPort: 80 }] };
    });
    out.set(`config/vpp/nat/v2/dnat44/svc${d}`, JSON.stringify({ label: `svc${d}`, stMappings: st }));
  }
  return out;
}

/** This process's CPU time (user and system) since `since`, in ms. */
const cpuOf = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export async function agentBench(): Promise<Figure[]> {
  const { findEtcd, launchEtcd } = await loadTesting();
  const { startAgent } = await loadAgent();
  if (!findEtcd()) {
    console.log('agent bench: skipped: no etcd binary (set ETCD_BIN, or apt-get install etcd-server)');
    return [];
  }
  const size = quick ? { interfaces: 10, acls: 10, mappings: 100 } : { interfaces: 1000, acls: 1000, mappings: 10_000 };
  const changes = quick ? 5 : 20;
  await using etcd = await launchEtcd();
  const model = await startModelPeer();
  const kv = new Etcd3({ hosts: etcd.url });
  try {
    const all = keys(size.interfaces, size.acls, size.mappings);
    for (const [k, v] of all) await kv.put(PREFIX + k).value(v).exec();

    const before = heapMiB();
    const applied: { revision: number; at: number; apply?: AgentEvent['apply'] }[] = [];
    const waiting = new Map<number, () => void>();
    const t0 = performance.now();
    await using agent = await startAgent({
      socket: model.socketPath,
      etcd: etcd.url,
      prefix: PREFIX,
      resyncInterval: 3_600_000, // no periodic reconcile in the middle of a measurement
      onEvent: (e) => {
        if (e.kind === 'failed') console.log(`agent bench: ${e.message}`);
        if (e.kind !== 'applied') return;
        applied.push({ revision: e.revision, at: performance.now(), ...(e.apply && { apply: e.apply }) });
        for (const [rev, done] of waiting) if (e.revision >= rev) done();
      },
    });
    const reached = (rev: number) =>
      new Promise<void>((res, rej) => {
        if ((agent.status().appliedRevision ?? 0) >= rev) return res();
        const timer = setTimeout(() => rej(new Error(`agent bench: revision ${rev} not applied within 600 s: ${JSON.stringify(agent.status().error)}`)), 600_000);
        waiting.set(rev, () => {
          clearTimeout(timer);
          waiting.delete(rev);
          res();
        });
      });
    const loaded = Number((await kv.get('x').exec()).header.revision);
    await reached(loaded);
    const fromEmpty = performance.now() - t0;
    const rejected = Object.values(agent.status().keys).filter((k) => k.state !== 'applied');
    if (rejected.length > 0) console.log(`agent bench: ${rejected.length} keys not applied, e.g. ${JSON.stringify(rejected[0])}`);
    const after = heapMiB();

    // One key changes: an interface's MTU, to and fro; first each on an idle agent (its last
    // status write to etcd done), then back to back.
    const mtuValue = (i: number) => JSON.stringify({ name: 'lo1', type: 'SOFTWARE_LOOPBACK', enabled: true, ipAddresses: ['10.100.1.1/24'], mtu: i % 2 ? 1500 : 1400 });
    const measure = async (pauseMs: number) => {
      const m = { converge: [] as number[], waitMs: [] as number[], cpuMs: [] as number[], putMs: [] as number[], modes: [] as string[] };
      for (let i = 0; i < changes; i++) {
        if (pauseMs) await sleep(pauseMs);
        const start = performance.now();
        const cpu = process.cpuUsage();
        const rev = Number((await kv.put(`${PREFIX}config/vpp/v2/interfaces/lo1`).value(mtuValue(i)).exec()).header.revision);
        m.putMs.push(performance.now() - start);
        await reached(rev);
        m.cpuMs.push(cpuOf(cpu));
        const event = applied.find((a) => a.revision >= rev)!;
        m.converge.push(event.at - start);
        m.waitMs.push(event.apply?.waitMs ?? NaN);
        m.modes.push(event.apply?.mode ?? 'none');
      }
      return m;
    };
    const idle = await measure(PAUSE_MS);
    const backToBack = await measure(0);
    const heldMiB = heapMiB(); // with the kept state of the changes
    await agent.stop();

    // The same change, applied in turns by a full reconcile and by an incremental one, on a
    // client of its own (the agent stopped): translating every key, then applyChange.
    const entries = new Map(all);
    const cache: ReadCache = new Map(); // as the agent keeps one
    const turns = { full: { ms: [] as number[], wait: [] as number[], cpu: [] as number[] }, incremental: { ms: [] as number[], wait: [] as number[], cpu: [] as number[] } };
    const direct = await connect({ socket: model.socketPath, name: 'vppkit-bench-turns' });
    try {
      let kept: Applied | undefined = (await applyChange(direct, translate(entries, cache).desired, undefined)).applied;
      for (let i = 0; i < 2 * changes; i++) {
        const mode = i % 2 ? 'incremental' : 'full';
        entries.set('config/vpp/v2/interfaces/lo1', mtuValue(i));
        const [t, cpu] = [performance.now(), process.cpuUsage()];
        const done = await applyChange(direct, translate(entries, cache).desired, mode === 'full' ? undefined : kept);
        turns[mode].ms.push(performance.now() - t);
        turns[mode].cpu.push(cpuOf(cpu));
        turns[mode].wait.push(done.waitMs);
        if (!done.result.ok || done.mode !== mode) throw new Error(`agent bench: the ${mode} apply ${done.result.ok ? `ran ${done.mode}` : `failed: ${done.result.error?.message}`}`);
        kept = done.applied;
      }
    } finally {
      await direct.close();
    }
    // The reads `apply` makes (every dump of VPP's state) alone, on a client of their own: the
    // wait is the model's time and the round trips; this process's CPU is decoding the replies.
    const reader = await connect({ socket: model.socketPath, name: 'vppkit-bench' });
    const reads: number[] = [];
    const readCpu: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const [t, cpu] = [performance.now(), process.cpuUsage()];
        await readActual(reader);
        reads.push(performance.now() - t);
        readCpu.push(cpuOf(cpu));
      }
    } finally {
      await reader.close();
    }
    const total = median(idle.converge);
    const own = median(idle.converge.map((c, i) => c - idle.waitMs[i]!));
    const label = `${size.interfaces} ifaces, ${size.acls} ACLs x 10 rules, ${size.mappings} static mappings`;
    const turn = (t: { ms: number[]; wait: number[]; cpu: number[] }) => `${median(t.ms).toFixed(1)} ms (VPP ${median(t.wait).toFixed(1)}, JS CPU ${median(t.cpu).toFixed(1)})`;
    const modes = [...idle.modes, ...backToBack.modes];
    return [
      {
        suite: 'agent',
        name: `converge after 1 key changes (${label})`,
        opsPerSec: 1000 / total,
        target: `converge − VPP's own time < 50 ms ${own < 50 ? '✓' : '✗'} (${own.toFixed(1)} ms)`,
        extra: {
          'converge ms (median)': total.toFixed(1),
          "VPP's own ms (waiting for replies: the model, round trips)": median(idle.waitMs).toFixed(1),
          'converge − VPP ms': own.toFixed(1),
          "etcd's put ms (until its reply; the watch event comes about then)": median(idle.putMs).toFixed(1),
          'JS CPU ms per change (this process: etcd client, agent, apply)': median(idle.cpuMs).toFixed(1),
          'back to back: converge ms (VPP ms)': `${median(backToBack.converge).toFixed(1)} (${median(backToBack.waitMs).toFixed(1)})`,
          'reconciles (full/incremental)': `${modes.filter((m) => m === 'full').length}/${modes.filter((m) => m === 'incremental').length}`,
          'in turns, full reconcile': turn(turns.full),
          'in turns, incremental': turn(turns.incremental),
          'reads alone ms (all dumps, median of 5)': median(reads).toFixed(1),
          'reads alone: JS CPU ms (decoding)': median(readCpu).toFixed(1),
          runs: changes,
        },
      },
      {
        suite: 'agent',
        name: `load from empty (${label})`,
        opsPerSec: 1000 / fromEmpty,
        extra: { 'ms': fromEmpty.toFixed(0), keys: all.size, 'heap MiB before': before.toFixed(1), 'heap MiB loaded': after.toFixed(1), 'agent heap MiB': (after - before).toFixed(1), 'heap MiB after the changes': heldMiB.toFixed(1), 'rss MiB': (process.memoryUsage().rss / 2 ** 20).toFixed(0) },
      },
    ];
  } finally {
    kv.close();
    await model.close();
  }
}
