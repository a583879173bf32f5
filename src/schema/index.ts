/**
 * The schema model of VPP's API definitions, its `.api.json` parser and loaders, and the builders
 * and types generated bindings use. Import as `vppkit/schema`.
 *
 * @module vppkit/schema
 */
export * from './model.js';
export * from './typed.js';
export { defineAlias, defineEnum, defineMessage, defineModule, defineStruct, defineUnion } from './define.js';
export type { FieldOptions, FieldSpec } from './define.js';
export { SchemaError } from '../errors/index.js';
export { parseModules } from './parse.js';
export type { ApiJsonSource } from './parse.js';
export { findApiJsonFiles, loadApiDir, messagesByName, parseApiJsonBundle } from './load.js';
export { NEUTRAL_DEFAULTS, neutralDefault } from './neutral-defaults.js';
