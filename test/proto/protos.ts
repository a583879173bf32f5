/** The generated `.proto` files for all 151 modules, written once per test file into a temp dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll } from 'vitest';
import { generateProto } from '../../codegen/generate.js';
import { apiDir } from '../helpers/reference.js';

/** Generates every module's `.proto` into a directory removed after the test file. */
export async function generatedProtos(): Promise<{ dir: string; modules: readonly string[]; files: readonly string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-proto-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // No `source`: the VPP version comes from api-json/manifest.json.
  const { modules, files } = await generateProto({ apiDir, out: dir });
  return { dir, modules, files };
}

/** Loads `files` (and what they import) as protobufjs does, keeping VPP's field names, and resolves every reference. */
export function load(files: string | readonly string[]): protobuf.Root {
  const root = new protobuf.Root().loadSync(typeof files === 'string' ? files : [...files], { keepCase: true });
  root.resolveAll();
  return root;
}
