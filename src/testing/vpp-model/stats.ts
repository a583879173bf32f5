/**
 * The model's stats segment: what VPP 26.06 publishes for its interfaces, nodes, errors and
 * system, kept in step with the model's interfaces, and counters that move when the test says
 * packets passed ({@link ModelStats.traffic}).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatorError } from '../../errors/index.js';
import { DELETED_INTERFACE } from '../../stats/layout.js';
import { type FdServer, loadStatsAddon } from '../../stats/native.js';
import { type SegmentFile, StatsSegment, type StatsSegmentOptions } from '../stats-segment.js';
import type { InterfaceTable, SwInterface } from './interfaces.js';

/** VPP's simple interface counters (`foreach_simple_interface_counter_name`), in VPP's order. */
export const SIMPLE_INTERFACE_COUNTERS = ['drops', 'punt', 'ip4', 'ip6', 'rx-no-buf', 'rx-miss', 'rx-error', 'tx-error', 'mpls'] as const;
/** VPP's combined (packets and bytes) interface counters, in VPP's order. */
export const COMBINED_INTERFACE_COUNTERS = ['rx', 'rx-unicast', 'rx-multicast', 'rx-broadcast', 'tx', 'tx-unicast', 'tx-multicast', 'tx-broadcast'] as const;

/** A simple interface counter's name: `drops`, `rx-miss`, … */
export type SimpleInterfaceCounter = (typeof SIMPLE_INTERFACE_COUNTERS)[number];
/** A combined interface counter's name: `rx`, `tx-multicast`, … */
export type CombinedInterfaceCounter = (typeof COMBINED_INTERFACE_COUNTERS)[number];

/** Packets and bytes, as a combined counter holds them. */
export interface PacketsBytes {
  readonly packets: number | bigint;
  readonly bytes: number | bigint;
}

/**
 * What passed an interface, by VPP's counter names: a packet count for a simple counter
 * (`drops: 2`), packets and bytes for a combined one (`rx: { packets: 10, bytes: 840 }`).
 */
export type Traffic = { readonly [K in SimpleInterfaceCounter]?: number | bigint } & { readonly [K in CombinedInterfaceCounter]?: PacketsBytes };

/** Options of `traffic()` and `countError()` of the VPP model. */
export interface CountOptions {
  /** The VPP thread that counted: 0 is main; workers 1… exist with the `workers` option. Default 0. */
  readonly thread?: number;
}

/** Options of the model's stats segment. */
export interface ModelStatsOptions extends StatsSegmentOptions {
  /** Worker threads, as `cpu { workers N }`: counter vectors have one thread vector more. Default 0. */
  readonly workers?: number;
  /** Where the stats socket listens. Default: `stats.sock` in a new temporary directory. */
  readonly socket?: string;
}

/**
 * Nodes the model publishes counters for (as with `statseg { per-node-counters on }`), and the
 * errors it publishes for them: a subset of VPP 26.06's, with VPP's names.
 */
const NODES: readonly (readonly [node: string, errors: readonly string[]])[] = [
  ['null-node', ['blackholed packets']],
  ['ethernet-input', ['no error', 'llc length > packet length', 'unknown ethernet type', 'unknown vlan', 'l3 mac mismatch', 'subinterface down']],
  ['ip4-input', ['none', 'too_short', 'bad_length', 'bad_checksum', 'version', 'options', 'fragment_offset_one', 'time_expired', 'hdr_too_short', 'mtu_exceeded', 'dst_lookup_miss', 'src_lookup_miss', 'drop', 'punt']],
  ['ip4-lookup', []],
  ['ip4-rewrite', []],
  ['interface-output', []],
  ['error-drop', []],
  ['acl-plugin-in-ip4-fa', ['ACL deny packets', 'ACL permit packets', 'new sessions added', 'existing session packets', 'checked packets', 'restart session timer', 'too many sessions to add new']],
  ['nat44-ed-in2out', ['unsupported protocol', 'out of ports', 'unsupported ICMP type', 'maximum sessions exceeded', 'non-SYN packet try to create session', "couldn't translate packet"]],
];
const NODE_COUNTERS = ['clocks', 'vectors', 'calls', 'suspends'] as const;
/** Clocks the model charges a node per packet: a made-up figure, so that clocks move with vectors. */
const CLOCKS_PER_PACKET = 100n;
/** Buffers in the default pool (`buffers { buffers-per-numa 16384 }`). */
const BUFFERS = 16384;

