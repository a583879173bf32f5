/** The desired-state reconciler against the VPP model: plan, apply, idempotence, drift, foreign objects, failures, concurrency. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect } from '../../src/client/index.js';
import { ApplyError, type DesiredState, DesiredStateError, apply, formatApplyResult, formatPlan, normalise, plan } from '../../src/desired/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { desiredState, heldAndWanted } from '../helpers/desired.js';

const open: { vpp: VppModel; client: Client<Messages> }[] = [];
afterEach(async () => {
  for (const { vpp, client } of open.splice(0)) {
    await client.close();
    await vpp.close();
  }
});

async function model(): Promise<{ vpp: VppModel; client: Client<Messages> }> {
  const vpp = await startVppModel();
  const client = await connect({ socket: vpp.socketPath });
  open.push({ vpp, client });
  return { vpp, client };
}

/** The pod egress path: a memif pod with a reflective ingress ACL, the NIC as uplink with an egress ACL and NAT44's output feature. */
const POD_EGRESS: DesiredState = {
  interfaces: [
    { name: 'pod', type: 'memif', enabled: true, ipAddresses: ['10.1.1.1/24'], memif: { id: 1, master: true } },
    { name: 'GigabitEthernet0/8/0', type: 'physical', enabled: true, ipAddresses: ['192.168.16.1/24'] },
  ],
  acls: [
    { name: 'pod-ingress', rules: [{ action: 'reflect', sourceNetwork: '10.1.1.3/32' }], interfaces: { ingress: ['pod'] } },
    { name: 'uplink-egress', rules: [{ action: 'permit', destinationNetwork: '31.134.97.51/32', protocol: 'tcp', destinationPort: { first: 80, last: 80 } }], interfaces: { egress: ['GigabitEthernet0/8/0'] } },
  ],
  nat44: {
    enabled: true,
    interfaces: [{ name: 'GigabitEthernet0/8/0', outputFeature: true }],
    addressPool: [{ firstIp: '192.168.16.1' }],
    staticMappings: [{ name: 'web', externalIp: '192.168.16.1', externalPort: 8080, localIp: '10.1.1.3', localPort: 80, protocol: 'tcp', twiceNat: 'self' }],
  },
};

