/**
 * `vppkit dump`: a dump or cursor stream, as JSON lines or a table.
 *
 * @module
 */
import { type FieldDef, type MessageDef, type TypeDef, headerFields, unwrap } from '../../schema/model.js';
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

/** The value at a `--columns` path: `a.b` into structs, `r.0.x` into one element, `r.x` into every element. */
function at(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return path.length === 0 ? value : undefined;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return /^\d+$/.test(head) ? at(value[Number(head)], rest) : value.map((v) => at(v, path));
  return at((value as Record<string, unknown>)[head], rest);
}

/**
 * The details as a table: a column per field with struct fields spread one level (`flags.x`),
 * or the columns picked with `--columns`. Every column is shown: zero is data. `vppkit stats` uses it too.
 */
export class Table {
  private readonly rows: Record<string, unknown>[] = [];

  constructor(private readonly pick: readonly string[] | undefined) {}

  add(row: Record<string, unknown>): void {
    this.rows.push(row);
  }

  private cells(row: Record<string, unknown>): Map<string, string> {
    const cells = new Map<string, string>();
    if (this.pick) for (const p of this.pick) cells.set(p, cell(at(row, p.split('.'))));
    else
      for (const [k, v] of Object.entries(row)) {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && !('hex' in v)) {
          for (const [k2, v2] of Object.entries(v)) cells.set(`${k}.${k2}`, cell(v2));
        } else cells.set(k, cell(v));
      }
    return cells;
  }

  /** The table's lines, header first; none for no rows. */
  render(): string[] {
    if (this.rows.length === 0) return [];
    const rows = this.rows.map((r) => this.cells(r));
    const shown = [...new Set(rows.flatMap((r) => [...r.keys()]))];
    const cut = (s: string): string => (s.length > CELL_WIDTH ? `${s.slice(0, CELL_WIDTH - 1)}…` : s);
    const lines = [shown, ...rows.map((r) => shown.map((c) => cut(r.get(c) ?? '')))];
    const widths = shown.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
    return lines.map((l) => l.map((s, i) => (i === l.length - 1 ? s : s.padEnd(widths[i]!))).join('  '));
  }
}

/** The fields of a struct or union type (through aliases), or undefined for any other type. */
function structFields(type: TypeDef): readonly FieldDef[] | undefined {
  const t = unwrap(type);
  return t.kind === 'struct' || t.kind === 'union' ? t.fields : undefined;
}

/** Whether `path` names a field of `details`: struct fields by name, array elements by index or all of them. */
function validPath(details: MessageDef, path: string): boolean {
  let fields: readonly FieldDef[] | undefined = details.fields.slice(headerFields(details).length);
  let array = false;
  for (const seg of path.split('.')) {
    if (array && /^\d+$/.test(seg)) {
      array = false;
      continue;
    }
    const field: FieldDef | undefined = fields?.find((f) => f.name === seg);
    if (!field) return false;
    fields = structFields(field.type);
    array = field.length !== undefined && field.type.kind !== 'string';
  }
  return true;
}


/** The `--columns` list, each path checked against the details' fields. */
function columnsOption(value: unknown, details: MessageDef): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const pick = value.split(',').map((c) => c.trim()).filter(Boolean);
  const bad = pick.filter((c) => !validPath(details, c));
  const fields = details.fields.slice(headerFields(details).length).map((f) => f.name);
  if (bad.length > 0) throw new CliError(`${details.name} has no field ${bad.join(', ')}; its fields: ${fields.join(', ')} (a.b for a struct's field, r.0.x or r.x for an array's)`);
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
    'vppkit dump sw_interface_dump --table',
    'vppkit dump acl_dump --table --columns acl_index,tag,r.0.src_prefix,r.dst_prefix   # r.0.x: the first rule\'s, r.x: every rule\'s',
    'vppkit dump sw_interface_dump --table --columns sw_if_index,interface_name,flags',
    'vppkit dump nat44_ed_output_interface_get   # cursor streams are followed to the end',
    'vppkit dump acl_dump --raw   # each detail with its header (_vl_msg_id, context)',
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
