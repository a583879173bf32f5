/**
 * The model's `show` commands through cli_inband. The expected texts are what VPP 26.06 printed
 * for the same configuration (made there with its CLI), less the packet counters the model does
 * not keep.
 */
import { describe, expect, it } from 'vitest';
import { AclAction, type AclRuleInit } from '../../src/gen/acl_types.js';
import { NatConfigFlags as F } from '../../src/gen/nat_types.js';
import { model, rv } from './model-fixture.js';

const ANY: Omit<AclRuleInit, 'is_permit' | 'src_prefix' | 'dst_prefix'> = { srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0, proto: 0 };
const rule = (r: Partial<AclRuleInit> & Pick<AclRuleInit, 'is_permit' | 'src_prefix' | 'dst_prefix'>): AclRuleInit => ({ ...ANY, ...r });

/** The configuration the texts were taken from: four loopbacks, four ACLs, NAT44-ED. */
async function configured() {
  const { vpp, c } = await model({ nics: [] });
  for (let i = 0; i < 4; i++) await c.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
  for (const sw_if_index of [1, 3]) await c.request('sw_interface_set_flags', { sw_if_index, flags: 1 });
  for (const [sw_if_index, prefix] of [[1, '10.1.1.1/24'], [1, '2001:db8::1/64'], [2, '192.168.16.1/24']] as const) {
    await c.request('sw_interface_add_del_address', { sw_if_index, is_add: true, del_all: false, prefix });
  }
  const acls: [string, AclRuleInit[]][] = [
    ['pod-ingress', [rule({ is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 6, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80 })]],
    ['uplink', [rule({ is_permit: AclAction.ACL_ACTION_API_DENY, src_prefix: '0.0.0.0/0', dst_prefix: '10.0.0.0/8' }), rule({ is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '0.0.0.0/0', dst_prefix: '0.0.0.0/0' })]],
    ['v6', [rule({ is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '2001:db8::/64', dst_prefix: '::/0', proto: 6, srcport_or_icmptype_first: 1000, srcport_or_icmptype_last: 2000, dstport_or_icmpcode_first: 443, dstport_or_icmpcode_last: 443, tcp_flags_value: 2, tcp_flags_mask: 18 })]],
    ['cli', [rule({ is_permit: AclAction.ACL_ACTION_API_DENY, src_prefix: '0.0.0.0/0', dst_prefix: '0.0.0.0/0', proto: 1, srcport_or_icmptype_first: 8, srcport_or_icmptype_last: 8, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 0 })]],
  ];
  for (const [tag, r] of acls) await c.request('acl_add_replace', { acl_index: 0xffffffff, tag, r });
  for (const [sw_if_index, n_input, list] of [[1, 1, [0]], [2, 0, [1]], [3, 0, [1]], [4, 2, [0, 2, 1]]] as const) {
    await c.request('acl_interface_set_acl_list', { sw_if_index, n_input, acls: [...list] });
  }
  await c.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 1000, session_memory: 0, flags: 0 });
  await c.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.10', last_ip_address: '192.168.16.10', vrf_id: 0xffffffff, is_add: true, flags: 0 });
  await c.request('nat44_add_del_address_range', { first_ip_address: '192.168.16.11', last_ip_address: '192.168.16.11', vrf_id: 0, is_add: true, flags: F.NAT_IS_TWICE_NAT });
  for (const [sw_if_index, flags] of [[1, F.NAT_IS_INSIDE], [2, F.NAT_IS_OUTSIDE], [4, F.NAT_IS_INSIDE], [4, F.NAT_IS_OUTSIDE]] as const) {
    await c.request('nat44_interface_add_del_feature', { is_add: true, flags, sw_if_index });
  }
  await c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: 3 });
  const mappings: [number, string, number, string, number, number][] = [
    [6, '10.1.1.3', 80, '192.168.16.10', 8080, 0],
    [0, '10.1.1.4', 0, '192.168.16.12', 0, F.NAT_IS_ADDR_ONLY],
    [17, '10.1.1.5', 53, '192.168.16.1', 5353, 0],
    [6, '10.1.1.6', 22, '192.168.16.13', 2222, F.NAT_IS_TWICE_NAT],
    [6, '10.1.1.7', 80, '192.168.16.14', 80, F.NAT_IS_OUT2IN_ONLY],
    [6, '10.1.1.8', 80, '192.168.16.15', 80, F.NAT_IS_SELF_TWICE_NAT],
    [6, '10.1.1.9', 80, '192.168.16.16', 80, F.NAT_IS_TWICE_NAT | F.NAT_IS_OUT2IN_ONLY],
    [1, '10.1.1.10', 7, '192.168.16.17', 7, 0],
  ];
  for (const [protocol, local_ip_address, local_port, external_ip_address, external_port, flags] of mappings) {
    await c.request('nat44_add_del_static_mapping', { is_add: true, flags, local_ip_address, external_ip_address, protocol, local_port, external_port, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: '' });
  }
  const show = async (cmd: string): Promise<string> => (await c.request('cli_inband', { cmd })).reply;
  return { vpp, c, show };
}

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

