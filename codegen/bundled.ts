/**
 * Build step: generates the bindings bundled in the package (`api-json/manifest.json`) into
 * `src/gen/`, from the definitions the sync step put in `api-json/`.
 *
 * @module
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = join(root, 'api-json');
const out = join(root, 'src', 'gen');

const manifest = JSON.parse(await readFile(join(apiDir, 'manifest.json'), 'utf8')) as { vpp: string; modules: string[] };
const errorsJson = join(apiDir, 'errors.json');
const haveErrors = await stat(errorsJson).then(() => true, () => false);
await rm(out, { recursive: true, force: true });
const result = await generate({
  apiDir,
  modules: manifest.modules,
  out,
  runtimeImport: '../schema/index.js',
  source: `VPP ${manifest.vpp}`,
  ...(haveErrors && { errorsJson }),
});
if (!haveErrors) throw new Error('gen: api-json/errors.json is missing; run `npm run sync` with a source that has it');
console.log(`gen: wrote ${result.files.length} files for ${result.modules.join(', ')} into src/gen/`);
