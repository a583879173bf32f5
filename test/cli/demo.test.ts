/** `vppkit demo` as a subprocess: against its built-in model, and against an external one with --socket. */
import { afterEach, describe, expect, it } from 'vitest';
import { type VppModel, type VppModelOptions, startVppModel } from '../../src/testing/index.js';
import { vppkit } from '../helpers/cli.js';

const open: VppModel[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

async function model(options: VppModelOptions = {}): Promise<VppModel> {
  const vpp = await startVppModel(options);
  open.push(vpp);
  return vpp;
}

interface DemoJson {
  target: { kind: string; socket?: string };
  actions: string[];
  state: {
    interfaces: { sw_if_index: number; name: string; admin_up: boolean; addresses: string[]; tag: string }[];
    acls: { index: number; tag: string; rules: { is_permit: number; src_prefix: string; dst_prefix: string }[]; applied_to: { sw_if_index: number; direction: string }[] }[];
    nat: { enabled: boolean; pool: { address: string }[]; features: { sw_if_index: number; feature: string }[] };
  };
  cleanup?: { actions: string[]; state: DemoJson['state'] };
}

describe('vppkit demo', () => {
  it('runs against the built-in model with no --socket and prints the state as tables', async () => {
    const r = await vppkit(['demo']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('against the built-in VPP 26.06 model');
    const lines = r.stdout.split('\n');
    const row = (start: string) => lines.find((l) => l.startsWith(start))?.split(/\s{2,}/);
    expect(row('1    GigabitEthernet0/8/0')).toEqual(['1', 'GigabitEthernet0/8/0', 'dpdk', 'up', 'up', '52:54:00:00:00:01', '192.168.16.1/24', '-']);
    expect(row('2    tap0')).toEqual(['2', 'tap0', 'tap', 'up', 'up', expect.stringMatching(/^02:fe:/), '10.1.1.1/24', 'vppkit-demo-pod']);
    expect(row('0    vppkit-demo-pod-ingress')).toEqual(['0', 'vppkit-demo-pod-ingress', '1. permit+reflect any 10.1.1.3/32 -> 0.0.0.0/0', 'tap0 input']);
    expect(row('1    vppkit-demo-uplink-egress')).toEqual(['1', 'vppkit-demo-uplink-egress', '1. permit tcp 0.0.0.0/0 -> 31.134.97.51/32:80', 'GigabitEthernet0/8/0 output']);
    expect(lines).toContain('NAT44-ED: enabled, 0 static mappings');
    expect(row('192.168.16.1 ')).toEqual(['192.168.16.1', 'any', 'normal']);
    expect(row('GigabitEthernet0/8/0  output')).toEqual(['GigabitEthernet0/8/0', 'output', '1 vppkit-demo-uplink-egress']); // ACLs per interface
    expect(lines.findLast((l) => l.startsWith('GigabitEthernet0/8/0'))!.split(/\s{2,}/)).toEqual(['GigabitEthernet0/8/0', 'output']); // NAT interfaces
  });

  it('--json gives the steps and the state read back', async () => {
    const r = await vppkit(['demo', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as DemoJson;
    expect(out.target).toEqual({ kind: 'simulator' });
    expect(out.actions).toContain('enabled NAT44-ED');
    const tap = out.state.interfaces.find((i) => i.tag === 'vppkit-demo-pod')!;
    expect(tap).toMatchObject({ name: 'tap0', admin_up: true, addresses: ['10.1.1.1/24'] });
    expect(out.state.acls.map((a) => [a.tag, a.rules[0]!.is_permit, a.applied_to])).toEqual([
      ['vppkit-demo-pod-ingress', 2, [{ sw_if_index: tap.sw_if_index, direction: 'input' }]],
      ['vppkit-demo-uplink-egress', 1, [{ sw_if_index: 1, direction: 'output' }]],
    ]);
    expect(out.state.nat).toEqual({ enabled: true, pool: [{ address: '192.168.16.1', vrf_id: 0xffffffff, twice_nat: false }], features: [{ sw_if_index: 1, feature: 'output' }], static_mappings: 0 });
    expect(out.cleanup).toBeUndefined();
  });

  it('with --socket, a second run replaces rather than duplicates, and --cleanup leaves nothing behind', async () => {
    const vpp = await model();
    const run = async (...args: string[]) => {
      const r = await vppkit(['demo', '--socket', vpp.socketPath, '--json', ...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as DemoJson;
    };
    const first = await run();
    expect(first.target).toEqual({ kind: 'vpp', socket: vpp.socketPath });
    const second = await run();
    expect(second.actions.filter((a) => /^(created|added|applied|enabled)/.test(a))).toEqual([]);
    expect(second.actions).toContain('replaced ACL 0 "vppkit-demo-pod-ingress"');
    expect(second.state).toEqual(first.state);
    expect(vpp.interfaces.list().filter((i) => i.kind === 'tap')).toHaveLength(1);
    expect(vpp.acl.acls.size).toBe(2);
    expect(vpp.nat44.addresses).toHaveLength(1);
    expect(vpp.nat44.outputInterfaces.size).toBe(1);

    const cleaned = await run('--cleanup');
    expect(cleaned.cleanup!.actions).toContain('disabled NAT44-ED (nothing else used it)');
    expect(vpp.interfaces.list().map((i) => [i.name, i.addresses.length])).toEqual([['local0', 0], ['GigabitEthernet0/8/0', 0]]);
    expect(vpp.acl.acls.size).toBe(0);
    expect(vpp.acl.applied.size === 0 || [...vpp.acl.applied.values()].every((l) => l.input.length + l.output.length === 0)).toBe(true);
    expect(vpp.nat44.enabled).toBe(false);
    expect(cleaned.cleanup!.state.acls).toEqual([]);
  });

  it('leaves NAT44-ED enabled at cleanup when other configuration uses it', async () => {
    const vpp = await model({ nics: ['GigabitEthernet0/8/0', 'GigabitEthernet0/9/0'] });
    expect((await vppkit(['demo', '--socket', vpp.socketPath])).code).toBe(0);
    vpp.nat44.addAddress('198.51.100.7', 0xffffffff, false);
    const r = await vppkit(['demo', '--socket', vpp.socketPath, '--cleanup', '--json']);
    expect((JSON.parse(r.stdout) as DemoJson).cleanup!.actions).toContain('left NAT44-ED enabled: other configuration uses it');
    expect(vpp.nat44.addresses.map((a) => a.address)).toEqual(['198.51.100.7']);
  });

  it('uses --uplink, and makes (then removes) a tagged loopback when there is no GigabitEthernet', async () => {
    const vpp = await model({ nics: ['TenGigabitEthernet1/0/0'] });
    const named = await vppkit(['demo', '--socket', vpp.socketPath, '--uplink', 'TenGigabitEthernet1/0/0', '--json']);
    expect((JSON.parse(named.stdout) as DemoJson).state.nat.features).toEqual([{ sw_if_index: 1, feature: 'output' }]);
    await vppkit(['demo', '--socket', vpp.socketPath, '--uplink', 'TenGigabitEthernet1/0/0', '--cleanup']);

    const r = await vppkit(['demo', '--socket', vpp.socketPath, '--json']);
    const out = JSON.parse(r.stdout) as DemoJson;
    const uplink = out.state.interfaces.find((i) => i.tag === 'vppkit-demo-uplink')!;
    expect(uplink).toMatchObject({ name: 'loop0', addresses: ['192.168.16.1/24'] });
    await vppkit(['demo', '--socket', vpp.socketPath, '--cleanup']);
    expect(vpp.interfaces.list().map((i) => i.name)).toEqual(['local0', 'TenGigabitEthernet1/0/0']);
  });

  it('--pod-interface memif: a memif and its socket, kept by a second run, removed by --cleanup', async () => {
    const vpp = await model();
    const run = async (...args: string[]) => {
      const r = await vppkit(['demo', '--socket', vpp.socketPath, '--pod-interface', 'memif', '--json', ...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as DemoJson;
    };
    const first = await run();
    const pod = first.state.interfaces.find((i) => i.tag === 'vppkit-demo-pod')!;
    expect(pod).toMatchObject({ name: 'memif1/0', admin_up: true, addresses: ['10.1.1.1/24'] });
    expect(first.actions).toContain(`created the pod's memif (sw_if_index ${pod.sw_if_index})`);
    expect(first.state.acls.find((a) => a.tag === 'vppkit-demo-pod-ingress')!.applied_to).toEqual([{ sw_if_index: pod.sw_if_index, direction: 'input' }]);
    const second = await run();
    expect(second.actions).toContain(`kept the pod's memif (sw_if_index ${pod.sw_if_index})`);
    expect(second.state).toEqual(first.state);
    expect([...vpp.memif.sockets.values()]).toEqual(['/run/vpp/memif.sock', '/run/vpp/vppkit-demo-pod.sock']);

    const cleaned = await run('--cleanup');
    expect(cleaned.cleanup!.actions).toEqual(expect.arrayContaining([`deleted the pod's memif (sw_if_index ${pod.sw_if_index})`, "deleted the pod's memif socket /run/vpp/vppkit-demo-pod.sock (socket_id 1)"]));
    expect(vpp.interfaces.list().map((i) => i.name)).toEqual(['local0', 'GigabitEthernet0/8/0']);
    expect([...vpp.memif.sockets.keys()]).toEqual([0]);
  });

  it('explains a tap that VPP refuses with -11 (no /dev/vhost-net), and suggests memif', async () => {
    const vpp = await model();
    vpp.sim.handle('tap_create_v3', () => -11); // what a VPP without /dev/vhost-net answers
    const r = await vppkit(['demo', '--socket', vpp.socketPath]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vppkit demo: tap_create_v3: VPP returned -11 SYSCALL_ERROR_1 (System call error #1): VPP could not create the tap, most likely because it cannot open ' +
        "/dev/vhost-net (common in containers and VMs; in Docker, start VPP's container with --device /dev/vhost-net). --pod-interface memif connects the pod without it.\n",
    );
    expect(await vppkit(['demo', '--pod-interface', 'veth'])).toMatchObject({ code: 2, stderr: 'vppkit demo: --pod-interface must be tap or memif, got "veth"\n' });
  });

  it('fails clearly: an unknown --uplink (exit 2), no VPP at --socket (exit 3)', async () => {
    const vpp = await model();
    const bad = await vppkit(['demo', '--socket', vpp.socketPath, '--uplink', 'eth9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vppkit demo: --uplink: VPP has no interface named "eth9" \(it has local0, GigabitEthernet0\/8\/0\)/);
    const none = await vppkit(['demo', '--socket', '/nonexistent/api.sock']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no VPP API socket at /nonexistent/api.sock');
  });

  it('documents --uplink, --cleanup and the simulator default in --help', async () => {
    const r = await vppkit(['demo', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--uplink NAME/);
    expect(r.stdout).toMatch(/--pod-interface tap\|memif/);
    expect(r.stdout).toMatch(/--cleanup/);
    expect(r.stdout).toMatch(/Without --socket .* built-in VPP 26\.06 model/);
  });

  it('--declarative builds the same path through apply; a second run changes nothing; --cleanup removes it', async () => {
    const vpp = await model({ nics: [] });
    const socket = ['--socket', vpp.socketPath, '--json', '--declarative'];
    const first = await vppkit(['demo', ...socket, '--pod-interface', 'memif']);
    expect(first.stderr).toBe('');
    const r = JSON.parse(first.stdout) as DemoJson;
    expect(r.actions).toContain('interface/demo-pod: create memif id 1 (master, ethernet)');
    expect(r.actions).toContain('interface/demo-uplink: create loopback');
    expect(r.state.interfaces.map((i) => `${i.name} ${i.tag} ${i.admin_up ? 'up' : 'down'} ${i.addresses.join(',')}`)).toEqual(['local0  down ', 'memif0/1 vppkit:demo-pod up 10.1.1.1/24', 'loop0 vppkit:demo-uplink up 192.168.16.1/24']);
    expect(r.state.acls.map((a) => `${a.tag} ${a.applied_to.map((t) => `${t.sw_if_index} ${t.direction}`).join(',')}`)).toEqual(['vppkit:demo-pod-ingress 1 input', 'vppkit:demo-uplink-egress 2 output']);
    expect(r.state.nat).toMatchObject({ enabled: true, pool: [{ address: '192.168.16.1' }], features: [{ sw_if_index: 2, feature: 'output' }] });
    const again = JSON.parse((await vppkit(['demo', ...socket, '--pod-interface', 'memif'])).stdout) as DemoJson;
    expect(again.actions).toEqual(['no changes: VPP already holds the desired state']);
    const clean = JSON.parse((await vppkit(['demo', ...socket, '--pod-interface', 'memif', '--cleanup'])).stdout) as DemoJson;
    expect(clean.cleanup!.actions.at(-1)).toBe('NAT44-ED disabled');
    expect(clean.cleanup!.state.interfaces.map((i) => i.name)).toEqual(['local0']);
    expect(clean.cleanup!.state.acls).toEqual([]);
  });
});
