/** The generator's output for all 151 modules type-checks. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../codegen/generate.js';
import { apiDir, repoRoot } from '../helpers/reference.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(repoRoot, '.tmp-typecheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    return `${(err as { stdout?: string }).stdout ?? ''}${(err as Error).message}`;
  }
}

describe('generated bindings', () => {
  it('generates and type-checks all 151 modules under strict settings', async () => {
    const out = join(work, 'gen');
    const result = await generate({ apiDir, out, runtimeImport: '../../src/schema/index.js' });
    expect(result.modules).toHaveLength(151);
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['gen'] }));
    expect(typecheck(join(work, 'tsconfig.json'))).toBe('');
  }, 120_000); // one tsc over 151 modules: ~20 s alone, much more on a busy machine

  it('imports shared types from their owning module instead of copying them', async () => {
    const out = join(work, 'acl-only');
    const result = await generate({ apiDir, out, modules: ['acl'], runtimeImport: 'vppkit/schema' });
    expect(result.modules).toEqual(['ip_types', 'ethernet_types', 'acl_types', 'interface_types', 'acl']);
    const acl = readFileSync(join(out, 'acl.ts'), 'utf8');
    expect(acl).toContain("import * as acl_types from './acl_types.js';");
    expect(acl).not.toMatch(/export const prefix\b/);
    expect(acl).toMatch(/\/\*@__PURE__\*\/ defineMessage<UnaryRequest<AclAddReplaceInit, AclAddReplaceReply>>/);
  });
});
