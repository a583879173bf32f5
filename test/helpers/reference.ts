/** Access to VPP's reference data in ../shared (never copied into the repo). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApiDir, messagesByName } from '../../src/schema/index.js';
import type { MessageDef, ModuleDef } from '../../src/schema/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The synced definitions (npm run sync fills it). */
export const apiDir = join(repoRoot, 'api-json');
export const referenceDir = process.env.VPP_REFERENCE_DIR ?? resolve(repoRoot, '..', 'shared', 'vpp-api', '26.06');

export interface Vector {
  file: string;
  message: string;
  crc: string;
  hex: string;
  fields: Record<string, unknown>;
}

/** vectors.json; the conformance tests need it and fail loudly without it. */
export function loadVectors(): { vectors: Vector[]; skipped: [string, string][] } {
  const path = join(referenceDir, 'vectors.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: the conformance tests need VPP's reference vectors (set VPP_REFERENCE_DIR)`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

let modules: Promise<ModuleDef[]> | undefined;
/** All 151 modules, parsed once per test file. */
export function allModules(): Promise<ModuleDef[]> {
  modules ??= loadApiDir(apiDir);
  return modules;
}

export async function allMessages(): Promise<Map<string, MessageDef>> {
  return messagesByName(await allModules());
}

/** The reference's JSON form: integers above 2^53 as strings, bytes as {hex}. */
export function toReferenceForm(v: unknown): unknown {
  if (typeof v === 'bigint') return v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER) ? v.toString() : Number(v);
  if (v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex') };
  if (Array.isArray(v)) return v.map(toReferenceForm);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toReferenceForm(x)]));
  return v;
}
