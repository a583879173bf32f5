/**
 * The big-dump figures against a real VPP: `acl_dump` of 50 ACLs × 1,000 rules, read by a C
 * client (the floor: it only reads the bytes and sums each detail's rule count), by the same
 * work in Node with no library (`raw-dump.ts`: Node's own floor), by vppkit with decoded
 * details, and by vppkit with details as views (`.views()`, reading each detail's count).
 *
 * The C client (`c-client/acl-dump.c`) is built with `cc` into a temporary directory, when the
 * machine has a compiler. Rounds alternate C, Node, decoded, views, so all four see the same
 * machine; each ratio is the median of the per-round ratios.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client as AnyClient } from '../src/client/index.js';
import type { Messages } from '../src/gen/index.js';
import { type Figure, median, quick, si } from './measure.js';
import { type RawDumper, rawDumper } from './raw-dump.js';

type Client = AnyClient<Messages>;

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const ACLS = 50;
const RULES = 1000;
const DUMPS = quick ? 3 : 40;
/** Dumps each client runs before the rounds, in quick mode too: fewer left its rows mostly JIT warm-up. */
const WARMUP_DUMPS = 40;
const ROUNDS = quick ? 1 : 15;

/** Builds the C client; undefined (with a note) when there is no `cc`. */
async function buildCClient(dir: string): Promise<string | undefined> {
  const out = join(dir, 'acl-dump');
  try {
    await run('cc', ['-O2', '-o', out, join(here, 'c-client', 'acl-dump.c')]);
    return out;
  } catch (err) {
    console.warn(`bench: cannot build the C client (${(err as Error).message.split('\n')[0]}); skipping the C-client rows`);
    return undefined;
  }
}

/**
 * One client's `DUMPS` dumps: rules per second, and its own CPU time (user + system) per rule in
 * ns, which a loaded machine inflates far less than it does the wall-clock rate.
 */
interface Rate {
  rate: number;
  rules: number;
  cpuNs: number;
}

/** The C client over `DUMPS` dumps. */
async function cRate(bin: string, socket: string): Promise<Rate> {
  const { stdout } = await run(bin, [socket, String(DUMPS)]);
  const [, , rules, , seconds, cpu] = stdout.trim().split(' ').map(Number);
  return { rate: rules! / seconds!, rules: rules!, cpuNs: (cpu! * 1e9) / rules! };
}

/** Node with no library over `dumps` dumps. */
async function rawRate(raw: RawDumper, dumps = DUMPS): Promise<Rate> {
  let rules = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let d = 0; d < dumps; d++) rules += await raw.dump();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: rules / seconds, rules, cpuNs: ((cpu.user + cpu.system) * 1000) / rules };
}

/** vppkit over `dumps` dumps: decoded details (`r.length`) or views (`count`). */
async function vppkitRate(client: Client, views: boolean, dumps = DUMPS): Promise<Rate> {
  let rules = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let d = 0; d < dumps; d++) {
    const details = client.dump('acl_dump', { acl_index: 0xffffffff });
    if (views) for await (const a of details.views()) rules += a.count;
    else for await (const a of details) rules += a.r.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: rules / seconds, rules, cpuNs: ((cpu.user + cpu.system) * 1000) / rules };
}

/** Rules as a user would write them: prefixes repeat, ports vary. */
function rules(): Parameters<Client['request']>[1] {
  return Array.from({ length: RULES }, (_, i) => ({
    is_permit: 1, src_prefix: `10.${i % 7}.${i % 5}.0/24`, dst_prefix: `192.168.${i % 11}.${i % 4}/32`, proto: 6,
    srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80 + (i % 100), dstport_or_icmpcode_last: 80 + (i % 100),
    tcp_flags_mask: 0, tcp_flags_value: 0,
  })) as never;
}

const tick = (ok: boolean, what: string): string => `${ok ? '✓' : '✗'} ${what}`;

/** Adds 50 ACLs × 1,000 rules to the VPP behind `socket`, measures, and deletes them again. */
export async function aclDumpBench(client: Client, socket: string): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vppkit-bench-c-'));
  const added: number[] = [];
  let raw: RawDumper | undefined;
  try {
    const bin = await buildCClient(dir);
    raw = await rawDumper(socket);
    const r = rules();
    for (let a = 0; a < ACLS; a++) added.push((await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: `vppkit-bench-${a}`, r } as never)).acl_index);
    // Warm-up: JIT, and VPP's first walk over the new ACLs.
    await vppkitRate(client, false, WARMUP_DUMPS);
    await vppkitRate(client, true, WARMUP_DUMPS);
    await rawRate(raw, WARMUP_DUMPS);
    const c: Rate[] = [];
    const node: Rate[] = [];
    const decoded: Rate[] = [];
    const views: Rate[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (bin) c.push(await cRate(bin, socket));
      node.push(await rawRate(raw));
      decoded.push(await vppkitRate(client, false));
      views.push(await vppkitRate(client, true));
    }
    // The machine is shared: the 1-minute load average says how busy it was while the rows ran.
    const load = loadavg()[0]!.toFixed(2);
    const total = decoded[0]!.rules / DUMPS;
    const what = `acl_dump, ${ACLS} ACLs × ${RULES.toLocaleString('en')} rules (${total.toLocaleString('en')} rules a dump, ${DUMPS} dumps)`;
    const figures: Figure[] = [];
    const ratio = (xs: Rate[]) => median(xs.map((x, i) => x.rate / c[i]!.rate));
    const cpuNs = (xs: Rate[]) => median(xs.map((x) => x.cpuNs)).toFixed(1);
    if (bin) figures.push({ suite: 'vpp', name: `${what}: C client (reads the bytes, sums the counts)`, opsPerSec: median(c.map((x) => x.rate)), ratio: 1, extra: { unit: 'rules/s', cpu_ns_per_rule: cpuNs(c), load_avg: load } });
    const rows = [['Node with no library (raw socket, sums the counts)', node, undefined], ['vppkit, decoded details', decoded, 0.5], ['vppkit, views (.views(), reads count)', views, 0.8]] as const;
    for (const [name, rates, target] of rows) {
      const x = bin ? ratio(rates) : undefined;
      figures.push({
        suite: 'vpp', name: `${what}: ${name}`, opsPerSec: median(rates.map((v) => v.rate)),
        ...(x !== undefined && { ratio: x }),
        ...(x !== undefined && target !== undefined && { target: tick(x >= target, `≥ ${target}× C client (${x.toFixed(2)}×)`) }),
        extra: {
          unit: 'rules/s', cpu_ns_per_rule: cpuNs(rates), load_avg: load,
          ...(c.length && { per_round_vs_c: rates.map((v, i) => (v.rate / c[i]!.rate).toFixed(2)).join('/') }),
          rounds: rates.map((v) => si(v.rate)).join('/'),
        },
      });
    }
    return figures;
  } finally {
    await raw?.close();
    for (const acl_index of added) await client.request('acl_del', { acl_index });
    await rm(dir, { recursive: true, force: true });
  }
}
