/**
 * The bundled bindings are loaded only when wanted: every module for the default definitions,
 * only VPP's table of return codes for a client with its own. The table is not vppkit's code:
 * before it is loaded, or without it, a code is named UNKNOWN, and the description says why.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledModules, loadErrorTable } from '../../src/client/bundled.js';
import { VppApiError, describeRetval } from '../../src/errors/retval.js';
import { modules } from '../../src/gen/index.js';
import { repoRoot } from '../helpers/reference.js';
import { simulator } from './fixture.js';

describe('the bundled bindings, loaded on demand', () => {
  it('name no return code before the error table is loaded', () => {
    expect(describeRetval(-2)).toEqual({ name: 'UNKNOWN', description: 'return code -2 cannot be named: no table of VPP return codes is loaded' });
    expect(new VppApiError('sw_interface_set_flags', -2).symbol).toBe('UNKNOWN');
  });

  it("name every code VPP defines once the table is loaded, and no other", async () => {
    await loadErrorTable();
    expect(describeRetval(-2)).toEqual({ name: 'INVALID_SW_IF_INDEX', description: 'Invalid sw_if_index' });
    expect(new VppApiError('sw_interface_set_flags', -2).message).toBe('sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)');
    expect(describeRetval(-9999)).toEqual({ name: 'UNKNOWN', description: 'return code -9999 is not one VPP defines' });
  });

  it('give the generated modules themselves', async () => {
    expect(await bundledModules()).toBe(modules);
  });
});

// A process of its own, so that what it loads can be seen: a module hook prints every module of
// src/gen it resolves, then the script connects through the `vppkit` entry point.
const dir = mkdtempSync(join(tmpdir(), 'vppkit-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/src/gen/')) console.log('loaded ' + r.url.slice(r.url.lastIndexOf('/') + 1));
  return r;
}
`);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n`);
writeFileSync(join(dir, 'connect.mts'), `const { connect, describeRetval } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'src/index.ts')).href)});
const own = process.argv[2] === 'own';
const client = await connect({ socket: process.argv[3], ...(own && { definitions: [] }) });
console.log('connected, -2 is ' + describeRetval(-2).name);
await client.close();
`);

/** The modules of src/gen a process connecting with `definitions` loads, and what it printed. */
async function loadedBy(definitions: 'own' | 'default', socket: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), join(dir, 'connect.mts'), definitions, socket], { cwd: repoRoot });
  return stdout.trim().split('\n');
}

describe('connect()', () => {
  it('loads of the bundled bindings only the error table when given its own definitions', async () => {
    const sim = await simulator();
    expect(await loadedBy('own', sim.socketPath)).toEqual(['loaded errors.ts', 'connected, -2 is INVALID_SW_IF_INDEX']);
  });

  it('loads every bundled module by default', async () => {
    const sim = await simulator();
    const out = await loadedBy('default', sim.socketPath);
    expect(out).toContain('loaded index.ts');
    expect(out).toContain('loaded acl.ts');
    expect(out.at(-1)).toBe('connected, -2 is INVALID_SW_IF_INDEX');
  });
});