/** `format_vlib_stats_symlink`: a name in a path has its slashes replaced. */
const pathName = (name: string): string => name.replaceAll('/', '_');

function count(value: unknown, what: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new SimulatorError(`${what} must be a whole number of at least 0, got ${String(value)}`);
}

/**
 * One stats segment of the VPP model, from VPP's start to its stop. Interfaces get their
 * `/interfaces/<name>/…` symlinks and `/if/names` entry when created, and lose them when deleted
 * (their name becomes `deleted`, as in VPP); counters move only through {@link traffic} and
 * {@link countError}.
 */
class ModelSegment {
  readonly segment: StatsSegment<SegmentFile>;
  private readonly ifCounters = new Map<string, number>();
  private readonly ifNames: number;
  private readonly ifLinks = new Map<number, number[]>();
  private readonly nodeCounters = new Map<string, number>();
  private readonly nodeIndex = new Map<string, number>();
  private readonly errorIndex = new Map<string, number>();
  private readonly nodeErrors: number;
  private readonly heartbeat: number;
  private readonly memory: number;
  private beats = 1;

  constructor(
    private readonly interfaces: InterfaceTable,
    private readonly threads: number,
    options: StatsSegmentOptions,
  ) {
    const s = (this.segment = StatsSegment.create(options));
    // The order VPP 26.06 creates them in, so that directory indices look alike.
    this.heartbeat = s.addScalar('/sys/heartbeat', this.beats);
    s.addScalar('/sys/last_stats_clear', 0);
    s.addScalar('/sys/boottime', Date.now() / 1000);
    this.memory = s.addCounters('/mem/stat segment', 'simple', 1, 7);
    ['total', 'used', 'free'].forEach((n, i) => s.addSymlink(`/mem/stat segment/${n}`, this.memory, i));
    s.addGauge('/sys/vector_rate', 0);
    s.addCounters('/sys/vector_rate_per_worker', 'simple', 1, this.threads + 1);
    s.addCounters('/sys/loops_per_worker', 'simple', 1, this.threads + 1);
    s.addGauge('/buffer-pools/default-numa-0/cached', 0);
    s.addGauge('/buffer-pools/default-numa-0/used', 0);
    s.addGauge('/buffer-pools/default-numa-0/available', BUFFERS);
    s.addGauge('/sys/num_worker_threads', threads - 1);
    const errors = NODES.flatMap(([node, names]) => names.map((e) => `${node}/${e}`));
    this.nodeErrors = s.addCounters('/node/errors', 'simple', this.threads, errors.length);
    errors.forEach((e, i) => {
      this.errorIndex.set(e, i);
      s.addSymlink(`/err/${e}`, this.nodeErrors, i);
    });
    s.addScalar('/sys/last_update', 0);
    s.addGauge('/sys/input_rate', 0);
    for (const c of SIMPLE_INTERFACE_COUNTERS) this.ifCounters.set(c, s.addCounters(`/if/${c}`, 'simple', this.threads, 0));
    for (const c of COMBINED_INTERFACE_COUNTERS) this.ifCounters.set(c, s.addCounters(`/if/${c}`, 'combined', this.threads, 0));
    this.ifNames = s.addNameVector('/if/names');
    for (const i of interfaces.list()) this.created(i);

    const nodeNames = s.addNameVector('/sys/node/names');
    for (const c of NODE_COUNTERS) this.nodeCounters.set(c, s.addCounters(`/sys/node/${c}`, 'simple', this.threads + 1, NODES.length));
    NODES.forEach(([node], n) => {
      this.nodeIndex.set(node, n);
      s.setName(nodeNames, n, node);
      for (const c of NODE_COUNTERS) s.addSymlink(`/nodes/${pathName(node)}/${c}`, this.nodeCounters.get(c)!, n);
    });
    this.updateMemory();
  }

