/**
 * Loads definitions at run time: from an `.api.json` directory, or from the JSON that VPP's
 * `get_api_json` returns.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageDef, ModuleDef } from './model.js';
import { type ApiJsonSource, SchemaError, parseModules } from './parse.js';

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
 * Parses the string in `get_api_json_reply.json`: a JSON array of `.api.json` documents, or an
 * object of them keyed by module name.
 */
export function parseApiJsonBundle(json: string): ModuleDef[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SchemaError('get_api_json', undefined, `not valid JSON: ${(err as Error).message}`);
  }
  const docs = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null ? Object.values(doc) : undefined;
  if (!docs) throw new SchemaError('get_api_json', undefined, 'expected an array or object of .api.json documents');
  return parseModules(docs.map((d, i) => ({ file: `get_api_json[${(d as { module?: string })?.module ?? i}]`, json: d })));
}

/** Every message of a set of modules, by name. */
export function messagesByName(modules: Iterable<ModuleDef>): Map<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  for (const m of modules) for (const msg of m.messages) out.set(msg.name, msg);
  return out;
}
