/**
 * `vppkit trace show FILE` and `vppkit trace replay FILE`: read an API trace, or send its requests
 * again and compare the retvals.
 *
 * @module
 */
import { type ReplayStep, type TraceEntry, TraceError, type TraceRecord, readTrace, replayTrace } from '../../trace/index.js';
import { type Command, CliError, EXIT, type GlobalOptions, type Io } from '../command.js';
import { headerFields } from '../../schema/model.js';
import { withVpp } from '../connection.js';
import { loadDefinitions } from '../definitions.js';
import { LineOutput, messageJson } from '../output.js';

/** Lines batched before a write. */
const BATCH_BYTES = 64 * 1024;
/** Widest summary in a table row. */
const SUMMARY_WIDTH = 60;

/** `vppkit trace show|replay FILE`. */
export const traceCommand: Command = {
  name: 'trace',
  summary: 'show an API trace (recorded with connect({ trace })) or replay its requests against a VPP',
  usage: 'trace show FILE [--message PATTERN] [--since T] [--until T] [--table]  |  trace replay FILE [--socket PATH]',
  examples: [
    'vppkit trace show api.trace                      # one JSON object per message',
    'vppkit trace show api.trace --table --message "acl_*"',
    'vppkit trace show api.trace --since 2.5 --until 4   # seconds after the trace started',
    'vppkit trace show api.trace --since 2026-05-01T10:00:00Z',
    'vppkit trace replay api.trace --socket /run/vpp/api.sock   # exit 1 if a retval differs',
  ],
  options: { message: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, table: { type: 'boolean' } },
  async run({ positionals, values, global, io, signal }) {
    const [sub, file, ...extra] = positionals;
    if (sub !== 'show' && sub !== 'replay') throw new CliError(`trace needs show or replay, e.g. vppkit trace show FILE${sub === undefined ? '' : ` (not "${sub}")`}`);
    if (file === undefined) throw new CliError(`trace ${sub} needs a trace file`);
    if (extra.length > 0) throw new CliError(`trace ${sub} takes one file; unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')}`);
    if (sub === 'show') return show(file, values, global, io);
    for (const o of ['message', 'since', 'until', 'table']) if (values[o] !== undefined) throw new CliError(`--${o} goes with trace show`);
    return replay(file, global, io, signal);
  },
};

async function show(file: string, values: Record<string, unknown>, global: GlobalOptions, io: Io): Promise<number> {
  if (values.table && global.json) throw new CliError('--table and --json: pick one');
  const defs = await loadDefinitions(global.apiDir);
  const match = pattern(values.message as string | undefined);
  const out = new LineOutput(io.stdout);
  const rows: string[][] = [];
  let start = 0n;
  let since: bigint | undefined;
  let until: bigint | undefined;
  let damaged: TraceError | undefined;
  try {
    for await (const e of readTrace(file, { definitions: defs.modules })) {
      if (e.kind === 'header') {
        start = e.timeNs;
        since = time(values.since, 'since', start);
        until = time(values.until, 'until', start);
        continue;
      }
      if ((since !== undefined && e.timeNs < since) || (until !== undefined && e.timeNs > until) || (match && !match.test(e.name))) continue;
      if (values.table) rows.push(row(e, start, global.raw));
      else out.line(JSON.stringify(recordJson(e, global.raw)));
      if (out.size >= BATCH_BYTES) await out.flush();
      if (out.gone) return EXIT.ok;
    }
  } catch (err) {
    if (!(err instanceof TraceError)) throw err;
    damaged = err;
  }
  // Everything before the damage is shown, then the damage.
  flushTable(out, rows);
  await out.flush();
  if (damaged) throw new CliError(`${file}: ${damaged.message}`, EXIT.usage, { cause: damaged });
  return EXIT.ok;
}

