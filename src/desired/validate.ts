/**
 * Checking a desired state and bringing it to one canonical form (defaults filled, addresses as
 * VPP prints them, pool ranges expanded), so that comparing it with what VPP reports is equality.
 *
 * @module
 */
import { formatIp4, formatIp6, parseIp4, parseIp6 } from '../codec/text.js';
import { AclAction, type AclRule } from '../gen/acl_types.js';
import { DesiredStateError, type DesiredStateIssue } from './errors.js';
import type { AclRuleSpec, DesiredState, InterfaceSpec, PortRange, StaticMappingSpec } from './model.js';
import { U32_NONE } from '../schema/model.js';

/** The prefix of every tag the reconciler writes: what it owns. */
export const TAG_PREFIX = 'vppkit:';

/** A static mapping's external address, port and protocol (`192.0.2.1:80/6`): no two mappings may share one. */
export function externalKey(m: { readonly externalIp: string; readonly externalPort: number; readonly protocol: number }): string {
  return `${m.externalIp}:${m.externalPort}/${m.protocol}`;
}

/** VPP's tags are `string tag[64]`: 63 bytes and a NUL. */
const TAG_BYTES = 63;
/** The longest name a tag can carry after {@link TAG_PREFIX}. */
export const MAX_NAME_BYTES = TAG_BYTES - TAG_PREFIX.length;
/** Rules per ACL this reconciler accepts. */
export const MAX_ACL_RULES = 10_000;
/** The pool addresses one range may expand to. */
const MAX_POOL_RANGE = 65_536;
const MTU_MIN = 68;
const MTU_MAX = 65_535;

/** An interface in canonical form. */
export interface NormInterface {
  readonly name: string;
  readonly type: InterfaceSpec['type'];
  readonly enabled: boolean;
  /** Canonical text, in the order given. */
  readonly ipAddresses: readonly string[];
  readonly mtu: number | undefined;
  readonly tap: { readonly hostIfName: string | undefined; readonly rxRingSize: number; readonly txRingSize: number } | undefined;
  readonly memif: { readonly id: number; readonly master: boolean; readonly mode: 'ethernet' | 'ip'; readonly socketFilename: string | undefined } | undefined;
}

/** An ACL rule as VPP's `acl_rule` holds it (the generated type, read-only). */
export type VppAclRule = Readonly<AclRule>;

/** An ACL in canonical form. */
export interface NormAcl {
  readonly name: string;
  readonly rules: readonly VppAclRule[];
  readonly ingress: readonly string[];
  readonly egress: readonly string[];
}

/** A static mapping in canonical form (VPP's fields). */
export interface NormStaticMapping {
  readonly name: string;
  readonly externalIp: string;
  readonly externalPort: number;
  readonly localIp: string;
  readonly localPort: number;
  /** 0 for an address-only mapping. */
  readonly protocol: number;
  readonly vrfId: number;
  readonly twiceNat: 'disabled' | 'enabled' | 'self';
  readonly outToInOnly: boolean;
}

/** One pool address. */
export interface NormPoolAddress {
  readonly address: string;
  readonly vrfId: number;
  readonly twiceNat: boolean;
}

/** NAT44 in canonical form; `undefined` when the desired state has no `nat44`. */
export interface NormNat44 {
  readonly enabled: boolean;
  /** By interface name. */
  readonly interfaces: ReadonlyMap<string, { readonly inside: boolean; readonly outside: boolean; readonly output: boolean }>;
  readonly pool: readonly NormPoolAddress[];
  readonly staticMappings: readonly NormStaticMapping[];
}

/** A desired state checked and in canonical form. */
export interface NormState {
  readonly interfaces: readonly NormInterface[];
  readonly acls: readonly NormAcl[];
  readonly nat44: NormNat44 | undefined;
}

export const PROTOCOLS = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;

/** `a.b.c.d` or IPv6 text in VPP's form, or undefined. */
export function canonicalIp(text: string): { text: string; v6: boolean; bytes: Uint8Array } | undefined {
  const b = new Uint8Array(16);
  if (parseIp4(text, b, 0)) return { text: formatIp4(b, 0), v6: false, bytes: b.subarray(0, 4) };
  if (parseIp6(text, b, 0)) return { text: formatIp6(b, 0), v6: true, bytes: b };
  return undefined;
}

