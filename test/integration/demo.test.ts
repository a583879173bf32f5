/**
 * `vppkit demo` against a real VPP, with the pod on a memif (a tap needs /dev/vhost-net, which
 * CI machines lack): twice (the second run changes nothing), checked with dumps, then --cleanup,
 * after which nothing of it is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { vppkit } from '../helpers/cli.js';
import { connectVpp, socket } from './vpp.js';

const NONE = 0xffffffff;
const TAGS = ['vppkit-demo-pod', 'vppkit-demo-uplink', 'vppkit-demo-pod-ingress', 'vppkit-demo-uplink-egress'];

/** What the demo's JSON output holds (only what this test reads). */
interface DemoJson {
  actions: string[];
  state: unknown;
  cleanup?: { actions: string[] };
}

async function demo(...args: string[]): Promise<DemoJson> {
  const r = await vppkit(['demo', '--socket', socket, '--pod-interface', 'memif', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as DemoJson;
}

describe.skipIf(!socket)('vppkit demo --pod-interface memif on a real VPP', () => {
  let vpp: Client;
  beforeAll(async () => {
    vpp = await connectVpp();
  });
  afterAll(async () => {
    await vpp?.close();
  });

  /** What the demo made, read with dumps (without the message headers, which differ per call). */
  async function demoState() {
    const interfaces = (await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()).filter((i) => TAGS.includes(i.tag));
    const pod = interfaces.find((i) => i.tag === 'vppkit-demo-pod');
    const uplink = interfaces.find((i) => i.tag === 'vppkit-demo-uplink');
    const addresses = async (sw_if_index: number | undefined) =>
      sw_if_index === undefined ? [] : (await vpp.dump('ip_address_dump', { sw_if_index, is_ipv6: false }).toArray()).map((a) => a.prefix);
    const acls = (await vpp.dump('acl_dump', { acl_index: NONE }).toArray()).filter((a) => TAGS.includes(a.tag));
    const lists = await vpp.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray();
    const appliedTo = (acl: number) => lists.flatMap((l) => l.acls.flatMap((a, at) => (a === acl ? [`${l.sw_if_index} ${at < l.n_input ? 'input' : 'output'}`] : [])));
    const natOn = (await vpp.request('nat44_show_running_config', {})).sessions !== 0;
    return {
      pod,
      uplink,
      podAddresses: await addresses(pod?.sw_if_index),
      uplinkAddresses: await addresses(uplink?.sw_if_index),
      memifs: (await vpp.dump('memif_dump', {}).toArray()).filter((m) => m.sw_if_index === pod?.sw_if_index),
      sockets: (await vpp.dump('memif_socket_filename_dump', {}).toArray()).filter((s) => s.socket_filename.endsWith('/vppkit-demo-pod.sock')),
      acls: acls.map((a) => ({ tag: a.tag, rules: a.count, appliedTo: appliedTo(a.acl_index) })),
      pool: natOn ? (await vpp.dump('nat44_address_dump', {}).toArray()).map((a) => a.ip_address).filter((ip) => ip === '192.168.16.1') : [],
      outputs: natOn ? (await vpp.stream('nat44_ed_output_interface_get', {}).toArray()).map((o) => o.sw_if_index).filter((i) => i === uplink?.sw_if_index) : [],
    };
  }

  it('sets up the pod egress path with a memif, and a second run changes nothing', async () => {
    const first = await demo();
    const after = await demoState();
    expect(after.pod).toMatchObject({ interface_dev_type: 'memif', flags: 1 }); // admin up; link down: no pod connects
    expect(after.pod!.interface_name).toMatch(/^memif\d+\/0$/);
    expect(after.podAddresses).toEqual(['10.1.1.1/24']);
    expect(after.memifs).toMatchObject([{ role: 0, mode: 0, id: 0, socket_id: after.sockets[0]!.socket_id }]); // master, ethernet
    expect(after.sockets).toHaveLength(1);
    const uplink = after.uplink!.sw_if_index; // no GigabitEthernet in CI: the demo's own loopback
    expect(after.uplinkAddresses).toEqual(['192.168.16.1/24']);
    expect(after.acls).toHaveLength(2);
    expect(after.acls).toEqual(expect.arrayContaining([
      { tag: 'vppkit-demo-pod-ingress', rules: 1, appliedTo: [`${after.pod!.sw_if_index} input`] },
      { tag: 'vppkit-demo-uplink-egress', rules: 1, appliedTo: [`${uplink} output`] },
    ]));
    expect(after.pool).toEqual(['192.168.16.1']);
    expect(after.outputs).toEqual([uplink]);

    const second = await demo();
    expect(second.actions.filter((a) => /^(created|added|applied|enabled)/.test(a))).toEqual([]);
    expect(second.actions).toContain(`kept the pod's memif (sw_if_index ${after.pod!.sw_if_index})`);
    expect(second.state).toEqual(first.state);
    expect(await demoState()).toEqual(after);
  });

  it('--cleanup leaves nothing of it', async () => {
    const r = await demo('--cleanup');
    expect(r.cleanup!.actions).toEqual(expect.arrayContaining([
      expect.stringMatching(/^deleted the pod's memif \(sw_if_index \d+\)$/),
      expect.stringMatching(/^deleted the pod's memif socket \S+\/vppkit-demo-pod\.sock \(socket_id \d+\)$/),
      expect.stringMatching(/^deleted the demo's uplink loopback \(sw_if_index \d+\)$/),
    ]));
    expect(await demoState()).toEqual({ pod: undefined, uplink: undefined, podAddresses: [], uplinkAddresses: [], memifs: [], sockets: [], acls: [], pool: [], outputs: [] });
  });
});

describe.skipIf(!socket)('vppkit demo --declarative --pod-interface memif on a real VPP', () => {
  let vpp: Client;
  beforeAll(async () => {
    vpp = await connectVpp();
  });
  afterAll(async () => {
    await vpp?.close();
  });

  it('builds the path through apply, changes nothing on a second run, and --cleanup removes what it owns', async () => {
    const first = await demo('--declarative');
    expect(first.actions).toEqual(expect.arrayContaining(['interface/demo-pod: create memif id 1 (master, ethernet)', 'interface/demo-uplink: create loopback', 'nat44/interface/demo-uplink: add output feature']));
    const ours = async () => (await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()).filter((i) => i.tag.startsWith('vppkit:demo-')).map((i) => `${i.tag} ${i.flags & 1 ? 'up' : 'down'}`);
    expect((await ours()).sort()).toEqual(['vppkit:demo-pod up', 'vppkit:demo-uplink up']);
    expect((await vpp.dump('acl_dump', { acl_index: NONE }).toArray()).filter((a) => a.tag.startsWith('vppkit:demo-')).map((a) => a.tag).sort()).toEqual(['vppkit:demo-pod-ingress', 'vppkit:demo-uplink-egress']);
    const second = await demo('--declarative');
    expect(second.actions).toEqual(['no changes: VPP already holds the desired state']);
    const clean = await demo('--declarative', '--cleanup');
    expect(clean.cleanup!.actions).toContain('interface/demo-pod: delete memif0/1');
    expect(await ours()).toEqual([]);
    expect((await vpp.dump('acl_dump', { acl_index: NONE }).toArray()).filter((a) => a.tag.startsWith('vppkit:demo-'))).toEqual([]);
  });
});
