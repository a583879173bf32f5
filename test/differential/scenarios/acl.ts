/** ACL scenarios: add, replace, delete, invalid rules, interface lists in both directions. */
import type { Scenario, Side } from '../runner.js';
import { ACL_TAG, NONE } from '../runner.js';

/** A TCP rule from `src` to `dst`, every port. */
const rule = (src: string, dst: string, extra: Record<string, number> = {}) => ({
  is_permit: 1, src_prefix: src, dst_prefix: dst, proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535,
  dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0, ...extra,
});
const R1 = rule('10.0.0.0/8', '192.0.2.1/32');
const R2 = rule('2001:db8::/32', '2001:db8:1::/48', { is_permit: 0, proto: 17, dstport_or_icmpcode_first: 53, dstport_or_icmpcode_last: 53 });
const R3 = rule('0.0.0.0/0', '0.0.0.0/0', { is_permit: 2, proto: 0 });

/** Adds ACL `h` with `rules`. */
const add = (s: Side, h: string, rules: unknown[], label?: string) => s.call('acl_add_replace', { acl_index: NONE, tag: `${ACL_TAG}-${h}`, r: rules }, { as: h, label });
const setList = (s: Side, sw_if_index: number, n_input: number, acls: number[], label?: string) => s.call('acl_interface_set_acl_list', { sw_if_index, n_input, acls }, { label });
const addDel = (s: Side, is_add: boolean, is_input: boolean, sw_if_index: number, acl_index: number, label?: string) =>
  s.call('acl_interface_add_del', { is_add, is_input, sw_if_index, acl_index }, { label });

export const aclScenarios: Scenario[] = [
  {
    name: 'ACL add and dump, IPv4 and IPv6 rules',
    tables: ['acls'],
    async run(s) {
      await add(s, 'a', [R1, R2, R3]);
      await add(s, 'b', [], 'no rules');
      await s.dump('acl_dump', { acl_index: s.acl('a') }, 'one ACL');
      await s.dump('acl_dump', { acl_index: 1_000_000 }, 'absent ACL');
      await s.call('acl_plugin_get_version');
      await s.call('acl_plugin_control_ping');
    },
  },
  {
    name: 'ACL replace in place, and replacing an absent one',
    tables: ['acls'],
    async run(s) {
      await add(s, 'a', [R1]);
      await s.call('acl_add_replace', { acl_index: s.acl('a'), tag: `${ACL_TAG}-a2`, r: [R2, R3] }, { label: 'replace' });
      await s.call('acl_add_replace', { acl_index: 1_000_000, tag: `${ACL_TAG}-x`, r: [R1] }, { label: 'absent' });
    },
  },
  {
    name: 'ACL delete, and again',
    tables: ['acls'],
    async run(s) {
      await add(s, 'a', [R1]);
      await s.call('acl_del', { acl_index: s.acl('a') });
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'again' });
      await s.call('acl_del', { acl_index: NONE }, { label: '~0' });
    },
  },
  {
    name: 'ACL rules with invalid prefixes and port ranges',
    tables: ['acls'],
    async run(s) {
      await add(s, 'a', [rule('10.0.0.1/8', '192.0.2.1/32')], 'src host bits');
      await add(s, 'b', [rule('10.0.0.0/8', '192.0.2.1/24')], 'dst host bits');
      await add(s, 'd', [rule('10.0.0.0/8', '2001:db8::/32')], 'families differ');
      await add(s, 'e', [rule('2001:db8::1/32', '2001:db8::/32')], 'IPv6 src host bits');
      await add(s, 'f', [rule('10.0.0.0/8', '192.0.2.1/32', { srcport_or_icmptype_first: 100, srcport_or_icmptype_last: 99 })], 'src ports reversed');
      await add(s, 'g', [rule('10.0.0.0/8', '192.0.2.1/32', { dstport_or_icmpcode_first: 100, dstport_or_icmpcode_last: 99 })], 'dst ports reversed');
      await add(s, 'h', [R1, rule('10.0.0.1/8', '192.0.2.1/32')], 'second rule bad');
      await add(s, 'i', [R1]);
      await s.call('acl_add_replace', { acl_index: s.acl('i'), tag: `${ACL_TAG}-i2`, r: [rule('10.0.0.1/8', '0.0.0.0/0')] }, { label: 'bad replace keeps the old' });
    },
  },
  {
    name: 'ACL interface lists in both directions',
    tables: ['acls', 'acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'in', [R1]);
      await add(s, 'out', [R3]);
      await setList(s, s.if('A'), 1, [s.acl('in'), s.acl('out')], 'one in, one out');
      await s.dump('acl_interface_list_dump', { sw_if_index: s.if('A') }, 'that interface');
      await setList(s, s.if('A'), 0, [s.acl('in'), s.acl('out')], 'both out');
      await setList(s, s.if('A'), 2, [s.acl('in'), s.acl('out')], 'both in');
      await setList(s, s.if('A'), 0, [], 'none');
    },
  },
  {
    name: 'ACL list with an absent ACL and with duplicates',
    tables: ['acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'a', [R1]);
      await add(s, 'b', [R3]);
      await setList(s, s.if('A'), 1, [s.acl('a'), 1_000_000], 'absent ACL');
      await setList(s, s.if('A'), 2, [s.acl('a'), s.acl('a')], 'duplicate input');
      await setList(s, s.if('A'), 0, [s.acl('b'), s.acl('b')], 'duplicate output');
      await setList(s, s.if('A'), 1, [s.acl('a'), s.acl('b'), s.acl('b')], 'input fine, output duplicate');
      await setList(s, s.if('A'), 2, [s.acl('b'), s.acl('b'), s.acl('a')], 'input duplicate, output fine');
    },
  },
  {
    name: 'deleting an ACL in use, inbound and outbound',
    tables: ['acls', 'acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'in', [R1]);
      await add(s, 'out', [R3]);
      await setList(s, s.if('A'), 1, [s.acl('in'), s.acl('out')]);
      await s.call('acl_del', { acl_index: s.acl('in') }, { label: 'inbound' });
      await s.call('acl_del', { acl_index: s.acl('out') }, { label: 'outbound' });
      await s.call('acl_add_replace', { acl_index: s.acl('in'), tag: `${ACL_TAG}-in2`, r: [R2] }, { label: 'replace while applied' });
      await setList(s, s.if('A'), 0, [], 'unapply');
      await s.call('acl_del', { acl_index: s.acl('in') }, { label: 'now free' });
    },
  },
  {
    name: 'acl_interface_add_del in both directions',
    tables: ['acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'a', [R1]);
      await add(s, 'b', [R3]);
      await addDel(s, true, true, s.if('A'), s.acl('a'), 'add input');
      await addDel(s, true, true, s.if('A'), s.acl('b'), 'add second input');
      await addDel(s, true, false, s.if('A'), s.acl('a'), 'add output');
      await addDel(s, true, true, s.if('A'), s.acl('a'), 'add input again');
      await addDel(s, true, false, s.if('A'), 1_000_000, 'add absent ACL');
      await addDel(s, false, true, s.if('A'), s.acl('a'), 'delete input');
      await addDel(s, false, true, s.if('A'), s.acl('a'), 'delete input again');
      await addDel(s, false, false, s.if('A'), s.acl('b'), 'delete output never added');
    },
  },
  {
    name: 'acl_interface_list_dump of every interface and of one without ACLs',
    tables: [],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await add(s, 'a', [R1]);
      await setList(s, s.if('B'), 0, [s.acl('a')]);
      await s.dump('acl_interface_list_dump', { sw_if_index: s.if('A') }, 'no ACLs');
      await s.dump('acl_interface_list_dump', { sw_if_index: s.if('B') }, 'output ACL');
      await s.dump('acl_interface_list_dump', { sw_if_index: 1_000_000 }, 'absent interface');
    },
  },
  {
    name: 'deleting an interface with ACLs applied',
    tables: ['acls', 'acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'a', [R1]);
      await setList(s, s.if('A'), 1, [s.acl('a')]);
      await s.call('delete_loopback', { sw_if_index: s.if('A') });
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'acl_del after' });
    },
  },
];