describe('vpp model: show commands through cli_inband', () => {
  it("answers show interface, show interface address, the ACL plugin's and NAT44's shows as VPP 26.06 prints them", async () => {
    const { show } = await configured();
    expect(await show('show interface')).toBe(
      lines(
        '              Name               Idx    State  MTU (L3/IP4/IP6/MPLS)     Counter          Count     ',
        'local0                            0     down          0/0/0/0       ',
        'loop0                             1      up          9000/0/0/0     ',
        'loop1                             2     down         9000/0/0/0     ',
        'loop2                             3      up          9000/0/0/0     ',
        'loop3                             4     down         9000/0/0/0     ',
      ),
    );
    expect(await show('show interface address')).toBe(lines('local0 (dn):', 'loop0 (up):', '  L3 10.1.1.1/24', '  L3 2001:db8::1/64', 'loop1 (dn):', '  L3 192.168.16.1/24', 'loop2 (up):', 'loop3 (dn):'));
    expect(await show('show acl-plugin acl')).toBe(
      lines(
        'acl-index 0 count 1 tag {pod-ingress}',
        '          0: ipv4 permit+reflect src 10.1.1.3/32 dst 0.0.0.0/0 proto 6 sport 0-65535 dport 80',
        '  applied inbound on sw_if_index: 1, 4',
        '  applied outbound on sw_if_index: ',
        '  used in lookup context index: 0, 3',
        'acl-index 1 count 2 tag {uplink}',
        '          0: ipv4 deny src 0.0.0.0/0 dst 10.0.0.0/8 proto 0 sport 0-65535 dport 0-65535',
        '          1: ipv4 permit src 0.0.0.0/0 dst 0.0.0.0/0 proto 0 sport 0-65535 dport 0-65535',
        '  applied inbound on sw_if_index: ',
        '  applied outbound on sw_if_index: 2, 3, 4',
        '  used in lookup context index: 1, 2, 4',
        'acl-index 2 count 1 tag {v6}',
        '          0: ipv6 permit src 2001:db8::/64 dst ::/0 proto 6 sport 1000-2000 dport 443 tcpflags 2 mask 18',
        '  applied inbound on sw_if_index: 4',
        '  used in lookup context index: 3',
        'acl-index 3 count 1 tag {cli}',
        '          0: ipv4 deny src 0.0.0.0/0 dst 0.0.0.0/0 proto 1 sport 8 dport 0',
      ),
    );
    expect(await show('show acl-plugin interface')).toBe(lines('sw_if_index 0:', 'sw_if_index 1:', '  input acl(s): 0', 'sw_if_index 2:', '  output acl(s): 1', 'sw_if_index 3:', '  output acl(s): 1', 'sw_if_index 4:', '  input acl(s): 0, 2', '  output acl(s): 1'));
    expect(await show('show nat44 addresses')).toBe(lines('NAT44 pool addresses:', '192.168.16.10', '  tenant VRF independent', 'NAT44 twice-nat pool addresses:', '192.168.16.11', '  tenant VRF: 0'));
    expect(await show('show nat44 interfaces')).toBe(lines('NAT44 interfaces:', ' loop0 in', ' loop1 out', ' loop3 in out', ' loop2 output-feature in out'));
    expect(await show('show nat44 static mappings')).toBe(
      lines(
        'NAT44 static mappings:',
        ' TCP local 10.1.1.3:80 external 192.168.16.10:8080 vrf 0  ',
        ' local 10.1.1.4 external 192.168.16.12 vrf 0  ',
        ' UDP local 10.1.1.5:53 external 192.168.16.1:5353 vrf 0  ',
        ' TCP local 10.1.1.6:22 external 192.168.16.13:2222 vrf 0 twice-nat ',
        ' TCP local 10.1.1.7:80 external 192.168.16.14:80 vrf 0  out2in-only',
        ' TCP local 10.1.1.8:80 external 192.168.16.15:80 vrf 0 self-twice-nat ',
        ' TCP local 10.1.1.9:80 external 192.168.16.16:80 vrf 0 twice-nat out2in-only',
        ' ICMP local 10.1.1.10:7 external 192.168.16.17:7 vrf 0  ',
      ),
    );
  });

  it("takes VPP's abbreviations and interface names, and answers the same state to every spelling", async () => {
    const { show } = await configured();
    expect(await show('sh int addr')).toBe(await show('show interface address'));
    expect(await show('show  interface   address loop1')).toBe(lines('loop1 (dn):', '  L3 192.168.16.1/24'));
    const [header, , loop0, , loop2] = (await show('show interface')).split('\n');
    expect(await show('show int loop0 loop2')).toBe(lines(header!, loop0!, loop2!));
    expect(await show('show acl-plugin acl index 2')).toMatch(/^acl-index 2 count 1 tag \{v6\}\n/);
  });

  it('answers -9 UNIMPLEMENTED to other commands, unknown interfaces, and NAT44 shows while NAT44 is off', async () => {
    const { vpp, c } = await model();
    for (const cmd of ['show errors', 'show interface nosuch0', 'show nat44 interfaces', 'sh nat44 int', 'show acl-plugin acl index x']) {
      expect(await rv(c.request('cli_inband', { cmd })), cmd).toBe(-9);
    }
    expect(vpp.unmodelled.get('cli_inband')).toBe(5);
  });
});
