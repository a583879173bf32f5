/**
 * `npm pack`'s `prepack` and `postpack` steps. For the pack, package.json becomes the published
 * manifest: no scripts (the checkout's `prepare` builds from VPP's definitions, which a consumer
 * has no use for), no devDependencies, and an exports map derived from the bundled modules. It
 * is put back afterwards. Only the built tree (dist/) is needed, not ../shared.
 *
 * @module
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package's own entry points, beside one per bundled VPP module (`vppkit/acl`, …). */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  '.': 'dist/src/index',
  './client': 'dist/src/client/index',
  './testing': 'dist/src/testing/index',
  './agent': 'dist/src/agent/index',
  './schema': 'dist/src/schema/index',
  './codec': 'dist/src/codec/index',
  './proto': 'dist/src/proto/index',
  './trace': 'dist/src/trace/index',
  './desired': 'dist/src/desired/index',
  './stats': 'dist/src/stats/index',
  './codegen': 'dist/codegen/generate',
  './bindings': 'dist/src/gen/index',
  './errors': 'dist/src/gen/errors',
};

/** What the checkout's package.json holds. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly scripts?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** The exports map: the entry points, and `./NAME` for each bundled module NAME. */
export function exportsMap(bundledModules: readonly string[]): Record<string, unknown> {
  const paths: [string, string][] = [...Object.entries(ENTRY_POINTS), ...bundledModules.map((m): [string, string] => [`./${m}`, `dist/src/gen/${m}`])];
  return {
    ...Object.fromEntries(paths.map(([key, path]) => [key, { types: `./${path}.d.ts`, default: `./${path}.js` }])),
    './package.json': './package.json',
  };
}

/**
 * The manifest `npm pack` publishes: the checkout's, without devDependencies and scripts but
 * `install` (which builds the optional stats addon, or records why it cannot), with exports and files.
 */
export function publishedManifest(dev: PackageJson, bundledModules: readonly string[]): PackageJson {
  const { scripts, devDependencies: _dev, ...kept } = dev;
  const install = scripts?.install;
  // Compiled .js and .d.ts only (no source maps: the sources are not shipped), and of codegen/
  // what `vppkit gen` runs, not the checkout's build steps.
  const compiled = ['dist/src/**/*', 'dist/codegen/generate', 'dist/codegen/emit-*'].flatMap((p) => [`${p}.js`, `${p}.d.ts`]);
  // The stats addon: its source and build file for the install step, and prebuilt binaries.
  const addon = ['binding.gyp', 'native/stats.c', 'native/install.mjs', 'prebuilds/**/*.node'];
  const files = [...compiled, 'api-json/manifest.json', ...addon];
  return { ...kept, ...(install === undefined ? {} : { scripts: { install } }), exports: exportsMap(bundledModules), files };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifestPath = join(root, 'package.json');
const saved = join(root, '.tmp', 'package.json.checkout');

async function prepack(): Promise<void> {
  if (existsSync(saved)) throw new Error(`${saved} exists: an earlier pack did not finish; put it back as package.json, then pack again`);
  const index = join(root, 'dist', 'src', 'gen', 'index.js');
  if (!existsSync(index)) throw new Error('dist/ is not built: npm run build (after npm ci) makes it');
  const { modules } = (await import(pathToFileURL(index).href)) as { modules: readonly { name: string }[] };
  const dev = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  mkdirSync(dirname(saved), { recursive: true });
  copyFileSync(manifestPath, saved);
  writeFileSync(manifestPath, `${JSON.stringify(publishedManifest(dev, modules.map((m) => m.name)), null, 2)}\n`);
}

function postpack(): void {
  copyFileSync(saved, manifestPath);
  rmSync(saved);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const step = process.argv[2];
  if (step === 'prepack') await prepack();
  else if (step === 'postpack') postpack();
  else throw new Error(`usage: node dist/codegen/publish.js prepack|postpack, not ${step}`);
}