/** `address/len` in VPP's form, with whether host bits are set, or undefined. */
function canonicalPrefix(text: unknown): { text: string; v6: boolean; hostBits: boolean } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const ip = canonicalIp(m[1]!);
  const len = Number(m[2]);
  if (!ip || len > (ip.v6 ? 128 : 32)) return undefined;
  let hostBits = false;
  ip.bytes.forEach((byte, i) => {
    const keep = Math.max(0, Math.min(8, len - 8 * i));
    if (byte & (0xff >> keep)) hostBits = true;
  });
  return { text: `${ip.text}/${len}`, v6: ip.v6, hostBits };
}

/** Checks `state` and returns it in canonical form; throws {@link DesiredStateError} listing every problem. */
export function normalise(state: DesiredState): NormState {
  const issues: DesiredStateIssue[] = [];
  const issue = (path: string, key: string, message: string) => issues.push({ path, key, message });
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new DesiredStateError([{ path: '(root)', key: '', message: 'expected an object with interfaces, acls and nat44' }]);
  for (const k of Object.keys(state)) if (!['interfaces', 'acls', 'nat44'].includes(k)) issue(k, '', 'unknown field (expected interfaces, acls, nat44)');

  const names = (list: readonly { name?: unknown }[] | undefined, where: string, kind: string): void => {
    const seen = new Set<string>();
    (list ?? []).forEach((o, i) => {
      const name = o?.name;
      if (typeof name !== 'string' || name === '') return issue(`${where}[${i}].name`, '', 'expected a non-empty string');
      if (Buffer.byteLength(name) > MAX_NAME_BYTES) issue(`${where}[${i}].name`, `${kind}/${name}`, `${Buffer.byteLength(name)} bytes is longer than ${MAX_NAME_BYTES}, the most a VPP tag holds after "${TAG_PREFIX}"`);
      if (seen.has(name)) issue(`${where}[${i}].name`, `${kind}/${name}`, `"${name}" appears twice`);
      seen.add(name);
    });
  };
  const list = <T>(v: readonly T[] | undefined, path: string): readonly T[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      issue(path, '', 'expected an array');
      return [];
    }
    return v;
  };
  const int = (v: unknown, path: string, key: string, min: number, max: number, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) issue(path, key, `${JSON.stringify(v)} is out of range (an integer ${min}…${max})`);
    return v as number;
  };
  const bool = (v: unknown, path: string, key: string, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') issue(path, key, `expected true or false, got ${JSON.stringify(v)}`);
    return v === true;
  };
  const known = (o: object, fields: readonly string[], path: string, key: string) => {
    for (const f of Object.keys(o)) if (!fields.includes(f)) issue(`${path}.${f}`, key, `unknown field (expected one of ${fields.join(', ')})`);
  };

  // Interfaces.
  const ifList = list(state.interfaces, 'interfaces');
  names(ifList, 'interfaces', 'interface');
  const interfaces: NormInterface[] = ifList.map((spec, i) => once(spec, issues, () => {
    const path = `interfaces[${i}]`;
    const key = `interface/${spec.name}`;
    if (!['loopback', 'tap', 'memif', 'physical'].includes(spec.type)) issue(`${path}.type`, key, `expected loopback, tap, memif or physical, got ${JSON.stringify(spec.type)}`);
    known(spec, ['name', 'type', 'enabled', 'ipAddresses', 'mtu', ...(spec.type === 'tap' ? ['tap'] : spec.type === 'memif' ? ['memif'] : [])], path, key);
    const ipAddresses = list(spec.ipAddresses, `${path}.ipAddresses`).map((a, j) => {
      const p = canonicalPrefix(a);
      if (!p) issue(`${path}.ipAddresses[${j}]`, key, `expected an address with prefix length like "10.1.1.1/24" or "2001:db8::1/64", got ${JSON.stringify(a)}`);
      return p?.text ?? String(a);
    });
    ipAddresses.forEach((a, j) => {
      if (ipAddresses.indexOf(a) !== j) issue(`${path}.ipAddresses[${j}]`, key, `${a} appears twice`);
    });
    let tap: NormInterface['tap'];
    let memif: NormInterface['memif'];
    if (spec.type === 'tap') {
      const t = spec.tap ?? {};
      known(t, ['hostIfName', 'rxRingSize', 'txRingSize'], `${path}.tap`, key);
      if (t.hostIfName !== undefined && (typeof t.hostIfName !== 'string' || t.hostIfName === '' || Buffer.byteLength(t.hostIfName) > 63)) issue(`${path}.tap.hostIfName`, key, 'expected a name of 1…63 bytes');
      const ring = (v: unknown, f: string) => {
        const n = int(v, `${path}.tap.${f}`, key, 1, 32768, 256);
        if (n & (n - 1)) issue(`${path}.tap.${f}`, key, `${n} is not a power of two`);
        return n;
      };
      tap = { hostIfName: t.hostIfName, rxRingSize: ring(t.rxRingSize, 'rxRingSize'), txRingSize: ring(t.txRingSize, 'txRingSize') };
    }
    if (spec.type === 'memif') {
      const m = spec.memif;
      if (typeof m !== 'object' || m === null) issue(`${path}.memif`, key, 'a memif needs memif: { id, … }');
      else {
        known(m, ['id', 'master', 'mode', 'socketFilename'], `${path}.memif`, key);
        if (m.id === undefined) issue(`${path}.memif.id`, key, 'required (0…4294967295)');
        if (m.mode !== undefined && m.mode !== 'ethernet' && m.mode !== 'ip') issue(`${path}.memif.mode`, key, `expected ethernet or ip, got ${JSON.stringify(m.mode)}`);
        if (m.socketFilename !== undefined && (typeof m.socketFilename !== 'string' || !m.socketFilename.startsWith('/') || Buffer.byteLength(m.socketFilename) > 107)) issue(`${path}.memif.socketFilename`, key, 'expected an absolute path of at most 107 bytes (a Unix socket path; VPP reports sockets by absolute path)');
        memif = {
          id: int(m.id, `${path}.memif.id`, key, 0, U32_NONE, 0),
          master: bool(m.master, `${path}.memif.master`, key, false),
          mode: m.mode ?? 'ethernet',
          socketFilename: m.socketFilename,
        };
      }
    }
    return {
      name: spec.name,
      type: spec.type,
      enabled: bool(spec.enabled, `${path}.enabled`, key, false),
      ipAddresses,
      mtu: spec.mtu === undefined ? undefined : int(spec.mtu, `${path}.mtu`, key, MTU_MIN, MTU_MAX, 0),
      tap,
      memif,
    };
  }));
  const ifNames = new Set(interfaces.map((i) => i.name));
  const memifKeys = new Map<string, string>();
  const socketRoles = new Map<string, NormInterface>();
  for (const i of interfaces) {
    if (!i.memif) continue;
    const socket = i.memif.socketFilename ?? '(the default socket)';
    const k = `${socket}#${i.memif.id}`;
    if (memifKeys.has(k)) issue(`interfaces`, `interface/${i.name}`, `memif id ${i.memif.id} on one socket is used by "${memifKeys.get(k)}" too`);
    memifKeys.set(k, i.name);
    // VPP refuses (-68) a master on a socket its slaves use, and the reverse.
    const other = socketRoles.get(socket);
    if (other && other.memif!.master !== i.memif.master) issue(`interfaces`, `interface/${i.name}`, `memifs on ${socket} must all be masters or all slaves (as "${other.name}" is a ${other.memif!.master ? 'master' : 'slave'})`);
    socketRoles.set(socket, i);
  }
  const refersTo = (name: unknown, path: string, key: string) => {
    if (typeof name !== 'string' || !ifNames.has(name)) issue(path, key, `${JSON.stringify(name)} is not an interface of this desired state`);
  };

  // ACLs.
  const aclList = list(state.acls, 'acls');
  names(aclList, 'acls', 'acl');
  const acls: NormAcl[] = aclList.map((spec, i) => {
    const path = `acls[${i}]`;
    const key = `acl/${spec.name}`;
    known(spec, ['name', 'rules', 'interfaces'], path, key);
    const rules = list(spec.rules, `${path}.rules`);
    if (rules.length > MAX_ACL_RULES) issue(`${path}.rules`, key, `${rules.length} rules is more than ${MAX_ACL_RULES}`);
    const attach = spec.interfaces ?? {};
    known(attach, ['ingress', 'egress'], `${path}.interfaces`, key);
    const ingress = list(attach.ingress, `${path}.interfaces.ingress`);
    const egress = list(attach.egress, `${path}.interfaces.egress`);
    ingress.forEach((n, j) => refersTo(n, `${path}.interfaces.ingress[${j}]`, key));
    egress.forEach((n, j) => refersTo(n, `${path}.interfaces.egress[${j}]`, key));
    for (const [dir, names] of [['ingress', ingress], ['egress', egress]] as const) {
      names.forEach((n, j) => {
        if (names.indexOf(n) !== j) issue(`${path}.interfaces.${dir}[${j}]`, key, `${n} appears twice`);
      });
    }
    // The rules list as a whole, and each rule, are kept once checked (the agent passes the same ones again).
    return { name: spec.name, rules: once(rules, issues, () => rules.map((r, j) => once(r, issues, () => aclRule(r, `${path}.rules[${j}]`, key, issue)))), ingress, egress };
  });

  // NAT44.
  let nat44: NormNat44 | undefined;
  const n = state.nat44;
  if (n !== undefined) {
    known(n, ['enabled', 'interfaces', 'addressPool', 'staticMappings'], 'nat44', 'nat44/global');
    if (typeof n.enabled !== 'boolean') issue('nat44.enabled', 'nat44/global', 'required: true or false');
    const natIfs = new Map<string, { inside: boolean; outside: boolean; output: boolean }>();
    list(n.interfaces, 'nat44.interfaces').forEach((f, i) => {
      const path = `nat44.interfaces[${i}]`;
      const key = `nat44/interface/${f.name}`;
      known(f, ['name', 'natInside', 'natOutside', 'outputFeature'], path, key);
      refersTo(f.name, `${path}.name`, key);
      if (natIfs.has(f.name)) issue(`${path}.name`, key, `${f.name} appears twice`);
      const roles = { inside: bool(f.natInside, `${path}.natInside`, key, false), outside: bool(f.natOutside, `${path}.natOutside`, key, false), output: bool(f.outputFeature, `${path}.outputFeature`, key, false) };
      if (roles.output && (roles.inside || roles.outside)) issue(path, key, 'outputFeature excludes natInside and natOutside (VPP refuses both on one interface)');
      natIfs.set(f.name, roles);
    });
    const pool: NormPoolAddress[] = [];
    list(n.addressPool, 'nat44.addressPool').forEach((p, i) => {
      const path = `nat44.addressPool[${i}]`;
      const key = `nat44/pool/${p.firstIp}`;
      known(p, ['firstIp', 'lastIp', 'vrfId', 'twiceNat'], path, key);
      const first = ip4Number(p.firstIp);
      const last = p.lastIp === undefined ? first : ip4Number(p.lastIp);
      if (first === undefined) return issue(`${path}.firstIp`, key, `expected an IPv4 address, got ${JSON.stringify(p.firstIp)}`);
      if (last === undefined) return issue(`${path}.lastIp`, key, `expected an IPv4 address, got ${JSON.stringify(p.lastIp)}`);
      if (last < first || last - first >= MAX_POOL_RANGE) return issue(path, key, `the range must run upwards and hold at most ${MAX_POOL_RANGE} addresses`);
      const vrfId = int(p.vrfId, `${path}.vrfId`, key, 0, U32_NONE, U32_NONE);
      const twiceNat = bool(p.twiceNat, `${path}.twiceNat`, key, false);
      for (let a = first; a <= last; a++) {
        const address = ip4Text(a);
        if (pool.some((q) => q.address === address && q.twiceNat === twiceNat)) issue(path, key, `${address} is in the ${twiceNat ? 'twice-NAT ' : ''}pool twice`);
        pool.push({ address, vrfId, twiceNat });
      }
    });
    const smList = list(n.staticMappings, 'nat44.staticMappings');
    const staticMappings = listOnce(smList, issues, () => {
      names(smList, 'nat44.staticMappings', 'nat44/static-mapping');
      const out = smList.map((m, i) => once(m, issues, () => staticMapping(m, `nat44.staticMappings[${i}]`, issue)));
      const externals = new Map<string, string>();
      for (const m of out) {
        const k = externalKey(m);
        if (externals.has(k)) issue('nat44.staticMappings', `nat44/static-mapping/${m.name}`, `external ${k} is mapped by "${externals.get(k)}" too`);
        externals.set(k, m.name);
      }
      return out;
    });
    if (n.enabled === false && (natIfs.size || pool.length || staticMappings.length)) issue('nat44.enabled', 'nat44/global', 'interfaces, addressPool and staticMappings need enabled: true');
    nat44 = { enabled: n.enabled === true, interfaces: natIfs, pool, staticMappings };
  }
  if (issues.length) throw new DesiredStateError(issues);
  return { interfaces, acls, nat44 };
}

