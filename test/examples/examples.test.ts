/**
 * The examples in examples/, run as a user would (`node --import tsx`, `vppkit/...` imports
 * resolved by examples/tsconfig.json) against the VPP model, so they cannot rot.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/index.js';
import { type VppModel, launchEtcd, startVppModel } from '../../src/testing/index.js';
import { noEtcd } from '../helpers/etcd.js';
import { repoRoot } from '../helpers/reference.js';

const open: VppModel[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

async function model(options: Parameters<typeof startVppModel>[0] = {}): Promise<VppModel> {
  const vpp = await startVppModel(options);
  open.push(vpp);
  return vpp;
}

const env = (vpp: VppModel) => ({ ...process.env, VPP_API_SOCKET: vpp.socketPath, VPP_API_DIR: join(repoRoot, 'api-json'), TSX_TSCONFIG_PATH: join(repoRoot, 'examples', 'tsconfig.json') });
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

  // The examples the README and the guides (docs/guides/) quote; test/docs/guides.test.ts checks the quotes.
  it('readme.ts adds, applies and reads back a reflective ACL, and reports a VppApiError', async () => {
    const vpp = await model();
    const { stdout, stderr } = await run(vpp, 'readme.ts');
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('ACL 0: pod');
    expect(vpp.acl.lists(1).input).toEqual([0]);

    const noNic = await model({ nics: [] });
    const refused = await run(noNic, 'readme.ts');
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe('VPP refused: acl_interface_add_del: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)');
  });

  it('guide-getting-started.ts connects, calls show_version and dumps interfaces', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'guide-getting-started.ts');
    expect(stdout.trim().split('\n')).toEqual(['connected to VPP 26.06.0-release', '0 local0 down', '1 GigabitEthernet0/8/0 down']);
    expect(vpp.sim.connections).toHaveLength(0);
  });

  it('guide-bindings.ts reports compatibility and connects with bundled, directory and VPP definitions', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'guide-bindings.ts');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ present, 0 missing, 0 with another CRC$/);
    expect(lines.slice(1)).toEqual(['acl_add_replace is present', '0 ACL(s); complete: true', "VPP's pid is 4242", expect.stringMatching(/^VPP 26\.06\.0-release sent \d+ definitions$/)]);
    expect(vpp.sim.count('get_api_json')).toBe(1);

    const old = await model({ crcs: { acl_add_replace: '0xdeadbeef' } });
    const other = await run(old, 'guide-bindings.ts');
    expect(other.stdout).toContain('1 with another CRC\n  acl_add_replace: ');
    expect(other.stdout).toContain('acl_add_replace is other-crc');
  });

  it('guide-acls.ts applies, replaces, swaps and reads back ACLs', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'guide-acls.ts');
    expect(stdout.trim().split('\n')).toEqual([
      'ACL 0 "pod-out": reflect 10.1.1.3/32 -> 0.0.0.0/0',
      'ACL 2 "egress-v2": deny 0.0.0.0/0 -> 0.0.0.0/0; permit 10.1.0.0/16 -> 31.134.97.0/24',
      'GigabitEthernet0/8/0: input [0], output [2]',
    ]);
    expect([...vpp.acl.acls.entries()].map(([i]) => i)).toEqual([0, 2]);
  });

  it('guide-nat44.ts enables NAT44-ED, adds a pool, features and a static mapping', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'guide-nat44.ts');
    expect(stdout.trim().split('\n')).toEqual([
      'NAT44-ED enabled: up to 64512 sessions',
      'sw_if_index 2: inside',
      'sw_if_index 1: outside',
      'output feature on sw_if_index 1',
      'static 192.168.16.1:8080 -> 10.1.1.3:80 "pod-web"',
    ]);
    expect(vpp.sim.count('nat44_user_dump')).toBe(1);
    expect(vpp.unmodelled.get('nat44_user_dump')).toBe(1);
  });

  it('guide-events.ts iterates dumps and a cursor stream over several rounds, and hears events', async () => {
    const vpp = await model({ nics: ['GigabitEthernet0/8/0', 'GigabitEthernet0/9/0'], yieldEvery: 1 });
    const c = await connect({ socket: vpp.socketPath });
    await c.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
    for (const sw_if_index of [1, 2]) await c.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index });
    await c.close();
    const { stdout, stderr } = await run(vpp, 'guide-events.ts');
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toEqual([
      'first NIC: GigabitEthernet0/8/0',
      '3 interfaces',
      'NAT44-ED output feature on sw_if_index 1',
      'NAT44-ED output feature on sw_if_index 2',
      'sw_if_index 3 flags 0',
      'sw_if_index 3 flags 3',
    ]);
    expect(vpp.sim.count('nat44_ed_output_interface_get')).toBe(2); // -165, then the last round
    expect(vpp.sim.count('want_interface_events')).toBe(2); // subscribe, unsubscribe
    expect(vpp.interfaces.get(3)).toBeUndefined(); // the loopback is deleted again
  });

  it('guide-errors.ts shows each error class', async () => {
    const vpp = await model();
    const { stdout } = await run(vpp, 'guide-errors.ts');
    expect(stdout.trim().split('\n')).toEqual([
      "no connection: cannot connect to VPP's API socket /nonexistent/api.sock: connect ENOENT /nonexistent/api.sock",
      'VPP refused acl_del: -6 NO_SUCH_ENTRY (No such entry)',
      'not sent, bad value: sw_interface_add_del_address: prefix: expected a prefix like "10.1.0.0/16" or "2001:db8::/32", got "10.1.1.1"',
      'NAT44-ED sessions: 0',
      'VPP 26.06.0-release',
      'gave up on cli_inband: its signal aborted',
      '-81 is VALUE_EXIST: Value already exists',
    ]);

    // A VPP without the NAT plugin, and one that does not answer show_version.
    const faulty = await model({ omit: ['nat44_show_running_config'] });
    faulty.sim.dropNext('show_version');
    const lines = (await run(faulty, 'guide-errors.ts')).stdout.trim().split('\n');
    expect(lines[3]).toBe('not sent, nat44_show_running_config is missing in this VPP');
    expect(lines[4]).toBe('no answer to show_version within 500 ms');
  });

  it('guide-declarative.ts plans, applies, repairs drift and removes the pod egress path', async () => {
    const vpp = await model();
    const { stdout, stderr } = await run(vpp, 'guide-declarative.ts');
    expect(stdout.trim().split('\n')).toEqual(['14 calls planned', 'applied; then 0 calls planned', 'drift: interface/pod: admin up', 'removed what it owned: true, 9 calls']);
    expect(stderr).toContain('+ interface/pod: create memif id 1 (master, ethernet)  (memif_create)');
    expect(vpp.interfaces.list().map((i) => `${i.name} ${i.tag || '-'}`)).toEqual(['local0 -', 'GigabitEthernet0/8/0 -']);
  });

  it('guide-watching-counters.ts reads, watches and tests counters of the model\'s stats segment', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, args('guide-watching-counters.ts'), { cwd: repoRoot, env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'examples', 'tsconfig.json') } });
    expect(stdout.trim().split('\n')).toEqual([
      '0 local0: rx 0 packets, 0 bytes; drops 0',
      '1 GigabitEthernet0/8/0: rx 1000 packets, 64000 bytes; drops 3',
      'ip4-input: time_expired: 3',
      '/if/rx[1].packets: +500, a rate per second too',
      '/if/rx[1].bytes: +32000, a rate per second too',
    ]);
  });

  it('guide-testing.ts runs its checks against the model and the simulator', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, args('guide-testing.ts'), { cwd: repoRoot, env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'examples', 'tsconfig.json') } });
    expect(stdout.trim()).toBe('ensureAcl: all checks passed');
  });

  it.skipIf(noEtcd !== '')('guide-agent.ts reconciles once from etcd and lists the keys it did not apply', async () => {
    const vpp = await model();
    await using etcd = await launchEtcd();
    const kv = new Etcd3({ hosts: etcd.url });
    await kv.put('/vnf-agent/node1/config/vpp/v2/interfaces/lo1').value(JSON.stringify({ name: 'lo1', type: 'SOFTWARE_LOOPBACK', enabled: true }));
    await kv.put('/vnf-agent/node1/config/vpp/l2/v2/bridge-domain/bd1').value('{"name":"bd1"}');
    kv.close();
    const { stdout } = await promisify(execFile)(process.execPath, args('guide-agent.ts'), { cwd: repoRoot, env: { ...env(vpp), ETCD_URL: etcd.url } });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('state: in-sync');
    expect(lines).toContainEqual(expect.stringMatching(/^config\/vpp\/l2\/v2\/bridge-domain\/bd1: rejected: .*is not a key vppkit's agent reads/));
    const c = await connect({ socket: vpp.socketPath });
    const tags = (await c.dump('sw_interface_dump', { sw_if_index: 0xffffffff, name_filter_valid: false, name_filter: '' }).toArray()).map((d) => d.tag);
    await c.close();
    expect(tags).toContain('vppkit:lo1');
  });
});
