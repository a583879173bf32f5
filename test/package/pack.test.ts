/**
 * The published package: `npm pack` gives a tarball that installs into an empty project, whose
 * `vppkit` and `vppkit/acl` imports type-check under `tsc --strict` and run under plain node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/reference.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });

describe('npm pack', () => {
  it('installs into an empty project, type-checks strictly and runs under node', () => {
    expect(existsSync(join(repoRoot, 'dist', 'src', 'gen', 'acl.js')), 'dist/ is built by npm ci (prepare) or npm run build').toBe(true);
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], repoRoot);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    run('npm', ['install', '--prefer-offline', '--no-save', join(work, tarball), 'typescript@6', '@types/node@20'], app);
    writeFileSync(
      join(app, 'main.ts'),
      `import { encode, decode, ValidationError } from 'vppkit';
import { acl_add_replace, type AclAddReplaceInit } from 'vppkit/acl';
import { AclAction } from 'vppkit/acl_types';
const req: AclAddReplaceInit = { acl_index: 0xffffffff, tag: 'pod', r: [{ is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80, tcp_flags_mask: 0, tcp_flags_value: 0 }] };
const back = decode(acl_add_replace, encode(acl_add_replace, req)) as { r: { src_prefix: string }[] };
try { encode(acl_add_replace, { ...req, tag: 'x'.repeat(80) }); } catch (e) { if (e instanceof ValidationError) console.log(e.path); }
console.log(back.r[0]!.src_prefix);
`,
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], skipLibCheck: false, noEmit: false } }));
    run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
    expect(run(process.execPath, [join(app, 'main.js')], app).trim().split('\n')).toEqual(['tag', '10.1.1.3/32']);
    expect(existsSync(join(app, 'node_modules', 'vppkit', 'dist', 'src', 'gen', 'acl.js'))).toBe(true);
    // The bin runs through npm's link, as `npx vppkit` does.
    expect(run(join(app, 'node_modules', '.bin', 'vppkit'), ['version', '--json'], app)).toMatch(/"vppkit":"0\.1\.0"/);
  }, 180_000);
});