describe('desired state: validation', () => {
  it('lists every problem with its path, key and limit', () => {
    const bad = {
      interfaces: [
        { name: 'x'.repeat(57), type: 'loopback' },
        { name: 'a', type: 'loopback', mtu: 70000, ipAddresses: ['10.0.0.1'] },
        { name: 'a', type: 'veth' },
        { name: 'm', type: 'memif', memif: { id: 1, socketFilename: 'relative.sock' } },
      ],
      acls: [{ name: 'acl', rules: [{ action: 'allow' }, { action: 'deny', sourceNetwork: '10.0.0.1/8', destinationNetwork: '::/0' }, { action: 'permit', protocol: 'icmp', sourcePort: { first: 1, last: 2 } }], interfaces: { ingress: ['nope'] } }],
      nat44: { enabled: false, staticMappings: [{ name: 's', externalIp: '1.2.3.4', externalPort: 80, localIp: '10.0.0.1' }] },
      extra: 1,
    } as unknown as DesiredState;
    const err = (() => {
      try {
        normalise(bad);
      } catch (e) {
        return e as DesiredStateError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(DesiredStateError);
    expect(err.issues.map((i) => `${i.path} [${i.key}]: ${i.message}`)).toEqual([
      'extra []: unknown field (expected interfaces, acls, nat44)',
      `interfaces[0].name [interface/${'x'.repeat(57)}]: 57 bytes is longer than 56, the most a VPP tag holds after "vppkit:"`,
      'interfaces[2].name [interface/a]: "a" appears twice',
      'interfaces[1].ipAddresses[0] [interface/a]: expected an address with prefix length like "10.1.1.1/24" or "2001:db8::1/64", got "10.0.0.1"',
      'interfaces[1].mtu [interface/a]: 70000 is out of range (an integer 68…65535)',
      'interfaces[2].type [interface/a]: expected loopback, tap, memif or physical, got "veth"',
      'interfaces[3].memif.socketFilename [interface/m]: expected an absolute path of at most 107 bytes (a Unix socket path; VPP reports sockets by absolute path)',
      'acls[0].interfaces.ingress[0] [acl/acl]: "nope" is not an interface of this desired state',
      'acls[0].rules[0].action [acl/acl]: expected deny, permit or reflect, got "allow"',
      'acls[0].rules[1].sourceNetwork [acl/acl]: 10.0.0.1/8 has host bits set past its length (VPP refuses it)',
      'acls[0].rules[1] [acl/acl]: sourceNetwork and destinationNetwork must be of one family',
      'acls[0].rules[2].sourcePort [acl/acl]: needs protocol tcp or udp',
      'nat44.staticMappings[0] [nat44/static-mapping/s]: externalPort and localPort go together (neither: an address-only mapping)',
      'nat44.staticMappings[0].protocol [nat44/static-mapping/s]: required with ports',
      'nat44.enabled [nat44/global]: interfaces, addressPool and staticMappings need enabled: true',
    ]);
  });
});

describe('desired state: validation of frozen specs (kept between calls)', () => {
  const rule = (over: object) => ({ action: 'permit', sourceNetwork: '10.0.0.0/8', protocol: 'tcp', destinationPort: { first: 80, last: 80 }, ...over });
  const state = (rules: readonly object[], mapping: object) => ({ acls: [{ name: 'a', rules }], nat44: { enabled: true, staticMappings: [mapping] } }) as unknown as DesiredState;
  const mapping = { name: 's', externalIp: '1.2.3.4', externalPort: 80, localIp: '10.0.0.1', localPort: 8080, protocol: 'tcp' };

  it('gives the same canonical form for frozen specs each time, and reads unfrozen ones afresh', () => {
    const frozen = Object.freeze({ ...rule({}), destinationPort: Object.freeze({ first: 80, last: 80 }) });
    const lo = Object.freeze({ name: 'lo', type: 'loopback', ipAddresses: Object.freeze(['10.1.0.1/24']) });
    const first = normalise({ ...state([frozen], Object.freeze({ ...mapping })), interfaces: [lo] } as DesiredState);
    expect(normalise({ ...state([frozen], Object.freeze({ ...mapping })), interfaces: [lo] } as DesiredState)).toEqual(first);
    const open = rule({}) as { destinationPort: { first: number; last: number } };
    expect(normalise(state([open], mapping)).acls[0]!.rules[0]!.dstport_or_icmpcode_first).toBe(80);
    open.destinationPort.first = 81;
    open.destinationPort.last = 81;
    expect(normalise(state([open], mapping)).acls[0]!.rules[0]!.dstport_or_icmpcode_first).toBe(81);
  });

  it('reports a frozen spec with a problem on every call', () => {
    const bad = Object.freeze(rule({ action: 'allow' }));
    const badMapping = Object.freeze({ ...mapping, localPort: undefined });
    for (let i = 0; i < 2; i++) {
      expect(() => normalise(state([bad], badMapping))).toThrow(/acls\[0\]\.rules\[0\]\.action[\s\S]*externalPort and localPort go together/);
    }
    const badIf = Object.freeze({ name: 'i', type: 'loopback', mtu: 70000 });
    for (let i = 0; i < 2; i++) expect(() => normalise({ interfaces: [badIf] } as unknown as DesiredState)).toThrow(/interfaces\[0\]\.mtu.*70000 is out of range/);
  });
});

describe('desired state: plan and apply on the model', () => {
  it('plans the pod egress path in dependency order, applies it, and then plans nothing', async () => {
    const { client } = await model();
    const p = await plan(client, POD_EGRESS);
    const order = p.calls.map((c) => c.message);
    const at = (m: string) => order.indexOf(m);
    expect(at('nat44_ed_plugin_enable_disable')).toBeLessThan(at('nat44_ed_add_del_output_interface'));
    expect(at('memif_create')).toBeLessThan(at('acl_interface_set_acl_list'));
    expect(at('acl_add_replace')).toBeLessThan(at('acl_interface_set_acl_list'));
    expect(at('nat44_add_del_address_range')).toBeLessThan(at('nat44_add_del_static_mapping'));
    expect(formatPlan(p)).toContain('+ interface/pod: create memif id 1 (master, ethernet)  (memif_create)');
    const r = await apply(client, POD_EGRESS);
    expect(r.ok, formatApplyResult(r)).toBe(true);
    expect(r.outcomes.every((o) => o.status === 'done')).toBe(true);
    expect((await plan(client, POD_EGRESS)).calls).toEqual([]);
    const { held, wanted } = await heldAndWanted(client, POD_EGRESS);
    expect(held).toEqual(wanted);
  });

  it('shows exactly a change made by hand, and repairs it', async () => {
    const { vpp, client } = await model();
    await apply(client, POD_EGRESS);
    const pod = vpp.interfaces.list().find((i) => i.tag === 'vppkit:pod')!;
    vpp.interfaces.setAdmin(pod.swIfIndex, false);
    vpp.interfaces.deleteAddress(pod, pod.addresses[0]!);
    const p = await plan(client, POD_EGRESS);
    expect(p.calls.map((c) => `${c.key}: ${c.summary}`)).toEqual(['interface/pod: add address 10.1.1.1/24', 'interface/pod: admin up']);
    expect((await apply(client, POD_EGRESS)).ok).toBe(true);
    expect((await plan(client, POD_EGRESS)).calls).toEqual([]);
  });

  it('claims a NIC as it is: an address it has already is kept, others it has are removed, in one apply', async () => {
    const { client } = await model();
    await client.request('sw_interface_add_del_address', { sw_if_index: 1, is_add: true, del_all: false, prefix: '192.168.16.1/24' });
    await client.request('sw_interface_add_del_address', { sw_if_index: 1, is_add: true, del_all: false, prefix: '172.16.0.1/16' });
    const nic: DesiredState = { interfaces: [{ name: 'GigabitEthernet0/8/0', type: 'physical', ipAddresses: ['192.168.16.1/24'] }] };
    expect((await plan(client, nic)).calls.map((c) => c.summary)).toEqual(['tag vppkit:GigabitEthernet0/8/0', 'remove address 172.16.0.1/16']);
    expect((await apply(client, nic)).ok).toBe(true);
    expect((await plan(client, nic)).calls).toEqual([]);
  });

  it('rebuilds everything on an empty VPP (a restart), and removes everything for an empty desired state', async () => {
    const first = await model();
    await apply(first.client, POD_EGRESS);
    const fresh = await model();
    expect((await apply(fresh.client, POD_EGRESS)).ok).toBe(true);
    const { held, wanted } = await heldAndWanted(fresh.client, POD_EGRESS);
    expect(held).toEqual(wanted);
    const none = await apply(first.client, { nat44: { enabled: false } });
    expect(none.ok).toBe(true);
    expect(first.vpp.interfaces.list().filter((i) => i.tag !== '').map((i) => i.name)).toEqual([]);
    expect(first.vpp.acl.acls.size).toBe(0);
    expect(first.vpp.nat44.enabled).toBe(false);
  });

  it('leaves foreign objects alone and lists them; a conflict with one stops apply before any change', async () => {
    const { vpp, client } = await model();
    const loop = await client.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
    await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: 'someone-else', count: 0, r: [] });
    await client.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
    await client.request('nat44_add_del_static_mapping', { is_add: true, flags: 0, local_ip_address: '10.9.9.9', external_ip_address: '192.168.16.1', protocol: 6, local_port: 80, external_port: 8080, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: '' });
    const p = await plan(client, POD_EGRESS);
    expect(p.foreign.map((f) => `${f.kind} ${f.description}${f.conflict ? `: ${f.conflict}` : ''}`)).toEqual([
      'interface local0',
      'interface loop0',
      'acl acl 0 "someone-else"',
      'static-mapping static mapping 192.168.16.1:8080 → 10.9.9.9:80: a desired static mapping has its external address and port',
    ]);
    await expect(apply(client, POD_EGRESS)).rejects.toThrow(ApplyError);
    expect(vpp.interfaces.list().map((i) => i.tag)).toEqual(['', '', '']); // nothing changed
    const r = await apply(client, POD_EGRESS, { foreign: 'replace' });
    expect(r.ok).toBe(true);
    expect(vpp.interfaces.get(loop.sw_if_index)!.tag).toBe('');
    expect(vpp.acl.acls.get(0)!.tag).toBe('someone-else');
    expect([...vpp.nat44.staticMappings.entries()].map(([, m]) => m.localAddress)).toEqual(['10.1.1.3']);
  });

  it('stops at the first failure with VPP\'s error, reports what was not attempted, and rolls back on request', async () => {
    const { vpp, client } = await model();
    vpp.sim.handle('acl_add_replace', () => ({ retval: -1, acl_index: 0xffffffff }));
    const r = await apply(client, POD_EGRESS, { rollback: true });
    expect(r.ok).toBe(false);
    const statuses = r.outcomes.map((o) => o.status);
    const failed = statuses.indexOf('failed');
    expect(r.outcomes[failed]!.call.message).toBe('acl_add_replace');
    expect(statuses.slice(0, failed).every((s) => s === 'done')).toBe(true);
    expect(statuses.slice(failed + 1).every((s) => s === 'not-attempted')).toBe(true);
    expect(r.error!.message).toContain('-1');
    expect(r.rollback!.ok).toBe(true);
    expect(formatApplyResult(r)).toMatch(/^Failed: \d+ done, 1 failed, \d+ not attempted\./);
    // Back to how it was: no tags, no NAT.
    expect(vpp.interfaces.list().map((i) => i.tag)).toEqual(['', '']);
    expect(vpp.nat44.enabled).toBe(false);
  });

  it('serialises concurrent applies on one client: the last one wins, each sees the state the previous left', async () => {
    const { client } = await model();
    const b: DesiredState = { interfaces: [{ name: 'x', type: 'loopback', enabled: true }] };
    const [r1, r2, r3] = await Promise.all([apply(client, POD_EGRESS), apply(client, b), apply(client, POD_EGRESS)]);
    expect([r1.ok, r2.ok, r3.ok]).toEqual([true, true, true]);
    expect((await plan(client, POD_EGRESS)).calls).toEqual([]);
  });

  it('property: apply(A) then apply(B) leaves what B asks, and B then plans nothing', async () => {
    const { client } = await model();
    const arb = desiredState({ kinds: ['loopback', 'memif', 'tap'], memifSocket: '/run/vpp/vppkit-test.sock', nat44: true });
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        for (const s of [a, b]) {
          const r = await apply(client, s, { foreign: 'replace' });
          expect(r.ok, formatApplyResult(r)).toBe(true);
        }
        const { held, wanted } = await heldAndWanted(client, b);
        expect(held).toEqual(wanted);
        expect((await plan(client, b)).calls).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
