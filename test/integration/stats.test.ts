/**
 * vppkit/stats against the real VPP: known packets from the packet generator show in the reader's
 * interface counters exactly as in `show interface` and `vpp_get_stats dump`; every entry
 * `vpp_get_stats ls` lists reads, and equals `vpp_get_stats dump`'s value; the same after a
 * restart of VPP, through the same reader.
 *
 * The stats socket is `VPP_STATS_SOCKET`, else `stats.sock` beside the API socket (where
 * launchVpp and the Docker container put it); `vpp_get_stats` is `VPP_GET_STATS`, else the one
 * beside the local VPP binary (../shared/vpp/26.06/bin).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { type StatValue, type StatsReader, connectStats } from '../../src/stats/index.js';
import { DELETED_INTERFACE } from '../../src/stats/layout.js';
import { localVppBin } from './local-vpp.js';
import { cannotRestart, cli, connectVpp, restartVpp, sleep, socket } from './vpp.js';

const run = promisify(execFile);
const statsSocket = process.env.VPP_STATS_SOCKET || (socket ? join(dirname(socket), 'stats.sock') : '');
const local = localVppBin();
const getStats = process.env.VPP_GET_STATS || (local ? join(dirname(local.bin), 'vpp_get_stats') : '');

/** `vpp_get_stats socket-name S <command> <args>`'s output lines. */
async function vppGetStats(...args: string[]): Promise<string[]> {
  const { stdout } = await run(getStats, ['socket-name', statsSocket, ...args], { maxBuffer: 256 << 20 });
  return stdout.split('\n').filter((l) => l !== '');
}

const TYPE = { scalar: 1, simple: 2, combined: 3, name: 4, gauge: 9 } as const;

/** An entry's value in the lines `vpp_get_stats dump machine` prints for it (sorted), from the reader's value. */
function machineLines(name: string, v: StatValue): string[] {
  switch (v.type) {
    case 'scalar':
    case 'gauge':
      return [`${TYPE[v.type]}:${Number(v.value).toFixed(2)}:${name}`];
    case 'simple':
      return v.perThread.flatMap((row, k) => row.map((c, j) => `2:${j}:${k}:${c}:${name}`)).sort();
    case 'combined':
      return v.perThread.flatMap((row, k) => row.map((c, j) => `3:${j}:${k}:${c.packets}:${c.bytes}:${name}`)).sort();
    case 'symlink-simple':
      return v.perThread.map((c, k) => `2:0:${k}:${c}:${name}`).sort();
    case 'symlink-combined':
      return v.perThread.map((c, k) => `3:0:${k}:${c.packets}:${c.bytes}:${name}`).sort();
    case 'name':
      return v.names.flatMap((s, k) => (s === null ? [] : [`4:${k}:${s}:${name}`])).sort();
    case 'empty':
    case 'ring-buffer': // vpp_get_stats prints nothing for these
      return [];
    case 'histogram-log2':
      throw new Error(`${name}: VPP 26.06 as launched here publishes no histogram; compare its text format when one appears`);
  }
}

/** Fields before the entry name in `vpp_get_stats dump machine`'s lines, by type (names may hold colons). */
const FIELDS: Record<string, number> = { '1': 2, '9': 2, '2': 4, '3': 5 };

/**
 * `vpp_get_stats dump machine`'s lines grouped by entry name. A name vector's line is
 * `4:index:string:name`, where both may hold colons: its name is the shortest ending among `names`.
 */
function byEntry(lines: readonly string[], names: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines) {
    const parts = line.split(':');
    const fields = FIELDS[parts[0]!];
    let name: string | undefined;
    if (fields !== undefined) name = parts.slice(fields).join(':');
    else for (let i = parts.length - 1; i > 2 && !names.has(name ?? ''); i--) name = parts.slice(i).join(':');
    if (name === undefined || !names.has(name)) throw new Error(`vpp_get_stats printed a line for no entry the reader lists: ${line}`);
    out.set(name, [...(out.get(name) ?? []), line]);
  }
  for (const v of out.values()) v.sort();
  return out;
}

/** Entries that VPP changes on its own while idle: its update clock, loop counts, rates, heaps and per-node figures. */
const MOVING = /^\/sys\/(heartbeat|last_update|loops_per_worker|vector_rate|vector_rate_per_worker|input_rate)$|^\/mem\/|^\/sys\/node\/(clocks|vectors|calls|suspends)$|^\/nodes\/|^\/buffer-pools\//;

/**
 * Compares every entry the reader dumps with `vpp_get_stats dump`, read just before and just
 * after it. An entry that is the same in both of VPP's reads must be the same in the reader's;
 * one that moved between them is left out, and must be one that VPP moves while idle.
 */
