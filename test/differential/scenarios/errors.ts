/** Errors across the modules: an absent, a deleted and a ~0 sw_if_index, and other bad indexes. */
import type { Scenario, Side } from '../runner.js';
import { NONE } from '../runner.js';

/** Every modelled request that takes a sw_if_index, with `sw_if_index` given. */
async function everyCall(s: Side, sw_if_index: number): Promise<void> {
  await s.call('sw_interface_set_flags', { sw_if_index, flags: 1 });
  await s.call('sw_interface_add_del_address', { sw_if_index, is_add: true, del_all: false, prefix: '198.51.100.1/24' });
  await s.call('sw_interface_add_del_address', { sw_if_index, is_add: false, del_all: true, prefix: '0.0.0.0/0' }, { label: 'del_all' });
  await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index, tag: 'vppkit-diff' });
  await s.call('sw_interface_set_table', { sw_if_index, is_ipv6: false, vrf_id: 0 });
  await s.call('sw_interface_get_table', { sw_if_index, is_ipv6: false });
  await s.dump('ip_address_dump', { sw_if_index, is_ipv6: false });
  await s.call('delete_loopback', { sw_if_index });
  await s.call('acl_interface_set_acl_list', { sw_if_index, n_input: 0, acls: [] });
  await s.call('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index, acl_index: 0 });
  await s.dump('acl_interface_list_dump', { sw_if_index });
  await s.call('nat44_interface_add_del_feature', { is_add: true, flags: 32, sw_if_index });
  await s.call('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index });
}

/** A tap_create_v3 request with nothing set on the host side. */
const TAP = {
  use_random_mac: true, mac_address: '00:00:00:00:00:00', host_mtu_set: false, host_mtu_size: 0, host_mac_addr_set: false, host_mac_addr: '00:00:00:00:00:00',
  host_ip4_prefix_set: false, host_ip4_prefix: '0.0.0.0/0', host_ip6_prefix_set: false, host_ip6_prefix: '::/0', host_ip4_gw_set: false, host_ip4_gw: '0.0.0.0',
  host_ip6_gw_set: false, host_ip6_gw: '::', tap_flags: 0, host_namespace_set: false, host_namespace: '', host_if_name_set: false, host_if_name: '',
  host_bridge_set: false, host_bridge: '', tag: 'vppkit-diff',
};

export const errorScenarios: Scenario[] = [
  {
    name: 'an absent sw_if_index everywhere',
    tables: [],
    run: (s) => everyCall(s, 1_000_000),
  },
  {
    name: '~0 as sw_if_index everywhere',
    tables: [],
    run: (s) => everyCall(s, NONE),
  },
  {
    name: 'a deleted loopback\'s sw_if_index everywhere',
    tables: [],
    async run(s) {
      await s.loopback('A');
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
      await everyCall(s, s.if('A'));
    },
  },
  {
    name: 'the same with NAT44-ED enabled',
    tables: [],
    async run(s) {
      await s.call('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
      await s.call('nat44_interface_add_del_feature', { is_add: true, flags: 32, sw_if_index: 1_000_000 }, { label: 'inside, absent' });
      await s.call('nat44_interface_add_del_feature', { is_add: false, flags: 32, sw_if_index: 1_000_000 }, { label: 'delete inside, absent' });
      await s.call('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: 1_000_000 }, { label: 'output, absent' });
      await s.call('nat44_ed_add_del_output_interface', { is_add: false, sw_if_index: 1_000_000 }, { label: 'delete output, absent' });
      await s.call('nat44_interface_add_del_feature', { is_add: false, flags: 32, sw_if_index: 0 }, { label: 'delete inside, local0 never added' });
      await s.call('nat44_ed_plugin_enable_disable', { enable: false, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
    },
  },
  {
    name: 'ACL indexes that do not exist',
    tables: [],
    async run(s) {
      await s.call('acl_del', { acl_index: 1_000_000 });
      await s.call('acl_add_replace', { acl_index: 1_000_000, tag: 'vppkit-diff', r: [] }, { label: 'replace absent' });
      await s.dump('acl_dump', { acl_index: 1_000_000 });
      await s.call('acl_interface_set_acl_list', { sw_if_index: 0, n_input: 1, acls: [1_000_000] }, { label: 'apply absent to local0' });
      await s.call('acl_interface_add_del', { is_add: true, is_input: false, sw_if_index: 0, acl_index: 1_000_000 }, { label: 'add absent to local0' });
      await s.call('acl_interface_add_del', { is_add: false, is_input: false, sw_if_index: 0, acl_index: 1_000_000 }, { label: 'delete absent from local0' });
    },
  },
  {
    name: 'taps that cannot be: an id past 8192, deleting what is not a tap',
    tables: ['interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.call('tap_create_v3', { ...TAP, id: 8193 }, { as: 'T', label: 'id 8193' });
      await s.call('tap_delete_v2', { sw_if_index: s.if('A') }, { label: 'delete a loopback as a tap' });
      await s.call('tap_delete_v2', { sw_if_index: 1_000_000 }, { label: 'delete an absent tap' });
    },
  },
  {
    name: 'create_loopback_instance out of range',
    tables: [],
    async run(s) {
      await s.call('create_loopback_instance', { mac_address: '00:00:00:00:00:00', is_specified: true, user_instance: 16384 }, { as: 'A', label: 'instance 16384' });
      await s.call('create_loopback_instance', { mac_address: '00:00:00:00:00:00', is_specified: true, user_instance: NONE }, { as: 'B', label: 'instance ~0' });
    },
  },
];
