/**
 * Reading VPP's actual state with dumps, in the shape the planner compares against.
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import type { SwInterfaceDetails } from '../gen/interface.js';
import { type NormPoolAddress, TAG_PREFIX, type VppAclRule } from './validate.js';
import { U32_NONE } from '../schema/model.js';

/** `nat_config_flags` bits the reconciler reads. */
export const NAT_FLAGS = { twiceNat: 0x01, selfTwiceNat: 0x02, outToInOnly: 0x04, addrOnly: 0x08, outside: 0x10, inside: 0x20 } as const;

/** One interface as VPP reports it. */
export interface ActualInterface {
  readonly swIfIndex: number;
  /** VPP's name (`loop0`, `memif1/3`). */
  readonly vppName: string;
  /** `interface_dev_type`: `Loopback`, `virtio`, `memif`, `dpdk`, … */
  readonly devType: string;
  readonly tag: string;
  readonly adminUp: boolean;
  /** The L3 MTU. */
  readonly mtu: number;
  /** IPv4 then IPv6 addresses, as VPP prints them; read for owned interfaces only. */
  readonly ipAddresses: readonly string[];
  /** From `memif_dump`, for memifs. */
  readonly memif?: { readonly id: number; readonly master: boolean; readonly mode: 'ethernet' | 'ip' | 'punt-inject'; readonly socketId: number; readonly socketFilename: string };
  /** From `sw_interface_tap_v2_dump`, for taps. */
  readonly tap?: { readonly hostIfName: string; readonly rxRingSize: number; readonly txRingSize: number };
}

/** One ACL as VPP reports it. */
export interface ActualAcl {
  readonly index: number;
  readonly tag: string;
  readonly rules: readonly VppAclRule[];
}

/** One static mapping as VPP reports it. */
export interface ActualStaticMapping {
  readonly flags: number;
  readonly localIp: string;
  readonly externalIp: string;
  readonly protocol: number;
  readonly localPort: number;
  readonly externalPort: number;
  readonly externalSwIfIndex: number;
  readonly vrfId: number;
  readonly tag: string;
}

/** What VPP holds of what the reconciler manages. */
export interface ActualState {
  readonly interfaces: readonly ActualInterface[];
  readonly acls: readonly ActualAcl[];
  /** ACL lists by sw_if_index (interfaces with none are absent). */
  readonly aclLists: ReadonlyMap<number, { readonly input: readonly number[]; readonly output: readonly number[] }>;
  /** memif sockets: path by socket_id. */
  readonly memifSockets: ReadonlyMap<number, string>;
  readonly nat44: {
    /** NAT44-ED's running config has no "enabled": its session count is 0 exactly while disabled. */
    readonly enabled: boolean;
    /** Roles by sw_if_index. */
    readonly interfaces: ReadonlyMap<number, { readonly inside: boolean; readonly outside: boolean; readonly output: boolean }>;
    readonly pool: readonly NormPoolAddress[];
    readonly staticMappings: readonly ActualStaticMapping[];
  };
}

/** The kind of interface VPP's name says it is: what the reconciler creates, or `physical` for any other. */
export function kindOf(vppName: string): 'loopback' | 'tap' | 'memif' | 'physical' {
  if (/^loop\d+$/.test(vppName)) return 'loopback';
  if (/^tap\d+$/.test(vppName)) return 'tap';
  if (/^memif\d+\/\d+$/.test(vppName)) return 'memif';
  return 'physical';
}

/** Whether `tag` is one the reconciler wrote, and the name in it. */
export function ownedName(tag: string): string | undefined {
  return tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : undefined;
}

/**
 * Reads what VPP holds: every interface (addresses only of owned ones and of those named in
 * `claimed`, the NICs a desired state claims, to spare a dump per foreign interface), ACLs and
 * their attachments, and NAT44-ED's state.
 */
export async function readActual(client: Client<Messages>, claimed: readonly string[] = []): Promise<ActualState> {
  const [ifs, acls, lists, nat] = await Promise.all([
    client.dump('sw_interface_dump', { sw_if_index: U32_NONE, name_filter_valid: false, name_filter: '' }).toArray(),
    client.dump('acl_dump', { acl_index: U32_NONE }).toArray(),
    client.dump('acl_interface_list_dump', { sw_if_index: U32_NONE }).toArray(),
    readNat44(client),
  ]);
  const { interfaces, memifSockets } = await describeInterfaces(client, ifs, claimed);
  return {
    interfaces,
    acls: acls.map((a) => ({ index: a.acl_index, tag: a.tag, rules: a.r })),
    memifSockets,
    aclLists: new Map(lists.filter((l) => l.count > 0).map((l) => [l.sw_if_index, { input: l.acls.slice(0, l.n_input), output: l.acls.slice(l.n_input) }])),
    nat44: nat,
  };
}

/**
 * Reads the interfaces with these indexes only (a narrowed read, for after an apply changed
 * them), as {@link readActual} reads them; an index VPP no longer has is absent.
 */
