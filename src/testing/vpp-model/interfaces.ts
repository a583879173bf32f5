/**
 * The interface model: local0, NICs present at start, loopbacks and taps; flags, addresses,
 * tables, tags and `sw_interface_event`, with VPP 26.06's return codes.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { SimulatorError } from '../../errors/index.js';
import type { Messages } from '../../gen/index.js';
import type { CreateLoopback, CreateLoopbackInstance, DeleteLoopback, SwInterfaceAddDelAddress, SwInterfaceDump, SwInterfaceGetTable, SwInterfaceSetFlags, SwInterfaceSetMtu, SwInterfaceSetTable, SwInterfaceTagAddDel } from '../../gen/interface.js';
import { IfStatusFlags } from '../../gen/interface_types.js';
import type { IpAddressDump, IpTableAddDel } from '../../gen/ip.js';
import type { SwInterfaceTapV2Dump, TapCreateV3, TapDeleteV2 } from '../../gen/tapv2.js';
import type { VppSimulator } from '../simulator.js';
import { type IpPrefix, covers, isLinkLocal, linkLocalFromMac, maxLen, parsePrefix } from './addresses.js';
import type { InterfaceEventBatch } from './events.js';
import type { Af, Fibs } from './fibs.js';
import { on } from './handle.js';
import { Pool } from './pool.js';
import { NONE, RV } from './retvals.js';

/** What made an interface. */
export type InterfaceKind = 'local' | 'nic' | 'loopback' | 'tap' | 'memif';

/** One sw interface as the model holds it. */
export interface SwInterface {
  readonly swIfIndex: number;
  readonly kind: InterfaceKind;
  readonly name: string;
  /** `interface_dev_type`: the device class name. */
  readonly devType: string;
  /** `l2_address`; all zeros for non-ethernet interfaces. */
  readonly mac: string;
  /** The loopback instance, tap id or memif id (0 for others). */
  readonly instance: number;
  /** `link_speed` in kbps. */
  readonly linkSpeed: number;
  /** `link_mtu`, and the sw MTUs [L3, IP4, IP6, MPLS]. */
  readonly linkMtu: number;
  mtu: readonly [number, number, number, number];
  adminUp: boolean;
  linkUp: boolean;
  /** For NICs: whether a cable is plugged in, so the link comes up with admin up. */
  carrier: boolean;
  tag: string;
  /** The IPv4 and IPv6 table the interface is bound to. */
  readonly table: Record<Af, number>;
  /** Addresses in the order they were added, host bits kept. */
  readonly addresses: IpPrefix[];
  /** The IPv6 link-local address set through the API: VPP keeps one, apart from `addresses`. */
  linkLocal: IpPrefix | undefined;
}

/** A NIC present when the model starts, as DPDK's would be. */
export interface NicOptions {
  readonly name: string;
  /** Default: `52:54:00:00:00:NN`, NN its sw_if_index. */
  readonly mac?: string;
  /** Whether its cable is plugged in. Default true. */
  readonly carrier?: boolean;
  /** `link_speed` in kbps. Default 1000000 (1 Gb/s). */
  readonly linkSpeed?: number;
}

const ZERO_MAC = '00:00:00:00:00:00';
/** Loopback instances are a bitmap of this size (ethernet/interface.c). */
const MAX_LOOPBACK_INSTANCE = 16384;
/** `tap_create_v3` refuses ids above this (tap.c). */
const MAX_TAP_ID = 8192;
/** Ethernet interfaces' default: `max_frame_size - frame_overhead` = 9000 (ethernet/init.c). */
const ETHERNET_MTU = 9000;
const { IF_STATUS_API_FLAG_ADMIN_UP: ADMIN_UP, IF_STATUS_API_FLAG_LINK_UP: LINK_UP } = IfStatusFlags;

function lowestFree(used: Iterable<number>): number {
  const set = new Set(used);
  let n = 0;
  while (set.has(n)) n++;
  return n;
}

/**
 * The sw_interfaces pool and what VPP does to it. Other parts of the model register `onDelete`
 * to drop their per-interface state, as VPP's interface-delete callbacks do.
 */
export class InterfaceTable {
  private readonly pool = new Pool<SwInterface>();
  private readonly deleteHooks: ((swIfIndex: number) => void)[] = [];
  private readonly createHooks: ((i: SwInterface) => void)[] = [];

