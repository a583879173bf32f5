/** The interface model, through the real client over the socket. */
import { describe, expect, it } from 'vitest';
import type { Subscription, VppApiError } from '../../src/client/index.js';
import { ALL, NONE, model, rv, settle } from './model-fixture.js';

const TAP = {
  id: NONE, use_random_mac: true, mac_address: '00:00:00:00:00:00', host_mtu_set: false, host_mtu_size: 0, host_mac_addr_set: false, host_mac_addr: '00:00:00:00:00:00',
  host_ip4_prefix_set: false, host_ip4_prefix: '0.0.0.0/0', host_ip6_prefix_set: false, host_ip6_prefix: '::/0', host_ip4_gw_set: false, host_ip4_gw: '0.0.0.0',
  host_ip6_gw_set: false, host_ip6_gw: '::', tap_flags: 0, host_namespace_set: false, host_namespace: '', host_if_name_set: false, host_if_name: '', host_bridge_set: false, host_bridge: '', tag: '',
} as const;
const ZERO_MAC = { mac_address: '00:00:00:00:00:00' };
/** The events `sub` holds now, taken. */
async function held<E>(sub: Subscription<E>): Promise<E[]> {
  const out: E[] = [];
  while (sub.buffered > 0) out.push((await sub.next()).value as E);
  return out;
}
const addr = (sw_if_index: number, prefix: string, is_add = true) => ({ sw_if_index, is_add, del_all: false, prefix });

