/** Interface scenarios: loopbacks, admin flags, addresses, tables, tags, name filters, events. */
import type { Scenario } from '../runner.js';
import { NONE } from '../runner.js';

const ADMIN_UP = 1;
const LINK_UP = 2;
const addr = (sw_if_index: number, prefix: string, is_add = true, del_all = false) => ({ sw_if_index, is_add, del_all, prefix });
const filter = (name_filter: string) => ({ sw_if_index: NONE, name_filter_valid: true, name_filter });
/** The scenarios' IP table; the sweep deletes it too. */
export const TABLE_DEL = { is_add: false, table: { table_id: 4242, is_ip6: false, name: '' } };
const one = (sw_if_index: number) => ({ sw_if_index, name_filter_valid: false, name_filter: '' });

export const interfaceScenarios: Scenario[] = [
  {
    name: 'show_version',
    tables: [],
    async run(s) {
      await s.call('show_version');
    },
  },
  {
    name: 'create_loopback and delete_loopback',
    tables: ['interfaces'],
    async run(s) {
      await s.call('create_loopback', { mac_address: '00:00:00:00:00:00' }, { as: 'A' });
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
      await s.call('delete_loopback', { sw_if_index: s.if('A') }, { label: 'delete again' });
    },
  },
  {
    name: 'create_loopback_instance: a given instance, taken twice, a given MAC',
    tables: ['interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.call('create_loopback_instance', { mac_address: '00:00:00:00:00:00', is_specified: true, user_instance: 4000 }, { label: 'same instance' });
      await s.loopback('B', '02:00:00:00:00:42');
      await s.call('delete_loopback', { sw_if_index: s.if('B') });
    },
  },
  {
    name: 'delete_loopback of what is not a loopback',
    tables: ['interfaces'],
    async run(s) {
      await s.call('delete_loopback', { sw_if_index: 0 }, { label: 'local0' });
      await s.call('delete_loopback', { sw_if_index: 1_000_000 }, { label: 'absent' });
      await s.call('delete_loopback', { sw_if_index: NONE }, { label: '~0' });
    },
  },
  {
    name: 'admin flags up and down',
    tables: ['interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP }, { label: 'up' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP }, { label: 'up again' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: 0 }, { label: 'down' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: LINK_UP }, { label: 'link-up bit only' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP | LINK_UP }, { label: 'both bits' });
    },
  },
  {
    name: 'IPv4 addresses: add, dump, delete',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.101.1/32'), { label: 'a /32' });
      await s.dump('ip_address_dump', { sw_if_index: s.if('A'), is_ipv6: false });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24', false), { label: 'delete' });
    },
  },
  {
    name: 'IPv4 duplicates and overlaps',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'), { label: 'same again' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.2/24'), { label: 'same subnet, same interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.3/25'), { label: 'other length, same interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.100.9/24'), { label: 'same subnet, other interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.100.1/24'), { label: 'same address, other interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.0.1/16'), { label: 'covering subnet, other interface' });
    },
  },
  {
    name: 'IPv6 addresses, duplicates and overlaps',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64'), { label: 'same again' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::2/64'), { label: 'same subnet, same interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '2001:db8:d1f::3/64'), { label: 'same subnet, other interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '2001:db8:d1f::1/128'), { label: 'same address as /128, other interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64', false), { label: 'delete' });
    },
  },
  {
    name: 'deleting addresses that are not there',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24', false), { label: 'none at all' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.100.1/24', false), { label: 'on the other interface' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.2/24', false), { label: 'another host of the subnet' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/25', false), { label: 'other length' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64', false), { label: 'IPv6 absent' });
    },
  },
  {
    name: 'del_all removes every address of both families',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.101.1/24'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '0.0.0.0/0', false, true), { label: 'del_all' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '0.0.0.0/0', false, true), { label: 'del_all again' });
    },
  },
  {
    name: 'address lengths: /0, the network address, link-local /64',
    tables: ['addresses'],
    async run(s) {
      // In tables of its own: a /0 overlaps every address of its table, and the VPP may have some.
      for (const is_ip6 of [false, true]) s.undoWith('ip_table_add_del', { ...TABLE_DEL, table: { ...TABLE_DEL.table, is_ip6 } });
      await s.loopback('A');
      for (const is_ip6 of [false, true]) {
        await s.call('ip_table_add_del', { is_add: true, table: { table_id: 4242, is_ip6, name: '' } });
        await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: is_ip6, vrf_id: 4242 });
      }
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/0'), { label: '/0' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.0/24'), { label: 'the network address' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::/0'), { label: 'IPv6 /0' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::1/64'), { label: 'link-local /64' });
    },
  },
  {
    name: 'addresses on local0',
    tables: [],
    async run(s) {
      await s.call('sw_interface_add_del_address', addr(0, '198.51.100.1/24'), { label: 'add' });
      await s.call('sw_interface_add_del_address', addr(0, '198.51.100.1/24', false), { label: 'delete' });
    },
  },
  {
    name: 'tags: add, replace, delete, empty',
    tables: ['interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('A'), tag: 'vppkit-diff-a' });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('A'), tag: 'vppkit-diff-b' }, { label: 'replace' });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('A'), tag: '' }, { label: 'empty' });
      await s.call('sw_interface_tag_add_del', { is_add: false, sw_if_index: s.if('A'), tag: '' }, { label: 'delete' });
      await s.call('sw_interface_tag_add_del', { is_add: false, sw_if_index: s.if('A'), tag: '' }, { label: 'delete again' });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: 0, tag: 'vppkit-diff-local0' }, { label: 'local0' });
      await s.call('sw_interface_tag_add_del', { is_add: false, sw_if_index: 0, tag: '' }, { label: 'local0 delete' });
    },
  },
  {
    name: 'sw_interface_dump name filters',
    tables: [],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await s.dump('sw_interface_dump', filter('loop4001'), 'exact name');
      await s.dump('sw_interface_dump', filter('LOOP4001'), 'upper case');
      await s.dump('sw_interface_dump', filter('p400'), 'substring');
      await s.dump('sw_interface_dump', filter('vppkit-no-such-interface'), 'no match');
      await s.dump('sw_interface_dump', { sw_if_index: s.if('A'), name_filter_valid: true, name_filter: 'loop4001' }, 'filter wins over the index');
    },
  },
  {
    name: 'sw_interface_dump by index',
    tables: [],
    async run(s) {
      await s.loopback('A');
      await s.dump('sw_interface_dump', one(s.if('A')), 'that one');
      await s.dump('sw_interface_dump', one(1_000_000), 'absent');
      await s.dump('sw_interface_dump', { ...one(0), name_filter_valid: true, name_filter: 'local0' }, 'local0 by name');
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
      await s.dump('sw_interface_dump', one(s.if('A')), 'deleted');
    },
  },
  {
    name: 'interface events: create, up, down, delete',
    tables: [],
    async run(s) {
      await s.subscribe();
      await s.loopback('A');
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP }, { label: 'up' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: 0 }, { label: 'down' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP }, { label: 'up again' });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('A'), tag: 'vppkit-diff-a' }, { label: 'tag' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'), { label: 'address' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP }, { label: 'up while up' });
      await s.call('delete_loopback', { sw_if_index: s.if('A') }, { label: 'delete while up' });
    },
  },
  {
    name: 'interface events: a second subscription and unsubscribing',
    tables: [],
    async run(s) {
      await s.subscribe();
      await s.subscribe('again');
      await s.unsubscribe('off');
      await s.loopback('A');
    },
  },
  {
    name: 'IP tables: bind, addresses in the way, missing table',
    tables: ['addresses'],
    async run(s) {
      s.undoWith('ip_table_add_del', TABLE_DEL);
      await s.loopback('A');
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 4242 }, { label: 'missing table' });
      await s.call('ip_table_add_del', { is_add: true, table: { table_id: 4242, is_ip6: false, name: '' } });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 4242 }, { label: 'with an address' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24', false));
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 4242 }, { label: 'bind' });
      await s.call('sw_interface_get_table', { sw_if_index: s.if('A'), is_ipv6: false });
      await s.call('sw_interface_get_table', { sw_if_index: s.if('A'), is_ipv6: true }, { label: 'IPv6 table' });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 0 }, { label: 'back to 0' });
      await s.call('ip_table_add_del', TABLE_DEL, { label: 'delete table' });
    },
  },
];

