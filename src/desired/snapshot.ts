/**
 * The owned part of VPP's actual state written back as a desired state: what `apply` rolls
 * back to, and what tests compare with what they applied.
 *
 * @module
 */
import { type ActualState, kindOf, ownedName } from './actual.js';
import type { AclRuleSpec, AclSpec, DesiredState, InterfaceSpec, Nat44InterfaceSpec, StaticMappingSpec } from './model.js';
import { PROTOCOLS, TAG_PREFIX, type VppAclRule } from './validate.js';

const NONE = 0xffffffff;

/**
 * The desired state VPP holds now: owned interfaces (with their MTU), ACLs and their attachments,
 * static mappings, and, when `nat44` is true, NAT44's global state and pool.
 */
export function snapshot(actual: ActualState, nat44: boolean): DesiredState {
  const nameOf = new Map<number, string>();
  const interfaces: InterfaceSpec[] = [];
  for (const i of actual.interfaces) {
    const name = ownedName(i.tag);
    if (name === undefined || [...nameOf.values()].includes(name)) continue;
    nameOf.set(i.swIfIndex, name);
    // An IP-mode memif has MTU 0 until set: no MTU to restore.
    const common = { name, enabled: i.adminUp, ipAddresses: [...i.ipAddresses], ...(i.mtu !== 0 && { mtu: i.mtu }) };
    const kind = kindOf(i.vppName);
    if (kind === 'loopback' || kind === 'physical') interfaces.push({ ...common, type: kind });
    if (kind === 'tap') interfaces.push({ ...common, type: 'tap', tap: { ...(i.tap?.hostIfName && { hostIfName: i.tap.hostIfName }), rxRingSize: i.tap?.rxRingSize ?? 256, txRingSize: i.tap?.txRingSize ?? 256 } });
    if (kind === 'memif' && i.memif) {
      const m = i.memif;
      const mode = m.mode === 'ip' ? 'ip' : 'ethernet';
      interfaces.push({ ...common, type: 'memif', memif: { id: m.id, master: m.master, mode, ...(m.socketId !== 0 && { socketFilename: m.socketFilename }) } });
    }
  }
  const acls: AclSpec[] = [];
  for (const a of actual.acls) {
    const name = ownedName(a.tag);
    if (name === undefined || acls.some((x) => x.name === name)) continue;
    const on = (dir: 'input' | 'output') => [...actual.aclLists].filter(([sw, l]) => nameOf.has(sw) && l[dir].includes(a.index)).map(([sw]) => nameOf.get(sw)!);
    acls.push({ name, rules: a.rules.map(ruleSpec), interfaces: { ingress: on('input'), egress: on('output') } });
  }
  const nat = actual.nat44;
  const natInterfaces: Nat44InterfaceSpec[] = [...nat.interfaces].filter(([sw]) => nameOf.has(sw)).map(([sw, r]) => ({ name: nameOf.get(sw)!, natInside: r.inside, natOutside: r.outside, outputFeature: r.output }));
  const staticMappings: StaticMappingSpec[] = nat.staticMappings.filter((m) => ownedName(m.tag) !== undefined).map((m) => ({
    name: m.tag.slice(TAG_PREFIX.length),
    externalIp: m.externalIp,
    localIp: m.localIp,
    ...(m.protocol !== 0 && { externalPort: m.externalPort, localPort: m.localPort, protocol: (['icmp', 'tcp', 'udp'] as const).find((p) => PROTOCOLS[p] === m.protocol)! }),
    vrfId: m.vrfId,
    twiceNat: m.flags & 0x01 ? 'enabled' : m.flags & 0x02 ? 'self' : 'disabled',
    outToInOnly: (m.flags & 0x04) !== 0,
  }));
  const managed = nat44 ? { enabled: nat.enabled, addressPool: nat.pool.map((a) => ({ firstIp: a.address, ...(a.vrfId !== NONE && { vrfId: a.vrfId }), twiceNat: a.twiceNat })) } : undefined;
  const natPart = managed ?? (natInterfaces.length || staticMappings.length ? { enabled: true } : undefined);
  return { interfaces, acls, ...(natPart && { nat44: { ...natPart, interfaces: natInterfaces, staticMappings } }) };
}

function ruleSpec(r: VppAclRule): AclRuleSpec {
  const action = (['deny', 'permit', 'reflect'] as const)[r.is_permit] ?? 'deny';
  const ports = r.proto === 6 || r.proto === 17;
  const icmp = r.proto === 1 || r.proto === 58;
  const range = (first: number, last: number, max: number) => (first === 0 && last === max ? undefined : { first, last });
  const spec: Record<string, unknown> = { action, sourceNetwork: r.src_prefix, destinationNetwork: r.dst_prefix, protocol: r.proto };
  if (ports) {
    spec.sourcePort = range(r.srcport_or_icmptype_first, r.srcport_or_icmptype_last, 65535);
    spec.destinationPort = range(r.dstport_or_icmpcode_first, r.dstport_or_icmpcode_last, 65535);
  }
  if (icmp) {
    spec.icmpType = range(r.srcport_or_icmptype_first, r.srcport_or_icmptype_last, 255);
    spec.icmpCode = range(r.dstport_or_icmpcode_first, r.dstport_or_icmpcode_last, 255);
  }
  if (r.tcp_flags_mask || r.tcp_flags_value) spec.tcpFlags = { mask: r.tcp_flags_mask, value: r.tcp_flags_value };
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as AclRuleSpec;
}
