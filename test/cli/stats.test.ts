/** `vppkit stats`, run as a subprocess against the VPP model's stats segment. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { type CliResult, cliPath, vppkit } from '../helpers/cli.js';
import { parseExposition } from '../helpers/exposition.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function model(): Promise<{ vpp: VppModel; socket: string[] }> {
  const vpp = await startVppModel({ stats: { workers: 1 } });
  cleanups.push(() => vpp.close());
  return { vpp, socket: ['--socket', vpp.statsSocket!] };
}

/** `vppkit ARGS` left running, for watch and serve. */
function start(args: string[]): { child: ChildProcessWithoutNullStreams; stdout(): string; exited: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, VPP_STATS_SOCKET: '' }, stdio: 'pipe' });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, stdout: () => stdout, exited };
}

const until = <T>(check: () => T): Promise<T> => vi.waitFor(check, { timeout: 10_000, interval: 20 });
const lines = (text: string): unknown[] => text.trim().split('\n').map((l) => JSON.parse(l));

describe('vppkit stats', () => {
  it('ls and dump print paths and values as vpp_get_stats does; --json one object per value', async () => {
    const { vpp, socket } = await model();
    vpp.traffic('GigabitEthernet0/8/0', { rx: { packets: 10, bytes: 840 } }, { thread: 1 });
    const ls = await vppkit(['stats', 'ls', '^/interfaces/GigabitEthernet0_8_0/rx', ...socket]);
    expect(ls).toEqual({ code: 0, stderr: '', stdout: ['rx-no-buf', 'rx-miss', 'rx-error', 'rx', 'rx-unicast', 'rx-multicast', 'rx-broadcast'].map((c) => `/interfaces/GigabitEthernet0_8_0/${c}\n`).join('') });
    const dump = await vppkit(['stats', 'dump', '^/interfaces/GigabitEthernet0_8_0/rx$', ...socket]);
    expect(dump).toEqual({ code: 0, stderr: '', stdout: '[1 @ 0]: 0 packets, 0 bytes /interfaces/GigabitEthernet0_8_0/rx\n[1 @ 1]: 10 packets, 840 bytes /interfaces/GigabitEthernet0_8_0/rx\n' });
    const json = await vppkit(['stats', 'dump', '^/interfaces/GigabitEthernet0_8_0/rx$', '--json', ...socket]);
    expect(lines(json.stdout)[1]).toEqual({ path: '/interfaces/GigabitEthernet0_8_0/rx', type: 'symlink-combined', target: '/if/rx', thread: 1, index: 1, packets: '10', bytes: '840' });
  });

  it('interfaces, errors and nodes print tables by default, JSON lines with --json', async () => {
    const { vpp, socket } = await model();
    vpp.interfaces.createLoopback('00:00:00:00:00:00');
    vpp.traffic('loop0', { rx: { packets: 7, bytes: 700 }, tx: { packets: 3, bytes: 180 }, drops: 1 });
    vpp.countError('ip4-input/time_expired', 4, { thread: 1 });
    const table = await vppkit(['stats', 'interfaces', ...socket]);
    expect(table.code).toBe(0);
    const [head, ...rows] = table.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(head).toEqual(['sw_if_index', 'name', 'rx packets', 'rx bytes', 'tx packets', 'tx bytes', 'drops', 'rx-error', 'tx-error', 'punt', 'ip4', 'ip6']);
    expect(rows[2]).toEqual(['2', 'loop0', '7', '700', '3', '180', '1', '0', '0', '0', '0', '0']);
    const json = lines((await vppkit(['stats', 'interfaces', '--json', ...socket])).stdout);
    expect(json[2]).toMatchObject({ sw_if_index: 2, name: 'loop0', 'rx packets': '7', 'tx bytes': '180', drops: '1' });
    expect(lines((await vppkit(['stats', 'errors', '--json', ...socket])).stdout)).toEqual([{ count: '4', node: 'ip4-input', reason: 'time_expired' }]);
    const nodes = await vppkit(['stats', 'nodes', ...socket]);
    expect(nodes.stdout.split('\n').map((l) => l.split(/\s{2,}/)[0])).toEqual(['name', 'ethernet-input', 'ip4-input', 'interface-output', 'error-drop', '']);
  });

  it('watch prints what moved between snapshots, with deltas and rates, until Ctrl-C', async () => {
    const { vpp, socket } = await model();
    const w = start(['stats', 'watch', '^/if/rx$', '--interval', '50', '--json', ...socket]);
    await until(() => expect(w.stdout()).toContain('\n'));
    vpp.traffic(1, { rx: { packets: 5, bytes: 320 } });
    await until(() => expect(w.stdout()).toContain('/if/rx[1].bytes'));
    w.child.kill('SIGINT');
    const r = await w.exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const snaps = lines(r.stdout) as { elapsed: number; counters: Record<string, { value: string; delta: string; rate: number }> }[];
    expect(snaps[0]).toMatchObject({ elapsed: 0, counters: {} });
    const moved = snaps.flatMap((s) => Object.entries(s.counters));
    expect(moved.map(([k, c]) => [k, c.value, c.delta])).toEqual([['/if/rx[1].packets', '5', '5'], ['/if/rx[1].bytes', '320', '320']]);
    expect(moved.every(([, c]) => c.rate > 0)).toBe(true);
  });

  it('watch --count stops after that many snapshots', async () => {
    const { socket } = await model();
    const r = await vppkit(['stats', 'watch', '--interval', '10', '--count', '2', '--json', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toHaveLength(2);
  });

  it('fails with the usual exit codes: 3 for no stats socket, 2 for bad arguments', async () => {
    const { socket } = await model();
    const gone = await vppkit(['stats', 'ls', '--socket', '/nonexistent/stats.sock']);
    expect(gone).toMatchObject({ code: 3, stdout: '' });
    expect(gone.stderr).toMatch(/^vppkit stats: stats socket \/nonexistent\/stats.sock: /);
    expect(await vppkit(['stats', 'ls', '(', ...socket])).toMatchObject({ code: 2, stderr: expect.stringContaining('pattern "(" is not a regular expression') });
    expect(await vppkit(['stats', 'frobnicate', ...socket])).toMatchObject({ code: 2, stderr: expect.stringContaining('stats needs one of ls, dump, interfaces, errors, nodes, system, watch, serve, not "frobnicate"') });
    expect(await vppkit(['stats', 'watch', '--interval', '0', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit stats: --interval must be a positive whole number, got 0\n' });
    expect(await vppkit(['stats', 'interfaces', '--json', '--table', ...socket])).toMatchObject({ code: 2 });
    const json = await vppkit(['stats', 'ls', '--json', '--socket', '/nonexistent/stats.sock']);
    expect(JSON.parse(json.stderr)).toMatchObject({ name: 'StatsSocketError', code: 3, command: 'stats' });
  });
});

describe('vppkit stats serve', () => {
  it('serves /metrics in the exposition format, with what traffic() put in; SIGTERM stops it cleanly', async () => {
    const { vpp, socket } = await model();
    vpp.interfaces.createLoopback('00:00:00:00:00:00');
    const s = start(['stats', 'serve', '--listen', '127.0.0.1:0', ...socket]);
    const url = await until(() => /http:\/\/\S+\/metrics/.exec(s.stdout())![0]);
    vpp.traffic('loop0', { rx: { packets: 12, bytes: 1200 }, drops: 2 }, { thread: 1 });
    vpp.countError('ethernet-input/unknown vlan', 3);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(await res.text());
    const rx = families.get('vpp_interface_rx_packets_total')!;
    expect(rx.type).toBe('counter');
    expect(rx.samples.filter((x) => x.labels.interface === 'loop0')).toEqual([
      { name: 'vpp_interface_rx_packets_total', labels: { interface: 'loop0', sw_if_index: '2', thread: '0' }, value: 0 },
      { name: 'vpp_interface_rx_packets_total', labels: { interface: 'loop0', sw_if_index: '2', thread: '1' }, value: 12 },
    ]);
    expect(families.get('vpp_interface_rx_bytes_total')!.samples.find((x) => x.labels.interface === 'loop0' && x.labels.thread === '1')!.value).toBe(1200);
    expect(families.get('vpp_interface_drops_packets_total')!.samples.find((x) => x.labels.sw_if_index === '2' && x.labels.thread === '1')!.value).toBe(2);
    expect(families.get('vpp_node_errors_total')!.samples).toEqual([{ name: 'vpp_node_errors_total', labels: { node: 'ethernet-input', error: 'unknown vlan', thread: '0' }, value: 3 }, { name: 'vpp_node_errors_total', labels: { node: 'ethernet-input', error: 'unknown vlan', thread: '1' }, value: 0 }]);
    expect(families.get('vpp_node_vectors_total')!.samples.find((x) => x.labels.node === 'ethernet-input')!.value).toBe(12);
    expect(families.get('vpp_worker_threads')).toMatchObject({ type: 'gauge', samples: [{ value: 1 }] });
    expect(families.get('vpp_buffer_pool_available_buffers')!.samples).toEqual([{ name: 'vpp_buffer_pool_available_buffers', labels: { pool: 'default-numa-0' }, value: 16384 }]);

    // A deleted interface's stale counters are no series of a live one.
    vpp.interfaces.delete(2);
    const after = parseExposition(await (await fetch(url)).text());
    expect(new Set(after.get('vpp_interface_rx_packets_total')!.samples.map((x) => x.labels.interface))).toEqual(new Set(['local0', 'GigabitEthernet0/8/0']));

    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    s.child.kill('SIGTERM');
    expect(await s.exited).toMatchObject({ code: 0, stderr: '' });
  });

  it('stops on Ctrl-C too, and a bad or busy --listen is a clear error', async () => {
    const { socket } = await model();
    const s = start(['stats', 'serve', '--listen', '127.0.0.1:0', ...socket]);
    const port = await until(() => /:(\d+)\/metrics/.exec(s.stdout())![1]);
    const busy = await vppkit(['stats', 'serve', '--listen', `127.0.0.1:${port}`, ...socket]);
    expect(busy).toEqual({ code: 2, stdout: '', stderr: `vppkit stats: --listen 127.0.0.1:${port}: the address is in use\n` });
    s.child.kill('SIGINT');
    expect(await s.exited).toMatchObject({ code: 0 });
    for (const bad of ['9482', 'localhost:', 'localhost:65536', '[127.0.0.1]:9482']) {
      const r = await vppkit(['stats', 'serve', '--listen', bad, ...socket]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^vppkit stats: --listen/);
    }
    expect(await vppkit(['stats', 'serve', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit stats: stats serve needs --listen HOST:PORT, e.g. --listen 127.0.0.1:9482\n' });
  });
});

describe('vppkit sim', () => {
  it('prints its stats socket, whose interfaces follow what the API creates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vppkit-sim-stats-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const [api, stats] = [join(dir, 'api.sock'), join(dir, 'stats.sock')];
    const sim = start(['sim', '--socket', api, '--stats-socket', stats]);
    await until(() => expect(sim.stdout()).toContain(`stats socket: ${stats} (try: vppkit stats interfaces --socket ${stats})\n`));
    expect(await vppkit(['call', 'create_loopback', '{"mac_address": "00:00:00:00:00:00"}', '--socket', api])).toMatchObject({ code: 0 });
    expect(await vppkit(['stats', 'ls', '^/if/names$|^/interfaces/loop0/rx$', '--socket', stats])).toEqual({ code: 0, stdout: '/if/names\n/interfaces/loop0/rx\n', stderr: '' });
    sim.child.kill('SIGINT');
    expect(await sim.exited).toMatchObject({ code: 0, stderr: '' });
    expect([existsSync(api), existsSync(stats)]).toEqual([false, false]);
    expect(await vppkit(['sim', '--bare', '--stats-socket', stats])).toMatchObject({ code: 2, stderr: 'vppkit sim: --stats-socket goes with the model, not --bare\n' });
  });
});