async function replay(file: string, global: GlobalOptions, io: Io, signal: AbortSignal): Promise<number> {
  const defs = await loadDefinitions(global.apiDir);
  // Read it all before sending anything: a damaged trace replays nothing.
  const entries: TraceEntry[] = [];
  try {
    for await (const e of readTrace(file, { definitions: defs.modules })) entries.push(e);
  } catch (err) {
    if (err instanceof TraceError) throw new CliError(`${file}: ${err.message}; nothing was replayed`, EXIT.usage, { cause: err });
    throw err;
  }
  const steps = await withVpp({ command: 'trace', global, io, signal, definitions: 'local' }, ({ client }) =>
    replayTrace(client, entries, { callOptions: { signal }, onStep: (s) => io.stdout.write(`${global.json ? JSON.stringify(s) : stepLine(s)}\n`) }),
  );
  const differences = steps.filter((s) => s.differs).length;
  const sent = steps.filter((s) => s.kind !== 'skipped').length;
  if (!global.json) io.stdout.write(`replayed ${sent} of ${steps.length} requests: ${differences === 0 ? 'no differences' : `${differences} difference${differences === 1 ? '' : 's'}`}\n`);
  return differences === 0 ? EXIT.ok : EXIT.vppError;
}

function stepLine(s: ReplayStep): string {
  const head = `${s.differs ? 'DIFF' : 'ok  '} #${s.record} ${s.name}`;
  if (s.error !== undefined) return `${head}: ${s.kind === 'skipped' ? 'not replayed' : 'failed'}: ${s.error}`;
  if (s.kind === 'unary') return s.differs ? `${head}: retval ${s.replayed}, recorded ${s.recorded ?? 'no reply'}` : `${head}: retval ${s.replayed}`;
  return `${head}: ${s.replayed} details (recorded ${s.recorded})`;
}

/** A `--message` pattern: a glob with `*` and `?`, else a substring. */
function pattern(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  const escaped = text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return /[*?]/.test(text) ? new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : new RegExp(escaped);
}

/** `--since`/`--until`: seconds after the trace's start (`2.5`, `+2.5s`), or a date `Date.parse` reads. */
function time(value: unknown, option: string, start: bigint): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const secs = /^\+?(\d+(?:\.\d+)?)s?$/.exec(value);
  if (secs) return start + BigInt(Math.round(Number(secs[1]) * 1e9));
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CliError(`--${option} takes seconds after the trace's start (2.5) or a date (2026-05-01T10:00:00Z), not ${JSON.stringify(value)}`);
  return BigInt(ms) * 1_000_000n;
}

/** A time in ns since the epoch as ISO 8601 with nanoseconds. */
function iso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, `.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`);
}

/** A record's message as printed: without its header (the record's context stands for it) unless --raw. */
function messageOf(r: TraceRecord, raw: boolean): Record<string, unknown> {
  const json = messageJson(r.message);
  if (!raw && r.def) for (const name of headerFields(r.def)) delete json[name];
  return json;
}

function recordJson(r: TraceRecord, raw: boolean): Record<string, unknown> {
  return {
    record: r.index,
    time: iso(r.timeNs),
    direction: r.direction,
    name: r.name,
    crc: r.crc,
    context: r.context,
    ...(r.message && { message: messageOf(r, raw) }),
    ...(r.redacted.length > 0 && { redacted: r.redacted }),
    ...(r.error !== undefined && { error: r.error }),
  };
}

function row(r: TraceRecord, start: bigint, raw: boolean): string[] {
  const secs = (Number(r.timeNs - start) / 1e9).toFixed(6);
  let summary = r.error ?? '';
  if (r.message) {
    const { retval, client_index, ...rest } = messageOf(r, raw);
    const json = JSON.stringify(rest);
    summary = `${retval === undefined ? '' : `retval ${String(retval)} `}${json === '{}' ? '' : json}`;
  }
  if (summary.length > SUMMARY_WIDTH) summary = `${summary.slice(0, SUMMARY_WIDTH - 1)}…`;
  return [String(r.index), `+${secs}`, r.direction === 'sent' ? '->' : '<-', String(r.context), r.name, summary];
}

function flushTable(out: LineOutput, rows: string[][]): void {
  if (rows.length === 0) return;
  const lines = [['#', 'time', 'dir', 'context', 'message', 'summary'], ...rows];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines) out.line(l.map((s, i) => (i === l.length - 1 ? s : s.padEnd(widths[i]!))).join('  ').trimEnd());
}
