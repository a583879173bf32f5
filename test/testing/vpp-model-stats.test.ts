/** The model's stats segment, read by vppkit/stats over the model's stats socket, and by VPP's own reader. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorError } from '../../src/errors/index.js';
import { type StatsReader, connectStats } from '../../src/stats/index.js';
import { HEADER } from '../../src/stats/layout.js';
import { type VppModel, type VppModelOptions, startVppModel } from '../../src/testing/index.js';
import { repoRoot } from '../helpers/reference.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function model(options: VppModelOptions = { stats: true }): Promise<{ vpp: VppModel; stats: StatsReader }> {
  const vpp = await startVppModel(options);
  cleanups.push(() => vpp.close());
  const stats = await connectStats({ socket: vpp.statsSocket });
  cleanups.push(() => stats.close());
  return { vpp, stats };
}

/** The segment's epoch and in_progress, read from its file. */
function lock(vpp: VppModel): { epoch: bigint; inProgress: bigint } {
  const b = readFileSync(vpp.statsSegment!);
  return { epoch: b.readBigUInt64LE(HEADER.epoch), inProgress: b.readBigUInt64LE(HEADER.inProgress) };
}

describe('the VPP model publishes a stats segment', () => {
  it('gives connectStats what traffic() put in, per thread and summed', async () => {
    const { vpp, stats } = await model({ stats: { workers: 1 } });
    vpp.traffic('GigabitEthernet0/8/0', { rx: { packets: 10, bytes: 840 }, drops: 2 });
    vpp.traffic(1, { rx: { packets: 5n, bytes: 420n }, tx: { packets: 3, bytes: 300 }, 'rx-miss': 7 }, { thread: 1 });
    const nic = (await stats.interfaces()).find((i) => i.swIfIndex === 1)!;
    expect(nic).toMatchObject({ name: 'GigabitEthernet0/8/0', rx: { packets: 15n, bytes: 1260n }, tx: { packets: 3n, bytes: 300n }, drops: 2n });
    expect(nic.counters['rx-miss']).toBe(7n);
    expect(nic.perThread.rx).toEqual([{ packets: 10n, bytes: 840n }, { packets: 5n, bytes: 420n }]);
    expect(nic.perThread.drops).toEqual([2n, 0n]);
    expect((await stats.system()).workerThreads).toBe(1n);
  });

  it('follows the interfaces: created ones get their entries, deleted ones lose them, are named "deleted" and leave interfaces()', async () => {
    const { vpp, stats } = await model();
    expect((await stats.interfaces()).map((i) => [i.swIfIndex, i.name])).toEqual([[0, 'local0'], [1, 'GigabitEthernet0/8/0']]);
    const before = lock(vpp).epoch;
    const loop = vpp.interfaces.createLoopback('00:00:00:00:00:00')!;
    expect(lock(vpp)).toEqual({ epoch: expect.any(BigInt), inProgress: 0n });
    expect(lock(vpp).epoch).toBeGreaterThan(before);
    vpp.traffic('loop0', { tx: { packets: 4, bytes: 256 } });
    expect(await stats.ls('^/interfaces/loop0/')).toHaveLength(17);
    expect((await stats.interfaces()).find((i) => i.name === 'loop0')).toMatchObject({ swIfIndex: loop.swIfIndex, tx: { packets: 4n, bytes: 256n } });

    vpp.interfaces.delete(loop.swIfIndex);
    expect(await stats.ls('^/interfaces/loop0/')).toEqual([]);
    const names = (await stats.dump('^/if/names$')).get('/if/names');
    expect(names).toEqual({ type: 'name', names: ['local0', 'GigabitEthernet0/8/0', 'deleted'] });
    // interfaces() lists live ones only; the deleted slot's last counters stay readable through dump().
    expect((await stats.interfaces()).map((i) => i.swIfIndex)).toEqual([0, 1]);
    expect((await stats.dump('^/if/tx$')).get('/if/tx')).toMatchObject({ perThread: [[{ packets: 0n }, { packets: 0n }, { packets: 4n, bytes: 256n }]] });
    // The index comes back with the next loopback, with its counters from zero.
    const again = vpp.interfaces.createLoopback('00:00:00:00:00:00')!;
    expect(again.swIfIndex).toBe(loop.swIfIndex);
    expect((await stats.interfaces()).find((i) => i.name === 'loop0')).toMatchObject({ tx: { packets: 0n, bytes: 0n } });
  });

  it('moves node counters with traffic, and error counters with countError', async () => {
    const { vpp, stats } = await model();
    vpp.traffic(1, { rx: { packets: 10, bytes: 640 }, tx: { packets: 4, bytes: 256 }, drops: 1 });
    vpp.traffic(1, { rx: { packets: 6, bytes: 384 } });
    const nodes = new Map((await stats.nodes()).map((n) => [n.name, n]));
    expect(nodes.get('ethernet-input')).toMatchObject({ calls: 2n, vectors: 16n });
    expect(nodes.get('interface-output')).toMatchObject({ calls: 1n, vectors: 4n });
    expect(nodes.get('error-drop')).toMatchObject({ calls: 1n, vectors: 1n });
    vpp.countError('ip4-input/time_expired', 3);
    const err = (await stats.dump('^/err/ip4-input/time_expired$')).get('/err/ip4-input/time_expired');
    expect(err).toMatchObject({ type: 'symlink-simple', target: '/node/errors', perThread: [3n] });
  });

  it('refuses bad traffic, changing nothing', async () => {
    const { vpp, stats } = await model();
    const bad: [() => void, RegExp][] = [
      [() => vpp.traffic('loop9', { drops: 1 }), /no interface "loop9"/],
      [() => vpp.traffic(1, { drops: 1, rxx: 1 } as never), /unknown interface counter "rxx"; VPP's are drops, punt/],
      [() => vpp.traffic(1, { drops: 1, rx: { packets: -1, bytes: 0 } }), /rx.packets must be a whole number of at least 0, got -1/],
      [() => vpp.traffic(1, { drops: 1, tx: 5 as never }), /tx takes \{ packets, bytes \}/],
      [() => vpp.traffic(1, { drops: 1 }, { thread: 1 }), /thread 1 does not exist; the model has 1 \(workers: 0\)/],
      [() => vpp.countError('ip4-input/nope', 1), /no error "ip4-input\/nope"/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(SimulatorError);
      expect(call).toThrow(message);
    }
    expect((await stats.interfaces())[1]).toMatchObject({ drops: 0n, rx: { packets: 0n, bytes: 0n } });
  });

  it('restartStats() is a VPP restart to a reader: a new segment, counters from zero, the same interfaces', async () => {
    const { vpp, stats } = await model();
    vpp.interfaces.createLoopback('00:00:00:00:00:00');
    vpp.traffic('loop0', { rx: { packets: 9, bytes: 900 } });
    const old = vpp.statsSegment;
    const watch = stats.watch({ interval: 10, paths: '^/if/rx$' });
    expect((await watch.next()).value).toMatchObject({ reconnected: false });
    vpp.restartStats();
    expect(vpp.statsSegment).not.toBe(old);
    expect(existsSync(old!)).toBe(false);
    const after = (await watch.next()).value!;
    expect(after.reconnected).toBe(true);
    expect(after.counters.get('/if/rx[2].packets')).toMatchObject({ value: 0n, reset: true });
    await watch.return(undefined);
    vpp.traffic('loop0', { rx: { packets: 2, bytes: 200 } });
    expect((await stats.interfaces()).map((i) => [i.name, i.rx.packets])).toEqual([['local0', 0n], ['GigabitEthernet0/8/0', 0n], ['loop0', 2n]]);
  });

  it('says how to get one when started without stats', async () => {
    const vpp = await startVppModel();
    cleanups.push(() => vpp.close());
    expect(vpp.statsSocket).toBeUndefined();
    expect(() => vpp.traffic(1, { drops: 1 })).toThrow('traffic: the model publishes no stats segment; start it with { stats: true }');
  });

  it('removes its socket and segment on close', async () => {
    const vpp = await startVppModel({ stats: true });
    const files = [vpp.statsSocket!, vpp.statsSegment!];
    expect(files.map((f) => existsSync(f))).toEqual([true, true]);
    await vpp.close();
    expect(files.map((f) => existsSync(f))).toEqual([false, false]);
  });

  const vppGetStats = resolve(repoRoot, '..', 'shared', 'vpp', '26.06', 'bin', 'vpp_get_stats');
  it.runIf(existsSync(vppGetStats))("is read by VPP's own vpp_get_stats alike", async () => {
    const { vpp, stats } = await model();
    vpp.interfaces.createLoopback('00:00:00:00:00:00');
    vpp.traffic('loop0', { rx: { packets: 10, bytes: 840 }, drops: 2 });
    vpp.countError('ethernet-input/unknown vlan', 5);
    const run = (...args: string[]): Promise<string> => promisify(execFile)(vppGetStats, ['socket-name', vpp.statsSocket!, ...args]).then((r) => r.stdout);
    expect((await run('ls')).trim().split('\n')).toEqual(await stats.ls());
    const dump = await run('dump', '/interfaces/loop0/rx$', '/interfaces/loop0/drops$', '/err/ethernet-input/unknown vlan', '/if/names');
    expect(dump.split('\n')).toEqual(expect.arrayContaining([
      '[0 @ 0]: 10 packets, 840 bytes /interfaces/loop0/rx',
      '[0 @ 0]: 2 packets /interfaces/loop0/drops',
      '[0 @ 0]: 5 packets /err/ethernet-input/unknown vlan',
      '[2]: loop0 /if/names',
    ]));
  });
});
