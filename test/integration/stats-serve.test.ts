/**
 * `vppkit stats serve` against the real VPP: its /metrics parses as strict Prometheus text, and
 * a packet-generator interface's series equal what `show interface` and the reader say.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { type StatsReader, connectStats } from '../../src/stats/index.js';
import { cliPath } from '../helpers/cli.js';
import { parseExposition } from '../helpers/exposition.js';
import { cli, connectVpp, sleep, socket } from './vpp.js';

const statsSocket = process.env.VPP_STATS_SOCKET || (socket ? join(dirname(socket), 'stats.sock') : '');
const PG = 'pg8';
const STREAM = 'vk-serve'; // show packet-generator cuts names to 16 characters

/** Sends `count` UDP packets of 100 bytes into pg8 (VPP drops them: no route) and waits until they are counted. */
async function sendPackets(vpp: Client, count: number): Promise<void> {
  if (!new RegExp(`^${PG}\\s`, 'm').test(await cli(vpp, 'show interface'))) await cli(vpp, `create packet-generator interface ${PG}`);
  await cli(vpp, `set interface state ${PG} up`);
  await cli(vpp, `packet-generator delete ${STREAM}`).catch(() => undefined); // absent: nothing to delete
  await cli(vpp, `packet-generator new { name ${STREAM} limit ${count} node ip4-input size 100-100 interface ${PG} data { UDP: 10.78.0.2 -> 10.98.0.9 UDP: 1234 -> 5678 incrementing 10 } }`);
  await cli(vpp, `packet-generator enable-stream ${STREAM}`);
  const done = new RegExp(`^${STREAM}\\s+No\\s`, 'm');
  for (let i = 0; !done.test(await cli(vpp, 'show packet-generator')); i++) {
    if (i === 100) throw new Error(`the stream ${STREAM} did not finish within 5 s`);
    await sleep(50);
  }
}

describe.skipIf(!socket)('vppkit stats serve against VPP', () => {
  let vpp: Client;
  let stats: StatsReader;
  let serve: ChildProcessWithoutNullStreams;
  let exited: Promise<{ code: number | null; stderr: string }>;
  let url = '';

  beforeAll(async () => {
    vpp = await connectVpp();
    stats = await connectStats({ socket: statsSocket });
    serve = spawn(process.execPath, [cliPath, 'stats', 'serve', '--listen', '127.0.0.1:0', '--socket', statsSocket], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    serve.stdout.on('data', (d) => (stdout += d));
    serve.stderr.on('data', (d) => (stderr += d));
    exited = new Promise((resolve) => serve.on('close', (code) => resolve({ code, stderr })));
    url = await vi.waitFor(() => /http:\/\/\S+\/metrics/.exec(stdout)![0], { timeout: 10_000, interval: 50 });
  });
  afterAll(async () => {
    if (serve?.exitCode === null) serve.kill('SIGKILL');
    stats?.close();
    if (vpp) {
      await cli(vpp, `packet-generator delete ${STREAM}`).catch(() => undefined);
      await vpp.close();
    }
  });

  it("serves /metrics that parses strictly, with pg8's counters as show interface and the reader have them", async () => {
    await sendPackets(vpp, 30);
    const errors = await stats.errors(); // before the scrape: errors only grow
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const families = parseExposition(await res.text());
    const pg = (await stats.interfaces()).find((i) => i.name === PG)!;
    const series = (name: string): number => families.get(name)!.samples.filter((s) => s.labels.interface === PG).reduce((a, s) => a + s.value, 0);
    expect(series('vpp_interface_rx_packets_total')).toBe(Number(pg.rx.packets));
    expect(series('vpp_interface_rx_bytes_total')).toBe(Number(pg.rx.bytes));
    expect(series('vpp_interface_drops_packets_total')).toBe(Number(pg.drops));
    expect(pg.rx.packets % 30n).toBe(0n); // 30 per run of this test, none else
    const shown = new RegExp(`^${PG}\\s.*?rx packets\\s+(\\d+)`, 'ms').exec(await cli(vpp, `show interface ${PG}`));
    expect(Number(shown![1])).toBe(series('vpp_interface_rx_packets_total'));
    // Every non-zero error the reader sees is a series, with its node and reason as labels.
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      const total = families.get('vpp_node_errors_total')!.samples.filter((s) => s.labels.node === e.node && s.labels.error === e.reason).reduce((a, s) => a + s.value, 0);
      expect(total, e.path).toBeGreaterThanOrEqual(Number(e.value));
    }
    expect(families.get('vpp_buffer_pool_available_buffers')!.samples.length).toBeGreaterThan(0);
    expect(families.get('vpp_memory_heap_size_bytes')!.samples.map((s) => s.labels.heap)).toContain('main heap');
  });

  it('stops cleanly on SIGTERM', async () => {
    serve.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, stderr: '' });
  });
});
