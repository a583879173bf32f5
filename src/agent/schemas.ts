/**
 * vpp-agent's value models for the keys the agent reads (ligato/vpp-agent's
 * proto/ligato/vpp/{interfaces,acl,nat}/*.proto): every field of each message, marked supported or
 * not. docs/guides/node-agent.md's table lists the same.
 *
 * @module
 */
import type { FieldSpec, MessageSchema } from './protojson.js';

const s = (type: FieldSpec['type'], repeated = false): FieldSpec => ({ type, supported: true, repeated });
const no = (type: FieldSpec['type'], repeated = false): FieldSpec => ({ type, supported: false, repeated });
/** A message the agent does not support at all: only its absence is accepted. */
const opaque = (name: string): MessageSchema => ({ name, fields: {} });

const tapLink: MessageSchema = {
  name: 'ligato.vpp.interfaces.TapLink',
  fields: {
    version: s('uint32'),
    host_if_name: s('string'),
    to_microservice: no('string'),
    rx_ring_size: s('uint32'),
    tx_ring_size: s('uint32'),
    enable_gso: no('bool'),
    enable_tunnel: no('bool'),
  },
};

const memifLink: MessageSchema = {
  name: 'ligato.vpp.interfaces.MemifLink',
  fields: {
    mode: s({ enum: ['ETHERNET', 'IP', 'PUNT_INJECT'] }),
    master: s('bool'),
    id: s('uint32'),
    socket_filename: s('string'),
    secret: no('string'),
    ring_size: s('uint32'),
    buffer_size: s('uint32'),
    rx_queues: no('uint32'),
    tx_queues: no('uint32'),
  },
};

/** `ligato.vpp.interfaces.Interface`, at `config/vpp/v2/interfaces/<name>`. */
export const interfaceSchema: MessageSchema = {
  name: 'ligato.vpp.interfaces.Interface',
  fields: {
    name: s('string'),
    type: s({ enum: ['UNDEFINED_TYPE', 'SUB_INTERFACE', 'SOFTWARE_LOOPBACK', 'DPDK', 'MEMIF', 'TAP', 'AF_PACKET', 'VXLAN_TUNNEL', 'IPSEC_TUNNEL', 'VMXNET3_INTERFACE', 'BOND_INTERFACE', 'GRE_TUNNEL', 'GTPU_TUNNEL', 'IPIP_TUNNEL', 'WIREGUARD_TUNNEL'] }),
    enabled: s('bool'),
    phys_address: no('string'),
    ip_addresses: s('string', true),
    vrf: no('uint32'),
    set_dhcp_client: no('bool'),
    ip6_nd: no({ message: opaque('ligato.vpp.interfaces.Interface.IP6ND') }),
    mtu: s('uint32'),
    unnumbered: no({ message: opaque('ligato.vpp.interfaces.Interface.Unnumbered') }),
    rx_modes: no({ message: opaque('ligato.vpp.interfaces.Interface.RxMode') }, true),
    rx_placements: no({ message: opaque('ligato.vpp.interfaces.Interface.RxPlacement') }, true),
    sub: no({ message: opaque('ligato.vpp.interfaces.SubInterface') }),
    memif: s({ message: memifLink }),
    afpacket: no({ message: opaque('ligato.vpp.interfaces.AfpacketLink') }),
    tap: s({ message: tapLink }),
    vxlan: no({ message: opaque('ligato.vpp.interfaces.VxlanLink') }),
    ipsec: no({ message: opaque('ligato.vpp.interfaces.IPSecLink') }),
    vmx_net3: no({ message: opaque('ligato.vpp.interfaces.VmxNet3Link') }),
    bond: no({ message: opaque('ligato.vpp.interfaces.BondLink') }),
    gre: no({ message: opaque('ligato.vpp.interfaces.GreLink') }),
    gtpu: no({ message: opaque('ligato.vpp.interfaces.GtpuLink') }),
    ipip: no({ message: opaque('ligato.vpp.interfaces.IPIPLink') }),
    wireguard: no({ message: opaque('ligato.vpp.interfaces.WireguardLink') }),
  },
};

const range: MessageSchema = { name: 'ligato.vpp.acl.ACL.Rule.IpRule.Icmp.Range', fields: { first: s('uint32'), last: s('uint32') } };
const portRange: MessageSchema = { name: 'ligato.vpp.acl.ACL.Rule.IpRule.PortRange', fields: { lower_port: s('uint32'), upper_port: s('uint32') } };

