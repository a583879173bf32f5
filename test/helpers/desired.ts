/**
 * Random desired states (fast-check) and a comparison of what VPP holds with what was applied,
 * shared by the model's unit tests and the real-VPP suite.
 */
import fc from 'fast-check';
import type { Client } from '../../src/client/index.js';
import { readActual } from '../../src/desired/actual.js';
import type { AclRuleSpec, DesiredState, InterfaceSpec, Nat44Spec } from '../../src/desired/index.js';
import { type Applied, applyChange, formatApplyResult, formatPlan, normalise, plan } from '../../src/desired/index.js';
import { translate } from '../../src/agent/translate.js';
import { expect } from 'vitest';
import { snapshot } from '../../src/desired/snapshot.js';
import type { NormState } from '../../src/desired/validate.js';
import type { Messages } from '../../src/gen/index.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const RULES: AclRuleSpec[] = [
  { action: 'permit' },
  { action: 'deny', sourceNetwork: '10.0.0.0/8', protocol: 'tcp', destinationPort: { first: 80, last: 443 } },
  { action: 'reflect', sourceNetwork: '10.1.1.3/32' },
  { action: 'permit', destinationNetwork: '2001:db8::/32', protocol: 'icmpv6', icmpType: { first: 128, last: 129 } },
  { action: 'deny', protocol: 'udp', sourcePort: { first: 53, last: 53 } },
  { action: 'permit', protocol: 'tcp', tcpFlags: { mask: 0x12, value: 0x02 } },
];

/** Options of {@link desiredState}. */
export interface ArbitraryOptions {
  /** Interface kinds to draw from. */
  readonly kinds: readonly ('loopback' | 'memif' | 'tap')[];
  /** An absolute memif socket path to use besides the default socket. */
  readonly memifSocket: string;
  /** Whether states claim NAT44 (and may disable it). */
  readonly nat44: boolean;
}

/**
 * A random valid desired state over a few names: interfaces with addresses in distinct subnets
 * per name (so states never overlap themselves), ACLs attached to some of them, and NAT44.
 */
export function desiredState(o: ArbitraryOptions): fc.Arbitrary<DesiredState> {
  const iface = (name: string, n: number) =>
    fc.record({
      type: fc.constantFrom(...o.kinds),
      enabled: fc.boolean(),
      addresses: fc.subarray([`10.${50 + n}.0.1/24`, `10.${50 + n}.1.1/24`, `2001:db8:${n}::1/64`]),
      mtu: fc.option(fc.constantFrom(1400, 1500, 9000), { nil: undefined }),
      master: fc.boolean(),
      ip: fc.boolean(),
      socket: fc.boolean(),
    }).map((r): InterfaceSpec => {
      const common = { name, enabled: r.enabled, ipAddresses: r.addresses, ...(r.mtu !== undefined && { mtu: r.mtu }) };
      // One role per socket (VPP refuses a mix): masters on the given socket, slaves on the default one.
      if (r.type === 'memif') return { ...common, type: 'memif', memif: { id: n, master: r.socket, mode: r.ip ? 'ip' : 'ethernet', ...(r.socket && { socketFilename: o.memifSocket }) } };
      if (r.type === 'tap') return { ...common, type: 'tap', tap: r.master ? { hostIfName: `vk${name}` } : {} };
      return { ...common, type: 'loopback' };
    });
  return fc.subarray(NAMES, { minLength: 0 }).chain((ifNames) =>
    fc.record({
      interfaces: fc.tuple(...ifNames.map((n) => iface(n, NAMES.indexOf(n)))),
      acls: fc.subarray(NAMES).chain((aclNames) =>
        fc.tuple(...aclNames.map((name) =>
          fc.record({ rules: fc.subarray(RULES, { minLength: 1 }), ingress: fc.subarray(ifNames), egress: fc.subarray(ifNames) })
            .map((r) => ({ name: `acl-${name}`, rules: r.rules, interfaces: { ingress: r.ingress, egress: r.egress } })),
        )),
      ),
      nat44: o.nat44 ? fc.option(nat(ifNames), { nil: undefined }) : fc.constant(undefined),
    }).map((s) => ({ interfaces: s.interfaces, acls: s.acls, ...(s.nat44 && { nat44: s.nat44 }) })),
  );
}

