/**
 * The NAT44-ED plugin model: enable/disable, inside/outside and output interfaces, the address
 * pool and static mappings, with the plugin's return codes
 * (src/plugins/nat/nat44-ed/nat44_ed_api.c and nat44_ed.c in VPP 26.06).
 *
 * @module
 */
import type { Messages } from '../../gen/index.js';
import { Nat44ConfigFlags } from '../../gen/nat44_ed.js';
import type { Nat44AddDelAddressRange, Nat44AddDelStaticMapping, Nat44EdAddDelOutputInterface, Nat44EdOutputInterfaceGet, Nat44EdPluginEnableDisable, Nat44InterfaceAddDelFeature } from '../../gen/nat44_ed.js';
import { NatConfigFlags, type NatTimeouts } from '../../gen/nat_types.js';
import type { Fields } from '../handler-types.js';
import type { SimCall } from '../sim-call.js';
import type { VppSimulator } from '../simulator.js';
import { ip4Number, ip4Text } from './addresses.js';
import type { Fibs } from './fibs.js';
import { on } from './handle.js';
import type { InterfaceTable } from './interfaces.js';
import { Pool } from './pool.js';
import { NONE, RV } from './retvals.js';

const {
  NAT_IS_TWICE_NAT: TWICE_NAT,
  NAT_IS_SELF_TWICE_NAT: SELF_TWICE_NAT,
  NAT_IS_OUT2IN_ONLY: OUT2IN_ONLY,
  NAT_IS_ADDR_ONLY: ADDR_ONLY,
  NAT_IS_OUTSIDE: OUTSIDE,
  NAT_IS_INSIDE: INSIDE,
} = NatConfigFlags;
// STATIC_MAPPING_ONLY and CONNECTION_TRACKING are the bits the ED plugin refuses at enable.
const {
  NAT44_IS_STATIC_MAPPING_ONLY: STATIC_MAPPING_ONLY,
  NAT44_IS_CONNECTION_TRACKING: CONNECTION_TRACKING,
  NAT44_IS_ENDPOINT_DEPENDENT: ENDPOINT_DEPENDENT,
} = Nat44ConfigFlags;
/** `sessions` 0 at enable means 63 × 1024. */
const DEFAULT_SESSIONS = 63 * 1024;
/** Timeouts set at enable (src/plugins/nat/lib/lib.h). */
const DEFAULT_TIMEOUTS: NatTimeouts = { udp: 300, tcp_established: 7440, tcp_transitory: 240, icmp: 60 };

/** One pool address. */
export interface NatAddress {
  readonly address: string;
  /** The table id given, or ~0 for "any". */
  readonly vrfId: number;
}

/** One NAT interface record: INSIDE (32) and/or OUTSIDE (16). */
export interface NatInterface {
  readonly swIfIndex: number;
  flags: number;
}

/** One static mapping as stored (ports and protocol 0 for address-only ones). */
export interface StaticMapping {
  readonly flags: number;
  readonly localAddress: string;
  readonly externalAddress: string;
  readonly protocol: number;
  readonly localPort: number;
  readonly externalPort: number;
  readonly vrfId: number;
  readonly tag: string;
}

/** The running configuration, as `nat44_show_running_config` reports it. */
export interface NatConfig {
  inside_vrf: number;
  outside_vrf: number;
  sessions: number;
  timeouts: NatTimeouts;
}

/**
 * Hash buckets for `n` sessions (`nat_calc_bihash_buckets`: n / 2.5 rounded to the nearer power
 * of two). Checked against VPP 26.06 for 64512 → 32768 and 20000 → 8192 (the differential run).
 */
function buckets(n: number): number {
  const x = n / 2.5;
  let lower = 1;
  while (lower * 2 <= x) lower *= 2;
  return x - lower < lower * 2 - x ? lower : lower * 2;
}