/** Interface scenarios at the edges: link-local, per-table overlaps, IPv6 tables, deleting with addresses. */
export const interfaceEdgeScenarios: Scenario[] = [
  {
    name: 'IPv6 link-local addresses',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::1/128'), { label: 'link-local /128' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::2/128'), { label: 'a second one' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::1/128', false), { label: 'delete the first' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::2/128', false), { label: 'delete the second' });
    },
  },
  {
    name: 'IPv6 link-local address made from the MAC with the first IPv6 address',
    tables: ['addresses'],
    async run(s) {
      await s.loopback('A', '02:00:00:00:00:42');
      // Not before the first IPv6 address, nor after the last: that crashes VPP 26.06 (SIGSEGV in ip6_add_del_interface_address).
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64'));
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::ff:fe00:42/128', false), { label: 'delete the MAC one after' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::1/128'), { label: 'set another' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), 'fe80::ff:fe00:42/128', false), { label: 'delete the MAC one when replaced' });
    },
  },
  {
    name: 'the same subnet in two IP tables',
    tables: ['addresses'],
    async run(s) {
      s.undoWith('ip_table_add_del', TABLE_DEL);
      await s.loopback('A');
      await s.loopback('B');
      await s.call('ip_table_add_del', { is_add: true, table: { table_id: 4242, is_ip6: false, name: '' } });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('B'), is_ipv6: false, vrf_id: 4242 });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'), { label: 'A in table 0' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.100.1/24'), { label: 'B in table 4242' });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('B'), is_ipv6: false, vrf_id: 0 }, { label: 'B back while addressed' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '0.0.0.0/0', false, true), { label: 'B del_all' });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('B'), is_ipv6: false, vrf_id: 0 }, { label: 'B back' });
      await s.call('ip_table_add_del', TABLE_DEL, { label: 'delete table' });
    },
  },
  {
    name: 'IPv6 tables',
    tables: ['addresses'],
    async run(s) {
      s.undoWith('ip_table_add_del', { ...TABLE_DEL, table: { ...TABLE_DEL.table, is_ip6: true } });
      await s.loopback('A');
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: true, vrf_id: 4242 }, { label: 'missing table' });
      await s.call('ip_table_add_del', { is_add: true, table: { table_id: 4242, is_ip6: true, name: '' } });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64'));
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: true, vrf_id: 4242 }, { label: 'with an address' });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 0 }, { label: 'IPv4 unchanged' });
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '2001:db8:d1f::1/64', false));
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: true, vrf_id: 4242 }, { label: 'bind' });
      await s.call('sw_interface_get_table', { sw_if_index: s.if('A'), is_ipv6: true });
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: true, vrf_id: 0 }, { label: 'back to 0' });
    },
  },
  {
    name: 'a deleted loopback takes its addresses; its instance comes back clean',
    tables: ['interfaces', 'addresses'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_add_del_address', addr(s.if('A'), '198.51.100.1/24'));
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('A'), flags: ADMIN_UP });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('A'), tag: 'vppkit-diff-a' });
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
      await s.call('create_loopback_instance', { mac_address: '00:00:00:00:00:00', is_specified: true, user_instance: 4000 }, { as: 'B', label: 'same instance again' });
      await s.call('sw_interface_add_del_address', addr(s.if('B'), '198.51.100.1/24'), { label: 'same address again' });
    },
  },
  {
    name: 'local0 up and down, with events',
    tables: [],
    async run(s) {
      await s.subscribe();
      await s.call('sw_interface_set_flags', { sw_if_index: 0, flags: ADMIN_UP }, { label: 'local0 up' });
      await s.dump('sw_interface_dump', { ...one(0), name_filter_valid: true, name_filter: 'local0' }, 'local0 while up');
      await s.call('sw_interface_set_flags', { sw_if_index: 0, flags: 0 }, { label: 'local0 down' });
    },
  },
  {
    name: 'create_loopback_instance without an instance',
    tables: ['interfaces'],
    async run(s) {
      await s.call('create_loopback_instance', { mac_address: '00:00:00:00:00:00', is_specified: false, user_instance: 4001 }, { as: 'A' });
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
    },
  },
  {
    name: 'admin flags and tags on local0',
    tables: [],
    async run(s) {
      await s.dump('sw_interface_dump', { ...one(0), name_filter_valid: true, name_filter: 'local0' }, 'local0 before');
      await s.call('sw_interface_set_flags', { sw_if_index: 0, flags: 0 }, { label: 'local0 down' });
      await s.call('sw_interface_get_table', { sw_if_index: 0, is_ipv6: false }, { label: 'local0 table' });
      await s.dump('sw_interface_dump', { sw_if_index: NONE, name_filter_valid: true, name_filter: '' }, 'empty filter');
    },
  },
];