const ipRule: MessageSchema = {
  name: 'ligato.vpp.acl.ACL.Rule.IpRule',
  fields: {
    ip: s({ message: { name: 'ligato.vpp.acl.ACL.Rule.IpRule.Ip', fields: { destination_network: s('string'), source_network: s('string'), protocol: s('uint32') } } }),
    icmp: s({ message: { name: 'ligato.vpp.acl.ACL.Rule.IpRule.Icmp', fields: { icmpv6: s('bool'), icmp_code_range: s({ message: range }), icmp_type_range: s({ message: range }) } } }),
    tcp: s({
      message: {
        name: 'ligato.vpp.acl.ACL.Rule.IpRule.Tcp',
        fields: { destination_port_range: s({ message: portRange }), source_port_range: s({ message: portRange }), tcp_flags_mask: s('uint32'), tcp_flags_value: s('uint32') },
      },
    }),
    udp: s({ message: { name: 'ligato.vpp.acl.ACL.Rule.IpRule.Udp', fields: { destination_port_range: s({ message: portRange }), source_port_range: s({ message: portRange }) } } }),
  },
};

/** `ligato.vpp.acl.ACL`, at `config/vpp/acls/v2/acl/<name>`. */
export const aclSchema: MessageSchema = {
  name: 'ligato.vpp.acl.ACL',
  fields: {
    name: s('string'),
    rules: s({ message: { name: 'ligato.vpp.acl.ACL.Rule', fields: { action: s({ enum: ['DENY', 'PERMIT', 'REFLECT'] }), ip_rule: s({ message: ipRule }), macip_rule: no({ message: opaque('ligato.vpp.acl.ACL.Rule.MacIpRule') }) } } }, true),
    interfaces: s({ message: { name: 'ligato.vpp.acl.ACL.Interfaces', fields: { egress: s('string', true), ingress: s('string', true) } } }),
  },
};

const natInterface: MessageSchema = {
  name: 'ligato.vpp.nat.Nat44Global.Interface',
  fields: { name: s('string'), is_inside: s('bool'), output_feature: s('bool') },
};
const natAddress: MessageSchema = {
  name: 'ligato.vpp.nat.Nat44Global.Address',
  fields: { address: s('string'), vrf_id: s('uint32'), twice_nat: s('bool') },
};

/** `ligato.vpp.nat.Nat44Global`, at `config/vpp/nat/v2/nat44-global` (or `…/nat44-global/settings`, as older vpp-agents wrote it). */
export const nat44GlobalSchema: MessageSchema = {
  name: 'ligato.vpp.nat.Nat44Global',
  fields: {
    forwarding: no('bool'),
    endpoint_independent: no('bool'),
    nat_interfaces: s({ message: natInterface }, true),
    address_pool: s({ message: natAddress }, true),
    virtual_reassembly: no({ message: opaque('ligato.vpp.nat.VirtualReassembly') }),
  },
};

/** `ligato.vpp.nat.Nat44Interface`, at `config/vpp/nat/v2/nat44-interface/<name>`. */
export const nat44InterfaceSchema: MessageSchema = {
  name: 'ligato.vpp.nat.Nat44Interface',
  fields: { name: s('string'), nat_inside: s('bool'), nat_outside: s('bool'), output_feature: s('bool') },
};

/** `ligato.vpp.nat.Nat44AddressPool`, at `config/vpp/nat/v2/nat44-pool/<name>`. */
export const nat44PoolSchema: MessageSchema = {
  name: 'ligato.vpp.nat.Nat44AddressPool',
  fields: { name: s('string'), vrf_id: s('uint32'), first_ip: s('string'), last_ip: s('string'), twice_nat: s('bool') },
};

const localIp: MessageSchema = {
  name: 'ligato.vpp.nat.DNat44.StaticMapping.LocalIP',
  fields: { vrf_id: s('uint32'), local_ip: s('string'), local_port: s('uint32'), probability: no('uint32') },
};

/** `ligato.vpp.nat.DNat44`, at `config/vpp/nat/v2/dnat44/<label>`. */
export const dnat44Schema: MessageSchema = {
  name: 'ligato.vpp.nat.DNat44',
  fields: {
    label: s('string'),
    st_mappings: s({
      message: {
        name: 'ligato.vpp.nat.DNat44.StaticMapping',
        fields: {
          external_interface: no('string'),
          external_ip: s('string'),
          external_port: s('uint32'),
          local_ips: s({ message: localIp }, true),
          protocol: s({ enum: ['TCP', 'UDP', 'ICMP'] }),
          twice_nat: s({ enum: ['DISABLED', 'ENABLED', 'SELF'] }),
          twice_nat_pool_ip: no('string'),
          session_affinity: no('uint32'),
        },
      },
    }, true),
    id_mappings: no({ message: opaque('ligato.vpp.nat.DNat44.IdentityMapping') }, true),
  },
};
