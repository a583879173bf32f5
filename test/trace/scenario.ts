/** A scenario for the trace tests: a loopback with an address, an ACL on it, NAT44-ED with a pool. */
import type { Client } from '../../src/client/index.js';
import { AclAction, type AclRuleInit } from '../../src/gen/acl_types.js';

const NEW = 0xffffffff;
const ALL = 0xffffffff;

/** Configures VPP through `client`; one request fails on purpose (VPP answers -6 to deleting no ACL). */
export async function scenario(client: Client): Promise<void> {
  const { sw_if_index } = await client.request('create_loopback', { mac_address: '02:fe:00:00:00:01' });
  await client.request('sw_interface_set_flags', { sw_if_index, flags: 1 });
  await client.request('sw_interface_add_del_address', { sw_if_index, is_add: true, del_all: false, prefix: '10.1.1.1/24' });
  const web: AclRuleInit = {
    is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '10.1.0.0/16', dst_prefix: '31.134.97.0/24', proto: 6,
    srcport_or_icmptype_first: 1024, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80,
    tcp_flags_mask: 0, tcp_flags_value: 0,
  };
  const { acl_index } = await client.request('acl_add_replace', { acl_index: NEW, tag: 'web', r: [web] });
  await client.request('acl_interface_set_acl_list', { sw_if_index, n_input: 1, acls: [acl_index] });
  await client.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
  await client.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.1', last_ip_address: '192.168.16.2', vrf_id: ALL, is_add: true, flags: 0 });
  await client.request('acl_del', { acl_index: 77 }).catch(() => undefined);
  await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
}

/** VPP's state as its dumps show it, without the header fields. */
export async function state(client: Client): Promise<{ interfaces: unknown[]; acls: unknown[]; aclInterfaces: unknown[]; natAddresses: unknown[] }> {
  const strip = (rows: readonly object[]): unknown[] => rows.map((row) => {
    const { _vl_msg_id, context, ...rest } = row as Record<string, unknown>;
    return rest;
  });
  return {
    interfaces: strip(await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()),
    acls: strip(await client.dump('acl_dump', { acl_index: ALL }).toArray()),
    aclInterfaces: strip(await client.dump('acl_interface_list_dump', { sw_if_index: ALL }).toArray()),
    natAddresses: strip(await client.dump('nat44_address_dump').toArray()),
  };
}