/**
 * Canonical forms already computed, by the spec they came from (an interface, an ACL rule, a
 * static mapping), for deeply frozen specs only: those
 * cannot change, so a caller that passes the same ones again (the agent, on every reconcile) is
 * spared their checks. A spec that had a problem is not kept (its issue names its place).
 */
const canonical = new WeakMap<object, unknown>();
function once<T>(spec: unknown, issues: readonly DesiredStateIssue[], compute: () => T): T {
  // A spec kept was deeply frozen when kept, and freezing cannot be undone: no need to look again.
  if (typeof spec === 'object' && spec !== null && canonical.has(spec)) return canonical.get(spec) as T;
  if (!deeplyFrozen(spec)) return compute();
  const before = issues.length;
  const out = compute();
  if (issues.length === before) canonical.set(spec, out);
  return out;
}

/**
 * The last list of static mappings checked whole (names, each mapping, unique externals), kept
 * when every spec in it was kept by {@link once}: the agent passes the same 10,000 again after
 * each change, and the same specs in the same places give the same result.
 */
let lastList: { readonly specs: readonly unknown[]; readonly out: readonly NormStaticMapping[] } | undefined;
function listOnce(specs: readonly unknown[], issues: readonly DesiredStateIssue[], compute: () => NormStaticMapping[]): readonly NormStaticMapping[] {
  const last = lastList;
  if (last && last.specs.length === specs.length && specs.every((s, i) => s === last.specs[i])) return last.out;
  const before = issues.length;
  const out = compute();
  lastList = issues.length === before && specs.every((s) => typeof s === 'object' && s !== null && canonical.has(s)) ? { specs: [...specs], out } : undefined;
  return out;
}