  /** Creates local0 and `nics`. */
  constructor(
    private readonly fibs: Fibs,
    private readonly events: InterfaceEventBatch,
    nics: readonly (string | NicOptions)[],
  ) {
    this.add({ kind: 'local', name: 'local0', devType: 'local', mac: ZERO_MAC, instance: 0, linkMtu: 0, mtu: [0, 0, 0, 0], linkSpeed: 0 });
    for (const nic of nics) {
      const o = typeof nic === 'string' ? { name: nic } : nic;
      const swIfIndex = this.pool.length;
      // DPDK's device class is "dpdk"; its MTU and speed here are assumptions, not read from VPP.
      const i = this.add({ kind: 'nic', name: o.name, devType: 'dpdk', mac: o.mac ?? `52:54:00:00:00:${swIfIndex.toString(16).padStart(2, '0')}`, instance: 0, linkMtu: ETHERNET_MTU, mtu: [ETHERNET_MTU, 0, 0, 0], linkSpeed: o.linkSpeed ?? 1_000_000 });
      i.carrier = o.carrier ?? true;
    }
  }

  /** Runs `hook` with every interface created from now on. */
  onCreate(hook: (i: SwInterface) => void): void {
    this.createHooks.push(hook);
  }

  /** Runs `hook` with the sw_if_index of every interface deleted from now on. */
  onDelete(hook: (swIfIndex: number) => void): void {
    this.deleteHooks.push(hook);
  }

  /** The interface at `swIfIndex`, if allocated. */
  get(swIfIndex: number): SwInterface | undefined {
    return this.pool.get(swIfIndex);
  }

  /** Every interface in sw_if_index order. */
  list(): SwInterface[] {
    return [...this.pool.entries()].map(([, i]) => i);
  }

  /** The first interface called `name`. */
  byName(name: string): SwInterface | undefined {
    return this.list().find((i) => i.name === name);
  }

  /**
   * `VALIDATE_SW_IF_INDEX`: allocated and not hidden. The model has no hidden interfaces, so
   * this is also the ACL plugin's pool-only check.
   */
  isValid(swIfIndex: number): boolean {
    return this.pool.has(swIfIndex);
  }

  /** Creates a loopback; `instance` undefined takes the lowest free one. */
  createLoopback(mac: string, instance?: number): SwInterface | undefined {
    const used = this.list().filter((i) => i.kind === 'loopback').map((i) => i.instance);
    const n = instance ?? lowestFree(used);
    if (n >= MAX_LOOPBACK_INSTANCE || used.includes(n)) return undefined;
    const hex = (n & 0xff).toString(16).padStart(2, '0');
    const i = this.add({ kind: 'loopback', name: `loop${n}`, devType: 'Loopback', mac: mac === ZERO_MAC ? `de:ad:00:00:00:${hex}` : mac, instance: n, linkMtu: ETHERNET_MTU, mtu: [ETHERNET_MTU, 0, 0, 0], linkSpeed: 0 });
    this.events.signal(i.swIfIndex, 'add');
    return i;
  }

  /** Creates a tap (or tun) with `id`, link up and admin down. */
  createTap(id: number, mac: string, tun: boolean, tag: string): SwInterface {
    // A tun has no MAC; its MTU numbers are not established and left as a tap's.
    const i = this.add({ kind: 'tap', name: `${tun ? 'tun' : 'tap'}${id}`, devType: 'tap', mac: tun ? ZERO_MAC : mac, instance: id, linkMtu: ETHERNET_MTU, mtu: [ETHERNET_MTU, 0, 0, 0], linkSpeed: 0 });
    i.tag = tag;
    i.linkUp = true;
    this.events.signal(i.swIfIndex, 'add');
    this.events.signal(i.swIfIndex, 'link-up');
    return i;
  }

  /**
   * Creates a memif `memif<socketId>/<id>`, admin and link down: its link comes up only when a
   * peer connects, which the model never sees. An IP-mode memif has no MTU (0s), as in VPP 26.06.
   */
  createMemif(socketId: number, id: number, mac: string, ipMode: boolean): SwInterface {
    const mtu = ipMode ? 0 : ETHERNET_MTU;
    const i = this.add({ kind: 'memif', name: `memif${socketId}/${id}`, devType: 'memif', mac, instance: id, linkMtu: mtu, mtu: [mtu, 0, 0, 0], linkSpeed: 0 });
    this.events.signal(i.swIfIndex, 'add');
    return i;
  }

