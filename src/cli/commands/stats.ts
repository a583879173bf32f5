/**
 * `vppkit stats`: VPP's counters from its stats segment (`ls`, `dump`, `interfaces`, `errors`,
 * `nodes`, `system`, `watch`), and `serve`, a Prometheus endpoint.
 *
 * @module
 */
import { toJson } from '../../codec/index.js';
import type { CombinedCounter, StatValue, StatsReader } from '../../stats/types.js';
import { type Command, CliError, EXIT, type Io } from '../command.js';
import { LineOutput } from '../output.js';
import { openStats, statsSocket } from '../stats-connection.js';
import { Table } from './dump.js';
import { serveMetrics } from './stats-serve.js';

/** What a subcommand read: rows for `--json` and tables, and its own text lines where it prints lines by default. */
type Rows = { readonly rows: Record<string, unknown>[]; readonly text?: string[] };

const SUBCOMMANDS = ['ls', 'dump', 'interfaces', 'errors', 'nodes', 'system', 'watch', 'serve'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Runs a read whose patterns came from the command line: a bad pattern is a usage error. */
async function withPatterns<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof TypeError) throw new CliError(err.message, EXIT.usage, { cause: err });
    throw err;
  }
}

const packets = (c: CombinedCounter): string => `${c.packets} packets, ${c.bytes} bytes`;

/** One entry as `vpp_get_stats dump` prints it: a line per value, the path last. */
function dumpText(path: string, v: StatValue): string[] {
  switch (v.type) {
    case 'scalar':
    case 'gauge':
      return [`${v.value} ${path}`];
    case 'simple':
      return v.perThread.flatMap((row, t) => row.map((n, i) => `[${i} @ ${t}]: ${n} packets ${path}`));
    case 'combined':
      return v.perThread.flatMap((row, t) => row.map((c, i) => `[${i} @ ${t}]: ${packets(c)} ${path}`));
    case 'symlink-simple':
      return v.perThread.map((n, t) => `[${v.index} @ ${t}]: ${n} packets ${path}`);
    case 'symlink-combined':
      return v.perThread.map((c, t) => `[${v.index} @ ${t}]: ${packets(c)} ${path}`);
    case 'name':
      return v.names.flatMap((n, i) => (n === null ? [] : [`[${i}]: ${n} ${path}`]));
    case 'histogram-log2':
      return v.perThread.map((h, t) => `[@ ${t}]: min exp ${h.minExp}, bins ${h.bins.join(' ')} ${path}`);
    case 'ring-buffer':
      return v.perThread.map((r, t) => `[@ ${t}]: head ${r.head}, sequence ${r.sequence} ${path}`);
    case 'empty':
      return [];
  }
}

/** One entry as rows: one per value, for `--json` and `--table`. */
function dumpRows(path: string, v: StatValue): Record<string, unknown>[] {
  switch (v.type) {
    case 'scalar':
    case 'gauge':
      return [{ path, type: v.type, value: v.value }];
    case 'simple':
      return v.perThread.flatMap((row, thread) => row.map((value, index) => ({ path, type: v.type, thread, index, value })));
    case 'combined':
      return v.perThread.flatMap((row, thread) => row.map((c, index) => ({ path, type: v.type, thread, index, packets: c.packets, bytes: c.bytes })));
    case 'symlink-simple':
      return v.perThread.map((value, thread) => ({ path, type: v.type, target: v.target, thread, index: v.index, value }));
    case 'symlink-combined':
      return v.perThread.map((c, thread) => ({ path, type: v.type, target: v.target, thread, index: v.index, packets: c.packets, bytes: c.bytes }));
    case 'name':
      return v.names.flatMap((name, index) => (name === null ? [] : [{ path, type: v.type, index, name }]));
    case 'histogram-log2':
      return v.perThread.map((h, thread) => ({ path, type: v.type, thread, minExp: h.minExp, bins: h.bins }));
    case 'ring-buffer':
      return v.perThread.map((r, thread) => ({ path, type: v.type, thread, head: r.head, sequence: r.sequence }));
    case 'empty':
      return [];
  }
}

async function rowsOf(sub: Exclude<Subcommand, 'watch' | 'serve'>, stats: StatsReader, patterns: string[]): Promise<Rows> {
  switch (sub) {
    case 'ls': {
      const paths = await withPatterns(() => stats.ls(patterns));
      return { rows: paths.map((path) => ({ path })), text: paths };
    }
    case 'dump': {
      const values = await withPatterns(() => stats.dump(patterns));
      return { rows: [...values].flatMap(([path, v]) => dumpRows(path, v)), text: [...values].flatMap(([path, v]) => dumpText(path, v)) };
    }
    case 'interfaces':
      return {
        rows: (await stats.interfaces()).map((i) => ({
          sw_if_index: i.swIfIndex, name: i.name, 'rx packets': i.rx.packets, 'rx bytes': i.rx.bytes, 'tx packets': i.tx.packets, 'tx bytes': i.tx.bytes,
          drops: i.drops, 'rx-error': i.rxErrors, 'tx-error': i.txErrors, punt: i.counters.punt, ip4: i.counters.ip4, ip6: i.counters.ip6,
        })),
      };
    case 'errors':
      return { rows: (await stats.errors()).map((e) => ({ count: e.value, node: e.node, reason: e.reason })) };
    case 'nodes':
      return {
        rows: (await stats.nodes()).filter((n) => n.calls > 0n || n.suspends > 0n).map((n) => ({
          name: n.name, calls: n.calls, vectors: n.vectors, suspends: n.suspends, clocks: n.clocks, 'vectors/call': n.vectorsPerCall.toFixed(2), 'clocks/vector': n.clocksPerVector.toFixed(2),
        })),
      };
    case 'system': {
      const s = await stats.system();
      const rows = Object.entries(s).flatMap(([key, value]): Record<string, unknown>[] => {
        if (key === 'heaps') return s.heaps.map((h) => ({ key: `heap ${h.name}`, value: `${h.used} used of ${h.total} bytes, ${h.free} free` }));
        if (key === 'bufferPools') return s.bufferPools.map((p) => ({ key: `buffer pool ${p.name}`, value: `${p.available} available, ${p.used} used, ${p.cached} cached` }));
        return [{ key, value: Array.isArray(value) ? value.join(' ') : value }];
      });
      return { rows, text: rows.map((r) => `${String(r.key)}: ${String(r.value)}`) };
    }
  }
}

