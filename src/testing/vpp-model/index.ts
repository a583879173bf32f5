/**
 * A stateful model of VPP 26.06 for the simulator: interfaces, the ACL plugin and NAT44-ED keep
 * state across requests and answer with VPP's return codes in VPP's cases.
 *
 * ```ts
 * const vpp = await startVppModel();
 * const client = await connect({ socket: vpp.socketPath });
 * await client.request('create_loopback', { mac_address: '00:00:00:00:00:00' }); // loop0, sw_if_index 2
 * vpp.interfaces.byName('loop0'); // the model's state, to inspect or change
 * ```
 *
 * @module
 */
import { modules as bundledModules } from '../../gen/index.js';
import type { Messages } from '../../gen/index.js';
import { SimulatorError } from '../../errors/index.js';
import type { ModuleDef } from '../../schema/model.js';
import type { Fields } from '../handler-types.js';
import { type SimulatorOptions, VppSimulator } from '../simulator.js';
import { AclState, installAcl } from './acl.js';
import { InterfaceEventBatch } from './events.js';
import { Fibs } from './fibs.js';
import { on } from './handle.js';
import { InterfaceTable, type NicOptions, installInterfaces } from './interfaces.js';
import { MemifState, installMemif } from './memif.js';
import { Nat44State, installNat44 } from './nat44.js';
import { installShow } from './show.js';
import { type CountOptions, ModelStats, type ModelStatsOptions, type Traffic } from './stats.js';
import { type UnmodelledPolicy, unmodelledHandler } from './unmodelled.js';

export type { Acl, AppliedAcls } from './acl.js';
export { AclState } from './acl.js';
export type { InterfaceEvent, InterfaceSignal } from './events.js';
export { InterfaceEventBatch } from './events.js';
export type { Af } from './fibs.js';
export { Fibs } from './fibs.js';
export type { InterfaceKind, NicOptions, SwInterface } from './interfaces.js';
export { InterfaceTable } from './interfaces.js';
export type { NatAddress, NatConfig, NatInterface, StaticMapping } from './nat44.js';
export { MemifState } from './memif.js';
export { Nat44State } from './nat44.js';
export { Pool } from './pool.js';
export type { IpPrefix } from './addresses.js';
export type { UnmodelledPolicy } from './unmodelled.js';
export { type ShowState, showText } from './show.js';
export { COMBINED_INTERFACE_COUNTERS, SIMPLE_INTERFACE_COUNTERS } from './stats.js';
export type { CombinedInterfaceCounter, CountOptions, ModelStatsOptions, PacketsBytes, SimpleInterfaceCounter, Traffic } from './stats.js';

/** Options of {@link installVppModel}. */
export interface VppModelOptions {
  /** NICs present at start, sw_if_index 1, 2… after local0. Default `['GigabitEthernet0/8/0']`. */
  readonly nics?: readonly (string | NicOptions)[];
  /** How to answer messages the model does not model. Default `'unimplemented'` (retval -9). */
  readonly unmodelled?: UnmodelledPolicy;
  /** Called with each request the model does not model, before it is answered. */
  readonly onUnmodelled?: (name: string, request: Fields) => void;
  /**
   * Details per round of a cursor stream before answering -165 (EAGAIN), as VPP does when its
   * 1 ms budget runs out. Default 0: every stream finishes in one round.
   */
  readonly yieldEvery?: number;
  /** The modules the simulator serves, if not the bundled ones: their messages get the unmodelled answer. */
  readonly modules?: readonly ModuleDef[];
  /**
   * Publishes a stats segment, as VPP does, in a memory-backed file (see {@link VppModel.traffic}).
   * `true`, or its size and worker threads. Default: none.
   */
  readonly stats?: boolean | ModelStatsOptions;
}

