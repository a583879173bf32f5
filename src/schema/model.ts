/**
 * The schema model: VPP's API definitions as a graph of plain objects.
 *
 * Both the runtime loader (`.api.json` files, `get_api_json`) and the generated bindings build
 * this same graph, and the codec compiles encoders and decoders from it. Type references are
 * object references, so a type imported by several modules is one shared definition.
 *
 * @module
 */

/** The wire's primitive types. */
export type ScalarName = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'f64' | 'bool';

/** A primitive type. */
export interface ScalarType {
  readonly kind: 'scalar';
  readonly name: ScalarName;
}

/** `string`: fixed or variable length, decided by the field that uses it. */
export interface StringType {
  readonly kind: 'string';
  readonly name: 'string';
}

/** An enum (`enums`) or a bit set (`enumflags`), with its wire width. */
export interface EnumDef {
  readonly kind: 'enum';
  readonly name: string;
  readonly module: string;
  readonly width: SmallInt;
  /** True for `enumflags`, and for plain enums VPP uses as bit sets (see {@link isBitSet}). */
  readonly flags: boolean;
  readonly values: Readonly<Record<string, number>>;
}

/** A typedef (`types`) or a union (`unions`). */
export interface StructDef {
  readonly kind: 'struct' | 'union';
  readonly name: string;
  readonly module: string;
  readonly fields: readonly FieldDef[];
  readonly comment?: string;
}

/** An alias: another type under a new name, possibly as a fixed array (`ip4_address` = `u8[4]`). */
export interface AliasDef {
  readonly kind: 'alias';
  readonly name: string;
  readonly module: string;
  readonly type: TypeDef;
  /** Element count when the alias is an array; absent for a plain alias. */
  readonly length?: number;
}

/** Any type a field can have. */
export type TypeDef = ScalarType | StringType | EnumDef | StructDef | AliasDef;

/** One field of a message, typedef or union. */
export interface FieldDef {
  readonly name: string;
  readonly type: TypeDef;
  /**
   * Absent: a single value. A number > 0: a fixed array (or a fixed string of that many bytes).
   * 0: variable — counted by {@link countField}, or running to the end of the message.
   */
  readonly length?: number;
  /** The earlier sibling that holds a variable array's element count. */
  readonly countField?: string;
  /** The value used when the caller leaves the field out. */
  readonly default?: unknown;
  /** For a union field: the sibling field whose value picks the arm. */
  readonly discriminator?: string;
  /** For a union arm: the enum value name that selects it. */
  readonly case?: string;
  readonly comment?: string;
}

/** Message options from the definition's trailer. */
export interface MessageOptions {
  readonly deprecated?: boolean;
  readonly inProgress?: boolean;
  readonly replacedBy?: string;
  readonly vatHelp?: string;
}

/** A message: a struct with a name, a CRC and an `_vl_msg_id` first. */
export interface MessageDef {
  readonly kind: 'message';
  readonly name: string;
  readonly module: string;
  /** `0x`-prefixed, as in the definition. */
  readonly crc: string;
  readonly fields: readonly FieldDef[];
  readonly options: MessageOptions;
  readonly comment?: string;
  /** What the message is for, from its module's services. */
  readonly role: MessageRole;
  /** Present on requests: what answers them. */
  readonly service?: ServiceLink;
}

/**
 * How a request is answered, from the module's `services`; held on the request's definition.
 * - `unary`: one reply.
 * - `noreply`: VPP sends nothing back.
 * - `dump`: details with no end marker; the client ends the stream with `control_ping`.
 * - `stream`: `X_get {cursor}` answered by details, then a reply with the next cursor
 *   (retval -165 means ask again from it).
 * - `events`: a `want_X` subscription; the events then arrive with no context.
 */
export type ServiceLink =
  | { readonly kind: 'unary'; readonly reply: MessageDef }
  | { readonly kind: 'noreply' }
  | { readonly kind: 'dump'; readonly details: MessageDef }
  | { readonly kind: 'stream'; readonly reply: MessageDef; readonly details: MessageDef }
  | { readonly kind: 'events'; readonly reply: MessageDef; readonly events: readonly MessageDef[] };