export async function readInterfaces(client: Client<Messages>, swIfIndexes: Iterable<number>, claimed: readonly string[]): Promise<{ interfaces: ActualInterface[]; memifSockets: Map<number, string> }> {
  // sw_if_index 0 (local0) makes VPP dump every interface; the reconciler never changes it.
  const one = (sw_if_index: number) => client.dump('sw_interface_dump', { sw_if_index, name_filter_valid: false, name_filter: '' }).toArray();
  const ifs = (await Promise.all([...swIfIndexes].filter((i) => i !== 0).map(one))).flat();
  return describeInterfaces(client, ifs, claimed);
}

/** The interfaces `ifs` as the planner compares them: with their addresses (owned and claimed ones), memif and tap parameters. */
async function describeInterfaces(client: Client<Messages>, ifs: readonly SwInterfaceDetails[], claimed: readonly string[]): Promise<{ interfaces: ActualInterface[]; memifSockets: Map<number, string> }> {
  const owned = ifs.filter((i) => ownedName(i.tag) !== undefined || claimed.includes(i.interface_name));
  const hasMemif = ifs.some((i) => kindOf(i.interface_name) === 'memif');
  const hasTap = ifs.some((i) => kindOf(i.interface_name) === 'tap');
  const [addresses, memifs, sockets, taps] = await Promise.all([
    Promise.all(owned.map(async (i) => {
      const [v4, v6] = await Promise.all([false, true].map((is_ipv6) => client.dump('ip_address_dump', { sw_if_index: i.sw_if_index, is_ipv6 }).toArray()));
      return [i.sw_if_index, [...v4!, ...v6!].map((a) => a.prefix)] as const;
    })),
    hasMemif ? client.dump('memif_dump').toArray() : [],
    client.dump('memif_socket_filename_dump').toArray(),
    hasTap ? client.dump('sw_interface_tap_v2_dump', { sw_if_index: U32_NONE }).toArray() : [],
  ]);
  const addressesOf = new Map<number, readonly string[]>(addresses);
  const socketName = new Map(sockets.map((s) => [s.socket_id, s.socket_filename]));
  const memifOf = new Map(memifs.map((m) => [m.sw_if_index, m]));
  const tapOf = new Map(taps.map((t) => [t.sw_if_index, t]));
  const modes = ['ethernet', 'ip', 'punt-inject'] as const;
  return {
    interfaces: ifs.map((i) => {
      const m = memifOf.get(i.sw_if_index);
      const t = tapOf.get(i.sw_if_index);
      return {
        swIfIndex: i.sw_if_index,
        vppName: i.interface_name,
        devType: i.interface_dev_type,
        tag: i.tag,
        adminUp: (i.flags & 1) !== 0,
        mtu: i.mtu[0] ?? 0,
        ipAddresses: addressesOf.get(i.sw_if_index) ?? [],
        ...(m && { memif: { id: m.id, master: m.role === 0, mode: modes[m.mode] ?? 'punt-inject', socketId: m.socket_id, socketFilename: socketName.get(m.socket_id) ?? `socket ${m.socket_id}` } }),
        ...(t && { tap: { hostIfName: t.host_if_name, rxRingSize: t.rx_ring_sz, txRingSize: t.tx_ring_sz } }),
      };
    }),
    memifSockets: socketName,
  };
}

/** Reads NAT44-ED's state: whether it is enabled, interface roles, pool and static mappings. */
export async function readNat44(client: Client<Messages>): Promise<ActualState['nat44']> {
  const config = await client.request('nat44_show_running_config');
  const enabled = config.sessions !== 0;
  if (!enabled) return { enabled, interfaces: new Map(), pool: [], staticMappings: [] };
  const [features, outputs, pool, mappings] = await Promise.all([
    client.dump('nat44_interface_dump').toArray(),
    client.stream('nat44_ed_output_interface_get', {}).toArray(),
    client.dump('nat44_address_dump').toArray(),
    client.dump('nat44_static_mapping_dump').toArray(),
  ]);
  const interfaces = new Map<number, { inside: boolean; outside: boolean; output: boolean }>();
  for (const f of features) interfaces.set(f.sw_if_index, { inside: (f.flags & NAT_FLAGS.inside) !== 0, outside: (f.flags & NAT_FLAGS.outside) !== 0, output: false });
  for (const o of outputs) interfaces.set(o.sw_if_index, { inside: false, outside: false, ...interfaces.get(o.sw_if_index), output: true });
  return {
    enabled,
    interfaces,
    pool: pool.map((a) => ({ address: a.ip_address, vrfId: a.vrf_id, twiceNat: (a.flags & NAT_FLAGS.twiceNat) !== 0 })),
    staticMappings: mappings.map((m) => ({
      flags: m.flags,
      localIp: m.local_ip_address,
      externalIp: m.external_ip_address,
      protocol: m.protocol,
      localPort: m.local_port,
      externalPort: m.external_port,
      externalSwIfIndex: m.external_sw_if_index,
      vrfId: m.vrf_id,
      tag: m.tag,
    })),
  };
}
