/** The NAT44-ED model, through the real client over the socket. */
import { describe, expect, it } from 'vitest';
import { NatConfigFlags } from '../../src/gen/nat_types.js';
import { NONE, model, rv } from './model-fixture.js';

const ENABLE = { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 };
const DISABLE = { ...ENABLE, enable: false };
const range = (first: string, last: string, is_add = true, flags = 0, vrf_id = NONE) => ({ first_ip_address: first, last_ip_address: last, vrf_id, is_add, flags });
const sm = (fields: Record<string, unknown> = {}) => ({
  is_add: true, flags: 0, local_ip_address: '10.1.1.3', external_ip_address: '192.168.16.1', protocol: 6, local_port: 8080, external_port: 80,
  external_sw_if_index: NONE, vrf_id: NONE, tag: 'web', ...fields,
});
const { NAT_IS_TWICE_NAT, NAT_IS_ADDR_ONLY, NAT_IS_INSIDE, NAT_IS_OUTSIDE, NAT_IS_OUT2IN_ONLY } = NatConfigFlags;

describe('vpp model: nat44_ed', () => {
  it('is disabled at start: changes answer -126, deletes -6, dumps are empty; enable/disable twice -170/-169', async () => {
    const { c } = await model();
    expect(await c.request('nat44_show_running_config')).toMatchObject({ sessions: 0, translation_buckets: 0 });
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.1', '1.1.1.1')))).toBe(-126);
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.1', '1.1.1.1', false)))).toBe(-6);
    expect(await rv(c.request('nat44_interface_add_del_feature', { is_add: true, flags: NAT_IS_INSIDE, sw_if_index: 1 }))).toBe(-126);
    expect(await rv(c.request('nat44_interface_add_del_feature', { is_add: true, flags: NAT_IS_INSIDE, sw_if_index: 9 }))).toBe(-2); // index checked first
    expect(await rv(c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: 1 }))).toBe(-126);
    expect(await rv(c.request('nat44_add_del_static_mapping_v2', { ...sm(), match_pool: false, pool_ip_address: '0.0.0.0' }))).toBe(-126);
    expect(await rv(c.request('nat44_ed_plugin_enable_disable', DISABLE))).toBe(-169);
    expect(await rv(c.request('nat44_ed_plugin_enable_disable', { ...ENABLE, flags: 2 }))).toBe(-126);
    expect(await rv(c.request('nat44_ed_plugin_enable_disable', ENABLE))).toBe(0);
    expect(await rv(c.request('nat44_ed_plugin_enable_disable', ENABLE))).toBe(-170);
    expect(await c.request('nat44_show_running_config')).toMatchObject({ sessions: 64512, translation_buckets: 32768, timeouts: { udp: 300, tcp_established: 7440, tcp_transitory: 240, icmp: 60 }, flags: 1 });
    // VPP keeps the buckets of the last enable after a disable; its IPFIX check reads true while logging is off.
    await c.request('nat44_ed_plugin_enable_disable', DISABLE);
    expect(await c.request('nat44_show_running_config')).toMatchObject({ sessions: 0, translation_buckets: 32768, ipfix_logging_enabled: true });
  });

  it('keeps the pool in vector order: -81 duplicate, -6 missing, a delete moves the last address into the gap', async () => {
    const { c } = await model();
    await c.request('nat44_ed_plugin_enable_disable', ENABLE);
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.1', '1.1.1.3')))).toBe(0);
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.9', '1.1.1.5')))).toBe(0); // last < first: nothing
    expect(await rv(c.request('nat44_add_del_address_range', range('2.2.2.2', '2.2.2.2', true, NAT_IS_TWICE_NAT, 7)))).toBe(0);
    // Stops at the first failure, keeping what it added.
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.0', '1.1.1.1')))).toBe(-81);
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.1', '1.1.1.1', false)))).toBe(0);
    expect(await rv(c.request('nat44_add_del_address_range', range('1.1.1.1', '1.1.1.1', false)))).toBe(-6);
    const pool = await c.dump('nat44_address_dump').toArray();
    expect(pool.map((a) => [a.ip_address, a.flags, a.vrf_id])).toEqual([['1.1.1.0', 0, NONE], ['1.1.1.2', 0, NONE], ['1.1.1.3', 0, NONE], ['2.2.2.2', 1, 7]]);
  });

  it('interface features: inside, outside, both; -81 next to the output feature; the single-role delete quirk', async () => {
    const { c } = await model();
    await c.request('nat44_ed_plugin_enable_disable', ENABLE);
    const loop = (await c.request('create_loopback', { mac_address: '00:00:00:00:00:00' })).sw_if_index;
    const feature = (is_add: boolean, flags: number, sw_if_index: number) => rv(c.request('nat44_interface_add_del_feature', { is_add, flags, sw_if_index }));
    expect(await feature(true, NAT_IS_INSIDE, loop)).toBe(0);
    expect(await feature(true, NAT_IS_INSIDE, loop)).toBe(0); // idempotent
    expect(await feature(true, 0, loop)).toBe(0); // 0 means outside
    expect((await c.dump('nat44_interface_dump').toArray()).map((i) => [i.sw_if_index, i.flags])).toEqual([[loop, NAT_IS_INSIDE | NAT_IS_OUTSIDE]]);
    expect(await feature(false, NAT_IS_OUTSIDE, loop)).toBe(0);
    expect((await c.dump('nat44_interface_dump').toArray())[0]!.flags).toBe(NAT_IS_INSIDE);
    expect(await feature(false, NAT_IS_OUTSIDE, loop)).toBe(0); // removes the inside-only record
    expect(await c.dump('nat44_interface_dump').toArray()).toEqual([]);
    expect(await feature(false, NAT_IS_OUTSIDE, loop)).toBe(-6);
    expect(await rv(c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: 1 }))).toBe(0);
    expect(await feature(true, NAT_IS_OUTSIDE, 1)).toBe(-81);
    await feature(true, NAT_IS_INSIDE, loop);
    expect(await rv(c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: loop }))).toBe(-81);
    expect(await rv(c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: 1 }))).toBe(-81);
    expect(await rv(c.request('nat44_ed_add_del_output_interface', { is_add: false, sw_if_index: loop }))).toBe(-6);
    // Deleting an interface removes its NAT roles.
    await c.request('delete_loopback', { sw_if_index: loop });
    expect(await c.dump('nat44_interface_dump').toArray()).toEqual([]);
  });

  it('streams output interfaces by pool index: done in one round, -165 between rounds, nothing past the end', async () => {
    const { c, vpp } = await model({ nics: ['GigabitEthernet0/8/0', 'GigabitEthernet0/9/0', 'GigabitEthernet0/a/0'], yieldEvery: 2 });
    await c.request('nat44_ed_plugin_enable_disable', ENABLE);
    expect(await c.stream('nat44_ed_output_interface_get', {}).toArray()).toEqual([]);
    for (const sw_if_index of [3, 1, 2]) await c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index });
    const rounds: number[] = [];
    vpp.sim.on('request', (r) => r.name === 'nat44_ed_output_interface_get' && rounds.push(r.value.cursor as number));
    expect((await c.stream('nat44_ed_output_interface_get', {}).toArray()).map((d) => d.sw_if_index)).toEqual([3, 1, 2]);
    expect(rounds).toEqual([0, 2]);
    // Past the end VPP answers -7, which the client takes as the end of the stream.
    expect(await c.stream('nat44_ed_output_interface_get', { cursor: 9 }).toArray()).toEqual([]);
    // The cursor is a pool index: a freed slot is skipped.
    await c.request('nat44_ed_add_del_output_interface', { is_add: false, sw_if_index: 1 });
    expect((await c.stream('nat44_ed_output_interface_get', { cursor: 1 }).toArray()).map((d) => d.sw_if_index)).toEqual([2]);
  });

  it('static mappings: -81 on either key, address-only ports 0, twice-NAT + address-only -126, delete by external key', async () => {
    const { c } = await model();
    await c.request('nat44_ed_plugin_enable_disable', { ...ENABLE, inside_vrf: 3 });
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ flags: NAT_IS_TWICE_NAT })))).toBe(0);
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ local_ip_address: '10.9.9.9' })))).toBe(-81); // same external
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ external_port: 81 })))).toBe(-81); // same local
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ external_port: 81, flags: NAT_IS_OUT2IN_ONLY })))).toBe(0);
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ flags: NAT_IS_TWICE_NAT | NAT_IS_ADDR_ONLY, external_ip_address: '5.5.5.5' })))).toBe(-126);
    expect(await rv(c.request('nat44_add_del_static_mapping_v2', { ...sm({ flags: NAT_IS_ADDR_ONLY, external_ip_address: '5.5.5.5', tag: 'addr' }), match_pool: false, pool_ip_address: '0.0.0.0' }))).toBe(0);
    const dump = await c.dump('nat44_static_mapping_dump').toArray();
    expect(dump.map((m) => [m.flags, m.external_ip_address, m.protocol, m.local_port, m.external_port, m.vrf_id, m.external_sw_if_index, m.tag])).toEqual([
      [NAT_IS_TWICE_NAT, '192.168.16.1', 6, 8080, 80, 3, NONE, 'web'],
      [NAT_IS_OUT2IN_ONLY, '192.168.16.1', 6, 8080, 81, 3, NONE, 'web'],
      [NAT_IS_ADDR_ONLY, '5.5.5.5', 0, 0, 0, 3, NONE, 'addr'],
    ]);
    // Found by (external address, port, protocol) alone.
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ is_add: false, local_ip_address: '1.2.3.4', external_port: 81 })))).toBe(0);
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ is_add: false, external_port: 81 })))).toBe(-6);
    // Interface-bound mappings are not modelled: said so, not faked.
    expect(await rv(c.request('nat44_add_del_static_mapping', sm({ external_sw_if_index: 1, external_port: 90 })))).toBe(-9);
    // Disable removes everything.
    await c.request('nat44_ed_plugin_enable_disable', DISABLE);
    expect(await c.dump('nat44_static_mapping_dump').toArray()).toEqual([]);
    expect(await c.request('nat44_show_running_config')).toMatchObject({ sessions: 0, translation_buckets: 32768 }); // kept from the enable, as VPP keeps them
  });

  it('keeps the tables an enable named after disable and ip_table_add_del, as VPP 26.06 does', async () => {
    const { c } = await model();
    const table = (is_add: boolean) => ({ is_add, table: { table_id: 7, is_ip6: false, name: '' } });
    const { sw_if_index } = await c.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
    const bind = () => rv(c.request('sw_interface_set_table', { sw_if_index, is_ipv6: false, vrf_id: 7 }));
    expect(await bind()).toBe(-3); // no table 7 yet
    await c.request('ip_table_add_del', table(true));
    await c.request('nat44_ed_plugin_enable_disable', { ...ENABLE, outside_vrf: 7 });
    await c.request('nat44_ed_plugin_enable_disable', DISABLE);
    await c.request('ip_table_add_del', table(false));
    expect(await bind()).toBe(0);
  });
});
