/**
 * The client's message definitions: from generated bindings, an `.api.json` directory, or the
 * running VPP (`get_api_json`), always with the memclnt messages the client itself needs. The CLI
 * loads its definitions here too.
 *
 * @module
 */
import { bootstrapMessages, get_api_json } from '../bootstrap/memclnt.js';
import { loadApiDir, messagesByName, parseApiJsonBundle } from '../schema/load.js';
import type { MessageDef, ModuleDef } from '../schema/model.js';
import { bundledModules } from './bundled.js';
import type { Definitions } from './types.js';

/** Every message the client knows, by name. */
export type Registry = Map<string, MessageDef>;

/** Builds the registry from modules, with the bootstrap's memclnt messages where the modules lack them. */
export function registryOf(modules: readonly ModuleDef[]): Registry {
  const registry: Registry = new Map(bootstrapMessages.map((def) => [def.name, def]));
  for (const [name, def] of messagesByName(modules)) registry.set(name, def);
  return registry;
}

/** The modules of `definitions` that can be had before connecting (all but `'vpp'`): the bundled ones by default. */
export async function localModules(definitions: Exclude<Definitions, 'vpp'> | undefined): Promise<readonly ModuleDef[]> {
  if (definitions === undefined) return bundledModules();
  if ('apiDir' in definitions) return loadApiDir(definitions.apiDir);
  return definitions as readonly ModuleDef[];
}

/** The registry of `definitions` that can be had before connecting (all but `'vpp'`). */
export async function loadLocalDefinitions(definitions: Definitions | undefined): Promise<Registry | undefined> {
  if (definitions === 'vpp') return undefined;
  return registryOf(await localModules(definitions));
}

/**
 * Asks VPP for its definitions with `get_api_json` (`ask` sends the request and returns the
 * reply): the modules VPP lists, which leave memclnt out ({@link registryOf} adds the bootstrap's
 * messages back).
 */
export async function vppModules(ask: (def: MessageDef) => Promise<unknown>): Promise<readonly ModuleDef[]> {
  const reply = (await ask(get_api_json)) as { json: string };
  return parseApiJsonBundle(reply.json);
}

/** The registry of VPP's own definitions: see {@link vppModules}. */
export async function loadVppDefinitions(ask: (def: MessageDef) => Promise<unknown>): Promise<Registry> {
  return registryOf(await vppModules(ask));
}
