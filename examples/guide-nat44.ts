/**
 * Scripting NAT44 ED (docs/guides/nat44.md): enable, a pool, inside/outside interfaces or the
 * output feature, a static mapping, and sessions.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-nat44.ts
 */
import { connect } from 'vppkit';
import { NatConfigFlags } from 'vppkit/nat_types';

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
const ANY_VRF = 0xffffffff;
try {
  const [uplink] = await client.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'GigabitEthernet' }).toArray();
  if (!uplink) throw new Error('no GigabitEthernet interface');
  const outside = uplink.sw_if_index;
  const { sw_if_index: inside } = await client.request('create_loopback');

  // NAT44-ED is off when VPP starts. sessions 0: VPP's default table size.
  await client.request('nat44_ed_plugin_enable_disable', { enable: true });
  const config = await client.request('nat44_show_running_config');
  console.log(`NAT44-ED enabled: up to ${config.sessions} sessions`);

  // The pool: addresses to translate to (a range, first to last).
  await client.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.1', last_ip_address: '192.168.16.1', vrf_id: ANY_VRF, is_add: true, flags: NatConfigFlags.NAT_IS_NONE });

  // Classic: translate what crosses from an inside interface to an outside one.
  await client.request('nat44_interface_add_del_feature', { is_add: true, flags: NatConfigFlags.NAT_IS_INSIDE, sw_if_index: inside });
  await client.request('nat44_interface_add_del_feature', { is_add: true, flags: NatConfigFlags.NAT_IS_OUTSIDE, sw_if_index: outside });
  for await (const i of client.dump('nat44_interface_dump')) console.log(`sw_if_index ${i.sw_if_index}: ${i.flags & NatConfigFlags.NAT_IS_INSIDE ? 'inside' : 'outside'}`);

  // Or the output feature: translate whatever leaves the uplink (an interface has one style or the other).
  await client.request('nat44_interface_add_del_feature', { is_add: false, flags: NatConfigFlags.NAT_IS_OUTSIDE, sw_if_index: outside });
  await client.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: outside });
  const outputs = await client.stream('nat44_ed_output_interface_get', {}).toArray();
  console.log(`output feature on sw_if_index ${outputs.map((o) => o.sw_if_index).join(', ')}`);

  // A static mapping: 192.168.16.1:8080 outside is the pod's 10.1.1.3:80.
  await client.request('nat44_add_del_static_mapping_v2', {
    is_add: true, flags: NatConfigFlags.NAT_IS_NONE, vrf_id: ANY_VRF, tag: 'pod-web',
    local_ip_address: '10.1.1.3', local_port: 80, external_ip_address: '192.168.16.1', external_port: 8080, protocol: 6,
  });
  for await (const m of client.dump('nat44_static_mapping_dump')) {
    console.log(`static ${m.external_ip_address}:${m.external_port} -> ${m.local_ip_address}:${m.local_port} "${m.tag}"`);
  }

  // Sessions: per inside user (address), created by traffic.
  for await (const user of client.dump('nat44_user_dump')) {
    const sessions = await client.dump('nat44_user_session_v3_dump', { ip_address: user.ip_address, vrf_id: user.vrf_id }).toArray();
    for (const s of sessions) console.log(`${s.inside_ip_address}:${s.inside_port} as ${s.outside_ip_address}:${s.outside_port}`);
  }
} finally {
  await client.close();
}
