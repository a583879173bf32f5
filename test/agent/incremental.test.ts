/**
 * The agent's incremental reconcile (`applyChange` fed by `translate`, as the agent runs them)
 * against the VPP model: after each key change, VPP's full dumps hold what the keys ask and a full
 * plan against them is empty.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../src/agent/translate.js';
import { type Client, connect } from '../../src/client/index.js';
import { applyChange } from '../../src/desired/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { applyKeyChanges, keyChange } from '../helpers/desired.js';

const IF = 'config/vpp/v2/interfaces/';
const ACL = 'config/vpp/acls/v2/acl/';
const change = keyChange({ kinds: ['loopback', 'memif', 'tap'], memifSocket: '/run/vpp/vppkit-incremental.sock', nat44: true });

const open: { vpp: VppModel; client: Client<Messages> }[] = [];
afterEach(async () => {
  for (const { vpp, client } of open.splice(0)) {
    await client.close();
    await vpp.close();
  }
});

describe('incremental reconcile (VPP model)', () => {
  it('property: after each key change, VPP holds what the keys ask and a full plan is empty', async () => {
    const vpp = await startVppModel();
    const client = await connect({ socket: vpp.socketPath });
    open.push({ vpp, client });
    let incremental = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 5, maxLength: 25 }), async (changes) => {
        incremental += await applyKeyChanges(client, changes);
      }),
      { numRuns: 100 },
    );
    // Most changes took the incremental path (a full one only when NAT44 is switched on or off).
    expect(incremental).toBeGreaterThan(100);
  });

  it('plans a change against the kept state: no dumps, only the changed objects and their attachments', async () => {
    const vpp = await startVppModel();
    const client = await connect({ socket: vpp.socketPath });
    open.push({ vpp, client });
    const keys = new Map([
      [`${IF}a`, JSON.stringify({ name: 'a', type: 'SOFTWARE_LOOPBACK', enabled: true, mtu: 1500 })],
      [`${IF}b`, JSON.stringify({ name: 'b', type: 'SOFTWARE_LOOPBACK', enabled: true })],
      [`${ACL}acl-a`, JSON.stringify({ name: 'acl-a', rules: [{ action: 'PERMIT', ipRule: { ip: { sourceNetwork: '10.0.0.0/8' } } }], interfaces: { ingress: ['a'] } })],
    ]);
    const first = await applyChange(client, translate(keys).desired, undefined);
    expect(first.mode).toBe('full');
    const dumps: string[] = [];
    const onDump = client.dump.bind(client);
    client.dump = ((name: string, ...rest: unknown[]) => (dumps.push(name), (onDump as (...a: unknown[]) => unknown)(name, ...rest))) as typeof client.dump;
    keys.set(`${IF}a`, JSON.stringify({ name: 'a', type: 'SOFTWARE_LOOPBACK', enabled: true, mtu: 1400 }));
    const second = await applyChange(client, translate(keys).desired, first.applied);
    expect(second.mode).toBe('incremental');
    expect(second.result.outcomes.map((o) => o.call.summary)).toEqual(['mtu 1500 → 1400']);
    // Only the changed interface is read back, by its index.
    expect(dumps.filter((d) => d === 'sw_interface_dump')).toHaveLength(1);
    expect(dumps).not.toContain('acl_dump');
    expect(dumps).not.toContain('nat44_static_mapping_dump');
  });

  it('does not see a change made by hand until a full reconcile, which repairs it', async () => {
    const vpp = await startVppModel();
    const client = await connect({ socket: vpp.socketPath });
    open.push({ vpp, client });
    const acl = (action: string) => JSON.stringify({ name: 'acl-a', rules: [{ action, ipRule: { ip: { sourceNetwork: '10.0.0.0/8' } } }], interfaces: { ingress: ['a'] } });
    const keys = new Map([
      [`${IF}a`, JSON.stringify({ name: 'a', type: 'SOFTWARE_LOOPBACK', enabled: true })],
      [`${ACL}acl-a`, acl('PERMIT')],
    ]);
    const first = await applyChange(client, translate(keys).desired, undefined);
    // By hand: the ACL also on a loopback the reconciler does not own.
    const { sw_if_index } = await client.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
    const [owned] = await client.dump('acl_dump', { acl_index: 0xffffffff }).toArray();
    await client.request('acl_interface_set_acl_list', { sw_if_index, count: 1, n_input: 1, acls: [owned!.acl_index] });
    const held = async () => (await client.dump('acl_interface_list_dump', { sw_if_index }).toArray())[0]!.acls;
    keys.set(`${ACL}acl-a`, acl('DENY'));
    const second = await applyChange(client, translate(keys).desired, first.applied);
    expect(second.mode).toBe('incremental');
    expect(await held()).toEqual([owned!.acl_index]);
    const full = await applyChange(client, translate(keys).desired, undefined);
    expect(full.result.outcomes.map((o) => o.call.summary)).toEqual(['detach ACLs: in [] out []']);
    expect(await held()).toEqual([]);
  });
});
