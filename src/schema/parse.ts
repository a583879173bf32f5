/**
 * Parses VPP's `.api.json` documents into the schema model.
 *
 * Every `.api.json` file repeats the types it imports. The parser gives each type to the module
 * that defines it (the one that does not import it) and builds it once, so every module that
 * uses it points at the same object.
 *
 * @module
 */
import { SchemaError } from '../errors/index.js';
import {
  type AliasDef,
  type EnumDef,
  type FieldDef,
  type MessageDef,
  type MessageOptions,
  type MessageRole,
  type ModuleDef,
  type ScalarName,
  type ServiceLink,
  type StructDef,
  type TypeDef,
  INT_RANGE,
  contextOffset,
  isBitSet,
  scalars,
  stringType,
  unwrap,
} from './model.js';
import { neutralDefault } from './neutral-defaults.js';

/** One `.api.json` document and where it came from. */
export interface ApiJsonSource {
  /** For error messages: a path or a module name. */
  readonly file: string;
  readonly json: unknown;
}

type RawField = unknown[];
type RawDef = unknown[];

interface RawModule {
  file: string;
  name: string;
  imports: string[];
  /** Every type name in the file, own and imported, to its raw definition and section. */
  types: Map<string, { section: 'types' | 'unions' | 'enums' | 'enumflags' | 'aliases'; raw: unknown }>;
  json: Record<string, unknown>;
}

const SECTIONS = [
  'module', 'types', 'messages', 'unions', 'enums', 'enumflags', 'services', 'options',
  'aliases', 'vl_api_version', 'imports', 'counters', 'paths',
] as const;

const scalarNames = new Set<string>(Object.keys(scalars));

/**
 * Parses a set of `.api.json` documents into modules. Imports resolve within the set; a type
 * whose defining module is not in the set is owned by the module that uses it.
 *
 * @throws {@link SchemaError} for anything the model does not understand.
 */
export function parseModules(sources: readonly ApiJsonSource[]): ModuleDef[] {
  const raws = new Map<string, RawModule>();
  for (const src of sources) {
    const raw = readRaw(src);
    if (raws.has(raw.name)) throw new SchemaError(src.file, undefined, `module ${raw.name} is defined twice`);
    raws.set(raw.name, raw);
  }
  const built = new Map<string, TypeDef>();
  const owners = new Map<string, Map<string, string>>();

  // The module that defines `type`, as seen from `module`: the deepest import that has it.
  const ownerOf = (module: string, type: string): string | undefined => {
    let cache = owners.get(module);
    if (!cache) owners.set(module, (cache = new Map()));
    const hit = cache.get(type);
    if (hit !== undefined) return hit;
    const raw = raws.get(module);
    if (!raw) return undefined;
    let owner: string | undefined;
    for (const imp of raw.imports) {
      if (imp !== module && raws.get(imp)?.types.has(type)) {
        owner = ownerOf(imp, type);
        if (owner) break;
      }
    }
    owner ??= raw.types.has(type) ? module : undefined;
    if (owner) cache.set(type, owner);
    return owner;
  };

  const resolve = (module: string, typeName: string, where: string): TypeDef => {
    if (scalarNames.has(typeName)) return scalars[typeName as ScalarName];
    if (typeName === 'string') return stringType;
    const m = /^vl_api_(.+)_t$/.exec(typeName);
    const name = m ? m[1]! : typeName;
    const owner = ownerOf(module, name);
    if (!owner) throw new SchemaError(raws.get(module)!.file, where, `unknown type ${typeName}`);
    const key = `${owner}.${name}`;
    const done = built.get(key);
    if (done) return done;
    const def = buildType(raws.get(owner)!, name, resolve);
    built.set(key, def);
    return def;
  };

  const modules: ModuleDef[] = [];
  for (const raw of raws.values()) {
    const own = [...raw.types.keys()].filter((t) => ownerOf(raw.name, t) === raw.name);
    const types = own.map((t) => resolve(raw.name, t, t) as EnumDef | StructDef | AliasDef);
    const messages = asArray(raw.json.messages, raw.file, 'messages').map((m) => buildMessage(raw, m, resolve));
    linkServices(raw, messages);
    assignRoles(messages);
    const options = (raw.json.options ?? {}) as Record<string, unknown>;
    modules.push({
      name: raw.name,
      version: typeof options.version === 'string' ? options.version : '0.0.0',
      crc: typeof raw.json.vl_api_version === 'string' ? raw.json.vl_api_version : '0x00000000',
      imports: raw.imports.filter((i) => raws.has(i)),
      types,
      messages,
    });
  }
  return modules;
}

