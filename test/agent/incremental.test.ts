/**
 * The agent's incremental reconcile (`applyChange` fed by `translate`, as the agent runs them)
 * against the VPP model: after each key change, VPP's full dumps hold what the keys ask and a full
 * plan against them is empty.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../src/agent/translate.js';
import { type Client, connect } from '../../src/client/index.js';
import { type Applied, applyChange, formatApplyResult, formatPlan, plan } from '../../src/desired/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { heldAndWanted } from '../helpers/desired.js';

const IF = 'config/vpp/v2/interfaces/';
const ACL = 'config/vpp/acls/v2/acl/';
const NAT = 'config/vpp/nat/v2/';
const NAMES = ['a', 'b', 'c', 'd'];
const SOCKET = '/run/vpp/vppkit-incremental.sock';

const open: { vpp: VppModel; client: Client<Messages> }[] = [];
afterEach(async () => {
  for (const { vpp, client } of open.splice(0)) {
    await client.close();
    await vpp.close();
  }
});

/** One key change: a key of vpp-agent's layout and its new value, or undefined to delete it. */
type Change = readonly [key: string, value: string | undefined];

const interfaceValue = (name: string, n: number) =>
  fc.record({
    type: fc.constantFrom('SOFTWARE_LOOPBACK', 'MEMIF', 'TAP'),
    enabled: fc.boolean(),
    ipAddresses: fc.subarray([`10.${50 + n}.0.1/24`, `10.${50 + n}.1.1/24`, `2001:db8:${n}::1/64`]),
    mtu: fc.constantFrom(0, 1400, 1500),
    master: fc.boolean(),
  }).map((r) => {
    // Masters on a socket of their own, slaves on the default one: VPP refuses a mix on one socket.
    const link = r.type === 'MEMIF' ? { memif: { id: n, master: r.master, ...(r.master && { socketFilename: SOCKET }) } } : r.type === 'TAP' ? { tap: r.master ? { hostIfName: `vk${name}` } : {} } : {};
    return JSON.stringify({ name, type: r.type, enabled: r.enabled, ipAddresses: r.ipAddresses, mtu: r.mtu, ...link });
  });

const aclValue = (name: string) =>
  fc.record({
    rules: fc.subarray([
      { action: 'PERMIT', ipRule: { ip: { sourceNetwork: '10.0.0.0/8' } } },
      { action: 'DENY', ipRule: { ip: { destinationNetwork: '192.168.0.0/16' }, tcp: { destinationPortRange: { lowerPort: 80 } } } },
      { action: 'REFLECT', ipRule: { ip: { sourceNetwork: '10.1.1.3/32' } } },
    ], { minLength: 1 }),
    // One interface each way at most: an ACL waits (pending) until all its interfaces exist.
    ingress: fc.subarray(NAMES, { maxLength: 1 }),
    egress: fc.subarray(NAMES, { maxLength: 1 }),
  }).map((r) => JSON.stringify({ name, rules: r.rules, interfaces: { ingress: r.ingress, egress: r.egress } }));

const natInterfaceValue = (name: string) =>
  fc.constantFrom({ natInside: true }, { natOutside: true }, { natInside: true, natOutside: true }, { outputFeature: true }).map((r) => JSON.stringify({ name, ...r }));

const dnatValue = (label: string, n: number) =>
  fc.subarray([0, 1, 2], { minLength: 1 }).map((ports) =>
    JSON.stringify({ label, stMappings: ports.map((p) => ({ externalIp: '198.51.100.10', externalPort: 8000 + n * 10 + p, protocol: 'TCP', localIps: [{ localIp: `10.200.${n}.${p + 1}`, localPort: 80 }] })) }));

/** A change of one random key: put a random value, or delete it. */
const change: fc.Arbitrary<Change> = fc.oneof(
  ...NAMES.map((name, n) => fc.tuple(fc.constant(`${IF}${name}`), fc.option(interfaceValue(name, n), { nil: undefined }))),
  ...NAMES.map((name) => fc.tuple(fc.constant(`${ACL}acl-${name}`), fc.option(aclValue(`acl-${name}`), { nil: undefined }))),
  ...NAMES.map((name) => fc.tuple(fc.constant(`${NAT}nat44-interface/${name}`), fc.option(natInterfaceValue(name), { nil: undefined }))),
  ...['p1', 'p2'].map((name, n) => fc.tuple(fc.constant(`${NAT}nat44-pool/${name}`), fc.option(fc.constant(JSON.stringify({ name, firstIp: `198.51.100.${n + 1}` })), { nil: undefined }))),
  ...['web', 'db'].map((label, n) => fc.tuple(fc.constant(`${NAT}dnat44/${label}`), fc.option(dnatValue(label, n), { nil: undefined }))),
  fc.tuple(fc.constant(`${NAT}nat44-global`), fc.option(fc.constant('{}'), { nil: undefined })),
);

describe('incremental reconcile (VPP model)', () => {
  it('property: after each key change, VPP holds what the keys ask and a full plan is empty', async () => {
    const vpp = await startVppModel();
    const client = await connect({ socket: vpp.socketPath });
    open.push({ vpp, client });
    let incremental = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 5, maxLength: 25 }), async (changes) => {
        const keys = new Map<string, string>();
        // From the state the last run left: a full reconcile first, as the agent's start.
        let applied: Applied | undefined;
        for (const [key, value] of changes) {
          if (value === undefined) keys.delete(key);
          else keys.set(key, value);
          const desired = translate(keys).desired;
          const done = await applyChange(client, desired, applied);
          expect(done.result.ok, formatApplyResult(done.result)).toBe(true);
          if (!applied) expect(done.mode).toBe('full');
          if (done.mode === 'incremental') incremental++;
          applied = done.applied;
          const full = await plan(client, desired);
          expect(full.calls, formatPlan(full)).toEqual([]);
          const { held, wanted } = await heldAndWanted(client, desired);
          expect(held).toEqual(wanted);
        }
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
});