function nat(ifNames: readonly string[]): fc.Arbitrary<Nat44Spec> {
  const role = fc.constantFrom('inside', 'outside', 'both', 'output', 'none');
  return fc.oneof(
    fc.constant<Nat44Spec>({ enabled: false }),
    fc.record({
      roles: fc.tuple(...ifNames.map(() => role)),
      pool: fc.subarray(['198.51.100.1', '198.51.100.2', '198.51.100.3']),
      twice: fc.subarray(['198.51.100.9']),
      mappings: fc.subarray([0, 1, 2, 3]),
      twiceNat: fc.constantFrom('disabled', 'enabled', 'self'),
    }).map(({ roles, pool, twice, mappings, twiceNat }): Nat44Spec => ({
      enabled: true,
      interfaces: ifNames.flatMap((name, i) => {
        const r = roles[i]!;
        return r === 'none' ? [] : [{ name, natInside: r === 'inside' || r === 'both', natOutside: r === 'outside' || r === 'both', outputFeature: r === 'output' }];
      }),
      addressPool: [...pool.map((firstIp) => ({ firstIp })), ...twice.map((firstIp) => ({ firstIp, twiceNat: true }))],
      staticMappings: mappings.map((n) =>
        n === 3
          ? { name: 'sm-addr', externalIp: '198.51.100.20', localIp: '10.200.0.3' }
          : { name: `sm-${n}`, externalIp: '198.51.100.10', externalPort: 8080 + n, localIp: `10.200.0.${n + 1}`, localPort: 80, protocol: 'tcp' as const, twiceNat: n === 0 ? twiceNat : 'disabled' },
      ),
    })),
  );
}

/** `n` in a form to compare: lists sorted, MTUs only where `desired` sets them, NAT44 only as far as `desired` claims it. */
function comparable(n: NormState, desired: NormState) {
  const mtuSet = new Set(desired.interfaces.filter((i) => i.mtu !== undefined).map((i) => i.name));
  const hostSet = new Set(desired.interfaces.filter((i) => i.tap?.hostIfName !== undefined).map((i) => i.name));
  const byName = <T extends { name: string }>(l: readonly T[]) => [...l].sort((a, b) => a.name.localeCompare(b.name));
  const nat = n.nat44;
  return {
    interfaces: byName(n.interfaces).map((i) => ({ ...i, ipAddresses: [...i.ipAddresses].sort(), mtu: mtuSet.has(i.name) ? i.mtu : undefined, tap: i.tap && { ...i.tap, hostIfName: hostSet.has(i.name) ? i.tap.hostIfName : undefined } })),
    acls: byName(n.acls).map((a) => ({ ...a, ingress: [...a.ingress].sort(), egress: [...a.egress].sort() })),
    nat44: {
      enabled: desired.nat44 ? nat?.enabled ?? false : undefined,
      pool: desired.nat44 ? [...(nat?.pool ?? [])].sort((a, b) => `${a.address}${a.twiceNat}`.localeCompare(`${b.address}${b.twiceNat}`)) : undefined,
      interfaces: [...(nat?.interfaces ?? [])].filter(([, r]) => r.inside || r.outside || r.output).sort(([a], [b]) => a.localeCompare(b)),
      staticMappings: byName(nat?.staticMappings ?? []),
    },
  };
}

/** What VPP holds (owned objects, and NAT44 as far as `desired` claims it) and what `desired` asks, each in comparable form. */
export async function heldAndWanted(client: Client<Messages>, desired: DesiredState): Promise<{ held: unknown; wanted: unknown }> {
  const want = normalise(desired);
  const held = normalise(snapshot(await readActual(client), want.nat44 !== undefined));
  return { held: comparable(held, want), wanted: comparable(want, want) };
}

