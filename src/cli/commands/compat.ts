/**
 * `vppkit compat`: which messages of the definitions in use the running VPP has, lacks, or
 * defines differently.
 *
 * @module
 */
import type { CompatibilityReport } from '../../client/index.js';
import type { MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT } from '../command.js';
import { withVpp } from '../connection.js';
import { clip, suggest } from '../../codec/runtime.js';
import type { Definitions } from '../definitions.js';
import { versions, vppVersion } from './version.js';

/** One message's status, as `--json` prints it. */
interface Row {
  name: string;
  module: string;
  status: 'present' | 'missing' | 'other-crc';
  crc: string;
  vppCrc?: string;
}

/** How many names an error line lists before `and N more`. */
const NAMES_LISTED = 5;

/** The asked-for messages with the replies, details and events they need, in order, once each. */
function withAnswers(defs: Definitions, names: readonly string[]): MessageDef[] {
  const out = new Set<MessageDef>();
  for (const name of names) {
    const def = defs.message(name);
    out.add(def);
    const s = def.service;
    if (s && 'reply' in s) out.add(s.reply);
    if (s && 'details' in s) out.add(s.details);
    if (s?.kind === 'events') for (const e of s.events) out.add(e);
  }
  return [...out];
}

function moduleMessages(defs: Definitions, list: string): MessageDef[] {
  const names = defs.modules.map((m) => m.name);
  return list.split(',').map((m) => m.trim()).filter(Boolean).flatMap((name) => {
    const module = defs.modules.find((m) => m.name === name);
    if (module) return module.messages;
    const near = suggest(name, names);
    throw new CliError(`no module "${clip(name)}" in ${defs.source}${near.length ? `; did you mean ${near.join(', ')}?` : ''}`);
  });
}

function rowOf(def: MessageDef, report: CompatibilityReport): Row {
  const s = report.status(def);
  const row: Row = { name: def.name, module: def.module, status: s.status, crc: def.crc };
  if (s.status === 'other-crc') row.vppCrc = s.vppCrc;
  return row;
}

function listed(rows: readonly Row[]): string {
  const names = rows.slice(0, NAMES_LISTED).map((r) => r.name).join(', ');
  return rows.length > NAMES_LISTED ? `${names} and ${rows.length - NAMES_LISTED} more` : names;
}

function problem(r: Row): string {
  return r.status === 'missing' ? `  missing    ${r.name}` : `  other-crc  ${r.name.padEnd(48)} ${r.crc} here, ${r.vppCrc} in VPP`;
}

/** `vppkit compat [MESSAGE...] [--modules a,b]`. */
export const compatCommand: Command = {
  name: 'compat',
  summary: 'check the definitions in use against the running VPP: what is missing, what has another CRC',
  usage: 'compat [MESSAGE...] [--modules a,b]',
  examples: [
    'vppkit compat   # every bundled module; exit 1 if one VPP has differs (plugins VPP lacks entirely are listed, not failed)',
    'vppkit compat --modules acl,nat44_ed   # exit 1 unless VPP has every message of both as defined here',
    'vppkit compat acl_add_replace acl_dump   # these, with their replies, details and events',
    'vppkit compat --api-dir ./my-api --json | jq -c \'select(.status != "present")\'',
  ],
  options: { modules: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    return withVpp({ command: 'compat', global, io, signal, definitions: 'local' }, async ({ client, defs }) => {
      const asked = positionals.length > 0 || values.modules !== undefined;
      const scope = [
        ...(typeof values.modules === 'string' ? moduleMessages(defs, values.modules) : []),
        ...withAnswers(defs, positionals),
        ...(asked ? [] : defs.modules.flatMap((m) => m.messages)),
      ];
      const rows = [...new Map(scope.map((def) => [def.name, rowOf(def, client.compatibility)])).values()];
      const modules = new Map<string, Row[]>();
      for (const r of rows) {
        const list = modules.get(r.module);
        if (list) list.push(r);
        else modules.set(r.module, [r]);
      }
      const absent = new Set([...modules].filter(([, rs]) => rs.every((r) => r.status === 'missing')).map(([m]) => m));
      const failing = rows.filter((r) => r.status !== 'present' && (asked || !absent.has(r.module)));

      if (global.json) for (const r of rows) io.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        const vpp = await vppVersion(client, defs, signal).then((v) => `VPP ${v.version}`, () => 'VPP');
        const source = global.apiDir === undefined ? `${defs.source} (${versions().bindings})` : defs.source;
        io.stdout.write(`${vpp} at ${global.socket} against ${source}:\n`);
        const width = Math.max(...[...modules.keys()].map((m) => m.length));
        for (const [module, rs] of modules) {
          const bad = rs.filter((r) => r.status !== 'present');
          const missing = bad.filter((r) => r.status === 'missing').length;
          const state = bad.length === 0 ? 'ok' : absent.has(module) ? 'absent' : 'differs';
          const detail =
            state === 'ok' ? `${rs.length} messages`
            : state === 'absent' ? `none of the ${rs.length} messages (plugin not loaded?)`
            : [missing && `${missing} missing`, bad.length - missing && `${bad.length - missing} other CRC`, `${rs.length - bad.length} ok`].filter(Boolean).join(', ');
          io.stdout.write(`${module.padEnd(width)}  ${state.padEnd(7)}  ${detail}\n`);
          // Name the messages where it helps: a module that differs, or messages asked for by name.
          if (state === 'differs' || positionals.length > 0) for (const r of bad) io.stdout.write(`${problem(r)}\n`);
        }
      }
      if (failing.length === 0) return EXIT.ok;
      const missing = failing.filter((r) => r.status === 'missing');
      const other = failing.filter((r) => r.status === 'other-crc');
      const parts = [missing.length ? `missing: ${listed(missing)}` : '', other.length ? `other CRC: ${listed(other)}` : ''].filter(Boolean);
      throw new CliError(`${failing.length} message${failing.length === 1 ? '' : 's'} incompatible with this VPP (${parts.join('; ')})`, EXIT.vppError);
    });
  },
};
