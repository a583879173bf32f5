/**
 * Which message definitions the CLI works with: `--api-dir DIR`, or the bundled bindings.
 *
 * @module
 */
import { localModules, registryOf } from '../client/definitions.js';
import { clip, suggest } from '../codec/runtime.js';
import type { MessageDef, ModuleDef } from '../schema/model.js';
import { SchemaError } from '../errors/index.js';
import { CliError, EXIT } from './command.js';

const BUNDLED = 'the bundled bindings';

/** A set of definitions and a lookup that explains misses. */
export interface Definitions {
  readonly modules: readonly ModuleDef[];
  readonly messages: ReadonlyMap<string, MessageDef>;
  /** Where they came from, for messages. */
  readonly source: string;
  /** The message called `name`, or a usage error suggesting near names. */
  message(name: string): MessageDef;
}

/** Definitions from `dir`, or the bundled ones when `dir` is undefined. */
export async function loadDefinitions(dir: string | undefined): Promise<Definitions> {
  let modules: readonly ModuleDef[];
  try {
    modules = await localModules(dir === undefined ? undefined : { apiDir: dir });
  } catch (err) {
    if (err instanceof SchemaError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`cannot load definitions from ${dir ?? BUNDLED}: ${(err as Error).message}`, EXIT.usage, { cause: err });
    }
    throw err;
  }
  return fromModules(modules, dir ?? BUNDLED);
}

/** Wraps modules already at hand (e.g. bootstrapped from VPP). */
export function fromModules(modules: readonly ModuleDef[], source: string): Definitions {
  // As the client does: memclnt's own messages are there even when the modules leave memclnt out (VPP's list does).
  const messages = registryOf(modules);
  return {
    modules,
    messages,
    source,
    message(name: string): MessageDef {
      const m = messages.get(name);
      if (m) return m;
      const near = suggest(name, [...messages.keys()]);
      const hint = near.length ? `; did you mean ${near.join(', ')}?` : source === BUNDLED ? '; for the other modules give --api-dir DIR (e.g. /usr/share/vpp/api)' : '';
      throw new CliError(`unknown message "${clip(name)}" in ${source}${hint}`);
    },
  };
}

