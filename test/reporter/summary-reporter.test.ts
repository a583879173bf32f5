/** The closing line counts failures outside tests: a failed hook, a file that fails to load, an unhandled error. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/reference.js';

const run = promisify(execFile);

/** Runs vitest on one fixture with the summary reporter; returns its exit code and output. */
async function vitest(fixture: string): Promise<{ code: number; stdout: string }> {
  const args = [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', join(repoRoot, 'test', 'reporter', 'fixtures', 'vitest.config.ts'), fixture];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('summary reporter', () => {
  it('counts a failed beforeAll as a failure, and names it', async () => {
    const r = await vitest('before-all.fixture.ts');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failed outside a test: before-all.fixture.ts > a suite whose beforeAll fails: setup broke\n');
    expect(r.stdout).toContain('\ntests: 1 passed, 1 failed, 2 skipped\n');
  });

  it('counts a file that fails to load as a failure', async () => {
    const r = await vitest('import.fixture.ts');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed outside a test: import\.fixture\.ts: .*no-such-module/);
    expect(r.stdout).toContain('\ntests: 0 passed, 1 failed, 0 skipped\n');
  });

  it('counts an unhandled error as a failure', async () => {
    const r = await vitest('unhandled.fixture.ts');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failed outside a test: unhandled error: nobody caught me\n');
    expect(r.stdout).toContain('\ntests: 1 passed, 1 failed, 0 skipped\n');
  });

  it('says 0 failed when nothing failed', async () => {
    const r = await vitest('pass.fixture.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('failed outside a test');
    expect(r.stdout).toContain('\ntests: 1 passed, 0 failed, 1 skipped\n');
  });
});
