/**
 * The VPP model's stats segment against the real VPP's: the same entries, with the same types,
 * under /sys, /if, /buffer-pools and a NIC-less interface's /interfaces/<name>/, and the same
 * interface counters for the interfaces both have.
 */
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatValue, type StatsReader, connectStats } from '../../src/stats/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { socket } from './vpp.js';

const statsSocket = process.env.VPP_STATS_SOCKET || (socket ? join(dirname(socket), 'stats.sock') : '');
/** What both publish alike: the model's errors and nodes are a subset of VPP's (and VPP publishes nodes only with per-node-counters on), its heaps only its own. */
const SHARED = ['^/sys/(?!node/)', '^/if/', '^/buffer-pools/', '^/interfaces/local0/'];

/** Each entry's name and type. */
async function shape(stats: StatsReader): Promise<[string, StatValue['type']][]> {
  return [...(await stats.dump(SHARED))].map(([name, v]) => [name, v.type]);
}

describe.skipIf(!socket)('the VPP model publishes stats as VPP does', () => {
  let vpp: StatsReader;
  let model: VppModel;
  let modelStats: StatsReader;

  beforeAll(async () => {
    vpp = await connectStats({ socket: statsSocket });
    model = await startVppModel({ stats: true });
    modelStats = await connectStats({ socket: model.statsSocket });
  });
  afterAll(async () => {
    vpp?.close();
    modelStats?.close();
    await model?.close();
  });

  it('has the same entries, of the same types, in the same order', async () => {
    const [real, modelled] = [await shape(vpp), await shape(modelStats)];
    // The real VPP's interfaces beyond local0 (pg, loopbacks of other tests) have no counterpart: compare local0's.
    expect(real.length).toBeGreaterThanOrEqual(9 + 18 + 3 + 17); // /sys, /if, /buffer-pools, /interfaces/local0
    expect(modelled).toEqual(real);
  });

  it('sizes the per-thread vectors alike', async () => {
    const patterns = ['^/sys/vector_rate_per_worker$', '^/sys/loops_per_worker$', '^/if/rx$', '^/node/errors$'];
    const threads = async (stats: StatsReader): Promise<[string, number][]> => [...(await stats.dump(patterns))].map(([name, v]) => [name, 'perThread' in v ? v.perThread.length : -1]);
    expect(await threads(modelStats)).toEqual(await threads(vpp));
    // VPP's per-node counters, when it publishes them, have a thread vector more than it has threads.
    const calls = (await vpp.dump('^/sys/node/calls$')).get('/sys/node/calls');
    if (calls?.type === 'simple') expect((await modelStats.dump('^/sys/node/calls$')).get('/sys/node/calls')).toMatchObject({ perThread: { length: calls.perThread.length } });
  });
});