/** A simulator with the model's handlers, and the model's state. */
export interface VppModel {
  /** The simulator answering for the model (its fault injection works as usual). */
  readonly sim: VppSimulator<Messages>;
  /** Where clients connect. */
  readonly socketPath: string;
  /** Interfaces; `setCarrier` plugs a NIC's cable. */
  readonly interfaces: InterfaceTable;
  /** IP tables. */
  readonly fibs: Fibs;
  /** The ACL plugin. */
  readonly acl: AclState;
  /** The NAT44-ED plugin. */
  readonly nat44: Nat44State;
  /** The memif plugin's sockets and interfaces. */
  readonly memif: MemifState;
  /** How many times each unmodelled message arrived. */
  readonly unmodelled: ReadonlyMap<string, number>;
  /** The stats socket (option `stats`), for `connectStats({ socket })`; undefined without it. */
  readonly statsSocket: string | undefined;
  /** The current stats segment's file (option `stats`); undefined without it. */
  readonly statsSegment: string | undefined;
  /**
   * Counts packets through an interface (its name or sw_if_index) in the stats segment, by VPP's
   * counter names: `traffic('loop0', { rx: { packets: 10, bytes: 840 }, drops: 1 })`. Node
   * counters follow (`rx` passes `ethernet-input` and `ip4-input`, `tx` `interface-output`,
   * `drops` `error-drop`). Throws without the `stats` option.
   */
  traffic(iface: string | number, traffic: Traffic, options?: CountOptions): void;
  /** Counts `n` of error `node/reason` (`ip4-input/time_expired`) in the stats segment. Throws without the `stats` option. */
  countError(error: string, n: number | bigint, options?: CountOptions): void;
  /**
   * Does to the stats what a VPP restart does: a new segment, counters from zero, behind a new
   * stats socket at the same path (readers map the new one). The API socket and the model's
   * state stay. Throws without the `stats` option.
   */
  restartStats(): void;
  /** Closes the simulator. */
  close(): Promise<void>;
  /** Same as {@link close}, for `await using vpp = await startVppModel()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Modules whose messages the simulator itself answers (handshake, control_ping, …). */
const PROTOCOL_MODULES = new Set(['memclnt']);

/**
 * Installs the model on `sim`: every request of the served modules gets the unmodelled answer,
 * then the modelled ones their handlers. Subscriptions (`want_*`) keep the simulator's own
 * handling, which is VPP's (-31 for a second one); `sw_interface_event` goes to subscribers.
 */
export function installVppModel(sim: VppSimulator<Messages>, options: VppModelOptions = {}): VppModel {
  const fibs = new Fibs();
  const events = new InterfaceEventBatch((e) => sim.pushEvent('sw_interface_event', { ...e }));
  const interfaces = new InterfaceTable(fibs, events, options.nics ?? ['GigabitEthernet0/8/0']);
  const acl = new AclState(interfaces);
  const nat44 = new Nat44State(interfaces, fibs);
  const memif = new MemifState(interfaces);
  const unmodelled = new Map<string, number>();
  const unmodelledAnswer = unmodelledHandler(options.unmodelled ?? 'unimplemented', (name, request) => {
    unmodelled.set(name, (unmodelled.get(name) ?? 0) + 1);
    options.onUnmodelled?.(name, request);
  });

  for (const m of options.modules ?? bundledModules) {
    if (PROTOCOL_MODULES.has(m.name)) continue;
    for (const def of m.messages) {
      const kind = def.service?.kind;
      if (kind === 'unary' || kind === 'dump' || kind === 'stream') on(sim, def.name as keyof Messages & string, unmodelledAnswer);
    }
  }
  installInterfaces(sim, interfaces, fibs);
  installAcl(sim, acl, interfaces);
  installNat44(sim, nat44, interfaces, { unmodelled: unmodelledAnswer, yieldEvery: options.yieldEvery ?? 0 });
  installMemif(sim, memif, interfaces);
  installShow(sim, { interfaces, acl, nat44 }, unmodelledAnswer);
  const stats = options.stats ? new ModelStats(interfaces, options.stats === true ? {} : options.stats) : undefined;
  const withStats = (what: string): ModelStats => {
    if (!stats) throw new SimulatorError(`${what}: the model publishes no stats segment; start it with { stats: true }`);
    return stats;
  };
  // What VPP 26.06 built from its release tag reports; builds from other branches differ.
  sim.handle('show_version', () => ({ program: 'vpe', version: '26.06.0-release', build_date: '', build_directory: '' }));

  const close = async (): Promise<void> => {
    await sim.close();
    stats?.close();
  };
  return {
    sim, socketPath: sim.socketPath, interfaces, fibs, acl, nat44, memif, unmodelled, statsSocket: stats?.socketPath,
    get statsSegment() {
      return stats?.segmentPath;
    },
    traffic: (iface, traffic, o) => withStats('traffic').traffic(iface, traffic, o),
    countError: (error, n, o) => withStats('countError').countError(error, n, o),
    restartStats: () => withStats('restartStats').restart(),
    close, [Symbol.asyncDispose]: close,
  };
}

/** Starts a simulator (see {@link VppSimulator.start}) with the model installed. */
export async function startVppModel(options: VppModelOptions & SimulatorOptions = {}): Promise<VppModel> {
  const sim = await VppSimulator.start<Messages>(options);
  return installVppModel(sim, options);
}
