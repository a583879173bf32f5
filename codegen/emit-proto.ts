/**
 * Emits one proto3 file per VPP module (`package vpp.<module>`): a message for every VPP message
 * and type, an enum for every enum. `src/proto/mapping.ts` decides each field's shape, so the
 * value converter in `src/proto/convert.ts` reads the same schema; `docs/protobuf.md` explains it.
 *
 * @module
 */
import type { EnumDef, MessageDef, ModuleDef, StructDef, TextForm } from '../src/schema/model.js';
import { nameCrc } from '../src/schema/model.js';
import { ARM_ARRAY_FIELD, type ProtoField, fitsProtoEnum, isText, protoField, protoPackage, protoTypeName } from '../src/proto/mapping.js';
import { parseComment } from './emit-ts.js';

/** Options for {@link emitProto}. */
export interface ProtoEmitOptions {
  /** Named in the header comment, e.g. `VPP 26.06`. */
  readonly source?: string;
}

/** Every mapping choice, repeated in each file's header; `docs/protobuf.md` gives the reasons. */
const MAPPING = [
  'Mapping from VPP (see vppkit docs/protobuf.md):',
  '- Field numbers follow VPP field order: the n-th field is n, header fields (_vl_msg_id, client_index, context) included.',
  '- u8/u16/u32 -> uint32, i8/i16/i32 -> int32, u64 -> uint64, i64 -> int64, f64 -> double, bool -> bool, string -> string.',
  '- u8 arrays, fixed or variable -> bytes; other arrays -> repeated. Count fields stay: 0 means "the array\'s length".',
  '- Enums -> enums with VPP\'s numbers; one without a 0 value gets <ENUM>_UNSPECIFIED = 0, which VPP does not accept.',
  '  Bit sets (enumflags, *_flags) and enums with values outside int32 -> uint32/int32 fields, the enum documenting the bits.',
  '- Unions -> a message with one `oneof arm`; an array arm is wrapped in a message holding `repeated value`.',
  '  Unset means all-zero bytes.',
  '- ip4_address, ip6_address, mac_address, address, prefix, ip4_prefix, ip6_prefix -> string, in text form:',
  '  "10.1.1.3", "2001:db8::1", "10.1.0.0/16", "02:fe:16:3f:5f:0f". Prefixes keep host bits. Bytes with no text',
  '  form (unknown address family, bytes after an IPv4 address, prefix length too long) -> "0x" + the VPP bytes in hex.',
  '- timestamp -> double, seconds since the Unix epoch (UTC).',
  '- A VPP default applies only when a field is left out of a VPP value; protobuf cannot leave a field out, so zero is zero.',
];

/** Text forms (see `textForm`; a timestamp is a double), for field comments. */
const TEXT_FORM: Record<Exclude<TextForm, 'timestamp'>, string> = {
  ip4_address: 'IPv4 address, e.g. "10.1.1.3"',
  ip6_address: 'IPv6 address, e.g. "2001:db8::1"',
  mac_address: 'MAC address, e.g. "02:fe:16:3f:5f:0f"',
  address: 'IP address, e.g. "10.1.1.3" or "2001:db8::1"',
  prefix: 'IP prefix, e.g. "10.1.0.0/16" or "2001:db8::/32"',
  ip4_prefix: 'IPv4 prefix, e.g. "10.1.0.0/16"',
  ip6_prefix: 'IPv6 prefix, e.g. "2001:db8::/32"',
};