describe('vpp model: interfaces', () => {
  it('starts with local0 and the configured NICs', async () => {
    const { c } = await model({ nics: ['GigabitEthernet0/8/0', { name: 'GigabitEthernet0/9/0', mac: '52:54:00:aa:bb:cc', carrier: false }] });
    const all = await c.dump('sw_interface_dump', ALL).toArray();
    expect(all.map((i) => [i.sw_if_index, i.interface_name, i.interface_dev_type, i.flags])).toEqual([[0, 'local0', 'local', 0], [1, 'GigabitEthernet0/8/0', 'dpdk', 0], [2, 'GigabitEthernet0/9/0', 'dpdk', 0]]);
    expect(all[0]!.l2_address).toBe('00:00:00:00:00:00');
    expect(all[2]!.l2_address).toBe('52:54:00:aa:bb:cc');
  });

  it('names loopbacks loopN with the lowest free N, MAC de:ad:00:00:00:N, reusing sw_if_index LIFO', async () => {
    const { c } = await model({ nics: [] });
    const a = await c.request('create_loopback', ZERO_MAC);
    const b = await c.request('create_loopback', { mac_address: '02:00:00:00:00:07' });
    expect([a.sw_if_index, b.sw_if_index]).toEqual([1, 2]);
    expect(await rv(c.request('delete_loopback', { sw_if_index: 1 }))).toBe(0);
    const again = await c.request('create_loopback', ZERO_MAC);
    expect(again.sw_if_index).toBe(1);
    const all = await c.dump('sw_interface_dump', ALL).toArray();
    expect(all.map((i) => [i.interface_name, i.l2_address, i.interface_dev_type, i.link_mtu, i.mtu[0]])).toEqual([
      ['local0', '00:00:00:00:00:00', 'local', 0, 0],
      ['loop0', 'de:ad:00:00:00:00', 'Loopback', 9000, 9000],
      ['loop1', '02:00:00:00:00:07', 'Loopback', 9000, 9000],
    ]);
  });

  it('create_loopback_instance: an instance in use answers -31 with sw_if_index ~0', async () => {
    const { c } = await model();
    const five = await c.request('create_loopback_instance', { ...ZERO_MAC, is_specified: true, user_instance: 5 });
    expect((await c.dump('sw_interface_dump', { sw_if_index: five.sw_if_index, name_filter_valid: false, name_filter: '' }).toArray())[0]!.interface_name).toBe('loop5');
    const err = await c.request('create_loopback_instance', { ...ZERO_MAC, is_specified: true, user_instance: 5 }).catch((e: { code: number; reply: { sw_if_index: number } }) => e);
    expect(err).toMatchObject({ code: -31, reply: { sw_if_index: NONE } });
    expect(await rv(c.request('create_loopback_instance', { ...ZERO_MAC, is_specified: true, user_instance: 16384 }))).toBe(-31);
  });

  it('delete_loopback refuses what is not a loopback with -2', async () => {
    const { c } = await model();
    const tap = await c.request('tap_create_v3', TAP);
    expect(await rv(c.request('delete_loopback', { sw_if_index: 0 }))).toBe(-2);
    expect(await rv(c.request('delete_loopback', { sw_if_index: tap.sw_if_index }))).toBe(-2);
    expect(await rv(c.request('delete_loopback', { sw_if_index: 99 }))).toBe(-2);
    expect(await rv(c.request('tap_delete_v2', { sw_if_index: 1 }))).toBe(-2);
    expect(await rv(c.request('tap_delete_v2', { sw_if_index: tap.sw_if_index }))).toBe(0);
  });

  it('creates taps tapN (lowest free id) with link up, a 02:fe random MAC and the tag; an id in use is -71', async () => {
    const { c } = await model();
    const t0 = await c.request('tap_create_v3', { ...TAP, tag: 'pod' });
    await c.request('tap_create_v3', { ...TAP, id: 3 });
    expect(await rv(c.request('tap_create_v3', { ...TAP, id: 3 }))).toBe(-71);
    expect(await rv(c.request('tap_create_v3', { ...TAP, id: 9000 }))).toBe(-1);
    const [d] = await c.dump('sw_interface_dump', { sw_if_index: t0.sw_if_index, name_filter_valid: false, name_filter: '' }).toArray();
    expect(d).toMatchObject({ interface_name: 'tap0', interface_dev_type: 'tap', flags: 2, tag: 'pod' });
    expect(d!.l2_address).toMatch(/^02:fe(:[0-9a-f]{2}){4}$/);
    const names = (await c.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'TAP' }).toArray()).map((i) => i.interface_name);
    expect(names).toEqual(['tap0', 'tap3']);
  });

  it('sw_interface_dump: 0 means all, an invalid index sends nothing', async () => {
    const { c } = await model();
    expect(await c.dump('sw_interface_dump', { sw_if_index: 0, name_filter_valid: false, name_filter: '' }).toArray()).toHaveLength(2);
    expect(await c.dump('sw_interface_dump', { sw_if_index: 42, name_filter_valid: false, name_filter: '' }).toArray()).toEqual([]);
  });

  it('sets admin state, answering -2 for an unknown sw_if_index', async () => {
    const { c } = await model();
    expect(await rv(c.request('sw_interface_set_flags', { sw_if_index: 7, flags: 1 }))).toBe(-2);
    const loop = await c.request('create_loopback', ZERO_MAC);
    await c.request('sw_interface_set_flags', { sw_if_index: loop.sw_if_index, flags: 1 });
    expect((await c.dump('sw_interface_dump', { sw_if_index: loop.sw_if_index, name_filter_valid: false, name_filter: '' }).toArray())[0]!.flags).toBe(3);
    // LINK_UP in the request is ignored: only admin counts.
    await c.request('sw_interface_set_flags', { sw_if_index: loop.sw_if_index, flags: 2 });
    expect((await c.dump('sw_interface_dump', { sw_if_index: loop.sw_if_index, name_filter_valid: false, name_filter: '' }).toArray())[0]!.flags).toBe(0);
  });

  it('sends sw_interface_event to subscribers: what happened, one per interface per request', async () => {
    const { vpp, c } = await model();
    const sub = await c.subscribe('want_interface_events');
    const loop = (await c.request('create_loopback', ZERO_MAC)).sw_if_index;
    const tap = (await c.request('tap_create_v3', TAP)).sw_if_index;
    await c.request('sw_interface_set_flags', { sw_if_index: loop, flags: 1 });
    await c.request('sw_interface_set_flags', { sw_if_index: loop, flags: 1 }); // no change: no event
    await c.request('sw_interface_set_flags', { sw_if_index: tap, flags: 1 });
    await c.request('sw_interface_set_flags', { sw_if_index: tap, flags: 0 });
    await c.request('sw_interface_set_flags', { sw_if_index: tap, flags: 1 });
    await c.request('delete_loopback', { sw_if_index: loop });
    vpp.interfaces.setCarrier(1, false); // nothing: the NIC is admin down
    await settle(c);
    expect((await held(sub)).map(({ sw_if_index, flags, deleted }) => ({ sw_if_index, flags, deleted }))).toEqual([
      { sw_if_index: loop, flags: 0, deleted: false },
      { sw_if_index: tap, flags: 2, deleted: false },
      { sw_if_index: loop, flags: 3, deleted: false },
      { sw_if_index: tap, flags: 1, deleted: false },
      { sw_if_index: tap, flags: 0, deleted: false },
      { sw_if_index: tap, flags: 3, deleted: false },
      { sw_if_index: loop, flags: 0, deleted: true },
    ]);
  });

  it('reports a NIC link change with ADMIN_UP clear: flags say what happened, not the state', async () => {
    const { vpp, c } = await model();
    const sub = await c.subscribe('want_interface_events');
    const flags = async (): Promise<number[]> => (await held(sub)).map((e) => e.flags);
    await c.request('sw_interface_set_flags', { sw_if_index: 1, flags: 1 });
    vpp.interfaces.setCarrier(1, false);
    await settle(c);
    vpp.interfaces.setCarrier(1, true);
    await settle(c);
    expect(await flags()).toEqual([3, 0, 2]);
    // Signals of one moment share a batch: down then up is one event.
    vpp.interfaces.setCarrier(1, false);
    vpp.interfaces.setCarrier(1, true);
    await settle(c);
    expect(await flags()).toEqual([2]);
  });

  it('want_interface_events twice answers -31; unsubscribing answers 0', async () => {
    const { c } = await model();
    const sub = await c.subscribe('want_interface_events');
    expect(sub.reply.retval).toBe(0);
    expect(await rv(c.subscribe('want_interface_events'))).toBe(-31);
    await sub.unsubscribe(); // rejects unless VPP answers 0
  });

  it('adds and deletes addresses with VPP codes: overlap -105, length -59 (after overlap), missing -60, local0 -126', async () => {
    const { c } = await model();
    const loop = (await c.request('create_loopback', ZERO_MAC)).sw_if_index;
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '172.16.0.1/0')))).toBe(-59);
    expect(await rv(c.request('sw_interface_add_del_address', addr(1, '10.0.0.1/24')))).toBe(0);
    expect(await rv(c.request('sw_interface_add_del_address', addr(1, '10.0.0.2/24')))).toBe(0); // same len, same interface: fine
    expect(await rv(c.request('sw_interface_add_del_address', addr(1, '10.0.0.1/24')))).toBe(-105); // the same again
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '10.0.0.9/16')))).toBe(-105); // overlaps in the same VRF
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '2001:db8::1/64')))).toBe(0);
    expect(await rv(c.request('sw_interface_add_del_address', addr(1, '2001:db8::2/48')))).toBe(-127);
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '172.16.0.1/0')))).toBe(-105); // overlap is checked before length
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, 'fe80::1/64')))).toBe(-59); // link-local must be /128
    expect(await rv(c.request('sw_interface_add_del_address', addr(0, '172.16.0.1/24')))).toBe(-126);
    expect(await rv(c.request('sw_interface_add_del_address', addr(9, '172.16.0.1/24')))).toBe(-2);
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '10.0.0.1/24', false)))).toBe(-60); // on another interface
    expect(await rv(c.request('sw_interface_add_del_address', addr(1, '10.0.0.1/8', false)))).toBe(0); // length not compared
    const v4 = await c.dump('ip_address_dump', { sw_if_index: 1, is_ipv6: false }).toArray();
    expect(v4.map((a) => a.prefix)).toEqual(['10.0.0.2/24']);
    expect((await c.dump('ip_address_dump', { sw_if_index: loop, is_ipv6: true }).toArray()).map((a) => a.prefix)).toEqual(['2001:db8::1/64']);
    expect(await c.dump('ip_address_dump', { sw_if_index: NONE, is_ipv6: false }).toArray()).toEqual([]);
    await c.request('sw_interface_add_del_address', { sw_if_index: loop, is_add: false, del_all: true, prefix: '0.0.0.0/0' });
    expect(await c.dump('ip_address_dump', { sw_if_index: loop, is_ipv6: true }).toArray()).toEqual([]);
  });

  it('keeps one IPv6 link-local address apart from the others: replaced by an add, never deleted (-61 current, -60 other)', async () => {
    const { c } = await model();
    const loop = (await c.request('create_loopback_instance', { mac_address: '02:00:00:00:00:42', is_specified: true, user_instance: 7 })).sw_if_index;
    const ll = (prefix: string, is_add = true) => rv(c.request('sw_interface_add_del_address', addr(loop, prefix, is_add)));
    // The first IPv6 address brings one made from the MAC (EUI-64).
    expect(await ll('2001:db8::1/64')).toBe(0);
    expect(await ll('fe80::ff:fe00:42/128', false)).toBe(-61);
    expect(await ll('fe80::1/128')).toBe(0);
    expect(await ll('fe80::2/128')).toBe(0); // replaces fe80::1
    expect(await ll('fe80::1/128', false)).toBe(-60);
    expect(await ll('fe80::2/128', false)).toBe(-61);
    expect((await c.dump('ip_address_dump', { sw_if_index: loop, is_ipv6: true }).toArray()).map((a) => a.prefix)).toEqual(['2001:db8::1/64']);
  });

  it('binds tables that exist (-3 otherwise) and refuses while addresses are present (-114)', async () => {
    const { c } = await model();
    expect(await rv(c.request('sw_interface_set_table', { sw_if_index: 1, is_ipv6: false, vrf_id: 5 }))).toBe(-3);
    await c.request('ip_table_add_del', { is_add: true, table: { table_id: 5, is_ip6: false, name: '' } });
    expect(await rv(c.request('sw_interface_set_table', { sw_if_index: 1, is_ipv6: false, vrf_id: 5 }))).toBe(0);
    expect((await c.request('sw_interface_get_table', { sw_if_index: 1, is_ipv6: false })).vrf_id).toBe(5);
    // A refusal carries vrf_id ~0, as VPP's does.
    expect(await c.request('sw_interface_get_table', { sw_if_index: 9, is_ipv6: false }).catch((e: VppApiError) => e.reply)).toMatchObject({ retval: -2, vrf_id: NONE });
    // Deleting a table an interface is bound to leaves it alive.
    await c.request('ip_table_add_del', { is_add: false, table: { table_id: 5, is_ip6: false, name: '' } });
    await c.request('sw_interface_add_del_address', addr(1, '10.0.0.1/24'));
    expect(await rv(c.request('sw_interface_set_table', { sw_if_index: 1, is_ipv6: false, vrf_id: 0 }))).toBe(-114);
    expect(await rv(c.request('sw_interface_set_table', { sw_if_index: 9, is_ipv6: false, vrf_id: 0 }))).toBe(-2);
    // The same prefix in another VRF does not overlap.
    const loop = (await c.request('create_loopback', ZERO_MAC)).sw_if_index;
    expect(await rv(c.request('sw_interface_add_del_address', addr(loop, '10.0.0.1/24')))).toBe(0);
  });

  it('tags: add replaces, empty add is -7, delete always succeeds', async () => {
    const { c } = await model();
    const tag = async () => (await c.dump('sw_interface_dump', { sw_if_index: 1, name_filter_valid: false, name_filter: '' }).toArray())[0]!.tag;
    await c.request('sw_interface_tag_add_del', { is_add: true, sw_if_index: 1, tag: 'a' });
    await c.request('sw_interface_tag_add_del', { is_add: true, sw_if_index: 1, tag: 'uplink' });
    expect(await tag()).toBe('uplink');
    expect(await rv(c.request('sw_interface_tag_add_del', { is_add: true, sw_if_index: 1, tag: '' }))).toBe(-7);
    expect(await rv(c.request('sw_interface_tag_add_del', { is_add: true, sw_if_index: 8, tag: 'x' }))).toBe(-2);
    await c.request('sw_interface_tag_add_del', { is_add: false, sw_if_index: 1, tag: '' });
    await c.request('sw_interface_tag_add_del', { is_add: false, sw_if_index: 1, tag: '' });
    expect(await tag()).toBe('');
  });

  it('answers what it does not model with -9 UNIMPLEMENTED (or a handler of choice), and says so', async () => {
    const seen: string[] = [];
    const { vpp, c } = await model({ onUnmodelled: (name) => seen.push(name) });
    await expect(c.request('cli_inband', { cmd: 'show version' })).rejects.toMatchObject({ code: -9, symbol: 'UNIMPLEMENTED' });
    expect(await c.dump('sw_interface_rx_placement_dump', { sw_if_index: NONE }).toArray()).toEqual([]);
    expect(seen).toEqual(['cli_inband', 'sw_interface_rx_placement_dump']);
    expect(vpp.unmodelled.get('cli_inband')).toBe(1);
    const custom = await model({ unmodelled: () => -1 });
    expect(await rv(custom.c.request('cli_inband', { cmd: 'x' }))).toBe(-1);
  });
});