async function compareWithVppGetStats(stats: StatsReader): Promise<{ compared: number; excluded: string[] }> {
  const names = new Set(await stats.ls());
  const before = byEntry(await vppGetStats('dump', 'machine'), names);
  const mine = await stats.dump();
  const after = byEntry(await vppGetStats('dump', 'machine'), names);
  const excluded: string[] = [];
  let compared = 0;
  for (const [name, value] of mine) {
    const lines = machineLines(name, value);
    const a = before.get(name) ?? [];
    const b = after.get(name) ?? [];
    if (a.join('\n') !== b.join('\n')) {
      excluded.push(name);
      continue;
    }
    expect(lines, name).toEqual(a);
    compared++;
  }
  expect(excluded.filter((n) => !MOVING.test(n))).toEqual([]);
  // Nothing vpp_get_stats printed is missing from the reader's dump.
  expect([...before.keys()].filter((n) => !mine.has(n))).toEqual([]);
  return { compared, excluded };
}

/** `show interface NAME`'s counters, named as the reader names them (`rx.packets`, `drops`, `ip4`). */
async function showInterface(vpp: Client, name: string): Promise<Map<string, bigint>> {
  const text = await cli(vpp, `show interface ${name}`);
  const out = new Map<string, bigint>();
  for (const m of text.matchAll(/^.*?\s{2,}([a-z0-9-]+(?: (?:packets|bytes))?)\s+(\d+)\s*$/gm)) {
    const [, counter, value] = m as unknown as [string, string, string];
    const [base, unit] = counter.split(' ');
    out.set(unit ? `${base}.${unit}` : base!, BigInt(value));
  }
  return out;
}

const PG = 'pg7';
const STREAM = 'vppkit-stats';

/** Sends `count` UDP packets of 100 bytes into pg7 (to an address with no route: VPP drops them) and waits until they are counted. */
async function sendPackets(vpp: Client, count: number): Promise<void> {
  const have = await cli(vpp, 'show interface');
  if (!new RegExp(`^${PG}\\s`, 'm').test(have)) await cli(vpp, `create packet-generator interface ${PG}`);
  await cli(vpp, `set interface state ${PG} up`);
  await cli(vpp, `packet-generator delete ${STREAM}`).catch(() => undefined); // absent: nothing to delete
  await cli(vpp, `packet-generator new { name ${STREAM} limit ${count} node ip4-input size 100-100 interface ${PG} data { UDP: 10.77.0.2 -> 10.99.0.9 UDP: 1234 -> 5678 incrementing 10 } }`);
  await cli(vpp, `packet-generator enable-stream ${STREAM}`);
  // Done when the stream shows `No` under Enabled (a stream disables itself at its limit).
  const done = new RegExp(`^${STREAM}\\s+No\\s`, 'm');
  for (let i = 0; !done.test(await cli(vpp, 'show packet-generator')); i++) {
    if (i === 100) throw new Error(`the stream ${STREAM} did not finish within 5 s`);
    await sleep(50);
  }
}

