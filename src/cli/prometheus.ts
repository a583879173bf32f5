/**
 * VPP's counters in Prometheus' text exposition format (version 0.0.4), for `vppkit stats serve`.
 * Names follow Prometheus' conventions: a `vpp_` prefix, the unit in the name, `_total` on
 * counters, one label per dimension (`interface` and `sw_if_index`, `thread`, `node`, `error`,
 * `heap`, `pool`). The names are listed in docs/guides/watching-counters.md.
 *
 * @module
 */
import type { CombinedCounter, ErrorCounter, InterfaceStats, NodeStats, SystemStats } from '../stats/types.js';

/** What one scrape reads. `nodes` is undefined when VPP publishes no node counters. */
export interface Scrape {
  readonly interfaces: readonly InterfaceStats[];
  readonly errors: readonly ErrorCounter[];
  readonly nodes: readonly NodeStats[] | undefined;
  readonly system: SystemStats;
}

type Labels = Readonly<Record<string, string | number>>;

/** One metric family: its HELP and TYPE lines, then its samples. */
interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: [Labels, bigint | number][];
}

/** The content type of the format this module writes. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `rx-no-buf` → `rx_no_buf`: VPP's counter names as parts of a metric name. */
const snake = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** A label value: backslash, double quote and newline escaped, as the format requires. */
const labelValue = (v: string | number): string => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** HELP text: backslash and newline escaped. */
const helpText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function render(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${helpText(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const [labels, value] of f.samples) {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`);
      out.push(`${f.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const isCombined = (v: unknown): v is CombinedCounter => typeof v === 'object' && v !== null && 'packets' in v;

/**
 * Per-interface families, one series per interface and thread, for every
 * `/interfaces/<name>/<counter>`. Written straight to lines: with thousands of interfaces this is
 * most of a scrape, so each interface's labels are escaped once.
 */
function interfaceLines(interfaces: readonly InterfaceStats[]): string[] {
  const families = new Map<string, { help: string; lines: string[] }>();
  const lines = (name: string, counter: string, unit: string): string[] => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help: `${unit} counted by VPP's interface counter ${counter} (/interfaces/<name>/${counter}).`, lines: [] }));
    return f.lines;
  };
  for (const i of interfaces) {
    const prefix = `{interface="${labelValue(i.name)}",sw_if_index="${i.swIfIndex}",thread="`;
    for (const [counter, perThread] of Object.entries(i.perThread)) {
      const base = `vpp_interface_${snake(counter)}`;
      const packets = lines(`${base}_packets_total`, counter, 'Packets');
      const bytes = isCombined(perThread[0]) ? lines(`${base}_bytes_total`, counter, 'Bytes') : undefined;
      perThread.forEach((v: bigint | CombinedCounter, thread: number) => {
        if (isCombined(v)) {
          packets.push(`${base}_packets_total${prefix}${thread}"} ${v.packets}`);
          bytes!.push(`${base}_bytes_total${prefix}${thread}"} ${v.bytes}`);
        } else packets.push(`${base}_packets_total${prefix}${thread}"} ${v}`);
      });
    }
  }
  return [...families].flatMap(([name, f]) => [`# HELP ${name} ${helpText(f.help)}`, `# TYPE ${name} counter`, ...f.lines]);
}

/** Every family of one scrape, in a stable order. */
export function metricsText(s: Scrape): string {
  const sys = s.system;
  const families: Family[] = [
    {
      name: 'vpp_node_errors_total',
      help: "Packets counted by VPP's error counters (/err/<node>/<error>), those not zero.",
      type: 'counter',
      samples: s.errors.flatMap((e) => e.perThread.map((v, thread): [Labels, bigint] => [{ node: e.node, error: e.reason, thread }, v])),
    },
    ...(['calls', 'vectors', 'clocks', 'suspends'] as const).map((c): Family => ({
      name: `vpp_node_${c}_total`,
      help: `The ${c} of each graph node over all threads (/sys/node/${c}; with statseg { per-node-counters on }).`,
      type: 'counter',
      samples: (s.nodes ?? []).map((n) => [{ node: n.name }, n[c]]),
    })),
    { name: 'vpp_vector_rate', help: 'Vectors per main-loop iteration, over all threads (/sys/vector_rate).', type: 'gauge', samples: [[{}, sys.vectorRate]] },
    { name: 'vpp_input_rate', help: 'Input packets per second (/sys/input_rate).', type: 'gauge', samples: [[{}, sys.inputRate]] },
    { name: 'vpp_worker_threads', help: 'Worker threads (/sys/num_worker_threads).', type: 'gauge', samples: [[{}, sys.workerThreads]] },
    { name: 'vpp_thread_vector_rate', help: 'Vectors per main-loop iteration, per thread (/sys/vector_rate_per_worker).', type: 'gauge', samples: sys.vectorRatePerThread.map((v, thread) => [{ thread }, v]) },
    { name: 'vpp_thread_loops_per_second', help: 'Main-loop iterations per second, per thread (/sys/loops_per_worker).', type: 'gauge', samples: sys.loopsPerThread.map((v, thread) => [{ thread }, v]) },
    { name: 'vpp_stats_heartbeat_total', help: "VPP's stats updates since it started (/sys/heartbeat).", type: 'counter', samples: [[{}, sys.heartbeat]] },
    { name: 'vpp_boot_time_seconds', help: 'When VPP started, in seconds since the Unix epoch (/sys/boottime).', type: 'gauge', samples: [[{}, sys.boottime]] },
    { name: 'vpp_memory_heap_size_bytes', help: 'Size of each VPP memory heap (/mem/<heap>/total).', type: 'gauge', samples: sys.heaps.map((h) => [{ heap: h.name }, h.total]) },
    { name: 'vpp_memory_heap_used_bytes', help: 'Bytes in use in each VPP memory heap (/mem/<heap>/used).', type: 'gauge', samples: sys.heaps.map((h) => [{ heap: h.name }, h.used]) },
    { name: 'vpp_memory_heap_free_bytes', help: 'Free bytes in each VPP memory heap (/mem/<heap>/free).', type: 'gauge', samples: sys.heaps.map((h) => [{ heap: h.name }, h.free]) },
    { name: 'vpp_buffer_pool_available_buffers', help: 'Buffers available in each buffer pool (/buffer-pools/<pool>/available).', type: 'gauge', samples: sys.bufferPools.map((p) => [{ pool: p.name }, p.available]) },
    { name: 'vpp_buffer_pool_used_buffers', help: 'Buffers in use in each buffer pool (/buffer-pools/<pool>/used).', type: 'gauge', samples: sys.bufferPools.map((p) => [{ pool: p.name }, p.used]) },
    { name: 'vpp_buffer_pool_cached_buffers', help: 'Buffers cached by threads, per buffer pool (/buffer-pools/<pool>/cached).', type: 'gauge', samples: sys.bufferPools.map((p) => [{ pool: p.name }, p.cached]) },
  ];
  return `${[...interfaceLines(s.interfaces), render(families)].join('\n')}`;
}
