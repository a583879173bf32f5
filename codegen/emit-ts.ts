/**
 * Emits one TypeScript module per VPP module: types for every message and typedef, `as const`
 * enums, small `/*@__PURE__*\/` descriptors, and the module's typed message map.
 *
 * @module
 */
import { type EnumDef, type FieldDef, type MessageDef, type ModuleDef, type ScalarName, type StructDef, type TextForm, type TypeDef, type AliasDef, headerFields, isOpenEnum, optionalFields, pascal, textForm, unwrap } from '../src/schema/model.js';

/** Options for {@link emitModule}. */
export interface EmitOptions {
  /** Where generated code imports vppkit's schema from: `vppkit/schema`, or a relative path inside vppkit. */
  readonly runtimeImport: string;
  /** Named in the header comment, e.g. `VPP 26.06`. */
  readonly source?: string;
}

const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await arguments eval undefined').split(' '),
);

/** A safe JavaScript identifier for a VPP name. */
export function ident(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}


/** The module comment's overview: how many messages of each kind, and where the typedoc groups are. */
function moduleDocLines(m: ModuleDef, rt: string): string[] {
  const count = (kinds: readonly string[]) => m.messages.filter((x) => x.service && kinds.includes(x.service.kind)).length;
  const rows: [string, string, number][] = [
    ['unary call', 'unary calls', count(['unary', 'noreply'])],
    ['dump', 'dumps', count(['dump'])],
    ['cursor stream', 'cursor streams', count(['stream'])],
    ['subscription to events', 'subscriptions to events', count(['events'])],
  ];
  const listed = rows.filter(([, , n]) => n > 0).map(([one, many, n]) => `${n} ${n === 1 ? one : many}`);
  if (listed.length === 0) return [];
  const from = rt.startsWith('.') ? `vppkit/${m.name}` : `./${m.name}.js`;
  const ex = m.messages.find((x) => x.service)!;
  return [
    ' *',
    ` * Requests: ${listed.join(', ')}. Each message has a decoded type (\`${pascal(ex.name)}\`),`,
    ` * an input type (\`${pascal(ex.name)}Init\`) and a descriptor (\`${ident(ex.name)}\`); the client takes the`,
    ` * descriptor or the message's name. Import from \`${from}\`.`,
  ];
}

/** The typedoc group line of enums, typedefs, unions and aliases. */
const TYPES = '@group Types';

/** Cleans a VPP API comment into JSDoc lines, and pulls out `@param name - text` per field. */
export function parseComment(raw: string | undefined): { text: string[]; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (!raw) return { text: [], params };
  const body = raw
    .replace(/^\s*\/\*+!?/, '')
    .replace(/\*+\/\s*$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*? ?/, '').replace(/[\\@]brief\s*/, '').trimEnd());
  const text: string[] = [];
  let current: string | undefined;
  for (const line of body) {
    const m = /^\s*[@\\]param\s+(\w+)\s*(?:-\s*)?(.*)$/.exec(line);
    if (m) {
      current = m[1]!;
      params.set(current, m[2]!.trim());
    } else if (current && line.trim() && !/^\s*[@\\]/.test(line)) {
      params.set(current, `${params.get(current)} ${line.trim()}`.trim());
    } else {
      current = undefined;
      if (!/^\s*[@\\](returns?|param)\b/.test(line)) text.push(line);
    }
  }
  while (text.length && !text[0]!.trim()) text.shift();
  while (text.length && !text[text.length - 1]!.trim()) text.pop();
  for (const [k, v] of params) params.set(k, plainText(v));
  return { text: text.map(plainText), params };
}

/** VPP's comment text with no JSDoc tags in it: `@note` becomes `Note:`, any other `@word` is escaped. */
function plainText(line: string): string {
  return line.replace(/(^|\s)[@\\]note\b:?\s*/, '$1Note: ').replace(/(^|[^\\\w])@(?=\w)/g, '$1\\@');
}

/**
 * The typedoc group of each generated export, so a module's page lists its messages by kind.
 * Sibling of {@link kindLine}.
 */