/** The NAT44-ED plugin's state. */
export class Nat44State {
  /** Disabled after start-up; only the API (or the CLI) enables it. */
  enabled = false;
  /** Zero while disabled; timeouts are 0 until the first enable. */
  config: NatConfig = { inside_vrf: 0, outside_vrf: 0, sessions: 0, timeouts: { udp: 0, tcp_established: 0, tcp_transitory: 0, icmp: 0 } };
  /** Hash buckets for the sessions of the last enable: 0 until the first, kept by disable (VPP never resets them). */
  translationBuckets = 0;
  /** The pool, in VPP's vector order (a delete moves the last address into the gap). */
  readonly addresses: NatAddress[] = [];
  /** The twice-NAT pool, likewise. */
  readonly twiceNatAddresses: NatAddress[] = [];
  /** Inside/outside interfaces. */
  readonly interfaces = new Pool<NatInterface>();
  /** Output-feature interfaces' sw_if_index; the cursor of their stream is this pool's index. */
  readonly outputInterfaces = new Pool<number>();
  /** Static mappings. */
  readonly staticMappings = new Pool<StaticMapping>();

  /** An interface's deletion removes its NAT roles (while NAT is enabled). */
  constructor(
    interfaces: InterfaceTable,
    private readonly fibs: Fibs,
  ) {
    interfaces.onDelete((swIfIndex) => {
      for (const [i, r] of this.interfaces.entries()) if (r.swIfIndex === swIfIndex) this.interfaces.remove(i);
      for (const [i, s] of this.outputInterfaces.entries()) if (s === swIfIndex) this.outputInterfaces.remove(i);
    });
  }

  /** The inside/outside record of `swIfIndex`. */
  interfaceRecord(swIfIndex: number): [number, NatInterface] | undefined {
    return [...this.interfaces.entries()].find(([, r]) => r.swIfIndex === swIfIndex);
  }

  /** The output-feature record of `swIfIndex`. */
  outputRecord(swIfIndex: number): number | undefined {
    return [...this.outputInterfaces.entries()].find(([, s]) => s === swIfIndex)?.[0];
  }

  /**
   * Enables the plugin with the given tables and session count. The two tables are held for
   * good: VPP 26.06's `nat44_plugin_enable` locks them and `nat44_plugin_disable` never unlocks
   * them, so neither disable nor `ip_table_add_del` deletes them while VPP runs.
   */
  enable(insideVrf: number, outsideVrf: number, sessions: number): void {
    this.enabled = true;
    this.config = { inside_vrf: insideVrf, outside_vrf: outsideVrf, sessions: sessions || DEFAULT_SESSIONS, timeouts: { ...DEFAULT_TIMEOUTS } };
    this.translationBuckets = buckets(this.config.sessions);
    this.fibs.lock(4, insideVrf, 'nat:enabled-once');
    this.fibs.lock(4, outsideVrf, 'nat:enabled-once');
  }

  /** Disables the plugin: every mapping, address and interface goes, with their holds on tables. */
  disable(): void {
    for (const [i, sm] of this.staticMappings.entries()) this.fibs.unlock(4, sm.vrfId, `nat:sm:${i}`);
    for (const a of [...this.addresses, ...this.twiceNatAddresses]) this.fibs.unlock(4, a.vrfId, `nat:addr:${a.address}`);
    this.staticMappings.clear();
    this.addresses.length = 0;
    this.twiceNatAddresses.length = 0;
    this.interfaces.clear();
    this.outputInterfaces.clear();
    this.enabled = false;
    this.config = { inside_vrf: 0, outside_vrf: 0, sessions: 0, timeouts: this.config.timeouts };
  }

  /** Adds `address` to a pool: -81 if that pool has it. */
  addAddress(address: string, vrfId: number, twiceNat: boolean): number {
    const list = twiceNat ? this.twiceNatAddresses : this.addresses;
    if (list.some((a) => a.address === address)) return RV.VALUE_EXIST;
    if (vrfId !== NONE) this.fibs.lock(4, vrfId, `nat:addr:${address}`);
    list.push({ address, vrfId });
    return RV.OK;
  }

  /** Stores a static mapping and holds its table. (VPP finds or creates the table before its checks.) */
  addStaticMapping(m: StaticMapping): void {
    const index = this.staticMappings.add(m);
    this.fibs.lock(4, m.vrfId, `nat:sm:${index}`);
  }

  /** Removes static mapping `index`, releasing its table. */
  removeStaticMapping(index: number): void {
    const m = this.staticMappings.get(index);
    if (m && this.staticMappings.remove(index)) this.fibs.unlock(4, m.vrfId, `nat:sm:${index}`);
  }