/**
 * What a message is for: a `request` (it has a service), the `reply` or `details` a service
 * names, or an `event` VPP sends unasked (one a `want_*` service names, or any other message
 * without a `context`). A message no service names but with a `context` is a `reply`. The parser
 * works it out from the module's services ({@link MessageDef.role}).
 */
export type MessageRole = 'request' | 'reply' | 'details' | 'event';

/** One `.api.json` file. */
export interface ModuleDef {
  readonly name: string;
  /** The module's semantic version (`options.version`). */
  readonly version: string;
  /** `vl_api_version`, the CRC of the whole file. */
  readonly crc: string;
  /** Module names this one imports. */
  readonly imports: readonly string[];
  /** Types this module defines itself (not those it imports). */
  readonly types: readonly (EnumDef | StructDef | AliasDef)[];
  readonly messages: readonly MessageDef[];
}

/** @internal A VPP name in PascalCase, for generated TypeScript and protobuf names: `acl_add_replace` → `AclAddReplace`. */
export function pascal(name: string): string {
  return name.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || '_';
}

/** @internal VPP's `~0` in a u32 field: "none", "any", "all", "new" or "done", as the field says. */
export const U32_NONE = 0xffffffff;

/** A message name joined to its CRC, as in VPP's message table: `control_ping_51077d14`. */
export function nameCrc(msg: Pick<MessageDef, 'name' | 'crc'>): string {
  return `${msg.name}_${msg.crc.replace(/^0x/, '')}`;
}

/**
 * The header of a message: `_vl_msg_id`, then `client_index` and `context` where they come next,
 * in that order (requests carry both, replies and details `context`, events `client_index`). The
 * client sets and reads them, so decoded values and input types leave them out. A `client_index`
 * further on (as in `control_ping_reply`) is a field of the body.
 */
export function headerFields(def: Pick<MessageDef, 'fields'>): readonly string[] {
  const out = ['_vl_msg_id'];
  for (const name of ['client_index', 'context']) if (def.fields[out.length]?.name === name) out.push(name);
  return out;
}

/** Wire size of the header fields `header` (as {@link headerFields} gives them): the u16 `_vl_msg_id`, then u32 each. */
export function headerSize(header: readonly string[]): number {
  return header.length ? SCALAR_SIZE.u16 + SCALAR_SIZE.u32 * (header.length - 1) : 0;
}

/**
 * Where a message carries its `context`, in bytes from its start: right after `_vl_msg_id`, or
 * after `client_index` too when that comes first (`sockclnt_create_reply`). Undefined when its
 * header has none: VPP cannot match it to a request.
 */
export function contextOffset(def: Pick<MessageDef, 'fields'>): number | undefined {
  const header = headerFields(def);
  const at = header.indexOf('context');
  return at < 0 ? undefined : headerSize(header.slice(0, at));
}

/** The primitive types, one shared object each. */
export const scalars: Readonly<Record<ScalarName, ScalarType>> = Object.freeze({
  u8: { kind: 'scalar', name: 'u8' },
  i8: { kind: 'scalar', name: 'i8' },
  u16: { kind: 'scalar', name: 'u16' },
  i16: { kind: 'scalar', name: 'i16' },
  u32: { kind: 'scalar', name: 'u32' },
  i32: { kind: 'scalar', name: 'i32' },
  u64: { kind: 'scalar', name: 'u64' },
  i64: { kind: 'scalar', name: 'i64' },
  f64: { kind: 'scalar', name: 'f64' },
  bool: { kind: 'scalar', name: 'bool' },
});

/** Wire size of each primitive type, in bytes. */
export const SCALAR_SIZE: Readonly<Record<ScalarName, number>> = Object.freeze({ u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f64: 8, bool: 1 });

/** The integer types a JavaScript number carries, and enums' wire widths. */
export type SmallInt = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32';

/** The smallest and largest value of each {@link SmallInt}, from its size. */
export const INT_RANGE: Readonly<Record<SmallInt, readonly [number, number]>> = Object.freeze({ u8: range('u8'), i8: range('i8'), u16: range('u16'), i16: range('i16'), u32: range('u32'), i32: range('i32') });