const IF = 'config/vpp/v2/interfaces/';
const ACL = 'config/vpp/acls/v2/acl/';
const NAT = 'config/vpp/nat/v2/';
const KEY_NAMES = ['a', 'b', 'c', 'd'];

/** One key change under an agent's prefix: a key of vpp-agent's layout and its new value, or undefined to delete it. */
export type KeyChange = readonly [key: string, value: string | undefined];

const interfaceValue = (o: ArbitraryOptions, name: string, n: number) =>
  fc.record({
    type: fc.constantFrom(...o.kinds.map((k) => ({ loopback: 'SOFTWARE_LOOPBACK', memif: 'MEMIF', tap: 'TAP' })[k])),
    enabled: fc.boolean(),
    ipAddresses: fc.subarray([`10.${50 + n}.0.1/24`, `10.${50 + n}.1.1/24`, `2001:db8:${n}::1/64`]),
    mtu: fc.constantFrom(0, 1400, 1500),
    master: fc.boolean(),
  }).map((r) => {
    // Masters on a socket of their own, slaves on the default one: VPP refuses a mix on one socket.
    const link = r.type === 'MEMIF' ? { memif: { id: n, master: r.master, ...(r.master && { socketFilename: o.memifSocket }) } } : r.type === 'TAP' ? { tap: r.master ? { hostIfName: `vk${name}` } : {} } : {};
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
    ingress: fc.subarray(KEY_NAMES, { maxLength: 1 }),
    egress: fc.subarray(KEY_NAMES, { maxLength: 1 }),
  }).map((r) => JSON.stringify({ name, rules: r.rules, interfaces: { ingress: r.ingress, egress: r.egress } }));

const natInterfaceValue = (name: string) =>
  fc.constantFrom({ natInside: true }, { natOutside: true }, { natInside: true, natOutside: true }, { outputFeature: true }).map((r) => JSON.stringify({ name, ...r }));

const dnatValue = (label: string, n: number) =>
  fc.subarray([0, 1, 2], { minLength: 1 }).map((ports) =>
    JSON.stringify({ label, stMappings: ports.map((p) => ({ externalIp: '198.51.100.10', externalPort: 8000 + n * 10 + p, protocol: 'TCP', localIps: [{ localIp: `10.200.${n}.${p + 1}`, localPort: 80 }] })) }));

/**
 * A change of one random key of an agent's prefix (interfaces, ACLs and, with `nat44`, NAT44's
 * keys, over a few names): put a random value, or delete it.
 */
export function keyChange(o: ArbitraryOptions): fc.Arbitrary<KeyChange> {
  const put = (key: string, value: fc.Arbitrary<string>) => fc.tuple(fc.constant(key), fc.option(value, { nil: undefined }));
  return fc.oneof(
    ...KEY_NAMES.map((name, n) => put(`${IF}${name}`, interfaceValue(o, name, n))),
    ...KEY_NAMES.map((name) => put(`${ACL}acl-${name}`, aclValue(`acl-${name}`))),
    ...(o.nat44
      ? [
          ...KEY_NAMES.map((name) => put(`${NAT}nat44-interface/${name}`, natInterfaceValue(name))),
          ...['p1', 'p2'].map((name, n) => put(`${NAT}nat44-pool/${name}`, fc.constant(JSON.stringify({ name, firstIp: `198.51.100.${n + 1}` })))),
          ...['web', 'db'].map((label, n) => put(`${NAT}dnat44/${label}`, dnatValue(label, n))),
          put(`${NAT}nat44-global`, fc.constant('{}')),
        ]
      : []),
  );
}

/**
 * Applies `changes` one by one as the agent does (translate every key, then `applyChange` against
 * what the last one kept; the first is full) and checks after each that VPP's full dumps hold what
 * the keys ask and that a full plan is empty. Returns how many took the incremental path.
 */
export async function applyKeyChanges(client: Client<Messages>, changes: readonly KeyChange[]): Promise<number> {
  const keys = new Map<string, string>();
  let applied: Applied | undefined;
  let incremental = 0;
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
  return incremental;
}
