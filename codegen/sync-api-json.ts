/**
 * The sync step: fills `api-json/` with VPP's `.api.json` files and `errors.json` from the first
 * source found — `$VPP_API_DIR`, `../shared/vpp-api/26.06`, `/usr/share/vpp/api` — and says which.
 *
 * @module
 */
import { cp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findApiJsonFiles } from '../src/schema/load.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = join(root, 'api-json');

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** The candidate sources, in order, with why each is considered. */
export function candidates(env: NodeJS.ProcessEnv = process.env): { dir: string; why: string }[] {
  const list: { dir: string; why: string }[] = [];
  if (env.VPP_API_DIR) list.push({ dir: resolve(env.VPP_API_DIR), why: 'VPP_API_DIR' });
  list.push({ dir: resolve(root, '..', 'shared', 'vpp-api', '26.06'), why: 'the shared reference copy' });
  list.push({ dir: '/usr/share/vpp/api', why: 'an installed VPP' });
  return list;
}

async function main(): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dest, 'manifest.json'), 'utf8')) as { vpp: string; modules: string[] };
  for (const { dir, why } of candidates()) {
    if (!(await isDir(dir))) continue;
    const files = await findApiJsonFiles(dir);
    if (files.length === 0) {
      console.warn(`sync: ${dir} (${why}) has no .api.json files; trying the next source`);
      continue;
    }
    await rm(join(dest, 'core'), { recursive: true, force: true });
    await rm(join(dest, 'plugins'), { recursive: true, force: true });
    await rm(join(dest, 'errors.json'), { force: true });
    for (const f of files) {
      const rel = relative(dir, f);
      const sub = rel.includes('/') ? rel : join('core', rel);
      await mkdir(dirname(join(dest, sub)), { recursive: true });
      await cp(f, join(dest, sub));
    }
    const errors = join(dir, 'errors.json');
    const haveErrors = await stat(errors).then(() => true, () => false);
    if (haveErrors) await cp(errors, join(dest, 'errors.json'));
    const names = new Set(files.map((f) => f.replace(/^.*\//, '').replace(/\.api\.json$/, '')));
    const missing = manifest.modules.filter((m) => !names.has(m));
    console.log(`sync: copied ${files.length} .api.json files${haveErrors ? ' and errors.json' : ''} from ${dir} (${why}) into api-json/`);
    if (!haveErrors) console.warn('sync: no errors.json there; VppApiError will carry codes without VPP\'s names');
    if (missing.length) throw new Error(`sync: ${dir} lacks bundled modules ${missing.join(', ')} (see api-json/manifest.json)`);
    return;
  }
  throw new Error(
    `sync: found no VPP API definitions. Looked at: ${candidates().map((c) => `${c.dir} (${c.why})`).join(', ')}. ` +
      'Set VPP_API_DIR to a directory of .api.json files (e.g. /usr/share/vpp/api from an installed VPP).',
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