  /** Sets the admin state, with the link changes each kind of interface makes. No-op if unchanged. */
  setAdmin(swIfIndex: number, up: boolean): void {
    const i = this.pool.get(swIfIndex);
    if (!i || i.adminUp === up) return;
    i.adminUp = up;
    this.events.signal(swIfIndex, up ? 'admin-up' : 'admin-down');
    if (i.kind === 'local') return;
    // Loopbacks and taps bring their link up and down with admin; a NIC's link needs a carrier, a memif's a peer.
    if (i.kind !== 'memif') this.setLink(swIfIndex, up && (i.kind !== 'nic' || i.carrier));
  }

  /** Sets the hardware link state (a cable for a NIC), signalling a change. */
  setLink(swIfIndex: number, up: boolean): void {
    const i = this.pool.get(swIfIndex);
    if (!i || i.linkUp === up) return;
    i.linkUp = up;
    this.events.signal(swIfIndex, up ? 'link-up' : 'link-down');
  }

  /** Plugs or unplugs a NIC's cable: its link follows while it is admin up. */
  setCarrier(swIfIndex: number, plugged: boolean): void {
    const i = this.pool.get(swIfIndex);
    if (!i || i.kind !== 'nic') throw new SimulatorError(`sw_if_index ${swIfIndex} is not a NIC`);
    i.carrier = plugged;
    this.setLink(swIfIndex, plugged && i.adminUp);
  }

  /** Deletes an interface: down, then gone; other features drop their state for it. */
  delete(swIfIndex: number): void {
    this.setAdmin(swIfIndex, false);
    this.setLink(swIfIndex, false);
    const i = this.pool.get(swIfIndex)!;
    for (const af of [4, 6] as const) this.fibs.unlock(af, i.table[af], `if:${swIfIndex}`);
    this.pool.remove(swIfIndex);
    this.events.signal(swIfIndex, 'delete');
    for (const hook of this.deleteHooks) hook(swIfIndex);
  }

  /**
   * Sets or deletes the IPv6 link-local address (fe80::/10), which ip6_add_del_interface_address
   * handles before anything else: a /128 only (-59); an add replaces the one the interface has,
   * and `ip_address_dump` lists none; a delete is refused, -61 for the current one, -60 for others.
   * (VPP 26.06 crashes on a delete from an interface without IPv6; the model answers -60.)
   */
  linkLocal(i: SwInterface, p: IpPrefix, add: boolean): number {
    if (p.len !== 128) return RV.ADDRESS_LENGTH_MISMATCH;
    if (!add) return i.linkLocal?.address === p.address ? RV.ADDRESS_NOT_DELETABLE : RV.ADDRESS_NOT_FOUND_FOR_INTERFACE;
    i.linkLocal = p;
    return RV.OK;
  }

  /**
   * Adds an address (ip4_add_del_interface_address / ip6_…): overlap with any address in the
   * same table → -105 (IPv4) / -127 (IPv6), unless it is another address of the same length on
   * the same interface; then a length of 0 or past the family's → -59.
   */
  addAddress(i: SwInterface, p: IpPrefix): number {
    for (const other of this.list()) {
      if (other.table[p.af] !== i.table[p.af]) continue;
      for (const a of other.addresses) {
        if (a.af !== p.af) continue;
        const overlap = covers(a, p.address) || covers(p, a.address);
        const exempt = other === i && a.len === p.len && a.address !== p.address;
        if (overlap && !exempt) return p.af === 4 ? RV.ADDRESS_IN_USE : RV.DUPLICATE_IF_ADDRESS;
      }
    }
    if (p.len === 0 || p.len > maxLen(p.af)) return RV.ADDRESS_LENGTH_MISMATCH;
    // The first IPv6 address enables IPv6 on the interface, with a link-local address from its MAC.
    // (Whether removing the last one clears it is not established: deleting a link-local address
    // from an interface without IPv6 crashes VPP 26.06.)
    if (p.af === 6) i.linkLocal ??= linkLocalFromMac(i.mac);
    i.addresses.push(p);
    return RV.OK;
  }

  /** Deletes the address equal to `p`'s (length not compared) from `i`: -60 if `i` lacks it. */
  deleteAddress(i: SwInterface, p: IpPrefix): number {
    const at = i.addresses.findIndex((a) => a.af === p.af && a.address === p.address);
    if (at < 0) return RV.ADDRESS_NOT_FOUND_FOR_INTERFACE;
    i.addresses.splice(at, 1);
    return RV.OK;
  }

