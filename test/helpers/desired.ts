/**
 * Random desired states (fast-check) and a comparison of what VPP holds with what was applied,
 * shared by the model's unit tests and the real-VPP suite.
 */
import fc from 'fast-check';
import type { Client } from '../../src/client/index.js';
import { readActual } from '../../src/desired/actual.js';
import type { AclRuleSpec, DesiredState, InterfaceSpec, Nat44Spec } from '../../src/desired/index.js';
import { normalise } from '../../src/desired/index.js';
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