  /**
   * Counts packets through interface `name` (or sw_if_index) on a thread. Node counters follow:
   * `rx` passes `ethernet-input` and `ip4-input`, `tx` passes `interface-output`, `drops` passes
   * `error-drop`, one call each.
   */
  traffic(iface: string | number, traffic: Traffic, options: CountOptions = {}): void {
    const i = typeof iface === 'number' ? this.interfaces.get(iface) : this.interfaces.byName(iface);
    if (!i) throw new SimulatorError(`traffic: no interface ${typeof iface === 'number' ? `with sw_if_index ${iface}` : JSON.stringify(iface)}`);
    const thread = this.thread(options, 'traffic');
    const known = new Set<string>([...SIMPLE_INTERFACE_COUNTERS, ...COMBINED_INTERFACE_COUNTERS]);
    // Every value is checked before any counter moves: a bad call changes nothing.
    const moves: [string, bigint, bigint][] = [];
    for (const [name, value] of Object.entries(traffic)) {
      if (!known.has(name)) throw new SimulatorError(`traffic: unknown interface counter ${JSON.stringify(name)}; VPP's are ${[...known].join(', ')}`);
      if (value === undefined) continue;
      if ((COMBINED_INTERFACE_COUNTERS as readonly string[]).includes(name)) {
        const pb = value as PacketsBytes;
        if (typeof pb !== 'object' || pb === null) throw new SimulatorError(`traffic: ${name} takes { packets, bytes }, got ${String(value)}`);
        moves.push([name, count(pb.packets, `traffic: ${name}.packets`), count(pb.bytes, `traffic: ${name}.bytes`)]);
      } else moves.push([name, count(value, `traffic: ${name}`), 0n]);
    }
    for (const [name, packets, bytes] of moves) this.segment.add(this.ifCounters.get(name)!, thread, i.swIfIndex, packets, bytes);
    const moved = new Map(moves.map(([name, packets]) => [name, packets]));
    for (const [counter, nodes] of [['rx', ['ethernet-input', 'ip4-input']], ['tx', ['interface-output']], ['drops', ['error-drop']]] as const) {
      const packets = moved.get(counter);
      if (packets) for (const node of nodes) this.nodePassed(node, thread, packets);
    }
    this.segment.setValue(this.heartbeat, ++this.beats);
  }

  /** Counts `n` of error `error` (`node/reason`, as under `/err/`, e.g. `ip4-input/time_expired`). */
  countError(error: string, n: number | bigint, options: CountOptions = {}): void {
    const i = this.errorIndex.get(error);
    if (i === undefined) throw new SimulatorError(`countError: the model has no error ${JSON.stringify(error)}; it has ${[...this.errorIndex.keys()].join(', ')}`);
    const value = count(n, `countError: ${error}`);
    this.segment.add(this.nodeErrors, this.thread(options, 'countError'), i, value);
  }

  /** Closes and removes the segment's file. */
  close(): void {
    this.segment.close();
  }

  private thread(options: CountOptions, what: string): number {
    const t = options.thread ?? 0;
    if (!Number.isInteger(t) || t < 0 || t >= this.threads) throw new SimulatorError(`${what}: thread ${t} does not exist; the model has ${this.threads} (workers: ${this.threads - 1})`);
    return t;
  }

  private nodePassed(node: string, thread: number, packets: bigint): void {
    const n = this.nodeIndex.get(node)!;
    this.segment.add(this.nodeCounters.get('calls')!, thread, n, 1n);
    this.segment.add(this.nodeCounters.get('vectors')!, thread, n, packets);
    this.segment.add(this.nodeCounters.get('clocks')!, thread, n, packets * CLOCKS_PER_PACKET);
  }