export type DocGroup = 'Unary calls' | 'Dumps' | 'Streams' | 'Events' | 'Replies and details' | 'Types' | 'Module';

/** Which {@link DocGroup} message `msg` belongs to. */
function groupOf(msg: MessageDef): DocGroup {
  switch (msg.service?.kind) {
    case 'unary':
    case 'noreply':
      return 'Unary calls';
    case 'dump':
      return 'Dumps';
    case 'stream':
      return 'Streams';
    case 'events':
      return 'Events';
  }
  return msg.role === 'event' ? 'Events' : 'Replies and details';
}

function jsdoc(lines: string[], indent = ''): string {
  const safe = lines.map((l) => l.replace(/\*\//g, '*\\/'));
  if (safe.length === 0) return '';
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** Emits `module`'s TypeScript source. */
export function emitModule(module: ModuleDef, opts: EmitOptions): string {
  const e = new ModuleEmitter(module, opts);
  return e.emit();
}

class ModuleEmitter {
  private readonly imports = new Set<string>();
  private readonly valueImports = new Set<string>();
  private readonly typeImports = new Set<string>();
  private readonly out: string[] = [];

  constructor(
    private readonly module: ModuleDef,
    private readonly opts: EmitOptions,
  ) {}

  /** How this module refers to a named type's descriptor or TS type. */
  private ref(t: { name: string; module: string }, kind: 'value' | 'type', suffix = ''): string {
    const name = kind === 'value' ? ident(t.name) : pascal(t.name) + suffix;
    if (t.module === this.module.name) return name;
    this.imports.add(t.module);
    return `${ident(t.module)}.${name}`;
  }

  emit(): string {
    const m = this.module;
    for (const t of dependencyOrder(m.types)) this.emitType(t);
    const requests = m.messages.filter((x) => x.service);
    for (const msg of m.messages.filter((x) => !x.service)) this.emitMessage(msg);
    for (const msg of requests) this.emitMessage(msg);

    this.out.push(jsdoc([`Every message of \`${m.name}\`, by name: the map the client's name-based calls are typed from.`, '@group Module']).trimEnd());
    this.out.push(`export interface Messages {`);
    for (const msg of m.messages) this.out.push(`  ${msg.name}: typeof ${ident(msg.name)};`);
    this.out.push(`}\n`);
    this.out.push(jsdoc([`The \`${m.name}\` module (version ${m.version}): its own types and all its messages.`, '@group Module']).trimEnd());
    this.out.push(`export const apiModule: ModuleDef = /*@__PURE__*/ defineModule({`);
    this.out.push(`  name: ${JSON.stringify(m.name)},`);
    this.out.push(`  version: ${JSON.stringify(m.version)},`);
    this.out.push(`  crc: ${JSON.stringify(m.crc)},`);
    this.out.push(`  imports: ${JSON.stringify(m.imports)},`);
    this.out.push(`  types: [${m.types.map((t) => ident(t.name)).join(', ')}],`);
    this.out.push(`  messages: [${m.messages.map((x) => ident(x.name)).join(', ')}],`);
    this.out.push(`});\n`);

    const rt = this.opts.runtimeImport;
    const head = [
      `// Generated by vppkit from ${m.name}.api.json${this.opts.source ? ` (${this.opts.source})` : ''}, module version ${m.version}, crc ${m.crc}.`,
      '// Do not edit: regenerate with `vppkit gen`.',
      `/**`,
      ` * VPP API module \`${m.name}\`: ${m.messages.length} messages, ${m.types.length} types.`,
      ...moduleDocLines(m, rt),
      // Inside vppkit (a relative runtime import), the module is the package's subpath.
      ` * @module${rt.startsWith('.') ? ` vppkit/${m.name}` : ''}`,
      ` */`,
      `/* eslint-disable */`,
      `import { ${[...this.valueImports, 'defineModule'].sort().join(', ')} } from '${rt}';`,
      `import type { ${[...this.typeImports, 'ModuleDef'].sort().join(', ')} } from '${rt}';`,
      ...[...this.imports].sort().map((i) => `import * as ${ident(i)} from './${i}.js';`),
      '',
    ];
    return `${head.join('\n')}\n${this.out.join('\n')}`;
  }

  private emitType(t: EnumDef | StructDef | AliasDef): void {
    if (t.kind === 'enum') return this.emitEnum(t);
    if (t.kind === 'alias') return this.emitAlias(t);
    return this.emitStruct(t);
  }

  private emitEnum(t: EnumDef): void {
    const P = pascal(t.name);
    const doc = `\`${t.name}\` (${t.width}${t.flags ? ', a bit set: values may be OR-ed' : ''}).`;
    this.out.push(jsdoc([doc, TYPES]).trimEnd());
    this.out.push(`export const ${P} = {`);
    for (const [k, v] of Object.entries(t.values)) this.out.push(`  ${k}: ${v},`);
    this.out.push(`} as const;`);
    this.out.push(jsdoc([doc, TYPES]).trimEnd());
    this.out.push(t.flags ? `export type ${P} = number;` : `export type ${P} = (typeof ${P})[keyof typeof ${P}];`);
    this.out.push(jsdoc([`Descriptor of \`${t.name}\`.`, TYPES]).trimEnd());
    this.valueImports.add('defineEnum');
    this.out.push(`export const ${ident(t.name)} = /*@__PURE__*/ defineEnum(${JSON.stringify(t.module)}, ${JSON.stringify(t.name)}, '${t.width}', ${t.flags}, ${P});\n`);
  }

  private emitAlias(t: AliasDef): void {
    const P = pascal(t.name);
    const friendly = textTypes(t);
    const target = t.type.kind === 'scalar' ? `'${t.type.name}'` : this.ref(t.type as { name: string; module: string }, 'value');
    const desc = `\`${t.name}\`: ${t.length !== undefined ? `${t.length} × ${t.type.name}` : `alias of ${t.type.name}`}.`;
    if (friendly) {
      this.out.push(jsdoc([desc, friendly.doc, TYPES]).trimEnd());
      this.out.push(`export type ${P} = ${friendly.out};`);
      this.out.push(jsdoc([desc, 'Accepted when encoding.', TYPES]).trimEnd());
      this.out.push(`export type ${P}Init = ${friendly.in};`);
    } else {
      const one = { name: t.name, type: t.type, ...(t.length !== undefined && { length: t.length }) } as FieldDef;
      this.out.push(jsdoc([desc, TYPES]).trimEnd());
      this.out.push(`export type ${P} = ${this.tsField(one, 'out')};`);
      this.out.push(jsdoc([desc, 'Accepted when encoding.', TYPES]).trimEnd());
      this.out.push(`export type ${P}Init = ${this.tsField(one, 'in')};`);
    }
    this.valueImports.add('defineAlias');
    this.out.push(jsdoc([`Descriptor of \`${t.name}\`.`, TYPES]).trimEnd());
    this.out.push(`export const ${ident(t.name)} = /*@__PURE__*/ defineAlias(${JSON.stringify(t.module)}, ${JSON.stringify(t.name)}, ${target}${t.length !== undefined ? `, ${t.length}` : ''});\n`);
  }

  private emitStruct(t: StructDef): void {
    const P = pascal(t.name);
    const { text, params } = parseComment(t.comment);
    const friendly = textTypes(t);
    const what = t.kind === 'union' ? 'Union' : 'Type';
    const docs = [...text, ...(text.length ? [''] : []), `${what} \`${t.name}\`.`];
    if (friendly) {
      this.out.push(jsdoc([...docs, friendly.doc, TYPES]).trimEnd());
      this.out.push(`export type ${P} = ${friendly.out};`);
      this.out.push(jsdoc([`The raw form of \`${t.name}\`.`, TYPES]).trimEnd());
      this.out.push(`export type ${P}Raw = ${this.initType(t, params)};\n`);
      this.out.push(jsdoc([`\`${t.name}\` as accepted when encoding.`, TYPES]).trimEnd());
      this.out.push(`export type ${P}Init = ${friendly.in};`);
    } else {
      this.out.push(jsdoc([...docs, TYPES]).trimEnd());
      this.out.push(`export interface ${P} ${this.body(t, 'out', params)}`);
      this.out.push(jsdoc([`\`${t.name}\` as accepted when encoding.`, TYPES]).trimEnd());
      this.out.push(`export type ${P}Init = ${this.initType(t, params)};`);
    }
    const fn = t.kind === 'union' ? 'defineUnion' : 'defineStruct';
    this.valueImports.add(fn);
    this.out.push(jsdoc([`Descriptor of \`${t.name}\`.`, TYPES]).trimEnd());
    this.out.push(`export const ${ident(t.name)} = /*@__PURE__*/ ${fn}(${JSON.stringify(t.module)}, ${JSON.stringify(t.name)}, ${this.specs(t.fields)});\n`);
  }

  private emitMessage(msg: MessageDef): void {
    const P = pascal(msg.name);
    const { text, params } = parseComment(msg.comment);
    const tags: string[] = [];
    if (msg.options.deprecated) tags.push(`@deprecated${msg.options.replacedBy ? ` Use \`${msg.options.replacedBy}\`.` : ''}`);
    if (msg.options.inProgress) tags.push('@experimental In progress in VPP: may change without notice.');
    const kind = kindLine(msg);
    tags.push(`@group ${groupOf(msg)}`);
    const docs = [...text, ...(text.length ? [''] : []), `Message \`${msg.name}\` (crc ${msg.crc}). ${kind}`];
    this.out.push(jsdoc([...docs, ...tags]).trimEnd());
    this.out.push(`export interface ${P} ${this.body(msg, 'out', params)}`);
    this.out.push(jsdoc([`\`${msg.name}\` as accepted when encoding: without the header (the client sets it); count and defaulted fields may be left out.`, ...tags]).trimEnd());
    this.out.push(`export type ${P}Init = ${this.initType(msg, params)};`);
    const s = msg.service;
    // VPP sends events unasked: the client's typed events are these.
    let type = `${msg.role === 'event' ? 'EventMessage' : 'Message'}<${P}Init, ${P}>`;
    let service = '';
    if (s) {
      switch (s.kind) {
        case 'unary': type = `UnaryRequest<${P}Init, ${pascal(s.reply.name)}>`; service = `{ kind: 'unary', reply: ${ident(s.reply.name)} }`; break;
        case 'noreply': type = `NoReplyRequest<${P}Init>`; service = `{ kind: 'noreply' }`; break;
        case 'dump': type = `DumpRequest<${P}Init, ${pascal(s.details.name)}>`; service = `{ kind: 'dump', details: ${ident(s.details.name)} }`; break;
        case 'stream':
          type = `StreamRequest<${P}Init, ${pascal(s.reply.name)}, ${pascal(s.details.name)}>`;
          service = `{ kind: 'stream', reply: ${ident(s.reply.name)}, details: ${ident(s.details.name)} }`;
          break;
        case 'events':
          type = `EventsRequest<${P}Init, ${pascal(s.reply.name)}, ${s.events.map((x) => pascal(x.name)).join(' | ')}>`;
          service = `{ kind: 'events', reply: ${ident(s.reply.name)}, events: [${s.events.map((x) => ident(x.name)).join(', ')}] }`;
          break;
      }
    }
    const { vatHelp: _, ...kept } = msg.options;
    const opts = JSON.stringify(kept);
    this.valueImports.add('defineMessage');
    this.typeImports.add(type.slice(0, type.indexOf('<')));
    this.out.push(jsdoc([`Descriptor of \`${msg.name}\`. ${kind}`, ...tags]).trimEnd());
    this.out.push(
      `export const ${ident(msg.name)} = /*@__PURE__*/ defineMessage<${type}>(${JSON.stringify(msg.module)}, ${JSON.stringify(msg.name)}, ${JSON.stringify(msg.crc)}, ${this.specs(msg.fields)}, ${opts}, '${msg.role}'${service ? `, ${service}` : ''});\n`,
    );
  }

  /** Field specs for a descriptor. */
  private specs(fields: readonly FieldDef[]): string {
    const items = fields.map((f) => {
      const t = f.type.kind === 'scalar' || f.type.kind === 'string' ? `'${f.type.name}'` : this.ref(f.type, 'value');
      const opts: Record<string, unknown> = {};
      if (f.default !== undefined) opts.default = f.default;
      if (f.discriminator !== undefined) opts.discriminator = f.discriminator;
      if (f.case !== undefined) opts.case = f.case;
      const hasOpts = Object.keys(opts).length > 0;
      const parts = [JSON.stringify(f.name), t];
      if (f.length !== undefined || f.countField !== undefined || hasOpts) parts.push(f.length === undefined ? 'undefined' : String(f.length));
      if (f.countField !== undefined || hasOpts) parts.push(f.countField === undefined ? 'undefined' : JSON.stringify(f.countField));
      if (hasOpts) parts.push(JSON.stringify(opts));
      return `[${parts.join(', ')}]`;
    });
    return `[${items.join(', ')}]`;
  }

  /** An interface body for decoded values (`out`) or raw input (`in`). */
  private body(t: StructDef | MessageDef, dir: 'in' | 'out', params: Map<string, string>): string {
    // The client sets and reads a message's header: it is in neither values nor inputs.
    const fields = t.kind === 'message' ? t.fields.slice(headerFields(t).length) : t.fields;
    if (fields.length === 0) return '{}\n';
    const optional = dir === 'in' ? optionalFields(t) : new Set<string>();
    const lines = fields.map((f) => {
      const doc = params.get(f.name);
      const q = optional.has(f.name) || (dir === 'in' && t.kind === 'union') ? '?' : '';
      return `${doc ? jsdoc([doc], '  ') : ''}  ${propName(f.name)}${q}: ${this.tsField(f, dir)};`;
    });
    return `{\n${lines.join('\n')}\n}\n`;
  }

  /** The input type: an interface, or for a struct holding a discriminated union, one variant per case. */
  private initType(t: StructDef | MessageDef, params: Map<string, string>): string {
    const disc = t.fields.find((f) => f.discriminator !== undefined);
    const un = disc && unwrap(disc.type);
    const tag = disc && t.fields.find((f) => f.name === disc.discriminator);
    if (!disc || !un || un.kind !== 'union' || !tag || tag.type.kind !== 'enum' || un.fields.some((a) => a.case === undefined)) {
      return this.body(t, 'in', params).trimEnd();
    }
    const en = tag.type;
    const rest = { ...t, fields: t.fields.filter((f) => f !== disc && f !== tag) } as StructDef;
    const variants = un.fields.map((arm) => {
      const value = en.values[arm.case!];
      return `{ ${propName(tag.name)}: ${value}; ${propName(disc.name)}: { ${propName(arm.name)}: ${this.tsField(arm, 'in')} } }`;
    });
    const union = `(\n  | ${variants.join('\n  | ')}\n)`;
    return rest.fields.length ? `${this.body(rest, 'in', params).trimEnd()} & ${union}` : union;
  }

  private tsField(f: FieldDef, dir: 'in' | 'out'): string {
    const t = f.type;
    if (t.kind === 'string') return 'string';
    const one = this.tsType(t, dir);
    if (f.length === undefined) return one;
    const u = unwrap(t);
    if (u.kind === 'scalar' && u.name === 'u8') return dir === 'in' ? 'Uint8Array | { hex: string }' : 'Uint8Array';
    return `${/[|&]/.test(one) ? `(${one})` : one}[]`;
  }

  private tsType(t: TypeDef, dir: 'in' | 'out'): string {
    switch (t.kind) {
      case 'scalar': return scalarTs(t.name, dir);
      case 'string': return 'string';
      // An open number space: its names, or any number of its width (see isOpenEnum).
      case 'enum': return isOpenEnum(t) ? `${this.ref(t, 'type')} | number` : this.ref(t, 'type');
      default: return this.ref(t, 'type', dir === 'in' ? 'Init' : '');
    }
  }
}

/** Types ordered so each comes after the same-module types it uses. */
function dependencyOrder(types: readonly (EnumDef | StructDef | AliasDef)[]): (EnumDef | StructDef | AliasDef)[] {
  const own = new Set<TypeDef>(types);
  const out: (EnumDef | StructDef | AliasDef)[] = [];
  const done = new Set<TypeDef>();
  const visit = (t: TypeDef): void => {
    if (done.has(t) || !own.has(t)) return;
    done.add(t);
    if (t.kind === 'alias') visit(t.type);
    if (t.kind === 'struct' || t.kind === 'union') for (const f of t.fields) visit(f.type);
    out.push(t as EnumDef | StructDef | AliasDef);
  };
  types.forEach(visit);
  return out;
}

function propName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function scalarTs(s: ScalarName, dir: 'in' | 'out'): string {
  if (s === 'bool') return 'boolean';
  if (s === 'u64' || s === 'i64') return dir === 'in' ? 'bigint | number' : 'bigint';
  return 'number';
}

function kindLine(msg: MessageDef): string {
  const s = msg.service;
  if (!s) return '';
  switch (s.kind) {
    case 'unary': return `Request; VPP answers with \`${s.reply.name}\`.`;
    case 'noreply': return 'Request; VPP sends no reply.';
    case 'dump': return `Dump; VPP answers with any number of \`${s.details.name}\`.`;
    case 'stream': return `Cursor stream; VPP answers with \`${s.details.name}\` messages, then \`${s.reply.name}\`.`;
    case 'events': return `Subscription; VPP answers with \`${s.reply.name}\`, then sends ${s.events.map((e) => `\`${e.name}\``).join(', ')}.`;
  }
}

/** What an address or prefix whose bytes have no text decodes to (see the codec's `friendly.ts`). */
const NO_TEXT = 'Bytes with no text form (an unknown family, bytes after an IPv4 address, a length too long) decode to `"0x"` and the wire bytes in hex.';

/** The TS types of a text form (see `textForm`), decoded (`out`) and accepted (`in`). */
const TEXT_TYPES: Record<TextForm, { out: string; in: string; doc: string }> = {
  ip4_address: { out: 'string', in: 'string | Uint8Array', doc: 'Text form: `"10.1.1.3"`.' },
  ip6_address: { out: 'string', in: 'string | Uint8Array', doc: 'Text form: `"2001:db8::1"`.' },
  mac_address: { out: 'string', in: 'string | Uint8Array', doc: 'Text form: `"02:fe:16:3f:5f:0f"`.' },
  address: { out: 'string', in: 'string | AddressRaw', doc: `Text form: \`"10.1.1.3"\` or \`"2001:db8::1"\`. ${NO_TEXT}` },
  prefix: { out: 'string', in: 'string | PrefixRaw', doc: `Text form: \`"10.1.0.0/16"\`; host bits are kept as given. ${NO_TEXT}` },
  ip4_prefix: { out: 'string', in: 'string | Ip4PrefixRaw', doc: `Text form: \`"10.1.0.0/16"\`. ${NO_TEXT}` },
  ip6_prefix: { out: 'string', in: 'string | Ip6PrefixRaw', doc: `Text form: \`"2001:db8::/32"\`. ${NO_TEXT}` },
  timestamp: { out: 'string | number', in: 'string | number', doc: 'UTC text `"2026-06-01 12:00:00.000001"`, or seconds when text would lose precision.' },
};

/** The TS types of `t`'s text form, if it has one. */
function textTypes(t: TypeDef): (typeof TEXT_TYPES)[TextForm] | undefined {
  const form = textForm(t);
  return form && TEXT_TYPES[form];
}
