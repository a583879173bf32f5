/**
 * The published package, as a new user gets it: `npm pack` from a copy of the built tree with no
 * VPP definitions beside it, installed into an empty strict ESM project. Its `.d.ts` files
 * type-check under TypeScript 6 and 7 with each modern module resolution, a misspelled field is
 * named under both, every export resolves, `await using` closes the model, and the `vppkit` bin
 * serves `vppkit sim` to another process, survives a closed pipe and prints `--json` errors.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportsMap } from '../../codegen/publish.js';
import { modules } from '../../src/gen/index.js';
import { repoRoot } from '../helpers/reference.js';
import { compilers, diagnostics, tscOf } from '../helpers/tsc.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-pack-'));
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
  rmSync(work, { recursive: true, force: true });
});
const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', VPP_API_SOCKET: '' };
const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env });
const app = join(work, 'app');
const bin = join(app, 'node_modules', '.bin', 'vppkit');
const installed = join(app, 'node_modules', 'vppkit');
let tarball: string;

/** The `vppkit` bin with `args`, run to its end. */
function vppkit(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { cwd: app, encoding: 'utf8', env, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tsconfig for the app with `compilerOptions` on top of strict ESM settings. */
function project(name: string, include: string[], compilerOptions: Record<string, unknown>): string {
  const path = join(app, `tsconfig.${name}.json`);
  const base = { strict: true, target: 'es2022', types: ['node'], skipLibCheck: false, noEmit: true };
  writeFileSync(path, JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, include }));
  return path;
}

beforeAll(() => {
  expect(existsSync(join(repoRoot, 'dist', 'src', 'gen', 'acl.js')), 'dist/ is built by npm ci (prepare) or npm run build').toBe(true);
  // A copy of the built tree, with no ../shared and no node_modules beside it.
  const tree = join(work, 'tree', 'vppkit');
  for (const p of ['package.json', 'README.md', 'LICENSE', 'dist', join('api-json', 'manifest.json'), 'binding.gyp', 'native']) cpSync(join(repoRoot, p), join(tree, p), { recursive: true });
  run('npm', ['pack', '--pack-destination', work], tree);
  expect(JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-save', tarball, 'typescript@6', 'typescript7@npm:typescript@7', '@types/node@20'], app);
}, 300_000);

describe('the packed tarball', () => {
  it('has the license, no source maps, and a manifest with no devDependencies and no scripts but the stats addon\'s install step', () => {
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'vppkit', license: 'Apache-2.0' });
    expect(manifest.scripts).toEqual({ install: 'node native/install.mjs' });
    expect(manifest.devDependencies).toBeUndefined();
    const files = run('tar', ['tzf', tarball], work).trim().split('\n');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.js') && readFileSync(join(app, 'node_modules', 'vppkit', f.slice('package/'.length)), 'utf8').includes('sourceMappingURL'))).toEqual([]);
    expect(files.some((f) => f.startsWith('package/src/'))).toBe(false);
  });

  it('builds the stats addon at install, from the source it ships', () => {
    const files = run('tar', ['tzf', tarball], work).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/binding.gyp', 'package/native/stats.c', 'package/native/install.mjs']));
    expect(existsSync(join(installed, 'build', 'Release', 'vppkit_stats.node'))).toBe(true);
    const script = `import { loadStatsAddon } from 'vppkit/stats'; console.log(Object.keys(loadStatsAddon()).sort().join(','));`;
    expect(run(process.execPath, ['--input-type=module', '-e', script], app).trim()).toBe('map,receiveFd,serveFd,unmap');
  });

  it('exports every bundled module, and every export resolves to its code and types', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };
    expect(manifest.exports).toEqual(exportsMap(modules.map((m) => m.name)));
    for (const m of modules) expect(Object.keys(manifest.exports), m.name).toContain(`./${m.name}`);
    for (const [key, target] of Object.entries(manifest.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const f of files) expect(existsSync(join(installed, f)), `${key}: ${f}`).toBe(true);
    }
    const specifiers = Object.keys(manifest.exports).map((k) => `vppkit${k.slice(1)}`);
    const script = `for (const s of ${JSON.stringify(specifiers)}) await import(s, s.endsWith('.json') ? { with: { type: 'json' } } : undefined); console.log('ok');`;
    expect(run(process.execPath, ['--input-type=module', '-e', script], app).trim()).toBe('ok');
  });
});