function asArray(v: unknown, file: string, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SchemaError(file, undefined, `${what} is not an array`);
  return v;
}

function readRaw(src: ApiJsonSource): RawModule {
  const { file } = src;
  if (typeof src.json !== 'object' || src.json === null || Array.isArray(src.json)) {
    throw new SchemaError(file, undefined, 'not an .api.json object');
  }
  const json = src.json as Record<string, unknown>;
  for (const key of Object.keys(json)) {
    if (!(SECTIONS as readonly string[]).includes(key)) throw new SchemaError(file, undefined, `unknown section "${key}"`);
  }
  const name = typeof json.module === 'string' ? json.module : file.replace(/^.*\//, '').replace(/\.api\.json$/, '');
  const imports = asArray(json.imports, file, 'imports').map((i) => {
    if (typeof i !== 'string') throw new SchemaError(file, undefined, 'an import is not a string');
    return i.replace(/^.*\//, '').replace(/\.api(\.json)?$/, '');
  });
  const types: RawModule['types'] = new Map();
  for (const section of ['types', 'unions', 'enums', 'enumflags'] as const) {
    for (const def of asArray(json[section], file, section)) {
      if (!Array.isArray(def) || typeof def[0] !== 'string') throw new SchemaError(file, undefined, `malformed entry in ${section}`);
      types.set(def[0], { section, raw: def });
    }
  }
  const aliases = json.aliases ?? {};
  if (typeof aliases !== 'object' || Array.isArray(aliases)) throw new SchemaError(file, undefined, 'aliases is not an object');
  for (const [alias, raw] of Object.entries(aliases as Record<string, unknown>)) types.set(alias, { section: 'aliases', raw });
  return { file, name, imports, types, json };
}

type Resolver = (module: string, typeName: string, where: string) => TypeDef;

function buildType(raw: RawModule, name: string, resolve: Resolver): TypeDef {
  const entry = raw.types.get(name)!;
  const { file } = raw;
  switch (entry.section) {
    case 'aliases': {
      const a = entry.raw as Record<string, unknown>;
      for (const k of Object.keys(a)) if (k !== 'type' && k !== 'length') throw new SchemaError(file, name, `unknown alias key "${k}"`);
      if (typeof a.type !== 'string') throw new SchemaError(file, name, 'alias has no type');
      if (a.length !== undefined && (typeof a.length !== 'number' || !(a.length > 0))) throw new SchemaError(file, name, 'alias length is not a positive number');
      const alias: AliasDef = { kind: 'alias', name, module: raw.name, type: resolve(raw.name, a.type, name), ...(a.length !== undefined && { length: a.length as number }) };
      return alias;
    }
    case 'enums':
    case 'enumflags': {
      const def = entry.raw as RawDef;
      const values: Record<string, number> = {};
      let width: EnumDef['width'] = 'u32';
      for (const item of def.slice(1)) {
        if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number') values[item[0]] = item[1];
        else if (isObject(item)) {
          for (const [k, v] of Object.entries(item)) {
            if (k !== 'enumtype') throw new SchemaError(file, name, `unknown enum option "${k}"`);
            if (typeof v !== 'string' || !Object.hasOwn(INT_RANGE, v)) throw new SchemaError(file, name, `unsupported enum width ${String(v)}`);
            width = v as EnumDef['width'];
          }
        } else throw new SchemaError(file, name, 'malformed enum value');
      }
      const flags = entry.section === 'enumflags' || isBitSet(name);
      return { kind: 'enum', name, module: raw.name, width, flags, values };
    }
    case 'types':
    case 'unions': {
      const def = entry.raw as RawDef;
      const { fields, trailer } = splitDef(def, file, name);
      let comment: string | undefined;
      for (const [k, v] of Object.entries(trailer)) {
        if (k === 'comment' && typeof v === 'string') comment = v;
        else throw new SchemaError(file, name, `unknown type option "${k}"`);
      }
      const struct: StructDef = {
        kind: entry.section === 'unions' ? 'union' : 'struct',
        name,
        module: raw.name,
        fields: fields.map((f) => buildField(raw, name, f, resolve)),
        ...(comment !== undefined && { comment }),
      };
      checkFields(struct.fields, file, name);
      return struct;
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function splitDef(def: RawDef, file: string, name: string): { fields: RawField[]; trailer: Record<string, unknown> } {
  const fields: RawField[] = [];
  let trailer: Record<string, unknown> = {};
  for (const item of def.slice(1)) {
    if (Array.isArray(item)) fields.push(item);
    else if (isObject(item)) trailer = item;
    else throw new SchemaError(file, name, 'malformed definition');
  }
  return { fields, trailer };
}

function buildField(raw: RawModule, where: string, f: RawField, resolve: Resolver): FieldDef {
  const { file } = raw;
  const [type, name, ...rest] = f;
  if (typeof type !== 'string' || typeof name !== 'string') throw new SchemaError(file, where, `malformed field ${JSON.stringify(f)}`);
  const opts = isObject(rest[rest.length - 1]) ? (rest.pop() as Record<string, unknown>) : {};
  const field: { -readonly [K in keyof FieldDef]: FieldDef[K] } = { name, type: resolve(raw.name, type, `${where}.${name}`) };
  if (rest.length > 2) throw new SchemaError(file, where, `field ${name}: too many parts`);
  if (rest.length >= 1) {
    if (typeof rest[0] !== 'number' || !Number.isInteger(rest[0]) || rest[0] < 0) throw new SchemaError(file, where, `field ${name}: bad length ${JSON.stringify(rest[0])}`);
    field.length = rest[0];
  }
  if (rest.length === 2) {
    if (typeof rest[1] !== 'string') throw new SchemaError(file, where, `field ${name}: bad count field ${JSON.stringify(rest[1])}`);
    if (field.length !== 0) throw new SchemaError(file, where, `field ${name}: a count field on a fixed array`);
    field.countField = rest[1];
  }
  for (const [k, v] of Object.entries(opts)) {
    if (k === 'default') field.default = v;
    else if (k === 'discriminator' && typeof v === 'string') field.discriminator = v;
    else if (k === 'case' && typeof v === 'string') field.case = v;
    else throw new SchemaError(file, where, `field ${name}: unknown option "${k}"`);
  }
  if (field.type.kind === 'string' && field.length === undefined) throw new SchemaError(file, where, `field ${name}: string without a length`);
  return field;
}

function checkFields(fields: readonly FieldDef[], file: string, where: string): void {
  fields.forEach((f, i) => {
    if (f.countField !== undefined) {
      const idx = fields.findIndex((c) => c.name === f.countField);
      const count = fields[idx];
      if (idx < 0 || idx >= i) throw new SchemaError(file, where, `field ${f.name}: count field ${f.countField} is not an earlier sibling`);
      if (!isInteger(count!.type)) throw new SchemaError(file, where, `field ${f.name}: count field ${f.countField} is not an integer`);
    }
    if (f.discriminator !== undefined) {
      const d = fields.find((c) => c.name === f.discriminator);
      if (!d || d.type.kind !== 'enum') throw new SchemaError(file, where, `field ${f.name}: discriminator ${f.discriminator} is not an enum sibling`);
      if (unwrap(f.type).kind !== 'union') throw new SchemaError(file, where, `field ${f.name}: a discriminator on a field that is not a union`);
    }
    if (f.length === 0 && f.countField === undefined && i !== fields.length - 1) {
      throw new SchemaError(file, where, `field ${f.name}: an uncounted variable field must be last`);
    }
  });
}

function isInteger(t: TypeDef): boolean {
  const u = unwrap(t);
  return u.kind === 'scalar' && u.name !== 'f64' && u.name !== 'bool';
}

/** `field` with its neutral default (neutral-defaults.ts) when the definition gives none. */
function withNeutralDefault(message: string, field: FieldDef): FieldDef {
  const neutral = neutralDefault(message, field.name);
  return field.default === undefined && neutral !== undefined ? { ...field, default: neutral } : field;
}

function buildMessage(raw: RawModule, m: unknown, resolve: Resolver): MessageDef {
  const { file } = raw;
  if (!Array.isArray(m) || typeof m[0] !== 'string') throw new SchemaError(file, undefined, 'malformed message');
  const name = m[0];
  const { fields: rawFields, trailer } = splitDef(m, file, name);
  let crc: string | undefined;
  let comment: string | undefined;
  const options: { -readonly [K in keyof MessageOptions]: MessageOptions[K] } = {};
  for (const [k, v] of Object.entries(trailer)) {
    if (k === 'crc' && typeof v === 'string' && /^0x[0-9a-f]{8}$/i.test(v)) crc = v.toLowerCase();
    else if (k === 'comment' && typeof v === 'string') comment = v;
    else if (k === 'options' && isObject(v)) {
      for (const [ok, ov] of Object.entries(v)) {
        if (ok === 'deprecated') options.deprecated = true;
        else if (ok === 'in_progress') options.inProgress = true;
        else if (ok === 'status') options.inProgress ||= ov === 'in_progress';
        else if (ok === 'replaced_by' && typeof ov === 'string') options.replacedBy = ov;
        else if (ok === 'vat_help' && typeof ov === 'string') options.vatHelp = ov;
        else throw new SchemaError(file, name, `unknown message option "${ok}"`);
      }
    } else throw new SchemaError(file, name, `unknown message key "${k}"`);
  }
  if (!crc) throw new SchemaError(file, name, 'message has no crc');
  const fields = rawFields.map((f) => withNeutralDefault(name, buildField(raw, name, f, resolve)));
  if (fields[0]?.name !== '_vl_msg_id' || unwrap(fields[0].type).kind !== 'scalar' || (unwrap(fields[0].type) as { name: string }).name !== 'u16') {
    throw new SchemaError(file, name, 'message does not start with u16 _vl_msg_id');
  }
  checkFields(fields, file, name);
  // The role is set once the module's services are linked (assignRoles).
  return { kind: 'message', name, module: raw.name, crc, fields, options, role: 'reply', ...(comment !== undefined && { comment }) };
}

function linkServices(raw: RawModule, messages: readonly MessageDef[]): void {
  const { file } = raw;
  const services = raw.json.services ?? {};
  if (!isObject(services)) throw new SchemaError(file, undefined, 'services is not an object');
  const byName = new Map(messages.map((m) => [m.name, m]));
  const need = (request: string, name: unknown): MessageDef => {
    const m = typeof name === 'string' ? byName.get(name) : undefined;
    if (!m) throw new SchemaError(file, request, `service names unknown message ${JSON.stringify(name)}`);
    return m;
  };
  for (const [request, s] of Object.entries(services)) {
    const req = need(request, request) as { service?: ServiceLink };
    if (!isObject(s)) throw new SchemaError(file, request, 'malformed service');
    for (const k of Object.keys(s)) {
      if (!['reply', 'stream', 'stream_msg', 'events'].includes(k)) throw new SchemaError(file, request, `unknown service key "${k}"`);
    }
    if (s.reply === 'null') req.service = { kind: 'noreply' };
    else if (s.events !== undefined) {
      if (!Array.isArray(s.events)) throw new SchemaError(file, request, 'events is not an array');
      req.service = { kind: 'events', reply: need(request, s.reply), events: s.events.map((e) => need(request, e)) };
    } else if (s.stream_msg !== undefined) req.service = { kind: 'stream', reply: need(request, s.reply), details: need(request, s.stream_msg) };
    else if (s.stream === true) req.service = { kind: 'dump', details: need(request, s.reply) };
    else req.service = { kind: 'unary', reply: need(request, s.reply) };
  }
}

/** Sets each message's {@link MessageRole} from the module's services (see its rule there). */
function assignRoles(messages: readonly MessageDef[]): void {
  const roles = new Map<MessageDef, MessageRole>();
  for (const m of messages) {
    const s = m.service;
    if (!s) continue;
    roles.set(m, 'request');
    if ('reply' in s) roles.set(s.reply, 'reply');
    if ('details' in s) roles.set(s.details, 'details');
    if ('events' in s) for (const e of s.events) roles.set(e, 'event');
  }
  for (const m of messages) {
    (m as { role: MessageRole }).role = roles.get(m) ?? (contextOffset(m) === undefined ? 'event' : 'reply');
  }
}
