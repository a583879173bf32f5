/**
 * The differential runner without a VPP: every scenario on two models that differ only in what
 * the normalisation forgives must record identical steps, and a model that answers differently
 * must be caught at the step where it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, connect } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { NONE } from './runner.js';
import { differences, play } from './runner.js';
import { scenarios } from './scenarios/index.js';

async function start(nics: string[]): Promise<{ vpp: VppModel; c: Client<Messages> }> {
  const vpp = await startVppModel({ nics });
  return { vpp, c: await connect<Messages>({ socket: vpp.socketPath }) };
}

describe('differential runner, model against model', () => {
  let plain: Awaited<ReturnType<typeof start>>;
  let busy: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    plain = await start([]);
    // Other NICs, loopbacks and ACLs, some freed: every index the scenarios get is another one.
    busy = await start(['GigabitEthernet0/8/0', 'GigabitEthernet0/9/0']);
    const loops = [];
    for (let n = 0; n < 5; n++) loops.push((await busy.c.request('create_loopback', { mac_address: '00:00:00:00:00:00' })).sw_if_index);
    await busy.c.request('delete_loopback', { sw_if_index: loops[1]! });
    for (let n = 0; n < 3; n++) await busy.c.request('acl_add_replace', { acl_index: NONE, tag: 'users-own', r: [] });
    await busy.c.request('acl_del', { acl_index: 1 });
  });
  afterAll(async () => {
    for (const m of [plain, busy]) {
      await m?.c.close();
      await m?.vpp.close();
    }
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: identical after normalisation', async (_, scenario) => {
    const a = await play(plain.c, scenario, 0);
    const b = await play(busy.c, scenario, 0);
    expect(b.map((r) => r.label)).toEqual(a.map((r) => r.label));
    expect(a.flatMap((r, i) => differences(r, b[i], `step ${i} "${r.label}"`))).toEqual([]);
  });

  it('catches a reply field that differs, at its step', async () => {
    const scenario = scenarios.find((s) => s.name === 'IP tables: bind, addresses in the way, missing table')!;
    busy.vpp.sim.handle('sw_interface_get_table', () => ({ vrf_id: 7 }));
    const a = await play(plain.c, scenario, 0);
    const b = await play(busy.c, scenario, 0);
    expect(a.flatMap((r, i) => differences(r, b[i], `step ${i} "${r.label}"`))).toEqual([
      'step 7 "sw_interface_get_table".reply.vrf_id: model 4242, vpp 7',
      'step 8 "IPv6 table".reply.vrf_id: model 0, vpp 7',
    ]);
  });
});