describe('the client in the .d.ts files', () => {
  const dts = (file: string): string => readFileSync(join(installed, 'dist', 'src', 'client', file), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '');

  it('shows no internals: the Client has #private only, DetailsIterator and Subscription are interfaces of their documented members', () => {
    expect(dts('client.d.ts').match(/^ *private \w+/gm)).toEqual(['    private constructor']);
    const members = (file: string, name: string): string[] => {
      const body = new RegExp(`export interface ${name}<[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(dts(file))![1]!;
      return [...body.matchAll(/^ {4}(?:readonly )?(\[?[\w.]+\]?)/gm)].map((m) => m[1]!);
    };
    expect(members('calls.d.ts', 'DetailsIterator')).toEqual(['buffered', 'next', 'return', 'views', '[Symbol.asyncIterator]', 'toArray']);
    expect(members('subscription.d.ts', 'Subscription')).toEqual(['request', 'value', 'reply', 'buffered', 'next', 'return', '[Symbol.asyncIterator]', 'unsubscribe']);
  });
});

describe('TypeScript 6 and 7 against the .d.ts files', () => {
  const main = `import { decode, encode, ValidationError } from 'vppkit';
import { connect } from 'vppkit/client';
import { acl_add_replace, type AclAddReplaceInit } from 'vppkit/acl';
import { AclAction } from 'vppkit/acl_types';
import { startVppModel } from 'vppkit/testing';

const req: AclAddReplaceInit = { acl_index: 0xffffffff, tag: 'pod', r: [{ is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80, tcp_flags_mask: 0, tcp_flags_value: 0 }] };
const back = decode(acl_add_replace, encode(acl_add_replace, req)) as { r: { src_prefix: string }[] };
try { encode(acl_add_replace, { ...req, tag: 'x'.repeat(80) }); } catch (e) { if (e instanceof ValidationError) console.log(e.path); }
console.log(back.r[0]!.src_prefix);
// No close(): await using closes the client and the model, or this process would not exit.
await using vpp = await startVppModel();
await using client = await connect({ socket: vpp.socketPath });
const { acl_index } = await client.request('acl_add_replace', req);
for await (const acl of client.dump('acl_dump', { acl_index })) console.log(acl.tag);
`;
  const wrong = `import type { Client } from 'vppkit/client';
import { acl_del } from 'vppkit/acl';
declare const client: Client;
export const byName = client.request('acl_del', { acl_idx: 1 });
export const byDescriptor = client.request(acl_del, { acl_idx: 1 });
`;
  const resolutions = { node16: { module: 'node16', moduleResolution: 'node16' }, nodenext: { module: 'nodenext', moduleResolution: 'nodenext' }, bundler: { module: 'esnext', moduleResolution: 'bundler' } };

  it.each(Object.entries(compilers))('TypeScript %s: compiles with node16, nodenext and bundler resolution, and names a misspelled field', (_, pkg) => {
    writeFileSync(join(app, 'main.ts'), main);
    mkdirSync(join(app, 'wrong'), { recursive: true });
    writeFileSync(join(app, 'wrong', 'wrong.ts'), wrong);
    const tsc = tscOf(pkg, app);
    expect(run(process.execPath, [tsc, '--version'], app)).toMatch(pkg === 'typescript' ? /^Version 6\./ : /^Version 7\./);
    for (const [name, options] of Object.entries(resolutions)) expect(diagnostics(tsc, project(`${pkg}-${name}`, ['main.ts'], options)), name).toEqual([]);
    // The library's files were checked above; here only the mistake matters.
    const found = diagnostics(tsc, project(`${pkg}-wrong`, ['wrong/wrong.ts'], { ...resolutions.nodenext, skipLibCheck: true }));
    const named = "TS2561: Object literal may only specify known properties, but 'acl_idx' does not exist in type 'AclDelInit'. Did you mean to write 'acl_index'?";
    expect(found.map((d) => [d.line, d.text])).toEqual([[4, named], [5, named]]);
  }, 240_000);

  it('TypeScript 6 with node10 resolution cannot see the subpath exports (TS2307), as the README says', () => {
    writeFileSync(join(app, 'legacy.ts'), "import { acl_del } from 'vppkit/acl';\nexport const name: string = acl_del.name;\n");
    const found = diagnostics(tscOf('typescript', app), project('node10', ['legacy.ts'], { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', skipLibCheck: true }));
    expect(found.map((d) => d.text)).toEqual([expect.stringMatching(/^TS2307: Cannot find module 'vppkit\/acl'/)]);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toMatch(/`node10`[^]*TS2307/);
  }, 120_000);

  it('the compiled program (TypeScript 7 lowers await using for ES2022) runs under node, and await using closes the model so the process exits', () => {
    writeFileSync(join(app, 'main.ts'), main);
    run(process.execPath, [tscOf('typescript7', app), '-p', project('emit', ['main.ts'], { module: 'nodenext', moduleResolution: 'nodenext', noEmit: false, skipLibCheck: true })], app);
    const r = spawnSync(process.execPath, [join(app, 'main.js')], { cwd: app, encoding: 'utf8', timeout: 20_000 });
    expect(r.error, 'node main.js did not exit: something was left open').toBeUndefined();
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout.trim().split('\n')).toEqual(['tag', '10.1.1.3/32', 'pod']);
  }, 120_000);
});

describe('the vppkit bin', () => {
  it('runs through npm\'s link, as npx vppkit does', () => {
    expect(vppkit(['version', '--json']).stdout).toMatch(/"vppkit":"0\.1\.0"/);
  });

  it('serves vppkit sim to vppkit dump in another process, until Ctrl-C', async () => {
    const socket = join(work, 'sim.sock');
    const sim: ChildProcess = spawn(bin, ['sim', '--socket', socket], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => sim.exitCode === null && sim.kill('SIGKILL'));
    let banner = '';
    sim.stdout!.on('data', (d) => (banner += d));
    await vi.waitFor(() => expect(banner).toContain(`listening on ${socket}`), { timeout: 10_000 });
    const dump = vppkit(['dump', 'sw_interface_dump', '--socket', socket]);
    expect(dump).toMatchObject({ code: 0, stderr: '' });
    expect(dump.stdout.trim().split('\n').map((l) => JSON.parse(l).interface_name)).toEqual(['local0', 'GigabitEthernet0/8/0']);
    const refused = vppkit(['call', 'acl_del', '{"acl_index": 5}', '--json', '--socket', socket]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(refused.stderr)).toMatchObject({ name: 'VppApiError', code: 1, retval: -6, symbol: 'NO_SUCH_ENTRY' });
    sim.kill('SIGINT');
    const [code] = await once(sim, 'exit');
    expect(code).toBe(0);
  });

  it('exits quietly when its stdout closes, and prints --json errors as one JSON object', async () => {
    const child = spawn(bin, ['messages'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'close');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const unreachable = vppkit(['call', 'show_version', '--json', '--socket', join(work, 'none.sock')]);
    expect(unreachable).toMatchObject({ code: 3, stdout: '' });
    expect(JSON.parse(unreachable.stderr)).toMatchObject({ name: 'ConnectionClosedError', code: 3, command: 'call' });
  });
});
