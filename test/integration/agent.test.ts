/**
 * The node agent against the real VPP and a real etcd: it applies what is written, and converges
 * after VPP is restarted in the middle of an apply (VPP comes back empty).
 */
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, startAgent } from '../../src/agent/index.js';
import type { Client } from '../../src/client/index.js';
import { type LaunchedEtcd, launchEtcd } from '../../src/testing/index.js';
import { noEtcd, until } from '../helpers/etcd.js';
import { cannotRestart, connectVpp, restartVpp, socket } from './vpp.js';

const PREFIX = '/vnf-agent/integration/';
const IF = `${PREFIX}config/vpp/v2/interfaces/`;

describe.skipIf(!socket || noEtcd !== '')('node agent (real VPP, real etcd)', () => {
  let etcd: LaunchedEtcd;
  let kv: Etcd3;
  let vpp: Client;
  beforeAll(async () => {
    etcd = await launchEtcd();
    kv = new Etcd3({ hosts: etcd.url });
    vpp = await connectVpp({ reconnect: { initialDelay: 200, maxDelay: 1000 } });
  });
  afterAll(async () => {
    await kv?.delete().prefix(PREFIX).exec();
    await vpp?.close();
    kv?.close();
    await etcd?.stop();
  });

  const tags = async () => (await vpp.dump('sw_interface_dump', { sw_if_index: 0xffffffff, name_filter_valid: false, name_filter: '' }).toArray()).map((d) => d.tag).filter((t) => t.startsWith('vppkit:'));
  const put = async (key: string, value: object) => Number((await kv.put(key).value(JSON.stringify(value)).exec()).header.revision);
  /** Deletes the prefix and waits until the agent has removed what it made. */
  const clear = async (agent: { status(): { appliedRevision: number | undefined } }) => {
    const rev = Number((await kv.delete().prefix(PREFIX).exec()).header.revision);
    await until('the empty state applied', () => (agent.status().appliedRevision ?? 0) >= rev, 30_000);
  };

  it('applies interfaces and an attached ACL written into etcd, and writes its status', async () => {
    await using agent = await startAgent({ socket, etcd: etcd.url, prefix: PREFIX });
    await put(`${IF}agent-lo1`, { name: 'agent-lo1', type: 'SOFTWARE_LOOPBACK', enabled: true, ipAddresses: ['10.77.0.1/24'], mtu: 1400 });
    const rev = await put(`${PREFIX}config/vpp/acls/v2/acl/agent-acl`, {
      name: 'agent-acl',
      rules: [{ action: 'REFLECT', ipRule: { ip: { sourceNetwork: '10.77.0.0/24', destinationNetwork: '0.0.0.0/0' }, tcp: { destinationPortRange: { lowerPort: 80 } } } }],
      interfaces: { ingress: ['agent-lo1'] },
    });
    await until(`revision ${rev} applied`, () => (agent.status().appliedRevision ?? 0) >= rev, 30_000);
    expect(await tags()).toContain('vppkit:agent-lo1');
    const acls = await vpp.dump('acl_dump', { acl_index: 0xffffffff }).toArray();
    const acl = acls.find((a) => a.tag === 'vppkit:agent-acl');
    expect(acl?.r).toHaveLength(1);
    expect(acl?.r[0]).toMatchObject({ proto: 6, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80 });
    // Revisions are etcd's store revisions: the agent's own status writes move them on too.
    const status = await until('the status written', async () => {
      const s = JSON.parse((await kv.get(`${PREFIX}vppkit/status/agent`).string()) ?? 'null');
      return s?.appliedRevision >= rev && s;
    });
    expect(status).toMatchObject({ state: 'in-sync', keys: { applied: 2 } });
    await clear(agent);
    expect(await tags()).toEqual([]);
  });

  it('converges after VPP is restarted in the middle of an apply', async (ctx) => {
    if (cannotRestart) ctx.skip(cannotRestart);
    const count = 400;
    let rev = 0;
    for (let i = 0; i < count; i++) rev = await put(`${IF}agent-many${i}`, { name: `agent-many${i}`, type: 'SOFTWARE_LOOPBACK', enabled: true, ipAddresses: [`10.${78 + (i >> 8)}.${i & 255}.1/24`] });
    const events: AgentEvent[] = [];
    await using agent = await startAgent({ socket, etcd: etcd.url, prefix: PREFIX, retryDelay: 200, onEvent: (e) => events.push(e) });
    // Restart VPP once the agent's first apply has begun creating them, before it has finished.
    const made = await until('the apply under way', async () => (await tags()).length, 30_000);
    expect(made).toBeLessThan(count);
    await restartVpp();
    await until(`revision ${rev} applied after the restart`, () => (agent.status().appliedRevision ?? 0) >= rev, 60_000);
    expect(events.some((e) => e.kind === 'failed')).toBe(true); // the apply VPP's restart cut short
    expect((await tags()).filter((t) => t.startsWith('vppkit:agent-many')).length).toBe(count);
    await clear(agent);
  }, 120_000);
});
