/**
 * vppkit: a typed client for FD.io VPP's binary API.
 *
 * - {@link connect} opens a {@link Client} on VPP's API socket: typed requests, dumps, cursor
 *   streams and events, with timeouts, cancellation and reconnection.
 * - {@link encode} and {@link decode} are the codec on its own.
 * - Generated bindings live in subpaths (`vppkit/acl`, `vppkit/interface`, …); definitions can
 *   also be loaded at run time ({@link loadApiDir}, {@link parseApiJsonBundle}).
 *
 * @module vppkit
 */
export * from './client/index.js';
export { DecodeError, decode, decodeFrom, decodeRaw, encode, encodeTo, readHeader, toJson, Reader, Writer } from './codec/index.js';
export type { Header } from './codec/index.js';
export { UnsupportedDefinitionError } from './errors/index.js';
export { SchemaError, loadApiDir, parseApiJsonBundle, parseModules, messagesByName, nameCrc } from './schema/index.js';
export type * from './schema/typed.js';
export type { MessageDef, ModuleDef, FieldDef, TypeDef, EnumDef, StructDef, AliasDef, ServiceLink } from './schema/model.js';