function deeplyFrozen(v: unknown): v is object {
  return typeof v === 'object' && v !== null && Object.isFrozen(v) && Object.values(v).every((x) => typeof x !== 'object' || x === null || deeplyFrozen(x));
}

function ip4Number(text: unknown): number | undefined {
  const b = new Uint8Array(4);
  if (typeof text !== 'string' || !parseIp4(text, b, 0)) return undefined;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

function ip4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

type Issue = (path: string, key: string, message: string) => void;

function aclRule(r: AclRuleSpec, path: string, key: string, issue: Issue): VppAclRule {
  if (typeof r !== 'object' || r === null) {
    issue(path, key, 'expected a rule object');
    return undefined as never;
  }
  for (const f of Object.keys(r)) if (!['action', 'sourceNetwork', 'destinationNetwork', 'protocol', 'sourcePort', 'destinationPort', 'icmpType', 'icmpCode', 'tcpFlags'].includes(f)) issue(`${path}.${f}`, key, 'unknown field');
  const action = { deny: AclAction.ACL_ACTION_API_DENY, permit: AclAction.ACL_ACTION_API_PERMIT, reflect: AclAction.ACL_ACTION_API_PERMIT_REFLECT }[r.action];
  if (action === undefined) issue(`${path}.action`, key, `expected deny, permit or reflect, got ${JSON.stringify(r.action)}`);
  const prefix = (v: string | undefined, f: string) => {
    if (v === undefined) return undefined;
    const p = canonicalPrefix(v);
    if (!p) issue(`${path}.${f}`, key, `expected a prefix like "10.1.0.0/16", got ${JSON.stringify(v)}`);
    else if (p.hostBits) issue(`${path}.${f}`, key, `${v} has host bits set past its length (VPP refuses it)`);
    return p;
  };
  const src = prefix(r.sourceNetwork, 'sourceNetwork');
  const dst = prefix(r.destinationNetwork, 'destinationNetwork');
  const v6 = src?.v6 ?? dst?.v6 ?? false;
  if (src && dst && src.v6 !== dst.v6) issue(path, key, 'sourceNetwork and destinationNetwork must be of one family');
  const any = v6 ? '::/0' : '0.0.0.0/0';
  const proto = typeof r.protocol === 'string' ? PROTOCOLS[r.protocol] : (r.protocol ?? 0);
  if (proto === undefined || !Number.isInteger(proto) || proto < 0 || proto > 255) issue(`${path}.protocol`, key, `expected tcp, udp, icmp, icmpv6 or 0…255, got ${JSON.stringify(r.protocol)}`);
  const ports = proto === 6 || proto === 17;
  const icmp = proto === 1 || proto === 58;
  const range = (v: PortRange | undefined, f: string, max: number, allowed: boolean): [number, number] => {
    if (v === undefined) return [0, max];
    if (!allowed) issue(`${path}.${f}`, key, `needs protocol ${f.startsWith('icmp') ? 'icmp or icmpv6' : 'tcp or udp'}`);
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
    if (!ok(v.first) || !ok(v.last) || v.first > v.last) issue(`${path}.${f}`, key, `expected { first, last } with 0 ≤ first ≤ last ≤ ${max}`);
    return [v.first, v.last];
  };
  const sp = range(r.sourcePort, 'sourcePort', 65535, ports);
  const dp = range(r.destinationPort, 'destinationPort', 65535, ports);
  const it = range(r.icmpType, 'icmpType', 255, icmp);
  const ic = range(r.icmpCode, 'icmpCode', 255, icmp);
  const flags = r.tcpFlags ?? { mask: 0, value: 0 };
  if (r.tcpFlags !== undefined && proto !== 6) issue(`${path}.tcpFlags`, key, 'needs protocol tcp');
  for (const f of ['mask', 'value'] as const) if (!Number.isInteger(flags[f]) || flags[f] < 0 || flags[f] > 255) issue(`${path}.tcpFlags.${f}`, key, 'expected 0…255');
  return {
    is_permit: action ?? AclAction.ACL_ACTION_API_DENY,
    src_prefix: src?.text ?? any,
    dst_prefix: dst?.text ?? any,
    proto: proto ?? 0,
    srcport_or_icmptype_first: icmp ? it[0] : sp[0],
    srcport_or_icmptype_last: icmp ? it[1] : sp[1],
    dstport_or_icmpcode_first: icmp ? ic[0] : dp[0],
    dstport_or_icmpcode_last: icmp ? ic[1] : dp[1],
    tcp_flags_mask: flags.mask,
    tcp_flags_value: flags.value,
  };
}

function staticMapping(m: StaticMappingSpec, path: string, issue: Issue): NormStaticMapping {
  const key = `nat44/static-mapping/${m.name}`;
  for (const f of Object.keys(m)) if (!['name', 'externalIp', 'externalPort', 'localIp', 'localPort', 'protocol', 'vrfId', 'twiceNat', 'outToInOnly'].includes(f)) issue(`${path}.${f}`, key, 'unknown field');
  const ip = (v: string, f: string) => {
    const n = ip4Number(v);
    if (n === undefined) issue(`${path}.${f}`, key, `expected an IPv4 address, got ${JSON.stringify(v)}`);
    return n === undefined ? String(v) : ip4Text(n);
  };
  const addrOnly = m.externalPort === undefined && m.localPort === undefined;
  if (!addrOnly && (m.externalPort === undefined || m.localPort === undefined)) issue(path, key, 'externalPort and localPort go together (neither: an address-only mapping)');
  const port = (v: number | undefined, f: string) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 65535)) issue(`${path}.${f}`, key, `${JSON.stringify(v)} is out of range (1…65535)`);
    return v ?? 0;
  };
  const protocol = m.protocol === undefined ? 0 : ({ tcp: 6, udp: 17, icmp: 1 } as Record<string, number>)[m.protocol];
  if (m.protocol !== undefined && protocol === undefined) issue(`${path}.protocol`, key, `expected tcp, udp or icmp, got ${JSON.stringify(m.protocol)}`);
  if (!addrOnly && m.protocol === undefined) issue(`${path}.protocol`, key, 'required with ports');
  if (addrOnly && m.protocol !== undefined) issue(`${path}.protocol`, key, 'an address-only mapping (no ports) has no protocol');
  const twiceNat = m.twiceNat ?? 'disabled';
  if (!['disabled', 'enabled', 'self'].includes(twiceNat)) issue(`${path}.twiceNat`, key, `expected disabled, enabled or self, got ${JSON.stringify(m.twiceNat)}`);
  if (addrOnly && twiceNat !== 'disabled') issue(`${path}.twiceNat`, key, 'twice-NAT needs ports (VPP refuses it on an address-only mapping)');
  const vrfId = m.vrfId ?? 0;
  if (!Number.isInteger(vrfId) || vrfId < 0 || vrfId >= U32_NONE) issue(`${path}.vrfId`, key, `${JSON.stringify(m.vrfId)} is out of range (0…4294967294)`);
  if (m.outToInOnly !== undefined && typeof m.outToInOnly !== 'boolean') issue(`${path}.outToInOnly`, key, 'expected true or false');
  return {
    name: m.name,
    externalIp: ip(m.externalIp, 'externalIp'),
    externalPort: port(m.externalPort, 'externalPort'),
    localIp: ip(m.localIp, 'localIp'),
    localPort: port(m.localPort, 'localPort'),
    protocol: protocol ?? 0,
    vrfId,
    twiceNat,
    outToInOnly: m.outToInOnly === true,
  };
}