  /** Binds `i`'s `af` table to `vrf`: -3 if it does not exist, -114 while `i` has such addresses. */
  setTable(i: SwInterface, af: Af, vrf: number): number {
    if (!this.fibs.exists(af, vrf)) return RV.NO_SUCH_FIB;
    if (i.table[af] === vrf) return RV.OK;
    if (i.addresses.some((a) => a.af === af)) return RV.ADDRESS_FOUND_FOR_INTERFACE;
    this.fibs.unlock(af, i.table[af], `if:${i.swIfIndex}`);
    this.fibs.lock(af, vrf, `if:${i.swIfIndex}`);
    i.table[af] = vrf;
    return RV.OK;
  }

  private add(fields: Omit<SwInterface, 'swIfIndex' | 'adminUp' | 'linkUp' | 'carrier' | 'tag' | 'table' | 'addresses' | 'linkLocal'>): SwInterface {
    const record: SwInterface = { swIfIndex: 0, adminUp: false, linkUp: false, carrier: false, tag: '', table: { 4: 0, 6: 0 }, addresses: [], linkLocal: undefined, ...fields };
    const swIfIndex = this.pool.add(record);
    (record as { swIfIndex: number }).swIfIndex = swIfIndex;
    for (const hook of this.createHooks) hook(record);
    return record;
  }
}

