/**
 * The node agent against a real etcd (launchEtcd) and the VPP model: it applies what is written,
 * writes status back, follows changes, repairs drift, keeps its state while etcd is gone and
 * catches up after, resumes its watch from the last revision, and reads afresh after compaction.
 */
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, type AgentStatus, startAgent } from '../../src/agent/index.js';
import { type Client, connect } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type LaunchedEtcd, type VppModel, launchEtcd, startVppModel } from '../../src/testing/index.js';
import { etcdProxy, noEtcd, until } from '../helpers/etcd.js';

const IF = 'config/vpp/v2/interfaces/';
const ACL = 'config/vpp/acls/v2/acl/';
const loopback = (name: string, extra: object = {}) => JSON.stringify({ name, type: 'SOFTWARE_LOOPBACK', enabled: true, ...extra });

describe.skipIf(noEtcd !== '')('node agent (real etcd, VPP model)', () => {
  let etcd: LaunchedEtcd;
  let kv: Etcd3;
  let vpp: VppModel;
  let client: Client<Messages>;
  let n = 0;
  /** A prefix of the test's own. */
  const newPrefix = () => `/vnf-agent/t${++n}/`;

  beforeAll(async () => {
    etcd = await launchEtcd();
    kv = new Etcd3({ hosts: etcd.url });
    vpp = await startVppModel();
    client = await connect({ socket: vpp.socketPath });
  });
  afterAll(async () => {
    await client?.close();
    await vpp?.close();
    kv?.close();
    await etcd?.stop();
  });

  const interfaces = async () => {
    const out: { sw_if_index: number; tag: string }[] = [];
    for await (const d of client.dump('sw_interface_dump', { sw_if_index: 0xffffffff, name_filter_valid: false, name_filter: '' })) out.push({ sw_if_index: d.sw_if_index, tag: d.tag });
    return out;
  };
  /** Interface tags in VPP (the reconciler's: `vppkit:<name>`). */
  const tags = async () => (await interfaces()).map((i) => i.tag).filter(Boolean).sort();
  const aclTags = async () => {
    const out: string[] = [];
    for await (const d of client.dump('acl_dump', { acl_index: 0xffffffff })) out.push(d.tag);
    return out.sort();
  };
  const put = async (key: string, value: string) => Number((await kv.put(key).value(value).exec()).header.revision);
  const statusOf = async (prefix: string) => JSON.parse((await kv.get(`${prefix}vppkit/status/agent`).string()) ?? 'null') as (Omit<AgentStatus, 'keys'> & { keys: Record<string, number> }) | null;
  const appliedAt = (agent: { status(): AgentStatus }, revision: number) => until(`revision ${revision} applied`, () => (agent.status().appliedRevision ?? 0) >= revision);
  /** Deletes the test's keys and waits until the agent has removed what it made (the VPP is shared by the tests). */
  const clear = async (prefix: string, agent: { status(): AgentStatus }) => appliedAt(agent, Number((await kv.delete().prefix(prefix).exec()).header.revision));

  it('applies what is written, writes its status back, and rejects an unsupported key with a status entry', async () => {
    const prefix = newPrefix();
    await put(`${prefix}${IF}lo-a`, loopback('lo-a', { ip_addresses: ['10.20.0.1/24'] }));
    await put(`${prefix}config/vpp/l2/v2/bridge-domain/bd1`, '{"name":"bd1"}');
    await put(`${prefix}${IF}lo-mtu`, loopback('lo-mtu', { mtu: 70000 }));
    const rev = await put(`${prefix}${IF}lo-bad`, loopback('lo-bad', { physAddress: '02:00:00:00:00:09' }));
    await using agent = await startAgent({ client, etcd: etcd.url, prefix });
    await appliedAt(agent, rev);
    expect(await tags()).toContain('vppkit:lo-a');
    expect(await tags()).not.toContain('vppkit:lo-bad');

    // Revisions are etcd's store revisions: the agent's own status writes move them on too.
    const status = await until('status in etcd', async () => ((await statusOf(prefix))?.appliedRevision ?? 0) >= rev && (await statusOf(prefix)));
    expect(status).toMatchObject({ state: 'in-sync', keys: { applied: 1, rejected: 3 } });
    // Refused by the desired-state layer's checks rather than the agent's reading: rejected alone.
    const mtu = JSON.parse((await kv.get(`${prefix}vppkit/status/keys/${IF}lo-mtu`).string())!);
    expect(mtu).toEqual({ state: 'rejected', reason: expect.stringMatching(/mtu.*70000/) });
    const bd = JSON.parse((await kv.get(`${prefix}vppkit/status/keys/config/vpp/l2/v2/bridge-domain/bd1`).string())!);
    expect(bd).toEqual({ state: 'rejected', reason: expect.stringContaining("is not a key vppkit's agent reads") });
    const bad = JSON.parse((await kv.get(`${prefix}vppkit/status/keys/${IF}lo-bad`).string())!);
    expect(bad.reason).toMatch(/phys_address is not supported/);

    // Fixed, the key is applied and its status entry goes.
    const fixed = await put(`${prefix}${IF}lo-bad`, loopback('lo-bad'));
    await appliedAt(agent, fixed);
    expect(await tags()).toContain('vppkit:lo-bad');
    await until('the status entry removed', async () => (await kv.get(`${prefix}vppkit/status/keys/${IF}lo-bad`).string()) === null);
    await clear(prefix, agent);
  });

  it("marks the key whose call VPP refused as failed, with VPP's error, then applies it once fixed", async () => {
    const prefix = newPrefix();
    // Two loopbacks in one subnet: the checks let it through, VPP refuses the second address (-105).
    await put(`${prefix}${IF}lo-f1`, loopback('lo-f1', { ipAddresses: ['10.21.0.1/24'] }));
    await put(`${prefix}${IF}lo-f2`, loopback('lo-f2', { ipAddresses: ['10.21.0.2/24'] }));
    await using agent = await startAgent({ client, etcd: etcd.url, prefix, retryDelay: 100 });
    const failed = await until('a key failed', async () => Object.entries(agent.status().keys).find(([, k]) => k.state === 'failed'));
    const [key, entry] = failed!;
    expect([`${IF}lo-f1`, `${IF}lo-f2`]).toContain(key);
    expect(entry.reason).toContain('ADDRESS_IN_USE');
    expect(agent.status()).toMatchObject({ state: 'failed', error: expect.stringContaining('ADDRESS_IN_USE') });
    const written = await until('the failed entry in etcd', async () => kv.get(`${prefix}vppkit/status/keys/${key}`).string());
    expect(JSON.parse(written!)).toEqual({ state: 'failed', reason: expect.stringContaining('ADDRESS_IN_USE') });

    const name = key.slice(IF.length);
    const fixed = await put(`${prefix}${key}`, loopback(name, { ipAddresses: ['10.22.0.1/24'] }));
    await appliedAt(agent, fixed);
    expect(agent.status().state).toBe('in-sync');
    await until('the failed entry removed', async () => (await kv.get(`${prefix}vppkit/status/keys/${key}`).string()) === null);
    await clear(prefix, agent);
  });

  it('applies the NAT44 keys: the global key, a pool, an interface role and a DNAT with static mappings', async () => {
    const prefix = newPrefix();
    const NAT = `${prefix}config/vpp/nat/v2/`;
    await put(`${prefix}${IF}up`, loopback('up', { ipAddresses: ['192.0.2.254/24'] }));
    await put(`${NAT}nat44-interface/up`, JSON.stringify({ name: 'up', outputFeature: true }));
    await put(`${NAT}nat44-pool/p`, JSON.stringify({ name: 'p', firstIp: '192.0.2.1', lastIp: '192.0.2.2' }));
    let rev = await put(`${NAT}dnat44/web`, JSON.stringify({ label: 'web', stMappings: [{ externalIp: '192.0.2.1', externalPort: 8080, protocol: 'TCP', localIps: [{ localIp: '10.1.1.3', localPort: 80 }] }] }));
    await using agent = await startAgent({ client, etcd: etcd.url, prefix });
    await appliedAt(agent, rev);
    // Without the global key, vpp-agent keeps NAT44 items pending; so does this agent.
    expect(agent.status().keys[`config/vpp/nat/v2/dnat44/web`]).toEqual({ state: 'pending', reason: expect.stringContaining('nat44-global') });
    expect(await client.dump('nat44_static_mapping_dump', {}).toArray()).toEqual([]);

    rev = await put(`${NAT}nat44-global`, '{}');
    await appliedAt(agent, rev);
    expect(Object.values(agent.status().keys).every((k) => k.state === 'applied')).toBe(true);
    const mappings = await client.dump('nat44_static_mapping_dump', {}).toArray();
    expect(mappings.map((m) => ({ tag: m.tag, external: m.external_ip_address, port: m.external_port, local: m.local_ip_address }))).toEqual([{ tag: 'vppkit:web/0', external: '192.0.2.1', port: 8080, local: '10.1.1.3' }]);
    const pool = await client.dump('nat44_address_dump', {}).toArray();
    expect(pool.map((a) => a.ip_address).sort()).toEqual(['192.0.2.1', '192.0.2.2']);
    await clear(prefix, agent);
    expect(await client.dump('nat44_static_mapping_dump', {}).toArray()).toEqual([]);
  });

  it('follows changes and deletions, and repairs drift periodically', async () => {
    const prefix = newPrefix();
    await using agent = await startAgent({ client, etcd: etcd.url, prefix, resyncInterval: 200 });
    let rev = await put(`${prefix}${IF}lo-b`, loopback('lo-b'));
    rev = await put(`${prefix}${ACL}acl-b`, JSON.stringify({ name: 'acl-b', rules: [{ action: 'PERMIT', ip_rule: { tcp: { destination_port_range: { lower_port: 22 } } } }], interfaces: { ingress: ['lo-b'] } }));
    await appliedAt(agent, rev);
    expect(await aclTags()).toContain('vppkit:acl-b');

    rev = Number((await kv.delete().key(`${prefix}${ACL}acl-b`).exec()).header.revision);
    await appliedAt(agent, rev);
    expect(await aclTags()).not.toContain('vppkit:acl-b');

    // Drift: the loopback deleted by hand comes back at the next periodic reconcile.
    const lo = (await interfaces()).find((i) => i.tag === 'vppkit:lo-b');
    await client.request('delete_loopback', { sw_if_index: lo!.sw_if_index });
    await until('the loopback recreated', async () => (await tags()).includes('vppkit:lo-b'));
    await clear(prefix, agent);
  });

  it('reconciles fully at start, then each change incrementally (periodic full ones repair drift: see above)', async () => {
    const prefix = newPrefix();
    const events: AgentEvent[] = [];
    await using agent = await startAgent({ client, etcd: etcd.url, prefix, resyncInterval: 60_000, onEvent: (e) => events.push(e) });
    await until('the first reconcile', () => agent.status().reconciles >= 1);
    const rev = await put(`${prefix}${IF}lo-i`, loopback('lo-i', { mtu: 1400 }));
    await appliedAt(agent, rev);
    const modes = () => events.filter((e) => e.kind === 'applied').map((e) => e.apply?.mode);
    expect(modes()).toEqual(['full', 'incremental']);
    const change = events.filter((e) => e.kind === 'applied')[1]!.apply!;
    expect(change.calls).toBe(4); // create, tag, MTU, admin up
    expect(change.waitMs).toBeLessThanOrEqual(change.ms);
    await clear(prefix, agent);
    expect(modes().at(-1)).toBe('incremental');
  });

  it('keeps the last state while etcd is down, and catches up when it returns', async () => {
    const prefix = newPrefix();
    const events: AgentEvent[] = [];
    const rev = await put(`${prefix}${IF}lo-c`, loopback('lo-c'));
    await using agent = await startAgent({ client, etcd: etcd.url, prefix, resyncInterval: 200, onEvent: (e) => events.push(e) });
    await appliedAt(agent, rev);
    await etcd.kill();
    await until('the agent to see etcd gone', () => events.some((e) => e.kind === 'etcd' && e.message.startsWith('lost etcd')));
    // Periodic reconciles go on with the last state: nothing is removed.
    const reconciles = agent.status().reconciles;
    await until('two more reconciles', () => agent.status().reconciles >= reconciles + 2);
    expect(agent.status()).toMatchObject({ state: 'in-sync', appliedRevision: rev });
    expect(await tags()).toContain('vppkit:lo-c');

    await etcd.start();
    const next = await put(`${prefix}${IF}lo-c2`, loopback('lo-c2'));
    await appliedAt(agent, next);
    expect(await tags()).toEqual(expect.arrayContaining(['vppkit:lo-c', 'vppkit:lo-c2']));
    expect(agent.status().reads).toBe(1); // the watch resumed: no second full read
    await until('status written after etcd returned', async () => ((await statusOf(prefix))?.appliedRevision ?? 0) >= next);
    await clear(prefix, agent);
  });

  it('resumes its watch from the last revision it saw, and reads afresh when etcd compacted it away', async () => {
    const prefix = newPrefix();
    const proxy = await etcdProxy(etcd.url);
    try {
      let rev = await put(`${prefix}${IF}lo-d`, loopback('lo-d'));
      await using agent = await startAgent({ client, etcd: proxy.url, prefix, retryDelay: 100 });
      await appliedAt(agent, rev);

      // Cut off: changes made meanwhile arrive through the resumed watch.
      proxy.cut();
      rev = await put(`${prefix}${IF}lo-d2`, loopback('lo-d2'));
      proxy.restore();
      await appliedAt(agent, rev);
      expect(agent.status().reads).toBe(1);
      expect(await tags()).toContain('vppkit:lo-d2');

      // Cut off again, and etcd compacts past what the agent saw: it must read the prefix again.
      proxy.cut();
      await kv.delete().key(`${prefix}${IF}lo-d`).exec();
      rev = await put(`${prefix}${IF}lo-d3`, loopback('lo-d3'));
      await kv.kv.compact({ revision: String(rev), physical: true });
      proxy.restore();
      await appliedAt(agent, rev);
      expect(agent.status().reads).toBe(2);
      const now = await tags();
      expect(now).toEqual(expect.arrayContaining(['vppkit:lo-d2', 'vppkit:lo-d3']));
      expect(now).not.toContain('vppkit:lo-d'); // the deletion it never saw as an event
      await clear(prefix, agent);
    } finally {
      await proxy.close();
    }
  });
});