function range(s: SmallInt): readonly [number, number] {
  const bits = 8 * SCALAR_SIZE[s];
  return s[0] === 'u' ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

/** The string type. */
export const stringType: StringType = Object.freeze({ kind: 'string', name: 'string' });

/**
 * Whether a plain enum is really a bit set. VPP declares some bit sets (`if_status_flags`,
 * `nat_config_flags`, `trace_filter_flag`) as enums, and values like `ADMIN_UP | LINK_UP` must
 * still encode; their names end in `_flags` or `_flag`.
 */
export function isBitSet(name: string): boolean {
  return /_flags?$/.test(name);
}

/**
 * Whether an enum names a few values of an open number space, so that any number of its width is
 * valid on the wire. The definitions say so by reserving their width's top value by name:
 * `ip_proto` (u8) lists TCP, UDP, ICMP, … and `IP_API_PROTO_RESERVED = 255`; VPP writes any IANA
 * protocol number there. Every other enum is closed: only its named values encode.
 */
export function isOpenEnum(en: Pick<EnumDef, 'width' | 'flags' | 'values'>): boolean {
  if (en.flags || en.width[0] !== 'u') return false;
  const top = INT_RANGE[en.width][1];
  return Object.entries(en.values).some(([name, n]) => n === top && name.endsWith('_RESERVED'));
}

/**
 * Fields a caller may leave out of `def`: count fields (worked out from the arrays they count)
 * and fields with a default. Every other field is required: the encoder refuses a value without
 * it, and the generated types make it non-optional. (A message's header is no part of its value:
 * see {@link headerFields}.)
 */
export function optionalFields(def: Pick<StructDef | MessageDef, 'kind' | 'fields'>): Set<string> {
  const out = new Set<string>();
  for (const f of def.fields) {
    if (f.default !== undefined) out.add(f.name);
    if (f.countField !== undefined) out.add(f.countField);
  }
  return out;
}

/**
 * The types with a text form, by name: addresses, prefixes and MACs decode to their usual text
 * (`"10.1.1.3"`, `"10.1.0.0/16"`, `"02:fe:16:3f:5f:0f"`), `timestamp` to UTC text. The codec,
 * the generated types and the protobuf mapping all ask {@link textForm}.
 */
export type TextForm = 'ip4_address' | 'ip6_address' | 'mac_address' | 'address' | 'prefix' | 'ip4_prefix' | 'ip6_prefix' | 'timestamp';

/** Byte length of each array alias with a text form. */
const TEXT_ARRAYS: Readonly<Record<string, number>> = { ip4_address: 4, ip6_address: 16, mac_address: 6 };

/**
 * The text form `t` has, if any: a type with one of the {@link TextForm} names and the shape VPP
 * gives it (`ip4_address` = 4 bytes, `address` = `af` + a union `un`, a prefix = an address of
 * its kind + `len`, `timestamp` = a plain alias). A type of the same name and another shape has none.
 */
export function textForm(t: TypeDef): TextForm | undefined {
  if (t.kind === 'alias') {
    if (t.name === 'timestamp') return t.length === undefined ? 'timestamp' : undefined;
    return TEXT_ARRAYS[t.name] !== undefined && t.length === TEXT_ARRAYS[t.name] ? (t.name as TextForm) : undefined;
  }
  if (t.kind !== 'struct') return undefined;
  const [a, b, ...more] = t.fields;
  if (!a || !b || more.length) return undefined;
  if (t.name === 'address') return a.name === 'af' && b.name === 'un' && b.type.kind === 'union' ? 'address' : undefined;
  const address = { prefix: 'address', ip4_prefix: 'ip4_address', ip6_prefix: 'ip6_address' }[t.name];
  if (address === undefined || a.name !== 'address' || b.name !== 'len' || a.length !== undefined || b.length !== undefined) return undefined;
  return textForm(a.type) === address ? (t.name as TextForm) : undefined;
}

/**
 * Follows plain (non-array) aliases down to the type they name, stopping at one with a text form
 * (`timestamp`), which codecs treat as a type of its own: `interface_index` → `u32`.
 */
export function unwrap(t: TypeDef): TypeDef {
  while (t.kind === 'alias' && t.length === undefined && textForm(t) === undefined) t = t.type;
  return t;
}
