/**
 * The desired state: what a node's VPP should hold, keyed by the user's names. Field names follow
 * the JSON of Ligato vpp-agent's models (`ipAddresses`, `natInside`, `externalIp`, …) so that
 * its values map onto these with little more than a rename of enum values.
 *
 * @module
 */

/** Everything the reconciler manages on one VPP. Each list is keyed by `name`; a name appears once. */
export interface DesiredState {
  /** Interfaces: created (loopback, tap, memif) or claimed (physical). */
  readonly interfaces?: readonly InterfaceSpec[];
  /** ACLs by name, each with the interfaces it is attached to (as vpp-agent's ACL value carries them). */
  readonly acls?: readonly AclSpec[];
  /**
   * NAT44 endpoint-dependent. Present: the reconciler owns NAT44's global state (enabled, the
   * address pool, which carries no tag in VPP). Absent: those are left as they are, and no owned
   * interface has a NAT feature and no owned static mapping exists.
   */
  readonly nat44?: Nat44Spec;
}

/** What every kind of interface has. */
export interface InterfaceCommon {
  /** The user's key, kept in VPP as the interface's tag. For `physical`: VPP's interface name. */
  readonly name: string;
  /** Admin state. Default false (down), as vpp-agent's. */
  readonly enabled?: boolean;
  /** Addresses with prefix length, IPv4 or IPv6 (`10.1.1.1/24`). Default none. */
  readonly ipAddresses?: readonly string[];
  /** The L3 MTU (`sw_interface_set_mtu`). Unset: left as VPP sets it. */
  readonly mtu?: number;
}

/** A loopback interface, created by the reconciler. */
export interface LoopbackSpec extends InterfaceCommon {
  readonly type: 'loopback';
}

/** A tap (virtio) interface, created by the reconciler. Needs /dev/vhost-net on VPP's host. */
export interface TapSpec extends InterfaceCommon {
  readonly type: 'tap';
  readonly tap?: TapLink;
}

/** A tap's creation parameters (vpp-agent's `TapLink`). */
export interface TapLink {
  /** The Linux interface's name. Default: VPP's (`tap<N>`). */
  readonly hostIfName?: string;
  /** Ring sizes, a power of two; default VPP's (256). */
  readonly rxRingSize?: number;
  readonly txRingSize?: number;
}

/** A memif interface, created by the reconciler. */
export interface MemifSpec extends InterfaceCommon {
  readonly type: 'memif';
  readonly memif: MemifLink;
}

/** A memif's creation parameters (vpp-agent's `MemifLink`). */
export interface MemifLink {
  /** The connection id, 0…2^32-1, unique per socket. */
  readonly id: number;
  /** VPP is the master (listens on the socket). Default false (slave). */
  readonly master?: boolean;
  /** Default `ethernet`. */
  readonly mode?: 'ethernet' | 'ip';
  /**
   * The socket's absolute path. Default: VPP's default socket (socket id 0). (Ring and buffer
   * sizes are left out: VPP 26.06's `memif_dump` reports them only once a peer connects, so a
   * change could not be seen.)
   */
  readonly socketFilename?: string;
}

/**
 * An interface VPP already has (a NIC). `name` is VPP's name for it; the reconciler claims it
 * (tags it) and manages its admin state, addresses and MTU, and releases it (untagged, down, no
 * addresses) when it leaves the desired state. It is never created or deleted.
 */
export interface PhysicalSpec extends InterfaceCommon {
  readonly type: 'physical';
}

/** One interface of the desired state. */
export type InterfaceSpec = LoopbackSpec | TapSpec | MemifSpec | PhysicalSpec;

/** An ACL: ordered rules, and where it is attached. */
export interface AclSpec {
  /** The user's key, kept in VPP as the ACL's tag. */
  readonly name: string;
  /** In order; VPP ends every ACL with an implicit deny. At most 10,000 (the model's and this reconciler's limit). */
  readonly rules: readonly AclRuleSpec[];
  /** Interface names (of this desired state) the ACL filters, per direction. */
  readonly interfaces?: { readonly ingress?: readonly string[]; readonly egress?: readonly string[] };
}

/** One ACL rule (vpp-agent's `IpRule`, flattened). */
export interface AclRuleSpec {
  /** `reflect`: permit, and let the replies of what it permits back in. */
  readonly action: 'deny' | 'permit' | 'reflect';
  /** Prefixes; default any (`0.0.0.0/0`, or `::/0` when the other one is IPv6). Both of one family. */
  readonly sourceNetwork?: string;
  readonly destinationNetwork?: string;
  /** IP protocol number or name; default any (0). Ports need tcp or udp, ICMP types need icmp or icmpv6. */
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number;
  /** Port ranges for tcp and udp; default 0…65535. */
  readonly sourcePort?: PortRange;
  readonly destinationPort?: PortRange;
  /** ICMP type and code ranges for icmp/icmpv6; default 0…255. */
  readonly icmpType?: PortRange;
  readonly icmpCode?: PortRange;
  /** TCP flags to match: `value` under `mask`; default 0/0 (any). */
  readonly tcpFlags?: { readonly mask: number; readonly value: number };
}

/** An inclusive range. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** NAT44-ED (vpp-agent's `Nat44Global`, `Nat44Interface`, `Nat44AddressPool` and `DNat44`). */
export interface Nat44Spec {
  /** Whether the plugin is enabled. Features, pool and mappings need it. */
  readonly enabled: boolean;
  /** NAT roles of interfaces of this desired state. */
  readonly interfaces?: readonly Nat44InterfaceSpec[];
  /** The address pool: single addresses or ranges. */
  readonly addressPool?: readonly Nat44PoolSpec[];
  /** Static mappings, each kept in VPP with its name as tag. */
  readonly staticMappings?: readonly StaticMappingSpec[];
}

/** The NAT roles of one interface. `output` excludes `inside` and `outside` (VPP refuses both). */
export interface Nat44InterfaceSpec {
  readonly name: string;
  readonly natInside?: boolean;
  readonly natOutside?: boolean;
  readonly outputFeature?: boolean;
}

/** A pool range `firstIp`…`lastIp` (IPv4). */
export interface Nat44PoolSpec {
  readonly firstIp: string;
  /** Default `firstIp`. */
  readonly lastIp?: string;
  /** The table the addresses serve. Default: any (~0). */
  readonly vrfId?: number;
  /** A twice-NAT pool (source addresses for twice-NAT mappings). Default false. */
  readonly twiceNat?: boolean;
}

/** A static mapping (one of a `DNat44`'s `st_mappings`, with one local IP). */
export interface StaticMappingSpec {
  /** The user's key, kept in VPP as the mapping's tag. */
  readonly name: string;
  readonly externalIp: string;
  /** Ports: both or neither; neither is an address-only mapping. */
  readonly externalPort?: number;
  readonly localIp: string;
  readonly localPort?: number;
  /** Needed with ports. */
  readonly protocol?: 'tcp' | 'udp' | 'icmp';
  /** The local side's table. Default 0. */
  readonly vrfId?: number;
  /** `enabled`: translate the source too, from the twice-NAT pool; `self`: only for traffic from the local IP to itself. Default `disabled`. */
  readonly twiceNat?: 'disabled' | 'enabled' | 'self';
  /** Translate only out→in. Default false. */
  readonly outToInOnly?: boolean;
}