  /** `statseg_sw_interface_add_del`, adding: counters validated and zeroed, the name, the symlinks. */
  created(i: SwInterface): void {
    const s = this.segment;
    s.locked(() => {
      for (const index of this.ifCounters.values()) {
        s.validate(index, i.swIfIndex);
        // A reused sw_if_index starts from zero, as vnet zeroes a new interface's counters.
        for (let t = 0; t < this.threads; t++) s.set(index, t, i.swIfIndex, 0n, 0n);
      }
      s.setName(this.ifNames, i.swIfIndex, i.name);
      this.ifLinks.set(i.swIfIndex, [...this.ifCounters].map(([c, index]) => s.addSymlink(`/interfaces/${pathName(i.name)}/${c}`, index, i.swIfIndex)));
    });
    this.updateMemory();
  }

  /** `statseg_sw_interface_add_del`, deleting: the name becomes `deleted`, the symlinks go. */
  deleted(swIfIndex: number): void {
    this.segment.locked(() => {
      this.segment.setName(this.ifNames, swIfIndex, DELETED_INTERFACE);
      for (const link of this.ifLinks.get(swIfIndex) ?? []) this.segment.remove(link);
    });
    this.ifLinks.delete(swIfIndex);
  }

  private updateMemory(): void {
    const used = BigInt(this.segment.used);
    const total = BigInt(this.segment.size);
    [total, used, total - used].forEach((v, i) => this.segment.set(this.memory, 0, i, v));
  }
}

/**
 * The VPP model's stats: its stats socket, which sends the current segment's descriptor to each
 * client as VPP's does, and the segment, which {@link restart} replaces as a VPP restart does.
 */
export class ModelStats {
  /** Threads: main and the workers. */
  readonly threads: number;
  /** The stats socket. */
  readonly socketPath: string;
  private readonly dir: string | undefined;
  private current: ModelSegment;
  private server: FdServer;

  constructor(
    private readonly interfaces: InterfaceTable,
    private readonly options: ModelStatsOptions = {},
  ) {
    const workers = options.workers ?? 0;
    if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new SimulatorError(`stats workers must be a whole number from 0 to 256, got ${workers}`);
    this.threads = workers + 1;
    this.dir = options.socket === undefined ? mkdtempSync(join(tmpdir(), 'vppkit-stats-')) : undefined;
    this.socketPath = options.socket ?? join(this.dir!, 'stats.sock');
    this.current = new ModelSegment(interfaces, this.threads, options);
    try {
      this.server = loadStatsAddon().serveFd(this.socketPath, this.current.segment.target.fd);
    } catch (err) {
      this.close();
      throw err;
    }
    interfaces.onCreate((i) => this.current.created(i));
    interfaces.onDelete((swIfIndex) => this.current.deleted(swIfIndex));
  }

  /** The current segment's file. */
  get segmentPath(): string {
    return this.current.segment.target.path;
  }

  /** See {@link ModelSegment.traffic}. */
  traffic(iface: string | number, traffic: Traffic, options: CountOptions = {}): void {
    this.current.traffic(iface, traffic, options);
  }

  /** See {@link ModelSegment.countError}. */
  countError(error: string, n: number | bigint, options: CountOptions = {}): void {
    this.current.countError(error, n, options);
  }

  /**
   * What a VPP restart does to its stats: a new segment (counters from zero, the interfaces it
   * has now) behind a new stats socket at the same path; the old segment is unlinked, and
   * readers that still map it see it no more change.
   */
  restart(): void {
    const next = new ModelSegment(this.interfaces, this.threads, this.options);
    this.server.close();
    this.current.close();
    this.current = next;
    this.server = loadStatsAddon().serveFd(this.socketPath, next.segment.target.fd);
  }

  /** Closes the stats socket and removes the segment. */
  close(): void {
    this.server?.close();
    this.current.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
