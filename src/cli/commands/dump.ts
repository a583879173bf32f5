/**
 * `vppkit dump`: a dump or cursor stream, as JSON lines or a table.
 *
 * @module
 */
import type { MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT, type Io } from '../command.js';
import { withVpp } from '../connection.js';
import { LineOutput, messageJson } from '../output.js';
import { readFields, wrongKind } from './call.js';

/** Lines batched before a write while details keep coming. */
const BATCH_BYTES = 64 * 1024;
/** How often the progress count on a terminal is redrawn, in ms. */
const PROGRESS_EVERY = 200;
/** Widest table cell; longer values are cut with an ellipsis. */
const CELL_WIDTH = 40;

/** `count so far` on stderr, redrawn in place, only on a terminal and only once a dump takes a while. */
class Progress {
  private count = 0;
  private shown = false;
  private last = performance.now();

  constructor(
    private readonly stderr: Io['stderr'],
    private readonly what: string,
  ) {}

  tick(): void {
    this.count++;
    if (!this.stderr.isTTY) return;
    const now = performance.now();
    if (now - this.last < PROGRESS_EVERY) return;
    this.last = now;
    this.shown = true;
    this.stderr.write(`\r${this.what}: ${this.count} so far`);
  }

  /** Erases the count, so the terminal shows only the output. */
  clear(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
  }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.join(',');
    return v.length === 0 ? '[]' : `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  }
  if (typeof v === 'object') return 'hex' in v && Object.keys(v).length === 1 ? String(v.hex) : JSON.stringify(v);
  return String(v);
}

/** Zero, empty, false, an all-zero address: nothing worth a column when every row has it. */
function blank(text: string): boolean {
  return text === 'false' || text === '[]' || /^[0:.,/]*$/.test(text);
}

/**
 * The details as a table: a column per field, struct fields spread one level (`flags.x`),
 * columns blank in every row left out unless picked with `--columns`.
 */
class Table {
  private readonly rows: Map<string, string>[] = [];
  private readonly columns = new Set<string>();

  constructor(private readonly pick: readonly string[] | undefined) {}

  add(row: Record<string, unknown>): void {
    const cells = new Map<string, string>();
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && !('hex' in v)) {
        for (const [k2, v2] of Object.entries(v)) cells.set(`${k}.${k2}`, cell(v2));
      } else cells.set(k, cell(v));
    }
    for (const c of cells.keys()) this.columns.add(c);
    this.rows.push(cells);
  }

  /** The table's lines, header first; none for no rows. */
  render(): string[] {
    if (this.rows.length === 0) return [];
    const pick = this.pick;
    const shown = pick
      ? pick.flatMap((p) => [...this.columns].filter((c) => c === p || c.startsWith(`${p}.`)))
      : [...this.columns].filter((c) => this.rows.some((r) => !blank(r.get(c) ?? '')));
    const cut = (s: string): string => (s.length > CELL_WIDTH ? `${s.slice(0, CELL_WIDTH - 1)}…` : s);
    const lines = [shown, ...this.rows.map((r) => shown.map((c) => cut(r.get(c) ?? '')))];
    const widths = shown.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
    return lines.map((l) => l.map((s, i) => (i === l.length - 1 ? s : s.padEnd(widths[i]!))).join('  '));
  }
}

/** The `--columns` list, each checked against the details' fields. */
function columnsOption(value: unknown, details: MessageDef): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const fields = details.fields.map((f) => f.name).filter((n) => n !== '_vl_msg_id' && n !== 'context');
  const pick = value.split(',').map((c) => c.trim()).filter(Boolean);
  const bad = pick.filter((c) => !fields.includes(c.split('.')[0]!));
  if (bad.length > 0) throw new CliError(`${details.name} has no field ${bad.join(', ')}; its fields: ${fields.join(', ')}`);
  return pick;
}

/** `vppkit dump MESSAGE [JSON] [--table [--columns a,b]]`. */
export const dumpCommand: Command = {
  name: 'dump',
  summary: 'run a dump or cursor stream and print one JSON object per detail (or --table)',
  usage: 'dump MESSAGE [JSON|@FILE|-] [--table [--columns a,b.c]]',
  examples: [
    `vppkit dump sw_interface_dump '{"name_filter_valid": false}' > interfaces.jsonl   # on a terminal, stderr counts them`,
    'vppkit dump acl_dump | jq -c "{acl_index, tag}"',
    'vppkit dump sw_interface_dump --table   # columns blank in every row are left out',
    'vppkit dump sw_interface_dump --table --columns sw_if_index,interface_name,flags',
    'vppkit dump nat44_ed_output_interface_get   # cursor streams are followed to the end',
  ],
  options: { table: { type: 'boolean' }, columns: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    const [name, json, ...extra] = positionals;
    if (name === undefined) throw new CliError('dump needs a message name, e.g. vppkit dump sw_interface_dump (vppkit messages "*_dump" lists them)');
    if (extra.length > 0) throw new CliError(`dump takes MESSAGE [JSON]; unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')} (quote the JSON)`);
    if (values.columns !== undefined && !values.table) throw new CliError('--columns goes with --table');
    const fields = await readFields(json, io);
    return withVpp({ command: 'dump', global, io, signal, definitions: 'bootstrap' }, async ({ client, defs }) => {
      const def = defs.message(name);
      const s = def.service;
      if (s?.kind !== 'dump' && s?.kind !== 'stream') throw wrongKind(def);
      const table = values.table ? new Table(columnsOption(values.columns, s.details)) : undefined;
      const details = s.kind === 'dump' ? client.dump(def, fields, { signal }) : client.stream(def, fields, { signal });
      const out = new LineOutput(io.stdout);
      const progress = new Progress(io.stderr, s.details.name);
      try {
        for await (const d of details) {
          progress.tick();
          if (table) table.add(messageJson(d));
          else {
            out.line(JSON.stringify(messageJson(d)));
            // Write when caught up with VPP, so a slow dump shows as it goes and a fast one in batches.
            if (details.buffered === 0 || out.size >= BATCH_BYTES) await out.flush();
            if (out.gone) break;
          }
        }
      } finally {
        progress.clear();
      }
      if (table) {
        const lines = table.render();
        if (lines.length === 0) io.stderr.write(`vppkit dump: no ${s.details.name}\n`);
        for (const l of lines) out.line(l);
      }
      await out.flush();
      return EXIT.ok;
    });
  },
};