/** Emits `module` as a proto3 file. Types from other modules are imported as `<module>.proto`. */
export function emitProto(module: ModuleDef, opts: ProtoEmitOptions = {}): string {
  const pkg = protoPackage(module.name);
  const imports = new Set<string>();
  /** Names that share the package scope: messages, enums, and (as in C++) enum values. */
  const scope = new Set<string>();
  const claim = (names: Set<string>, name: string, what: string): string => {
    if (names.has(name)) throw new Error(`vppkit: ${what} "${name}" is defined twice in ${pkg}`);
    names.add(name);
    return name;
  };

  const ref = (def: { name: string; module: string }): string => {
    if (def.module !== module.name) imports.add(def.module);
    return `.${protoPackage(def.module)}.${protoTypeName(def.name)}`;
  };
  const typeOf = (pf: ProtoField): string => {
    const s = pf.shape;
    switch (s.kind) {
      case 'scalar': case 'bits': return s.proto;
      case 'text': return 'string';
      case 'timestamp': return 'double';
      case 'enum': case 'message': return ref(s.def);
    }
  };
  const note = (pf: ProtoField): string | undefined => {
    const s = pf.shape;
    switch (s.kind) {
      // Named, not referenced: a comment needs no import, and a too-wide enum has no protobuf type.
      case 'bits': return s.def.flags && fitsProtoEnum(s.def) ? `bit set of .${protoPackage(s.def.module)}.${protoTypeName(s.def.name)} (VPP ${s.def.width})` : `VPP enum ${s.def.module}.${s.def.name} (${s.def.width})`;
      case 'text': return TEXT_FORM[s.form];
      case 'timestamp': return 'seconds since the Unix epoch';
      default: return undefined;
    }
  };

  /**
   * Field lines for `owner`, numbered by position. `wrap` names the wrapper message for a
   * repeated field (union arms), or is absent where `repeated` is allowed.
   */
  const fieldLines = (owner: StructDef | MessageDef, indent: string, wrap?: (field: string, element: string) => string): string[] => {
    const { params } = parseComment(owner.comment);
    const names = new Set<string>();
    const jsonNames = new Set<string>();
    const counted = new Map(owner.fields.filter((f) => f.countField).map((f) => [f.countField!, f.name]));
    return owner.fields.flatMap((f, i) => {
      claim(names, f.name, `field of ${owner.name}`);
      claim(jsonNames, jsonName(f.name), `JSON name of a field of ${owner.name}`);
      const pf = protoField(f);
      const notes = [note(pf)];
      const counts = counted.get(f.name);
      if (counts) notes.push(`element count of ${counts}; 0 takes its length`);
      if (f.default !== undefined) notes.push(`VPP default ${JSON.stringify(f.default)}`);
      const type = !pf.repeated ? typeOf(pf) : wrap ? wrap(f.name, typeOf(pf)) : `repeated ${typeOf(pf)}`;
      return [...comment(params.get(f.name) || undefined, indent), `${indent}${type} ${f.name} = ${i + 1};${trailing(notes)}`];
    });
  };

  const emitEnum = (e: EnumDef): string[] => {
    const head = `VPP ${e.flags ? 'bit set' : 'enum'} ${e.name} (${e.width})`;
    const entries = Object.entries(e.values);
    if (!fitsProtoEnum(e)) {
      // Comment only: protobuf enum values are int32, so fields using it are plain integers.
      return [`// ${head}: a value is outside protobuf's int32 enum range, so fields using it are integers.`, ...entries.map(([k, v]) => `//   ${k} = ${v}`)];
    }
    const upper = e.name.toUpperCase();
    const values = entries.map(([k, v]) => ({ name: scope.has(k) ? `${upper}_${k}` : k, value: v, synthetic: false }));
    if (!values.some((v) => v.value === 0)) values.unshift({ name: scope.has(`${upper}_UNSPECIFIED`) ? `${upper}_UNSPECIFIED_` : `${upper}_UNSPECIFIED`, value: 0, synthetic: true });
    values.sort((a, b) => Number(b.value === 0) - Number(a.value === 0)); // proto3: the zero value first
    checkEnumValueStyle(e, values);
    const lines = [...comment(e.flags ? `${head}: fields hold an OR of these bits as a plain integer.` : `${head}.`, ''), `enum ${claim(scope, protoTypeName(e.name), 'name')} {`];
    if (new Set(values.map((v) => v.value)).size < values.length) lines.push('  option allow_alias = true;');
    for (const v of values) lines.push(`  ${claim(scope, v.name, 'enum value')} = ${v.value};${v.synthetic ? ' // protobuf needs a zero; not a VPP value' : ''}`);
    lines.push('}');
    return lines;
  };

  const emitStruct = (t: StructDef): string[] => {
    const { text } = parseComment(t.comment);
    const name = claim(scope, protoTypeName(t.name), 'name');
    if (t.kind === 'struct') return [...comment([...text, `VPP type ${t.name}.`]), `message ${name} {`, ...fieldLines(t, '  '), '}'];
    // A union: its arms in a oneof; an array arm wrapped, as a oneof cannot hold `repeated`.
    const nested = new Set(t.fields.map((f) => f.name));
    const oneof = claim(nested, t.fields.some((f) => f.name === 'arm') ? 'arm_' : 'arm', `oneof of ${t.name}`);
    const wrappers: string[] = [];
    const arms = fieldLines(t, '    ', (field, element) => {
      const wrapper = claim(nested, `${protoTypeName(field)}Array`, `nested message of ${t.name}`);
      wrappers.push(`  message ${wrapper} { repeated ${element} ${ARM_ARRAY_FIELD} = 1; }`);
      return wrapper;
    });
    return [
      ...comment([...text, `VPP union ${t.name}: at most one arm is set; none means all-zero bytes.`]),
      `message ${name} {`,
      ...wrappers,
      `  oneof ${oneof} {`,
      ...arms,
      '  }',
      '}',
    ];
  };

  const emitMessage = (msg: MessageDef): string[] => {
    const { text } = parseComment(msg.comment);
    const about = [`VPP message ${msg.name}, CRC ${msg.crc}.${service(msg)}`];
    if (msg.options.replacedBy) about.push(`Replaced by ${msg.options.replacedBy}.`);
    if (msg.options.inProgress) about.push('In progress in VPP: may change without notice.');
    return [
      ...comment([...text, ...about]),
      `message ${claim(scope, protoTypeName(msg.name), 'name')} {`,
      ...(msg.options.deprecated ? ['  option deprecated = true;'] : []),
      ...fieldLines(msg, '  '),
      '}',
    ];
  };

  // Enums first: their values join the package scope before anything can collide with them.
  const enums = module.types.filter((t): t is EnumDef => t.kind === 'enum');
  const structs = module.types.filter((t): t is StructDef => (t.kind === 'struct' || t.kind === 'union') && !isText(t));
  const blocks = [...enums.map(emitEnum), ...structs.map(emitStruct), ...module.messages.map(emitMessage)];

  const header = [
    `// Generated by vppkit from ${opts.source ?? 'VPP (version not given)'}: module ${module.name}, version ${module.version}, API CRC ${module.crc}.`,
    '// Do not edit: regenerate with `vppkit gen --proto`.',
    ...(module.messages.length ? ['//', '// Message CRCs, as name_crc in VPP\'s message table:', ...module.messages.map((m) => `//   ${nameCrc(m)}`)] : []),
    '//',
    ...MAPPING.map((l) => `// ${l}`),
    '',
    'syntax = "proto3";',
    '',
    `package ${pkg};`,
    '',
    ...[...imports].sort().map((i) => `import "${i}.proto";`),
  ];
  return `${[...header, ...(imports.size ? [''] : []), ...blocks.map((b) => b.join('\n')).join('\n\n').split('\n')].join('\n')}\n`;
}

