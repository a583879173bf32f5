/**
 * A fresh clone has no generated bindings (src/gen is build output). The core, every folder the
 * rules of docs/architecture.md do not allow to import src/gen, but for the entry points, must
 * type-check without them: a static import of src/gen in it fails here. It also runs without
 * them, and says so.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptions, layer, rules, srcFiles } from '../helpers/architecture.js';
import { repoRoot } from '../helpers/reference.js';
import { diagnostics, tscOf } from '../helpers/tsc.js';

// Entry points are not the core: src/index.ts (a rule of its own), and those that bring in the
// bindings' types (listed as exceptions).
const entries = new Set(exceptions.filter((e) => e.to.startsWith('src/gen/')).map((e) => e.from));
const core = srcFiles.filter((f) => layer(f).endsWith('/') && layer(f) !== 'src/gen/' && !rules.get(layer(f))!.includes('src/gen/') && !entries.has(f));
const dir = mkdtempSync(join(tmpdir(), 'vppkit-fresh-clone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a fresh clone, without src/gen', () => {
  beforeAll(() => {
    for (const f of core) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      cpSync(join(repoRoot, f), join(dir, f));
    }
    cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });

  it('type-checks the core', () => {
    expect(core).toContain('src/client/client.ts');
    expect(core).toContain('src/trace/reader.ts');
    expect([...entries]).toEqual(['src/client/index.ts']);
    expect(core.filter((f) => f.startsWith('src/gen/') || f.startsWith('src/cli/') || f.startsWith('src/testing/'))).toEqual([]);
    const project = join(dir, 'tsconfig.json');
    writeFileSync(project, JSON.stringify({ extends: join(repoRoot, 'tsconfig.json'), compilerOptions: { noEmit: true, rootDir: '.' }, include: ['src'] }));
    expect(diagnostics(tscOf('typescript', repoRoot), project)).toEqual([]);
  }, 120_000);

  it('runs the core, saying the bindings are not built and naming no return code', () => {
    const script = join(dir, 'run.mts');
    writeFileSync(script, `import { bundledModules, loadErrorTable } from './src/client/bundled.ts';
import { describeRetval } from './src/errors/retval.ts';
await loadErrorTable();
console.log(describeRetval(-2).name);
await bundledModules().catch((err) => console.log(err.name + ': ' + err.message));
`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: dir, encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(['UNKNOWN', 'SchemaError: src/gen/index.ts: the bundled bindings are not built (npm run gen makes them); pass definitions instead']);
  }, 60_000);
});
