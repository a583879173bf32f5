/** NAT44 ED on a real VPP: enable, pool, output feature, static mappings, and the cursor stream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { NatConfigFlags } from '../../src/gen/nat_types.js';
import { connectVpp, socket } from './vpp.js';

const LOOPBACKS = 300;

describe.skipIf(!socket)('nat44_ed', () => {
  let vpp: Client;
  const loops: number[] = [];

  beforeAll(async () => {
    vpp = await connectVpp();
    await vpp.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
    for (let i = 0; i < LOOPBACKS; i++) loops.push((await vpp.request('create_loopback', { mac_address: '00:00:00:00:00:00' })).sw_if_index);
  });
  afterAll(async () => {
    await vpp.request('nat44_ed_plugin_enable_disable', { enable: false, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 }).catch(() => undefined);
    for (const sw_if_index of loops) await vpp.request('delete_loopback', { sw_if_index }).catch(() => undefined);
    await vpp?.close();
  });

  it('adds the pool and dumps it', async () => {
    await vpp.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.1', last_ip_address: '192.168.16.1', vrf_id: 0xffffffff, is_add: true, flags: 0 });
    const pool = await vpp.dump('nat44_address_dump', {}).toArray();
    expect(pool.map((a) => a.ip_address)).toContain('192.168.16.1');
  });

  it('adds static mappings, with twice-NAT and tags, and dumps them back', async () => {
    await vpp.request('nat44_add_del_static_mapping_v2', {
      is_add: true, match_pool: false, flags: 0, pool_ip_address: '0.0.0.0', local_ip_address: '10.1.1.3', external_ip_address: '192.168.16.1',
      protocol: 6, local_port: 8080, external_port: 80, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: 'vppkit-it-web',
    });
    await vpp.request('nat44_add_del_static_mapping_v2', {
      is_add: true, match_pool: false, flags: NatConfigFlags.NAT_IS_TWICE_NAT, pool_ip_address: '0.0.0.0', local_ip_address: '10.1.1.4', external_ip_address: '192.168.16.1',
      protocol: 17, local_port: 5353, external_port: 53, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: 'vppkit-it-dns',
    });
    const maps = await vpp.dump('nat44_static_mapping_dump', {}).toArray();
    const web = maps.find((m) => m.tag === 'vppkit-it-web');
    const dns = maps.find((m) => m.tag === 'vppkit-it-dns');
    expect(web).toMatchObject({ local_ip_address: '10.1.1.3', external_ip_address: '192.168.16.1', protocol: 6, local_port: 8080, external_port: 80 });
    expect(dns).toMatchObject({ local_ip_address: '10.1.1.4', protocol: 17, local_port: 5353, external_port: 53 });
    expect(dns!.flags & NatConfigFlags.NAT_IS_TWICE_NAT).toBe(NatConfigFlags.NAT_IS_TWICE_NAT);
  });

  it('reads the output-interface cursor stream across every round', async () => {
    for (const sw_if_index of loops) await vpp.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index });
    const seen = (await vpp.stream('nat44_ed_output_interface_get', {}).toArray()).map((d) => d.sw_if_index);
    expect(seen.sort((a, b) => a - b)).toEqual([...loops].sort((a, b) => a - b));
    console.log(`nat44_ed: ${seen.length} output interfaces streamed back`);
  });
});