function service(msg: MessageDef): string {
  const s = msg.service;
  if (!s) return '';
  switch (s.kind) {
    case 'unary': return ` Answered by ${protoTypeName(s.reply.name)}.`;
    case 'noreply': return ' VPP sends no reply.';
    case 'dump': return ` Answered by any number of ${protoTypeName(s.details.name)}.`;
    case 'stream': return ` Answered by ${protoTypeName(s.details.name)} messages, then ${protoTypeName(s.reply.name)}.`;
    case 'events': return ` Answered by ${protoTypeName(s.reply.name)}; then VPP sends ${s.events.map((e) => protoTypeName(e.name)).join(', ')}.`;
  }
}

/** `//` comment lines at `indent`. */
function comment(text: string | readonly string[] | undefined, indent = ''): string[] {
  if (text === undefined) return [];
  const lines = typeof text === 'string' ? [text] : [...text];
  return lines.map((l) => `${indent}//${l.trim() ? ` ${l.trimEnd()}` : ''}`);
}

function trailing(notes: readonly (string | undefined)[]): string {
  const kept = notes.filter((n): n is string => n !== undefined);
  return kept.length ? ` // ${kept.join('; ')}` : '';
}

/** protoc's JSON name for a field: underscores dropped, the next letter upper-cased. */
function jsonName(name: string): string {
  return name.replace(/_+([a-z0-9])?/gi, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

/**
 * protoc rejects two values of one enum that look alike once the enum's name is stripped from
 * their front and they are PascalCased (`MY_ENUM_FOO` and `FOO`), unless they share a number.
 */
function checkEnumValueStyle(e: EnumDef, values: readonly { name: string; value: number }[]): void {
  const prefix = e.name.replace(/_/g, '').toLowerCase();
  const seen = new Map<string, number>();
  for (const { name, value } of values) {
    const key = protoTypeName(stripPrefix(name, prefix).toLowerCase());
    const other = seen.get(key);
    if (other !== undefined && other !== value) throw new Error(`vppkit: enum ${e.name}: value ${name} looks like another to protoc (${key})`);
    seen.set(key, value);
  }
}

/** protoc's enum prefix removal: `prefix` matched ignoring case and underscores. */
function stripPrefix(name: string, prefix: string): string {
  let i = 0;
  for (let j = 0; j < prefix.length; i++) {
    if (i >= name.length) return name;
    if (name[i] === '_') continue;
    if (name[i]!.toLowerCase() !== prefix[j++]) return name;
  }
  while (name[i] === '_') i++;
  return i === name.length ? name : name.slice(i);
}
