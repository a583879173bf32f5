/**
 * Loads definitions at run time: from an `.api.json` directory, or from the JSON that VPP's
 * `get_api_json` returns.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageDef, ModuleDef } from './model.js';
import { SchemaError } from '../errors/index.js';
import { type ApiJsonSource, parseModules } from './parse.js';

/** Finds every `*.api.json` below `dir` (VPP installs them under `core/` and `plugins/`). */
export async function findApiJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.api.json')) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * Parses every `.api.json` file below `dir`.
 * @throws {@link SchemaError} naming the file and definition it does not understand.
 */
export async function loadApiDir(dir: string): Promise<ModuleDef[]> {
  const files = await findApiJsonFiles(dir);
  if (files.length === 0) throw new SchemaError(dir, undefined, 'no .api.json files found');
  const sources = await Promise.all(
    files.map(async (file): Promise<ApiJsonSource> => {
      const text = await readFile(file, 'utf8');
      try {
        return { file, json: JSON.parse(text) };
      } catch (err) {
        throw new SchemaError(file, undefined, `not valid JSON: ${(err as Error).message}`);
      }
    }),
  );
  return parseModules(sources);
}

/**
 * Parses the string in `get_api_json_reply.json`: a JSON array of `.api.json` documents, one per
 * module that defines messages. VPP leaves out `memclnt` (every client has it) and ends the
 * string with a NUL; pass the modules it lacks as `extra`.
 */
export function parseApiJsonBundle(json: string, extra: readonly ApiJsonSource[] = []): ModuleDef[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json.replace(/\0+$/, ''));
  } catch (err) {
    throw new SchemaError('get_api_json', undefined, `not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new SchemaError('get_api_json', undefined, 'expected a JSON array of .api.json documents');
  const names = new Set(doc.map((d) => (d as { module?: unknown })?.module));
  const sources = doc.map((d, i): ApiJsonSource => ({ file: `get_api_json[${(d as { module?: string })?.module ?? i}]`, json: d }));
  return parseModules([...sources, ...extra.filter((e) => !names.has((e.json as { module?: unknown })?.module))]);
}

/** Every message of a set of modules, by name. */
export function messagesByName(modules: Iterable<ModuleDef>): Map<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  for (const m of modules) for (const msg of m.messages) out.set(msg.name, msg);
  return out;
}
