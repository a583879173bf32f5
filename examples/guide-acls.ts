/**
 * Scripting ACLs (docs/guides/acls.md): reflective and plain rules, applying per interface and
 * direction, replacing atomically, reading back.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-acls.ts
 */
import { connect } from 'vppkit';
import { AclAction, type AclRuleInit } from 'vppkit/acl_types';

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
const NEW = 0xffffffff; // acl_index ~0: create
const ALL = 0xffffffff; // acl_index or sw_if_index ~0 in a dump: all

// Reflective: whatever the pod opens is permitted, and VPP lets the replies back in.
const podOut: AclRuleInit = {
  is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT,
  src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 0, // 0: any protocol
  srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535,
  dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535,
  tcp_flags_mask: 0, tcp_flags_value: 0,
};

// Plain permit and deny: stateless, each packet on its own.
const web: AclRuleInit = {
  is_permit: AclAction.ACL_ACTION_API_PERMIT,
  src_prefix: '10.1.0.0/16', dst_prefix: '31.134.97.0/24', proto: 6, // TCP
  srcport_or_icmptype_first: 1024, srcport_or_icmptype_last: 65535,
  dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80,
  tcp_flags_mask: 0, tcp_flags_value: 0,
};
const noPing: AclRuleInit = {
  is_permit: AclAction.ACL_ACTION_API_DENY,
  src_prefix: '0.0.0.0/0', dst_prefix: '0.0.0.0/0', proto: 1, // ICMP: the port fields hold type and code
  srcport_or_icmptype_first: 8, srcport_or_icmptype_last: 8, // echo request
  dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 255,
  tcp_flags_mask: 0, tcp_flags_value: 0,
};

try {
  const [uplink] = await client.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'GigabitEthernet' }).toArray();
  if (!uplink) throw new Error('no GigabitEthernet interface');
  const { sw_if_index } = uplink;

  const pod = await client.request('acl_add_replace', { acl_index: NEW, tag: 'pod-out', r: [podOut] });
  const egress = await client.request('acl_add_replace', { acl_index: NEW, tag: 'egress', r: [noPing, web] });

  // One ACL at a time: appended to the interface's input or output list.
  await client.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index, acl_index: pod.acl_index });
  await client.request('acl_interface_add_del', { is_add: true, is_input: false, sw_if_index, acl_index: egress.acl_index });

  // Replace the rules of an ACL in place: interfaces using it switch at once.
  await client.request('acl_add_replace', { acl_index: egress.acl_index, tag: 'egress', r: [web] });

  // Or build the new ACL beside the old one and swap both lists in one message.
  const next = await client.request('acl_add_replace', { acl_index: NEW, tag: 'egress-v2', r: [noPing, web] });
  await client.request('acl_interface_set_acl_list', { sw_if_index, n_input: 1, acls: [pod.acl_index, next.acl_index] });
  await client.request('acl_del', { acl_index: egress.acl_index }); // no longer applied anywhere

  // Read back: the ACLs, then where each is applied.
  for await (const acl of client.dump('acl_dump', { acl_index: ALL })) {
    console.log(`ACL ${acl.acl_index} "${acl.tag}": ${acl.r.map((r) => `${['deny', 'permit', 'reflect'][r.is_permit]} ${r.src_prefix} -> ${r.dst_prefix}`).join('; ')}`);
  }
  const [lists] = await client.dump('acl_interface_list_dump', { sw_if_index }).toArray();
  console.log(`${uplink.interface_name}: input [${lists?.acls.slice(0, lists.n_input)}], output [${lists?.acls.slice(lists.n_input)}]`);
} finally {
  await client.close();
}
