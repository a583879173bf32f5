/**
 * Writes schema modules back as `.api.json` documents, the way VPP's `get_api_json` returns them:
 * each document self-contained, with every type its messages use inlined.
 *
 * @module
 */
import { type FieldDef, type MessageDef, type ModuleDef, type TypeDef, isBitSet } from '../schema/model.js';
import { neutralDefault } from '../schema/neutral-defaults.js';

type Named = Exclude<TypeDef, { kind: 'scalar' } | { kind: 'string' }>;

function typeName(t: TypeDef): string {
  return t.kind === 'scalar' || t.kind === 'string' ? t.name : `vl_api_${t.name}_t`;
}

/** A field as VPP writes it: a neutral default (neutral-defaults.ts) is vppkit's, not VPP's, so it is left out. */
function fieldJson(f: FieldDef, message?: string): unknown[] {
  const out: unknown[] = [typeName(f.type), f.name];
  if (f.length !== undefined) out.push(f.length);
  if (f.countField !== undefined) out.push(f.countField);
  const opts: Record<string, unknown> = {};
  if (f.default !== undefined && (message === undefined || neutralDefault(message, f.name) === undefined)) opts.default = f.default;
  if (f.discriminator !== undefined) opts.discriminator = f.discriminator;
  if (f.case !== undefined) opts.case = f.case;
  if (Object.keys(opts).length > 0) out.push(opts);
  return out;
}

function messageJson(m: MessageDef): unknown[] {
  const options: Record<string, string> = {};
  if (m.options.deprecated) options.deprecated = '';
  if (m.options.inProgress) options.status = 'in_progress';
  if (m.options.replacedBy !== undefined) options.replaced_by = m.options.replacedBy;
  if (m.options.vatHelp !== undefined) options.vat_help = m.options.vatHelp;
  return [m.name, ...m.fields.map((f) => fieldJson(f, m.name)), { crc: m.crc, options, ...(m.comment !== undefined && { comment: m.comment }) }];
}

function serviceJson(m: MessageDef): Record<string, unknown> | undefined {
  const s = m.service;
  switch (s?.kind) {
    case 'unary': return { reply: s.reply.name };
    case 'noreply': return { reply: 'null' };
    case 'dump': return { reply: s.details.name, stream: true };
    case 'stream': return { reply: s.reply.name, stream: true, stream_msg: s.details.name };
    case 'events': return { reply: s.reply.name, events: s.events.map((e) => e.name) };
    default: return undefined;
  }
}

/** Every named type `fields` use, directly or through other types, in dependency order. */
function typesUsed(messages: readonly MessageDef[]): Named[] {
  const seen = new Set<Named>();
  const visit = (t: TypeDef): void => {
    if (t.kind === 'scalar' || t.kind === 'string' || seen.has(t)) return;
    if (t.kind === 'alias') visit(t.type);
    else if (t.kind !== 'enum') for (const f of t.fields) visit(f.type);
    seen.add(t);
  };
  for (const m of messages) for (const f of m.fields) visit(f.type);
  return [...seen];
}

/** `module` as one element of `get_api_json`'s array (the format of an `.api.json` file). */
export function toApiJson(module: ModuleDef): Record<string, unknown> {
  const types: unknown[] = [];
  const unions: unknown[] = [];
  const enums: unknown[] = [];
  const enumflags: unknown[] = [];
  const aliases: Record<string, unknown> = {};
  for (const t of typesUsed(module.messages)) {
    switch (t.kind) {
      case 'alias':
        aliases[t.name] = { type: typeName(t.type), ...(t.length !== undefined && { length: t.length }) };
        break;
      case 'enum':
        (t.flags && !isBitSet(t.name) ? enumflags : enums).push([t.name, ...Object.entries(t.values), { enumtype: t.width }]);
        break;
      default:
        (t.kind === 'union' ? unions : types).push([t.name, ...t.fields.map((f) => fieldJson(f)), ...(t.comment !== undefined ? [{ comment: t.comment }] : [])]);
    }
  }
  const services: Record<string, unknown> = {};
  for (const m of module.messages) {
    const s = serviceJson(m);
    if (s) services[m.name] = s;
  }
  return {
    module: module.name,
    types,
    messages: module.messages.map(messageJson),
    unions,
    enums,
    enumflags,
    services,
    options: { version: module.version },
    aliases,
    vl_api_version: module.crc,
    imports: [],
    counters: [],
    paths: [],
  };
}

/**
 * What VPP's `get_api_json` answers for `modules`: a JSON array with one document per module that
 * defines messages, memclnt left out (as VPP does).
 */
export function apiJsonBundle(modules: readonly ModuleDef[]): string {
  const docs = modules.filter((m) => m.name !== 'memclnt' && m.messages.length > 0).map(toApiJson);
  return JSON.stringify(docs, null, 4);
}