describe.skipIf(!socket)('vppkit/stats against VPP', () => {
  let vpp: Client;
  let stats: StatsReader;

  beforeAll(async () => {
    if (!existsSync(getStats)) throw new Error(`no vpp_get_stats at ${getStats || '(none)'}: set VPP_GET_STATS to VPP's vpp_get_stats binary`);
    vpp = await connectVpp({ reconnect: { initialDelay: 200, maxDelay: 2000 } });
    stats = await connectStats({ socket: statsSocket });
  });
  afterAll(async () => {
    stats?.close();
    if (vpp) {
      await cli(vpp, `packet-generator delete ${STREAM}`).catch(() => undefined);
      await vpp.close();
    }
  });

  /** pg7's counters by the reader, `show interface`, and `vpp_get_stats`, after sending `count` more packets. */
  async function checkInterface(before: bigint): Promise<void> {
    await sendPackets(vpp, 25);
    const pg = (await stats.interfaces()).find((i) => i.name === PG);
    expect(pg, `${PG} in interfaces()`).toBeDefined();
    expect(pg!.rx).toEqual({ packets: before + 25n, bytes: (before + 25n) * 100n });
    expect(pg!.drops).toBe(before + 25n);
    // Every counter show interface prints (it leaves out zeros) equals the reader's, and the reader's others are 0.
    const shown = await showInterface(vpp, PG);
    expect(shown.get('rx.packets')).toBe(before + 25n);
    const mine = new Map<string, bigint>();
    for (const [k, v] of Object.entries(pg!.counters)) {
      if (typeof v === 'bigint') mine.set(k, v);
      else (mine.set(`${k}.packets`, v.packets), mine.set(`${k}.bytes`, v.bytes));
    }
    for (const [k, v] of shown) expect(mine.get(k), k).toBe(v);
    for (const [k, v] of mine) if (!shown.has(k)) expect(v, k).toBe(0n);
    // And vpp_get_stats's /interfaces/pg7/… entries.
    const theirs = byEntry(await vppGetStats('dump', 'machine', `^/interfaces/${PG}/`), new Set(await stats.ls()));
    const dumped = await stats.dump(`^/interfaces/${PG}/`);
    expect(dumped.size).toBe(theirs.size);
    for (const [name, value] of dumped) expect(machineLines(name, value), name).toEqual(theirs.get(name));
    expect(dumped.get(`/interfaces/${PG}/rx`)).toMatchObject({ type: 'symlink-combined', target: '/if/rx', index: pg!.swIfIndex });
  }

  it('counts the packet generator packets as show interface and vpp_get_stats do', async () => {
    const before = (await stats.interfaces()).find((i) => i.name === PG)?.rx.packets ?? 0n;
    await checkInterface(before);
  });

  it('lists what vpp_get_stats ls lists, and reads every entry as vpp_get_stats dump does', async () => {
    const listed = (await vppGetStats('ls')).filter((n) => n.trim() !== '');
    expect((await stats.ls()).sort()).toEqual([...new Set(listed)].sort());
    const { compared, excluded } = await compareWithVppGetStats(stats);
    expect(compared).toBeGreaterThan(1000);
    console.log(`stats: ${compared} entries equal vpp_get_stats dump; left out as moving between its two reads: ${excluded.join(', ') || 'none'}`);
  });

  it('gives errors, nodes and system figures that agree with the segment', async () => {
    // errors(): the non-zero /err/ entries of vpp_get_stats, summed over threads (the packets sent above were dropped).
    const errors = await stats.errors();
    const theirs = new Map<string, bigint>();
    for (const line of await vppGetStats('dump', 'machine', '^/err/')) {
      const [, , , value, ...name] = line.split(':');
      theirs.set(name.join(':'), (theirs.get(name.join(':')) ?? 0n) + BigInt(value!));
    }
    expect(new Map(errors.map((e) => [e.path, e.value]))).toEqual(new Map([...theirs].filter(([, v]) => v > 0n)));
    expect(errors.reduce((a, e) => a + e.value, 0n)).toBeGreaterThanOrEqual(25n);
    const nodeNames = byEntry(await vppGetStats('dump', 'machine', '^/sys/node/names$'), new Set(['/sys/node/names'])).get('/sys/node/names')!;
    const nodes = await stats.nodes();
    expect(nodes.map((n) => `4:${n.index}:${n.name}:/sys/node/names`).sort()).toEqual(nodeNames);
    expect(nodes.find((n) => n.name === 'ip4-input')).toBeDefined();
    const sys = await stats.system();
    expect(sys.heaps.map((h) => h.name).sort()).toEqual(['main heap', 'stat segment']);
    expect(sys.bufferPools.map((p) => p.name)).toContain('default-numa-0');
    expect(sys.vectorRatePerThread.length).toBe(Number(sys.workerThreads) + 1);
    expect(Number(sys.boottime)).toBeGreaterThan(Date.now() / 1000 - 86_400);
  });

  it('leaves a deleted loopback out of interfaces(), keeping its /if/names slot visible through dump()', async () => {
    const { sw_if_index } = await vpp.request('create_loopback', { mac_address: '02:fe:00:00:16:01' });
    const name = (await vpp.dump('sw_interface_dump', { sw_if_index, name_filter_valid: false, name_filter: '' }).toArray())[0]!.interface_name;
    try {
      // An ARP request for a neighbour in the loopback's subnet goes out of it: its tx counter moves.
      await cli(vpp, `set interface state ${name} up`);
      await cli(vpp, `set interface ip address ${name} 10.216.0.1/24`);
      await cli(vpp, 'ping 10.216.0.2 repeat 1 interval 0.01');
      const live = (await stats.interfaces()).find((i) => i.swIfIndex === sw_if_index);
      expect(live).toMatchObject({ name });
      expect(live!.tx.packets).toBeGreaterThan(0n);
    } finally {
      await vpp.request('delete_loopback', { sw_if_index });
    }
    const names = (await stats.dump('^/if/names$')).get('/if/names');
    const theirs = byEntry(await vppGetStats('dump', 'machine', '^/if/names$'), new Set(['/if/names'])).get('/if/names')!;
    // VPP renames the slot (it reuses the sw_if_index later); its counters stay in /if/… until then.
    expect(names?.type === 'name' && names.names[sw_if_index]).toBe(DELETED_INTERFACE);
    expect((await stats.interfaces()).map((i) => i.swIfIndex)).not.toContain(sw_if_index);
    expect(await stats.ls(`^/interfaces/${name}/`)).toEqual([]);
    expect(machineLines('/if/names', names!)).toEqual(theirs);
  });

  it('maps the new segment after VPP restarts, and reads it as vpp_get_stats does', async (ctx) => {
    if (cannotRestart) ctx.skip(cannotRestart);
    const snapshots = stats.watch({ interval: 100, paths: '^/if/rx$' });
    expect((await snapshots.next()).done).toBe(false);
    await restartVpp();
    await vpp.request('show_version', {}).catch(() => undefined);
    for (let i = 0; i < 100 && !existsSync(statsSocket); i++) await sleep(50);
    const after = (await snapshots.next()).value!;
    await snapshots.return();
    expect(after.reconnected).toBe(true);
    for (let i = 0; i < 100 && vpp.state !== 'open'; i++) await sleep(50);
    await checkInterface(0n);
    const { compared } = await compareWithVppGetStats(stats);
    expect(compared).toBeGreaterThan(1000);
  });
});
