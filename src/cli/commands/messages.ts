/**
 * `vppkit messages` and `vppkit diff`: what the definitions hold, and what changed between two sets.
 *
 * @module
 */
import type { FieldDef, MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT } from '../command.js';
import { loadDefinitions } from '../definitions.js';

/** A request's kind of call (`dump`, `subscription`…), else the message's role (`reply`, `details`, `event`). */
export function kindOf(m: MessageDef): string {
  const s = m.service;
  if (!s) return m.role;
  switch (s.kind) {
    case 'unary': return 'request';
    case 'noreply': return 'request (no reply)';
    case 'dump': return 'dump';
    case 'stream': return 'stream';
    case 'events': return 'subscription';
  }
}

/** `u32`, `string[64]`, `acl_rule[count]`… */
export function typeText(f: FieldDef): string {
  const base = f.type.name;
  if (f.length === undefined) return base;
  if (f.length > 0) return `${base}[${f.length}]`;
  return f.countField ? `${base}[${f.countField}]` : `${base}[]`;
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** `vppkit messages [PATTERN] [--fields]`. */
export const messagesCommand: Command = {
  name: 'messages',
  summary: 'list known messages with their kind (and --fields)',
  usage: 'messages [PATTERN] [--fields]',
  examples: ['vppkit messages "acl_*"', 'vppkit messages sw_interface_dump --fields', 'vppkit messages --api-dir /usr/share/vpp/api --json | jq .name'],
  options: { fields: { type: 'boolean' } },
  async run({ positionals, values, global, io }) {
    const defs = await loadDefinitions(global.apiDir);
    const pattern = positionals[0];
    const match = pattern ? (pattern.includes('*') || pattern.includes('?') ? glob(pattern) : undefined) : undefined;
    const list = [...defs.messages.values()]
      .filter((m) => !pattern || (match ? match.test(m.name) : m.name.includes(pattern)))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (list.length === 0) throw new CliError(`no message matches "${pattern}" in ${defs.source}`);
    for (const m of list) {
      const kind = kindOf(m);
      const fields = values.fields ? m.fields.map((f) => ({ name: f.name, type: typeText(f) })) : undefined;
      if (global.json) {
        io.stdout.write(`${JSON.stringify({ name: m.name, module: m.module, crc: m.crc, kind, ...(fields && { fields }) })}\n`);
      } else {
        io.stdout.write(`${m.name.padEnd(48)} ${kind.padEnd(20)} ${m.module}\n`);
        if (fields) for (const f of fields) io.stdout.write(`    ${f.name.padEnd(32)} ${f.type}\n`);
      }
    }
    return EXIT.ok;
  },
};

/** `vppkit diff OLD_DIR NEW_DIR`. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'messages added, removed or changed (CRC) between two sets of definitions',
  usage: 'diff OLD_DIR NEW_DIR',
  examples: ['vppkit diff /opt/vpp-25.10/api /usr/share/vpp/api', 'vppkit diff old new --json | jq -r "select(.change == \\"changed\\") | .name"'],
  async run({ positionals, global, io }) {
    const [oldDir, newDir] = positionals;
    if (!oldDir || !newDir) throw new CliError('diff needs two directories of .api.json files: OLD_DIR NEW_DIR');
    const [a, b] = [await loadDefinitions(oldDir), await loadDefinitions(newDir)];
    const rows: { change: 'added' | 'removed' | 'changed'; name: string; module: string; old?: string; new?: string }[] = [];
    for (const [name, m] of b.messages) {
      const was = a.messages.get(name);
      if (!was) rows.push({ change: 'added', name, module: m.module, new: m.crc });
      else if (was.crc !== m.crc) rows.push({ change: 'changed', name, module: m.module, old: was.crc, new: m.crc });
    }
    for (const [name, m] of a.messages) if (!b.messages.has(name)) rows.push({ change: 'removed', name, module: m.module, old: m.crc });
    rows.sort((x, y) => x.change.localeCompare(y.change) || x.name.localeCompare(y.name));
    for (const r of rows) {
      if (global.json) io.stdout.write(`${JSON.stringify(r)}\n`);
      else io.stdout.write(`${r.change.padEnd(8)} ${r.name.padEnd(48)} ${r.old ?? ''}${r.old && r.new ? ' -> ' : ''}${r.new ?? ''}\n`);
    }
    if (!global.json) {
      const count = (c: string) => rows.filter((r) => r.change === c).length;
      io.stderr.write(`${count('added')} added, ${count('removed')} removed, ${count('changed')} changed\n`);
    }
    return EXIT.ok;
  },
};
