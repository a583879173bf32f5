/**
 * Reads a JSON value the way protobuf's JSON mapping (Go's protojson, which vpp-agent uses) reads
 * it, against a small schema of the message: each field by its proto name (`ip_addresses`) or its
 * JSON name (`ipAddresses`), enums by name or number, 32-bit integers as numbers or decimal
 * strings, `null` as unset. A field the schema does not know, or one vppkit's agent does not
 * support set to anything but its default, is an error naming the field's path: nothing is
 * dropped silently.
 *
 * @module
 */
import { AgentError } from '../errors/index.js';

/** The type of one field. */
export type FieldType = 'string' | 'bool' | 'uint32' | { readonly enum: readonly string[] } | { readonly message: MessageSchema };

/** One field of a message. */
export interface FieldSpec {
  readonly type: FieldType;
  readonly repeated?: boolean;
  /** False: the proto has the field, vppkit's agent does not support it (only its default is accepted). */
  readonly supported: boolean;
}

/** A message: its full proto name (for errors) and its fields by proto name. */
export interface MessageSchema {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** A field value as read: strings, booleans, numbers, enum names, nested messages, arrays of them. */
export type Value = string | boolean | number | Message | readonly Value[];
/** A message as read: the fields that were set, by proto name. */
export interface Message {
  readonly [field: string]: Value | undefined;
}

const jsonName = (proto: string) => proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Whether `v` is what proto3 reads for an unset scalar field of this type. */
function isDefault(v: Value, spec: FieldSpec): boolean {
  if (spec.repeated) return (v as readonly Value[]).length === 0;
  if (typeof spec.type === 'object') return 'enum' in spec.type && v === spec.type.enum[0];
  return v === '' || v === false || v === 0;
}

function readScalar(value: unknown, type: FieldType, path: string): Value {
  if (type === 'string') {
    if (typeof value !== 'string') throw new AgentError(`${path}: expected a string, got ${JSON.stringify(value)}`);
    return value;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw new AgentError(`${path}: expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (type === 'uint32') {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new AgentError(`${path}: expected a whole number 0…4294967295 (uint32), got ${JSON.stringify(value)}`);
    }
    return n;
  }
  if ('enum' in type) {
    if (typeof value === 'string' && type.enum.includes(value)) return value;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < type.enum.length) return type.enum[value]!;
    throw new AgentError(`${path}: expected one of ${type.enum.join(', ')} (or its number), got ${JSON.stringify(value)}`);
  }
  return readMessage(value, type.message, path);
}

const names = new WeakMap<MessageSchema, Map<string, string>>();

/** A schema's fields by proto name and by JSON name (computed once per schema). */
function namesOf(schema: MessageSchema): Map<string, string> {
  let byName = names.get(schema);
  if (!byName) {
    byName = new Map();
    for (const proto of Object.keys(schema.fields)) {
      byName.set(proto, proto);
      byName.set(jsonName(proto), proto);
    }
    names.set(schema, byName);
  }
  return byName;
}

const unsupported = (at: string, schema: MessageSchema, proto: string) =>
  new AgentError(`${at}: ${schema.name}.${proto} is not supported by vppkit's agent (see docs/guides/node-agent.md)`);

/** Reads `value` as the message `schema`; `path` prefixes field names in errors. */
export function readMessage(value: unknown, schema: MessageSchema, path = ''): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AgentError(`${path || 'value'}: expected a JSON object (${schema.name}), got ${JSON.stringify(value)}`);
  }
  const byName = namesOf(schema);
  const out: Record<string, Value> = {};
  for (const [name, raw] of Object.entries(value)) {
    const proto = byName.get(name);
    const at = path ? `${path}.${name}` : name;
    if (proto === undefined) throw new AgentError(`${at}: ${schema.name} has no field ${name}`);
    if (proto in out) throw new AgentError(`${at}: ${proto} is given twice (as ${proto} and ${jsonName(proto)})`);
    if (raw === null) continue;
    const spec = schema.fields[proto]!;
    // An unsupported message is refused unread (its fields are not in the schema); a present one is never "default".
    if (!spec.supported && typeof spec.type === 'object' && 'message' in spec.type && !(spec.repeated && Array.isArray(raw) && raw.length === 0)) throw unsupported(at, schema, proto);
    let v: Value;
    if (spec.repeated) {
      if (!Array.isArray(raw)) throw new AgentError(`${at}: expected a JSON array, got ${JSON.stringify(raw)}`);
      v = raw.map((item, i) => readScalar(item, spec.type, `${at}[${i}]`));
    } else v = readScalar(raw, spec.type, at);
    if (!spec.supported && !isDefault(v, spec)) throw unsupported(at, schema, proto);
    out[proto] = v;
  }
  return out;
}