/** A random MAC as VPP makes one: `02:fe` then four random bytes. */
export function randomMac(): string {
  return ['02', 'fe', ...[...randomBytes(4)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** `sw_interface_details` of `i`. */
function details(i: SwInterface) {
  return {
    sw_if_index: i.swIfIndex,
    sup_sw_if_index: i.swIfIndex,
    l2_address: i.mac,
    flags: (i.adminUp ? ADMIN_UP : 0) | (i.linkUp ? LINK_UP : 0),
    type: 0,
    link_duplex: 0,
    link_speed: i.linkSpeed,
    link_mtu: i.linkMtu,
    mtu: [...i.mtu],
    interface_name: i.name,
    interface_dev_type: i.devType,
    tag: i.tag,
  };
}

/** Installs the interface handlers on `sim`. */
export function installInterfaces(sim: VppSimulator<Messages>, table: InterfaceTable, fibs: Fibs): void {
  const valid = (swIfIndex: number): SwInterface | undefined => table.get(swIfIndex);

  on<CreateLoopback>(sim, 'create_loopback', (req) => ({ sw_if_index: table.createLoopback(req.mac_address)!.swIfIndex }));
  on<CreateLoopbackInstance>(sim, 'create_loopback_instance', (req) => {
    const i = table.createLoopback(req.mac_address, req.is_specified ? req.user_instance : undefined);
    return i ? { sw_if_index: i.swIfIndex } : { retval: RV.INVALID_REGISTRATION, sw_if_index: NONE };
  });
  on<DeleteLoopback>(sim, 'delete_loopback', (req) => {
    if (valid(req.sw_if_index)?.kind !== 'loopback') return RV.INVALID_SW_IF_INDEX;
    table.delete(req.sw_if_index);
    return RV.OK;
  });

  // What sw_interface_tap_v2_dump reports of each tap: its create request (defaults filled).
  const taps = new Map<number, TapCreateV3 & { id: number }>();
  table.onDelete((swIfIndex) => taps.delete(swIfIndex));
  on<TapCreateV3>(sim, 'tap_create_v3', (req) => {
    const ids = table.list().filter((i) => i.kind === 'tap').map((i) => i.instance);
    const id = req.id === NONE ? lowestFree(ids) : req.id;
    if (id > MAX_TAP_ID) return { retval: RV.UNSPECIFIED, sw_if_index: NONE };
    if (ids.includes(id)) return { retval: RV.INVALID_INTERFACE, sw_if_index: NONE };
    // Real VPP needs /dev/net/tun and CAP_NET_ADMIN here and may fail; the model always succeeds.
    const tun = (req.tap_flags & 16) !== 0;
    const i = table.createTap(id, req.use_random_mac ? randomMac() : req.mac_address, tun, req.tag);
    taps.set(i.swIfIndex, { ...req, id });
    return { sw_if_index: i.swIfIndex };
  });
  // Not compared with a real VPP (none here can make taps): ring sizes default to 256 and the
  // host name to tapN as tap.c does; host fields are echoed as given.
  on<SwInterfaceTapV2Dump>(sim, 'sw_interface_tap_v2_dump', (req) =>
    [...taps].filter(([sw]) => req.sw_if_index === NONE || sw === req.sw_if_index).map(([sw_if_index, t]) => ({
      sw_if_index,
      id: t.id,
      tx_ring_sz: t.tx_ring_sz || 256,
      rx_ring_sz: t.rx_ring_sz || 256,
      host_mtu_size: t.host_mtu_set ? t.host_mtu_size : 0,
      host_mac_addr: t.host_mac_addr,
      host_ip4_prefix: t.host_ip4_prefix,
      host_ip6_prefix: t.host_ip6_prefix,
      tap_flags: t.tap_flags,
      dev_name: '/dev/vhost-net',
      host_if_name: t.host_if_name_set ? t.host_if_name : `tap${t.id}`,
      host_namespace: t.host_namespace,
      host_bridge: t.host_bridge,
    })),
  );
  on<TapDeleteV2>(sim, 'tap_delete_v2', (req) => {
    if (valid(req.sw_if_index)?.kind !== 'tap') return RV.INVALID_SW_IF_INDEX;
    table.delete(req.sw_if_index);
    return RV.OK;
  });

  on<SwInterfaceDump>(sim, 'sw_interface_dump', (req) => {
    // Quirk: sw_if_index 0 means "all", like ~0; a single invalid index sends nothing.
    if (!req.name_filter_valid && req.sw_if_index !== NONE && req.sw_if_index !== 0) {
      const i = valid(req.sw_if_index);
      return i ? [details(i)] : [];
    }
    const filter = req.name_filter.toLowerCase();
    return table.list().filter((i) => !req.name_filter_valid || i.name.toLowerCase().includes(filter)).map(details);
  });

  on<SwInterfaceSetFlags>(sim, 'sw_interface_set_flags', (req) => {
    if (!valid(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    // Only ADMIN_UP is read; LINK_UP in a request is ignored.
    table.setAdmin(req.sw_if_index, (req.flags & ADMIN_UP) !== 0);
    return RV.OK;
  });

  // VPP 26.06 stores the four MTUs as given, past the link MTU and below 68 alike.
  on<SwInterfaceSetMtu>(sim, 'sw_interface_set_mtu', (req) => {
    const i = valid(req.sw_if_index);
    if (!i) return RV.INVALID_SW_IF_INDEX;
    i.mtu = [req.mtu[0] ?? 0, req.mtu[1] ?? 0, req.mtu[2] ?? 0, req.mtu[3] ?? 0];
    return RV.OK;
  });

  on<SwInterfaceAddDelAddress>(sim, 'sw_interface_add_del_address', (req) => {
    const i = valid(req.sw_if_index);
    if (!i) return RV.INVALID_SW_IF_INDEX;
    if (i.kind === 'local') return RV.UNSUPPORTED;
    if (req.del_all) {
      i.addresses.length = 0;
      return RV.OK;
    }
    const p = parsePrefix(req.prefix);
    if (!p) return RV.INVALID_VALUE;
    if (p.af === 6 && isLinkLocal(p.address)) return table.linkLocal(i, p, req.is_add);
    return req.is_add ? table.addAddress(i, p) : table.deleteAddress(i, p);
  });

  on<IpAddressDump>(sim, 'ip_address_dump', (req) => {
    const i = valid(req.sw_if_index);
    const af = req.is_ipv6 ? 6 : 4;
    return (i?.addresses ?? []).filter((a) => a.af === af).map((a) => ({ sw_if_index: i!.swIfIndex, prefix: a.text }));
  });

  on<SwInterfaceSetTable>(sim, 'sw_interface_set_table', (req) => {
    const i = valid(req.sw_if_index);
    return i ? table.setTable(i, req.is_ipv6 ? 6 : 4, req.vrf_id) : RV.INVALID_SW_IF_INDEX;
  });
  on<SwInterfaceGetTable>(sim, 'sw_interface_get_table', (req) => {
    const i = valid(req.sw_if_index);
    // A refusal still carries vrf_id, at its initial ~0.
    return i ? { vrf_id: i.table[req.is_ipv6 ? 6 : 4] } : { retval: RV.INVALID_SW_IF_INDEX, vrf_id: NONE };
  });
  on<IpTableAddDel>(sim, 'ip_table_add_del', (req) => {
    // Always rv 0: adding an existing table and deleting a missing one are no-ops.
    const af = req.table.is_ip6 ? 6 : 4;
    if (req.is_add) fibs.lock(af, req.table.table_id, 'api');
    else fibs.unlock(af, req.table.table_id, 'api');
    return RV.OK;
  });

  on<SwInterfaceTagAddDel>(sim, 'sw_interface_tag_add_del', (req) => {
    const i = valid(req.sw_if_index);
    if (!i) return RV.INVALID_SW_IF_INDEX;
    if (req.is_add && req.tag === '') return RV.INVALID_VALUE;
    i.tag = req.is_add ? req.tag : '';
    return RV.OK;
  });
}
