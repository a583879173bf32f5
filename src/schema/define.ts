/**
 * Builders that generated bindings call to declare their definitions. They produce the same
 * schema model objects as the `.api.json` parser.
 *
 * @module
 */
import type {
  AliasDef,
  EnumDef,
  FieldDef,
  MessageDef,
  MessageOptions,
  MessageRole,
  ModuleDef,
  ScalarName,
  ServiceLink,
  StructDef,
  TypeDef,
} from './model.js';
import { SchemaError } from '../errors/index.js';
import { scalars, stringType } from './model.js';

/**
 * A field as generated code writes it: name, type (a definition, or a primitive's name), then
 * optionally the array length, the count field, and field options.
 */
export type FieldSpec =
  | readonly [name: string, type: TypeDef | ScalarName | 'string']
  | readonly [name: string, type: TypeDef | ScalarName | 'string', length: number]
  | readonly [name: string, type: TypeDef | ScalarName | 'string', length: number, countField: string | undefined]
  | readonly [name: string, type: TypeDef | ScalarName | 'string', length: number | undefined, countField: string | undefined, options: FieldOptions];

/** Per-field options: `default`, `discriminator`, `case`. */
export interface FieldOptions {
  readonly default?: unknown;
  readonly discriminator?: string;
  readonly case?: string;
}

function field(spec: FieldSpec): FieldDef {
  const [name, t, length, countField, opts] = spec as readonly [string, TypeDef | string, number?, string?, FieldOptions?];
  const type = typeof t === 'string' ? (t === 'string' ? stringType : scalars[t as ScalarName]) : t;
  return {
    name,
    type,
    ...(length !== undefined && { length }),
    ...(countField !== undefined && { countField }),
    ...opts,
  };
}

/** Declares an enum or bit set. `values` is the generated `as const` object. */
export function defineEnum(module: string, name: string, width: EnumDef['width'], flags: boolean, values: Readonly<Record<string, number>>): EnumDef {
  return { kind: 'enum', name, module, width, flags, values };
}

/** Declares a typedef. */
export function defineStruct(module: string, name: string, fields: readonly FieldSpec[]): StructDef {
  return { kind: 'struct', name, module, fields: fields.map(field) };
}

/** Declares a union. */
export function defineUnion(module: string, name: string, fields: readonly FieldSpec[]): StructDef {
  return { kind: 'union', name, module, fields: fields.map(field) };
}

/** Declares an alias, with `length` when it aliases a fixed array. */
export function defineAlias(module: string, name: string, type: TypeDef | ScalarName, length?: number): AliasDef {
  return { kind: 'alias', name, module, type: typeof type === 'string' ? scalars[type] : type, ...(length !== undefined && { length }) };
}

/**
 * Declares a message. The type parameter is the typed descriptor the generated code declares
 * (e.g. `UnaryRequest<In, Reply>`); it only exists at compile time. `role` is the one the parser
 * gave it (a request's is `'request'`, with its `service`).
 */
export function defineMessage<T extends MessageDef = MessageDef>(
  module: string,
  name: string,
  crc: string,
  fields: readonly FieldSpec[],
  options: MessageOptions,
  role: MessageRole,
  service?: ServiceLink,
): T {
  if ((role === 'request') !== (service !== undefined)) throw new SchemaError(module, name, `role ${role} ${service ? 'with' : 'without'} a service`);
  const def: MessageDef = { kind: 'message', name, module, crc, fields: fields.map(field), options, role, ...(service && { service }) };
  return def as T;
}

/** Declares a module: its own types and its messages. */
export function defineModule(def: ModuleDef): ModuleDef {
  return def;
}
