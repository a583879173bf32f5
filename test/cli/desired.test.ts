/** `vppkit plan` and `vppkit apply`, run as a subprocess against the VPP model. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { vppkit } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-desired-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const models: VppModel[] = [];
afterEach(async () => {
  for (const m of models.splice(0)) await m.close();
});

function file(name: string, value: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const DESIRED = {
  interfaces: [{ name: 'lo1', type: 'loopback', enabled: true, ipAddresses: ['10.9.0.1/24'] }],
  acls: [{ name: 'ssh', rules: [{ action: 'permit', protocol: 'tcp', destinationPort: { first: 22, last: 22 } }], interfaces: { ingress: ['lo1'] } }],
};

describe('vppkit plan and apply', () => {
  it('plan prints the calls, apply runs them, and plan then prints no changes', async () => {
    const vpp = await startVppModel();
    models.push(vpp);
    const path = file('desired.json', DESIRED);
    const socket = ['--socket', vpp.socketPath];
    const planned = await vppkit(['plan', path, ...socket]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('Plan: 6 call(s): 6 to create, 0 to change, 0 to delete.');
    expect(planned.stdout).toContain('+ interface/lo1: create loopback  (create_loopback)');
    expect(planned.stdout).toContain('  interface: local0, GigabitEthernet0/8/0');
    const applied = await vppkit(['apply', path, ...socket, '--json']);
    expect(applied.code).toBe(0);
    const result = JSON.parse(applied.stdout) as { ok: boolean; outcomes: { status: string; message: string }[] };
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((o) => `${o.status} ${o.message}`)).toEqual(['done create_loopback', 'done sw_interface_tag_add_del', 'done sw_interface_add_del_address', 'done sw_interface_set_flags', 'done acl_add_replace', 'done acl_interface_set_acl_list']);
    expect((await vppkit(['plan', path, ...socket])).stdout).toMatch(/^No changes: VPP matches the desired state\./);
    expect(JSON.parse((await vppkit(['plan', path, ...socket, '--json'])).stdout).calls).toEqual([]);
  });

  it('exits 1 at a failed call, printing what was done, what failed with VPP\'s error, and what was not attempted', async () => {
    const vpp = await startVppModel();
    models.push(vpp);
    vpp.sim.handle('acl_add_replace', () => ({ retval: -1, acl_index: 0xffffffff }));
    const r = await vppkit(['apply', file('fail.json', DESIRED), '--socket', vpp.socketPath, '--rollback']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Failed: 4 done, 1 failed, 1 not attempted\./);
    expect(r.stdout).toContain('FAILED + acl/ssh: create with 1 rule(s)  (acl_add_replace): acl_add_replace: VPP returned -1');
    expect(r.stdout).toContain('skipped + interface/lo1: set ACLs');
    expect(r.stdout).toContain('Rollback:\n  Applied: 1 call(s) done.');
    expect(vpp.interfaces.list().map((i) => i.name)).toEqual(['local0', 'GigabitEthernet0/8/0']);
  });

  it('exits 2 for an invalid desired state, naming each field and its limit, before connecting', async () => {
    const r = await vppkit(['plan', file('bad.json', { interfaces: [{ name: 'x', type: 'loopback', mtu: 1 }], acls: [{ name: 'a', rules: [{ action: 'allow' }] }] }), '--socket', join(work, 'nothing.sock')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vppkit plan: invalid desired state:\n  interfaces[0].mtu: 1 is out of range (an integer 68…65535)\n  acls[0].rules[0].action: expected deny, permit or reflect, got "allow"\n');
    expect((await vppkit(['apply', file('broken.json', '{"interfaces": ['), '--socket', join(work, 'nothing.sock')])).code).toBe(2);
    expect((await vppkit(['plan', '--socket', join(work, 'nothing.sock')])).stderr).toContain('needs a desired-state file');
  });
});