  /** Deletes `address` from a pool (`vec_del1`: the last address takes its slot): -6 if absent. */
  deleteAddress(address: string, twiceNat: boolean): number {
    const list = twiceNat ? this.twiceNatAddresses : this.addresses;
    const at = list.findIndex((a) => a.address === address);
    if (at < 0) return RV.NO_SUCH_ENTRY;
    this.fibs.unlock(4, list[at]!.vrfId, `nat:addr:${address}`);
    const last = list.pop()!;
    if (at < list.length) list[at] = last;
    return RV.OK;
  }
}

/** Options of {@link installNat44}. */
export interface Nat44HandlerOptions {
  /** Answers what the model leaves out (interface-bound static mappings). */
  readonly unmodelled: (request: Fields, call: SimCall) => unknown;
  /** Details per round of the output-interface stream before answering -165 (EAGAIN); 0: never. */
  readonly yieldEvery: number;
}

/** Installs the NAT44-ED handlers on `sim`. */
export function installNat44(sim: VppSimulator<Messages>, nat: Nat44State, interfaces: InterfaceTable, options: Nat44HandlerOptions): void {
  on<Nat44EdPluginEnableDisable>(sim, 'nat44_ed_plugin_enable_disable', (req) => {
    if (req.enable) {
      if (req.flags & (STATIC_MAPPING_ONLY | CONNECTION_TRACKING)) return RV.UNSUPPORTED;
      if (nat.enabled) return RV.FEATURE_ALREADY_ENABLED;
      nat.enable(req.inside_vrf, req.outside_vrf, req.sessions);
      return RV.OK;
    }
    if (!nat.enabled) return RV.FEATURE_ALREADY_DISABLED;
    nat.disable();
    return RV.OK;
  });

  sim.handle('nat44_show_running_config', () => ({
    inside_vrf: nat.config.inside_vrf,
    outside_vrf: nat.config.outside_vrf,
    sessions: nat.config.sessions,
    translation_buckets: nat.translationBuckets,
    // VPP's nat_ipfix_logging_enabled() negates its flag: true while logging was never enabled.
    ipfix_logging_enabled: true,
    timeouts: nat.config.timeouts,
    flags: ENDPOINT_DEPENDENT,
  }));

  on<Nat44InterfaceAddDelFeature>(sim, 'nat44_interface_add_del_feature', (req) => {
    if (!interfaces.isValid(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    if (!nat.enabled) return RV.UNSUPPORTED;
    const role = req.flags & INSIDE ? INSIDE : OUTSIDE;
    const found = nat.interfaceRecord(req.sw_if_index);
    if (req.is_add) {
      if (nat.outputRecord(req.sw_if_index) !== undefined) return RV.VALUE_EXIST;
      if (found) found[1].flags |= role;
      else nat.interfaces.add({ swIfIndex: req.sw_if_index, flags: role });
      return RV.OK;
    }
    if (!found) return RV.NO_SUCH_ENTRY;
    // Quirk: with a single role the record goes, whichever role the request names.
    if (found[1].flags === (INSIDE | OUTSIDE)) found[1].flags &= ~role;
    else nat.interfaces.remove(found[0]);
    return RV.OK;
  });

  sim.handle('nat44_interface_dump', () => [...nat.interfaces.entries()].map(([, r]) => ({ sw_if_index: r.swIfIndex, flags: r.flags })));

  on<Nat44EdAddDelOutputInterface>(sim, 'nat44_ed_add_del_output_interface', (req) => {
    if (!interfaces.isValid(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    if (!nat.enabled) return RV.UNSUPPORTED;
    const at = nat.outputRecord(req.sw_if_index);
    if (req.is_add) {
      if (at !== undefined || nat.interfaceRecord(req.sw_if_index)) return RV.VALUE_EXIST;
      nat.outputInterfaces.add(req.sw_if_index);
      return RV.OK;
    }
    if (at === undefined) return RV.NO_SUCH_ENTRY;
    nat.outputInterfaces.remove(at);
    return RV.OK;
  });

  on<Nat44EdOutputInterfaceGet>(sim, 'nat44_ed_output_interface_get', (req, call) => {
    const pool = nat.outputInterfaces;
    // An empty pool answers 0 with the cursor unwritten in VPP; the model writes ~0.
    if (pool.size === 0) return { retval: RV.OK, cursor: NONE };
    const rows = [...pool.entries()].filter(([i]) => i >= req.cursor);
    if (rows.length === 0) return { retval: RV.INVALID_VALUE, cursor: NONE };
    const round = options.yieldEvery > 0 ? rows.slice(0, options.yieldEvery) : rows;
    for (const [, sw_if_index] of round) call.details({ sw_if_index });
    const next = rows[round.length];
    return next ? { retval: RV.EAGAIN, cursor: next[0] } : { retval: RV.OK, cursor: NONE };
  });

  on<Nat44AddDelAddressRange>(sim, 'nat44_add_del_address_range', (req) => {
    const first = ip4Number(req.first_ip_address);
    const count = ip4Number(req.last_ip_address) - first + 1;
    const twiceNat = (req.flags & TWICE_NAT) !== 0;
    // One address at a time; the first failure stops the loop with no rollback.
    for (let n = 0; n < count; n++) {
      const address = ip4Text(first + n);
      const rv = req.is_add ? (nat.enabled ? nat.addAddress(address, req.vrf_id, twiceNat) : RV.UNSUPPORTED) : nat.deleteAddress(address, twiceNat);
      if (rv !== RV.OK) return rv;
    }
    return RV.OK;
  });

  sim.handle('nat44_address_dump', () => [
    ...nat.addresses.map((a) => ({ ip_address: a.address, vrf_id: a.vrfId, flags: 0 })),
    ...nat.twiceNatAddresses.map((a) => ({ ip_address: a.address, vrf_id: a.vrfId, flags: TWICE_NAT })),
  ]);

  const staticMapping = (req: Nat44AddDelStaticMapping, call: SimCall): unknown => {
    if (!nat.enabled) return RV.UNSUPPORTED;
    if (req.flags & (TWICE_NAT | SELF_TWICE_NAT) && req.flags & ADDR_ONLY) return RV.UNSUPPORTED;
    // Interface-bound mappings (resolve records that follow the interface's address) are not modelled.
    if (req.external_sw_if_index !== NONE) return options.unmodelled(req as unknown as Fields, call);
    const addrOnly = (req.flags & ADDR_ONLY) !== 0;
    const protocol = addrOnly ? 0 : req.protocol;
    const localPort = addrOnly ? 0 : req.local_port;
    const externalPort = addrOnly ? 0 : req.external_port;
    const mappings = [...nat.staticMappings.entries()];
    const external = mappings.find(([, m]) => m.externalAddress === req.external_ip_address && m.externalPort === externalPort && m.protocol === protocol);
    if (!req.is_add) {
      // Found by the external key alone; the local side of the request is not compared.
      if (!external) return RV.NO_SUCH_ENTRY;
      nat.removeStaticMapping(external[0]);
      return RV.OK;
    }
    if (external) return RV.VALUE_EXIST;
    const vrfId = req.vrf_id === NONE ? nat.config.inside_vrf : req.vrf_id;
    const local = (m: StaticMapping) => !(m.flags & OUT2IN_ONLY) && m.localAddress === req.local_ip_address && m.localPort === localPort && m.vrfId === vrfId && m.protocol === protocol;
    if (!(req.flags & OUT2IN_ONLY) && mappings.some(([, m]) => local(m))) return RV.VALUE_EXIST;
    const flags = req.flags & (TWICE_NAT | SELF_TWICE_NAT | OUT2IN_ONLY | ADDR_ONLY);
    nat.addStaticMapping({ flags, localAddress: req.local_ip_address, externalAddress: req.external_ip_address, protocol, localPort, externalPort, vrfId, tag: req.tag });
    return RV.OK;
  };
  // v2 adds match_pool and pool_ip_address, which change nothing the model answers.
  on(sim, 'nat44_add_del_static_mapping', staticMapping);
  on(sim, 'nat44_add_del_static_mapping_v2', staticMapping);

  sim.handle('nat44_static_mapping_dump', () =>
    [...nat.staticMappings.entries()].map(([, m]) => ({
      flags: m.flags,
      local_ip_address: m.localAddress,
      external_ip_address: m.externalAddress,
      protocol: m.protocol,
      local_port: m.localPort,
      external_port: m.externalPort,
      external_sw_if_index: NONE,
      vrf_id: m.vrfId,
      tag: m.tag,
    })),
  );
}
