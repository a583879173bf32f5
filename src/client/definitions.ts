/**
 * The client's message definitions: from generated bindings, an `.api.json` directory, or the
 * running VPP (`get_api_json`), always with the memclnt messages the client itself needs.
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

/** The registry of `definitions` that can be had before connecting (all but `'vpp'`). */
export async function loadLocalDefinitions(definitions: Definitions | undefined): Promise<Registry | undefined> {
  if (definitions === undefined) return registryOf(await bundledModules());
  if (definitions === 'vpp') return undefined;
  if ('apiDir' in definitions) return registryOf(await loadApiDir(definitions.apiDir));
  return registryOf(definitions as readonly ModuleDef[]);
}

/**
 * Asks VPP for its definitions with `get_api_json` (`ask` sends the request and returns the
 * reply). VPP leaves memclnt out of the list; the registry adds the bootstrap's messages back.
 */
export async function loadVppDefinitions(ask: (def: MessageDef) => Promise<unknown>): Promise<Registry> {
  const reply = (await ask(get_api_json)) as { json: string };
  return registryOf(parseApiJsonBundle(reply.json));
}
