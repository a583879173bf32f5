/**
 * Contiv-VPP's pod egress path in one script: the pod 10.1.1.3 behind a tap with a reflective
 * ingress ACL, the uplink with a global egress ACL to 31.134.97.51:80, and NAT44-ED rewriting the
 * pod's source to the node IP 192.168.16.1 on the uplink's output.
 * (`vppkit demo` does the same, idempotently, and prints the result as tables.)
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/pod-egress.ts
 */
import { AclAction, type AclRuleInit } from 'vppkit/acl_types';
import { connect } from 'vppkit/client';

const ANY_PORT = { srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0 };
const podIngress: AclRuleInit = { ...ANY_PORT, is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 0, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535 };
const toServer: AclRuleInit = { ...ANY_PORT, is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '0.0.0.0/0', dst_prefix: '31.134.97.51/32', proto: 6, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80 };

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
try {
  const interfaces = await client.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'GigabitEthernet' }).toArray();
  const uplink = interfaces[0]?.sw_if_index;
  if (uplink === undefined) throw new Error('no GigabitEthernet interface to use as the uplink');

  // The pod's tap: VPP's side is the pod's gateway.
  const { sw_if_index: tap } = await client.request('tap_create_v3', { tag: 'pod-10.1.1.3' });
  for (const [sw_if_index, prefix] of [[tap, '10.1.1.1/24'], [uplink, '192.168.16.1/24']] as const) {
    await client.request('sw_interface_set_flags', { sw_if_index, flags: 1 }); // admin up
    await client.request('sw_interface_add_del_address', { sw_if_index, is_add: true, prefix });
  }

  // ACLs: a reflective one on the pod's input, a global one on the uplink's output.
  const pod = await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: 'pod-ingress', r: [podIngress] });
  const global = await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: 'uplink-egress', r: [toServer] });
  await client.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index: tap, acl_index: pod.acl_index });
  await client.request('acl_interface_add_del', { is_add: true, is_input: false, sw_if_index: uplink, acl_index: global.acl_index });

  // NAT44-ED: the node IP in the pool, and the output feature on the uplink.
  await client.request('nat44_ed_plugin_enable_disable', { enable: true });
  await client.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.1', last_ip_address: '192.168.16.1', vrf_id: 0xffffffff, is_add: true, flags: 0 });
  await client.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: uplink });

  const outputs = await client.stream('nat44_ed_output_interface_get', {}).toArray();
  console.log(`pod tap sw_if_index ${tap}, uplink sw_if_index ${uplink}`);
  console.log(`ACL ${pod.acl_index} on the tap's input, ACL ${global.acl_index} on the uplink's output`);
  console.log(`NAT44-ED output feature on sw_if_index ${outputs.map((o) => o.sw_if_index).join(', ')}`);
} finally {
  await client.close();
}