/** `--interval` and `--count` of watch. */
function positive(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`--${option} must be a positive whole number, got ${String(value)}`);
  return n;
}

/** Prints what changed at each snapshot, until `--count` snapshots or Ctrl-C. */
async function watch(stats: StatsReader, patterns: string[], values: Record<string, unknown>, json: boolean, io: Io, signal: AbortSignal): Promise<number> {
  const interval = positive(values.interval, 'interval', 1000);
  const count = positive(values.count, 'count', Infinity);
  const out = new LineOutput(io.stdout);
  let seen = 0;
  await withPatterns(async () => {
    for await (const snap of stats.watch({ interval, signal, ...(patterns.length > 0 && { paths: patterns }) })) {
      const changed = snap.changed;
      if (json) {
        const counters = Object.fromEntries(changed.map((c) => [c.key, { value: String(c.value), delta: String(c.delta), rate: c.rate, ...(c.reset && { reset: true }) }]));
        out.line(JSON.stringify({ time: new Date(snap.time).toISOString(), elapsed: snap.elapsed, ...(snap.reconnected && { reconnected: true }), counters }));
      } else {
        out.line(`${new Date(snap.time).toISOString()}${snap.reconnected ? ' (VPP restarted)' : ''}: ${changed.length} changed`);
        for (const c of changed) out.line(`  ${c.key} ${c.value} ${c.delta >= 0n ? '+' : ''}${c.delta} ${c.rate.toFixed(1)}/s${c.reset ? ' (reset)' : ''}`);
      }
      await out.flush();
      if (out.gone || ++seen >= count) break;
    }
  });
  return EXIT.ok;
}

/** `vppkit stats SUBCOMMAND [PATTERN...]`. */
export const statsCommand: Command = {
  name: 'stats',
  summary: "read VPP's counters from its stats segment (ls, dump, interfaces, errors, nodes, system, watch), or serve them to Prometheus",
  usage: [
    'stats ls|dump [PATTERN...] | interfaces | errors | nodes | system | watch [PATTERN...] [--interval MS] [--count N] | serve --listen HOST:PORT',
    '',
    '  --socket PATH       the stats socket (default $VPP_STATS_SOCKET or /run/vpp/stats.sock)',
    '  --json              one JSON object per line (counters as strings: they are 64-bit)',
    '  --table             a table (the default for interfaces, errors and nodes; nodes lists those that ran, as show runtime)',
    '  PATTERN             a regular expression matched against entry names, as vpp_get_stats takes',
    '  --interval MS       watch: between snapshots (default 1000)',
    '  --count N           watch: stop after N snapshots',
    '  --listen HOST:PORT  serve: where /metrics listens ([::1]:9482 for IPv6; port 0 picks one)',
  ].join('\n'),
  examples: [
    'vppkit stats ls ^/if/',
    "vppkit stats dump '^/interfaces/loop0/'",
    'vppkit stats interfaces',
    'vppkit stats errors --json | jq -r .node',
    'vppkit stats watch ^/if/rx$ --interval 1000',
    'vppkit stats serve --listen 127.0.0.1:9482   # then: curl http://127.0.0.1:9482/metrics',
  ],
  options: { table: { type: 'boolean' }, interval: { type: 'string' }, count: { type: 'string' }, listen: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    const [sub, ...patterns] = positionals;
    if (!SUBCOMMANDS.includes(sub as Subcommand)) throw new CliError(`stats needs one of ${SUBCOMMANDS.join(', ')}${sub === undefined ? '' : `, not ${JSON.stringify(sub)}`} (vppkit stats --help)`);
    const s = sub as Subcommand;
    if (global.json && values.table) throw new CliError('--json and --table exclude each other');
    if (patterns.length > 0 && !['ls', 'dump', 'watch'].includes(s)) throw new CliError(`stats ${s} takes no patterns; unexpected ${patterns.join(' ')}`);
    if ((values.interval !== undefined || values.count !== undefined) && s !== 'watch') throw new CliError('--interval and --count go with stats watch');
    if ((values.listen !== undefined) !== (s === 'serve')) throw new CliError(s === 'serve' ? 'stats serve needs --listen HOST:PORT, e.g. --listen 127.0.0.1:9482' : '--listen goes with stats serve');
    if (s === 'serve') return serveMetrics({ listen: values.listen as string, socket: statsSocket(values, io), io, signal });

    const stats = await openStats(statsSocket(values, io), signal);
    try {
      if (s === 'watch') return await watch(stats, patterns, values, global.json, io, signal);
      const { rows, text } = await rowsOf(s, stats, patterns);
      const out = new LineOutput(io.stdout);
      if (global.json) for (const r of rows) out.line(JSON.stringify(toJson(r)));
      else if (text && !values.table) for (const l of text) out.line(l);
      else {
        const table = new Table(undefined);
        for (const r of rows) table.add(r);
        for (const l of table.render()) out.line(l);
        if (rows.length === 0) io.stderr.write(`vppkit stats ${s}: none\n`);
      }
      await out.flush();
      return EXIT.ok;
    } finally {
      stats.close();
    }
  },
};
