/**
 * The client's message definitions: from generated bindings, an `.api.json` directory, or the
 * running VPP (`get_api_json`), always with memclnt's own.
 *
 * @module
 */
import { modules as bundledModules } from '../gen/index.js';
import { apiModule as memclnt, get_api_json } from '../gen/memclnt.js';
import { loadApiDir, messagesByName, parseApiJsonBundle } from '../schema/load.js';
import type { MessageDef, ModuleDef } from '../schema/model.js';
import type { Definitions } from './types.js';

/** Every message the client knows, by name. */
export type Registry = Map<string, MessageDef>;

/** Builds the registry from modules, with memclnt's messages included. */
export function registryOf(modules: readonly ModuleDef[]): Registry {
  return messagesByName([memclnt, ...modules]);
}

/** The registry of `definitions` that can be had before connecting (all but `'vpp'`). */
export async function loadLocalDefinitions(definitions: Definitions | undefined): Promise<Registry | undefined> {
  if (definitions === undefined) return registryOf(bundledModules);
  if (definitions === 'vpp') return undefined;
  if ('apiDir' in definitions) return registryOf(await loadApiDir(definitions.apiDir));
  return registryOf(definitions as readonly ModuleDef[]);
}

/**
 * Asks VPP for its definitions with `get_api_json` (`ask` sends the request and returns the
 * reply). VPP leaves memclnt out of the list; the registry adds it back.
 */
export async function loadVppDefinitions(ask: (def: MessageDef) => Promise<unknown>): Promise<Registry> {
  const reply = (await ask(get_api_json)) as { json: string };
  return registryOf(parseApiJsonBundle(reply.json));
}
