/**
 * The examples in examples/, run as a user would (`node --import tsx`, `vppkit/...` imports
 * resolved by examples/tsconfig.json) against the VPP model, so they cannot rot.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { repoRoot } from '../helpers/reference.js';

const open: VppModel[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

async function model(): Promise<VppModel> {
  const vpp = await startVppModel();
  open.push(vpp);
  return vpp;
}

const env = (vpp: VppModel) => ({ ...process.env, VPP_API_SOCKET: vpp.socketPath, TSX_TSCONFIG_PATH: join(repoRoot, 'examples', 'tsconfig.json') });
const args = (name: string, rest: string[] = []) => ['--import', 'tsx', join(repoRoot, 'examples', name), ...rest];
const run = (vpp: VppModel, name: string, rest: string[] = []) => promisify(execFile)(process.execPath, args(name, rest), { cwd: repoRoot, env: env(vpp) });

async function output(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('examples', () => {
  it('type-check strictly against the package', async () => {
    await promisify(execFile)(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'examples', 'tsconfig.json')], { cwd: repoRoot });
  }, 120_000);

  it('pod-egress.ts scripts the scenario, and dump-acls.ts prints its ACLs', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'pod-egress.ts');
    expect(stdout.trim().split('\n')).toEqual(['pod tap sw_if_index 2, uplink sw_if_index 1', "ACL 0 on the tap's input, ACL 1 on the uplink's output", 'NAT44-ED output feature on sw_if_index 1']);
    expect(vpp.nat44.addresses.map((a) => a.address)).toEqual(['192.168.16.1']);
    expect(vpp.interfaces.get(2)!.addresses.map((a) => a.text)).toEqual(['10.1.1.1/24']);

    const acls = await run(vpp, 'dump-acls.ts');
    expect(acls.stdout.trim().split('\n')).toEqual([
      '2 ACL(s)',
      'ACL 0 "pod-ingress" on tap0 in',
      '  permit+reflect proto 0 10.1.1.3/32 -> 0.0.0.0/0 dport 0-65535',
      'ACL 1 "uplink-egress" on GigabitEthernet0/8/0 out',
      '  permit proto 6 0.0.0.0/0 -> 31.134.97.51/32 dport 80-80',
    ]);
  });

  it('watch-events.ts prints events and stops after COUNT of them', async () => {
    const vpp = await model();
    const subscribed = new Promise<void>((resolve) => vpp.sim.on('request', (r) => r.name === 'want_interface_events' && resolve()));
    const child = spawn(process.execPath, args('watch-events.ts', ['2', '60']), { cwd: repoRoot, env: env(vpp) });
    const done = output(child);
    await subscribed;
    const c = await connect({ socket: vpp.socketPath });
    const { sw_if_index } = await c.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
    await c.request('sw_interface_set_flags', { sw_if_index, flags: 1 });
    await c.close();
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['watching interface events', `sw_if_index ${sw_if_index}: admin down, link down`, `sw_if_index ${sw_if_index}: admin up, link up`, 'stopped: 2 events']);
  });

  it('watch-events.ts stops by itself when no events come', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'watch-events.ts', ['5', '1']);
    expect(stdout.trim().split('\n')).toEqual(['watching interface events', 'stopped: no more events after 1 s']);
  });
});
