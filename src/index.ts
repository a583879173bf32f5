/**
 * vppkit: a typed client for FD.io VPP's binary API.
 *
 * @module
 */
export { DecodeError, ValidationError, decode, decodeFrom, encode, encodeTo, toJson, Reader, Writer } from './codec/index.js';
export type { Header } from './codec/index.js';
export { SchemaError, loadApiDir, parseApiJsonBundle, parseModules, messagesByName, nameCrc } from './schema/index.js';
export type * from './schema/typed.js';
export type { MessageDef, ModuleDef, FieldDef, TypeDef, EnumDef, StructDef, AliasDef, ServiceLink } from './schema/model.js';
