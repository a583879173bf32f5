/** NAT44 ED on a real VPP: enable, pool, output feature, static mappings, and the cursor stream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { NatConfigFlags } from '../../src/gen/nat_types.js';
import { createTaggedLoopback, deleteTaggedLoopbacks, deleteTaggedStaticMappings, disableNat, enableNat, setNatAddress, setNatOutput } from './leftovers.js';
import { connectVpp, socket } from './vpp.js';

const LOOPBACKS = 300;
/** Everything this file makes is tagged with this prefix; an earlier run's leftovers are removed by it. */
const TAG = 'vppkit-it-nat44-';
/** The pool and external address (TEST-NET-2: no real network's). */
const EXTERNAL = '198.51.100.1';

describe.skipIf(!socket)('nat44_ed', () => {
  let vpp: Client;
  let enabledHere = false;
  const loops: number[] = [];

  /** Removes what this file adds, when NAT44-ED was on before it (else disabling it removes everything). */
  async function removeOurs(): Promise<void> {
    await deleteTaggedStaticMappings(vpp, TAG);
    await setNatAddress(vpp, EXTERNAL, false);
    const ours = (await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()).filter((i) => i.tag.startsWith(TAG));
    for (const i of ours) await setNatOutput(vpp, i.sw_if_index, false);
  }

  beforeAll(async () => {
    vpp = await connectVpp();
    enabledHere = await enableNat(vpp);
    if (!enabledHere) await removeOurs();
    await deleteTaggedLoopbacks(vpp, TAG);
    for (let i = 0; i < LOOPBACKS; i++) loops.push(await createTaggedLoopback(vpp, `${TAG}loop`));
  });
  afterAll(async () => {
    if (!vpp) return;
    if (enabledHere) await disableNat(vpp);
    else await removeOurs();
    await deleteTaggedLoopbacks(vpp, TAG);
    await vpp.close();
  });

  it('adds the pool and dumps it', async () => {
    await vpp.request('nat44_add_del_address_range', { first_ip_address: EXTERNAL, last_ip_address: EXTERNAL, vrf_id: 0xffffffff, is_add: true, flags: 0 });
    const pool = await vpp.dump('nat44_address_dump', {}).toArray();
    expect(pool.map((a) => a.ip_address)).toContain(EXTERNAL);
  });

  it('adds static mappings, with twice-NAT and tags, and dumps them back', async () => {
    await vpp.request('nat44_add_del_static_mapping_v2', {
      is_add: true, match_pool: false, flags: 0, pool_ip_address: '0.0.0.0', local_ip_address: '10.1.1.3', external_ip_address: EXTERNAL,
      protocol: 6, local_port: 8080, external_port: 80, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: `${TAG}web`,
    });
    await vpp.request('nat44_add_del_static_mapping_v2', {
      is_add: true, match_pool: false, flags: NatConfigFlags.NAT_IS_TWICE_NAT, pool_ip_address: '0.0.0.0', local_ip_address: '10.1.1.4', external_ip_address: EXTERNAL,
      protocol: 17, local_port: 5353, external_port: 53, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: `${TAG}dns`,
    });
    const maps = await vpp.dump('nat44_static_mapping_dump', {}).toArray();
    const web = maps.find((m) => m.tag === `${TAG}web`);
    const dns = maps.find((m) => m.tag === `${TAG}dns`);
    expect(web).toMatchObject({ local_ip_address: '10.1.1.3', external_ip_address: EXTERNAL, protocol: 6, local_port: 8080, external_port: 80 });
    expect(dns).toMatchObject({ local_ip_address: '10.1.1.4', protocol: 17, local_port: 5353, external_port: 53 });
    expect(dns!.flags & NatConfigFlags.NAT_IS_TWICE_NAT).toBe(NatConfigFlags.NAT_IS_TWICE_NAT);
  });

  it('reads the output-interface cursor stream across every round', async () => {
    for (const sw_if_index of loops) await vpp.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index });
    const all = (await vpp.stream('nat44_ed_output_interface_get', {}).toArray()).map((d) => d.sw_if_index);
    const ours = new Set(loops);
    const seen = all.filter((i) => ours.has(i)); // a VPP given by VPP_API_SOCKET may have its own
    expect(seen.sort((a, b) => a - b)).toEqual([...loops].sort((a, b) => a - b));
    console.log(`nat44_ed: ${all.length} output interfaces streamed back, ${seen.length} of them this file's`);
  });
});