/** ACL scenarios at the edges: odd counts, actions, protocols, replacing what is applied. */
export const aclEdgeScenarios: Scenario[] = [
  {
    name: 'the same ACL in both directions',
    tables: ['acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'a', [R1]);
      await setList(s, s.if('A'), 1, [s.acl('a'), s.acl('a')], 'in and out');
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'delete it' });
      await addDel(s, false, true, s.if('A'), s.acl('a'), 'input off');
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'delete it, output only' });
    },
  },
  {
    name: 'acl_interface_set_acl_list with n_input past the list',
    tables: ['acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await add(s, 'a', [R1]);
      await setList(s, s.if('A'), 3, [s.acl('a')], 'n_input 3 of 1');
      await setList(s, s.if('A'), 255, [], 'n_input 255 of 0');
    },
  },
  {
    name: 'ACL rules: ICMP, TCP flags, any protocol',
    tables: ['acls'],
    async run(s) {
      await add(s, 'icmp', [rule('10.0.0.0/8', '0.0.0.0/0', { proto: 1, srcport_or_icmptype_first: 8, srcport_or_icmptype_last: 8, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 0 })], 'ICMP echo');
      await add(s, 'icmp6', [rule('::/0', '2001:db8::/32', { proto: 58, srcport_or_icmptype_first: 128, srcport_or_icmptype_last: 129 })], 'ICMPv6, ports as types');
      await add(s, 'flags', [rule('10.0.0.0/8', '0.0.0.0/0', { tcp_flags_mask: 0x12, tcp_flags_value: 0x02 })], 'TCP SYN only');
      await add(s, 'any', [rule('0.0.0.0/0', '0.0.0.0/0', { proto: 0, srcport_or_icmptype_first: 5, srcport_or_icmptype_last: 1 })], 'any protocol, ports reversed');
    },
  },
  {
    name: 'acl_interface_add_del: deleting an ACL that another interface still uses',
    tables: ['acls', 'acl_interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.loopback('B');
      await add(s, 'a', [R1]);
      await addDel(s, true, false, s.if('A'), s.acl('a'), 'A output');
      await addDel(s, true, true, s.if('B'), s.acl('a'), 'B input');
      await addDel(s, false, false, s.if('A'), s.acl('a'), 'A output off');
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'still on B' });
      await addDel(s, false, true, s.if('B'), s.acl('a'), 'B input off');
      await s.call('acl_del', { acl_index: s.acl('a') }, { label: 'free' });
      await addDel(s, true, true, s.if('B'), s.acl('a'), 'add the deleted ACL');
    },
  },
];
