/**
 * vpp-agent's key layout and values, turned into a {@link DesiredState}: which keys under a
 * prefix the agent reads, and what each becomes. Every key gets an outcome: `accepted`, `rejected`
 * (a key or a value vppkit does not support, with the reason) or `pending` (it waits for another
 * key, as vpp-agent's own scheduler would keep it: NAT44 keys without the NAT44 global key, an ACL
 * or NAT44 role on an interface that is not configured). docs/guides/node-agent.md has the table.
 *
 * @module
 */
import { AgentError } from '../errors/index.js';
import type { AclRuleSpec, AclSpec, DesiredState, InterfaceSpec, Nat44InterfaceSpec, Nat44PoolSpec, PortRange, StaticMappingSpec } from '../desired/index.js';
import { type Message, type MessageSchema, readMessage } from './protojson.js';
import { aclSchema, dnat44Schema, interfaceSchema, nat44GlobalSchema, nat44InterfaceSchema, nat44PoolSchema } from './schemas.js';

/** The kinds of key the agent reads, by their place under the prefix (vpp-agent's `models.Key`). */
export const KEY_LAYOUT = {
  interface: 'config/vpp/v2/interfaces/',
  acl: 'config/vpp/acls/v2/acl/',
  nat44Global: 'config/vpp/nat/v2/nat44-global',
  nat44Interface: 'config/vpp/nat/v2/nat44-interface/',
  nat44Pool: 'config/vpp/nat/v2/nat44-pool/',
  dnat44: 'config/vpp/nat/v2/dnat44/',
} as const;

/** What became of one key. */
export interface KeyOutcome {
  readonly state: 'accepted' | 'rejected' | 'pending';
  /** Why it was rejected, or what it waits for. */
  readonly reason?: string;
}

/** The desired state the keys describe, and each key's outcome (keys relative to the prefix). */
export interface Translation {
  readonly desired: DesiredState;
  readonly outcomes: ReadonlyMap<string, KeyOutcome>;
  /** The key an object of the desired state came from, by the reconciler's object key (`interface/pod1`, `nat44/pool/1.2.3.4`). */
  origin(objectKey: string): string | undefined;
}

type Kind = keyof typeof KEY_LAYOUT;

/** The kind and name of a key relative to the prefix, or why the agent does not read it. */
export function parseKey(key: string): { kind: Kind; name: string } | { unsupported: string } {
  // Older vpp-agents wrote the global key with a `/settings` name; vpp-agent reads both.
  if (key === KEY_LAYOUT.nat44Global || key === `${KEY_LAYOUT.nat44Global}/settings`) return { kind: 'nat44Global', name: '' };
  for (const kind of ['interface', 'acl', 'nat44Interface', 'nat44Pool', 'dnat44'] as const) {
    const prefix = KEY_LAYOUT[kind];
    if (key.startsWith(prefix) && key.length > prefix.length) return { kind, name: key.slice(prefix.length) };
  }
  return { unsupported: `${key} is not a key vppkit's agent reads: it reads ${Object.values(KEY_LAYOUT).map((p) => (p.endsWith('/') ? `${p}<name>` : p)).join(', ')} (docs/guides/node-agent.md)` };
}

/** An IPv4 address as a number, NaN when it is not one (then it matches no pool range). */
function ip4(text: string): number {
  const parts = text.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts.reduce((n, p) => n * 256 + p, 0) : NaN;
}

const str = (m: Message, f: string): string => (m[f] as string | undefined) ?? '';
const num = (m: Message, f: string): number => (m[f] as number | undefined) ?? 0;
const bool = (m: Message, f: string): boolean => (m[f] as boolean | undefined) ?? false;
const msg = (m: Message, f: string): Message | undefined => m[f] as Message | undefined;
const list = <T>(m: Message, f: string): readonly T[] => (m[f] as readonly T[] | undefined) ?? [];

/** The value's own name field must agree with the key's name (vpp-agent derives the key from it). */
function checkName(value: Message, field: string, name: string): void {
  const own = str(value, field);
  if (own !== '' && own !== name) throw new AgentError(`${field}: the value names ${JSON.stringify(own)}, the key ${JSON.stringify(name)}`);
}

function toInterface(name: string, v: Message): InterfaceSpec {
  checkName(v, 'name', name);
  const common = {
    name,
    enabled: bool(v, 'enabled'),
    ipAddresses: list<string>(v, 'ip_addresses'),
    // vpp-agent: MTU 0 leaves VPP's default.
    ...(num(v, 'mtu') !== 0 && { mtu: num(v, 'mtu') }),
  };
  const type = (v.type as string | undefined) ?? 'UNDEFINED_TYPE';
  const tap = msg(v, 'tap');
  const memif = msg(v, 'memif');
  if (tap && type !== 'TAP') throw new AgentError(`tap: a TapLink on an interface of type ${type}`);
  if (memif && type !== 'MEMIF') throw new AgentError(`memif: a MemifLink on an interface of type ${type}`);
  switch (type) {
    case 'SOFTWARE_LOOPBACK':
      return { type: 'loopback', ...common };
    case 'DPDK':
      return { type: 'physical', ...common };
    case 'TAP': {
      const link = tap ?? {};
      if (![0, 2].includes(num(link, 'version'))) throw new AgentError(`tap.version: ${num(link, 'version')}: VPP has only tap v2 (version 2, or unset)`);
      return {
        type: 'tap',
        ...common,
        tap: {
          ...(str(link, 'host_if_name') && { hostIfName: str(link, 'host_if_name') }),
          ...(num(link, 'rx_ring_size') && { rxRingSize: num(link, 'rx_ring_size') }),
          ...(num(link, 'tx_ring_size') && { txRingSize: num(link, 'tx_ring_size') }),
        },
      };
    }
    case 'MEMIF': {
      const link = memif ?? {};
      const mode = (link.mode as string | undefined) ?? 'ETHERNET';
      if (mode === 'PUNT_INJECT') throw new AgentError('memif.mode: PUNT_INJECT is not supported by vppkit (ETHERNET or IP)');
      return {
        type: 'memif',
        ...common,
        memif: {
          id: num(link, 'id'),
          master: bool(link, 'master'),
          mode: mode === 'IP' ? 'ip' : 'ethernet',
          ...(str(link, 'socket_filename') && { socketFilename: str(link, 'socket_filename') }),
          ...(num(link, 'ring_size') && { ringSize: num(link, 'ring_size') }),
          ...(num(link, 'buffer_size') && { bufferSize: num(link, 'buffer_size') }),
        },
      };
    }
    case 'UNDEFINED_TYPE':
      throw new AgentError('type: missing: vppkit reads SOFTWARE_LOOPBACK, TAP, MEMIF and DPDK (an existing interface, by its VPP name)');
    default:
      throw new AgentError(`type: ${type} is not supported by vppkit (SOFTWARE_LOOPBACK, TAP, MEMIF, DPDK)`);
  }
}

function limit(value: number, max: number, path: string): number {
  if (value > max) throw new AgentError(`${path}: ${value} is above ${max}`);
  return value;
}

/** A PortRange: only `lower_port` set is that one port (as the proto says); unset is any port. */
function ports(range: Message | undefined, path: string): PortRange | undefined {
  if (!range) return undefined;
  const first = limit(num(range, 'lower_port'), 65535, `${path}.lower_port`);
  const upper = limit(num(range, 'upper_port'), 65535, `${path}.upper_port`);
  return { first, last: upper === 0 ? first : upper };
}

/** An ICMP type or code Range, taken as given; unset is any. */
function icmpRange(range: Message | undefined, path: string): PortRange | undefined {
  if (!range) return undefined;
  return { first: limit(num(range, 'first'), 255, `${path}.first`), last: limit(num(range, 'last'), 255, `${path}.last`) };
}

const PROTOCOL_NAMES: Readonly<Record<number, 'icmp' | 'tcp' | 'udp' | 'icmpv6'>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

function toRule(rule: Message, path: string): AclRuleSpec {
  const action = ((rule.action as string | undefined) ?? 'DENY').toLowerCase() as AclRuleSpec['action'];
  const ipRule = msg(rule, 'ip_rule');
  if (!ipRule) throw new AgentError(`${path}: the rule has no ip_rule (vppkit reads IP rules only)`);
  const ip = msg(ipRule, 'ip') ?? {};
  const given = (['icmp', 'tcp', 'udp'] as const).filter((l4) => msg(ipRule, l4));
  if (given.length > 1) throw new AgentError(`${path}.ip_rule: ${given.join(' and ')} are both set; a rule matches one protocol`);
  const l4 = given[0];
  const number = limit(num(ip, 'protocol'), 255, `${path}.ip_rule.ip.protocol`);
  const out: { -readonly [K in keyof AclRuleSpec]: AclRuleSpec[K] } = { action };
  if (str(ip, 'source_network')) out.sourceNetwork = str(ip, 'source_network');
  if (str(ip, 'destination_network')) out.destinationNetwork = str(ip, 'destination_network');
  if (l4 === 'icmp') {
    const icmp = msg(ipRule, 'icmp')!;
    out.protocol = bool(icmp, 'icmpv6') ? 'icmpv6' : 'icmp';
    const type = icmpRange(msg(icmp, 'icmp_type_range'), `${path}.ip_rule.icmp.icmp_type_range`);
    const code = icmpRange(msg(icmp, 'icmp_code_range'), `${path}.ip_rule.icmp.icmp_code_range`);
    if (type) out.icmpType = type;
    if (code) out.icmpCode = code;
  } else if (l4) {
    const m = msg(ipRule, l4)!;
    out.protocol = l4;
    const src = ports(msg(m, 'source_port_range'), `${path}.ip_rule.${l4}.source_port_range`);
    const dst = ports(msg(m, 'destination_port_range'), `${path}.ip_rule.${l4}.destination_port_range`);
    if (src) out.sourcePort = src;
    if (dst) out.destinationPort = dst;
    if (l4 === 'tcp' && (num(m, 'tcp_flags_mask') || num(m, 'tcp_flags_value'))) {
      out.tcpFlags = { mask: limit(num(m, 'tcp_flags_mask'), 255, `${path}.ip_rule.tcp.tcp_flags_mask`), value: limit(num(m, 'tcp_flags_value'), 255, `${path}.ip_rule.tcp.tcp_flags_value`) };
    }
  }
  if (number !== 0) {
    const named = PROTOCOL_NAMES[number];
    if (l4 && named !== out.protocol) throw new AgentError(`${path}.ip_rule: ip.protocol ${number} does not match its ${l4} match`);
    out.protocol = named ?? number;
  }
  return out;
}

function toAcl(name: string, v: Message): AclSpec {
  checkName(v, 'name', name);
  const rules = list<Message>(v, 'rules').map((r, i) => toRule(r, `rules[${i}]`));
  const ifaces = msg(v, 'interfaces') ?? {};
  return { name, rules, interfaces: { ingress: list<string>(ifaces, 'ingress'), egress: list<string>(ifaces, 'egress') } };
}

/** A vpp-agent NAT44 interface (per-key, or in the global value's deprecated list) in the desired model's form. */
function natRoles(name: string, inside: boolean, outside: boolean, output: boolean): Nat44InterfaceSpec {
  return { name, ...(inside && { natInside: true }), ...(outside && { natOutside: true }), ...(output && { outputFeature: true }) };
}

function toPool(v: Message, first: string): Nat44PoolSpec {
  return { firstIp: first, ...(str(v, 'last_ip') && { lastIp: str(v, 'last_ip') }), vrfId: num(v, 'vrf_id'), twiceNat: bool(v, 'twice_nat') };
}

function toMappings(label: string, v: Message): StaticMappingSpec[] {
  checkName(v, 'label', label);
  return list<Message>(v, 'st_mappings').map((m, i) => {
    const path = `st_mappings[${i}]`;
    const locals = list<Message>(m, 'local_ips');
    if (locals.length !== 1) throw new AgentError(`${path}.local_ips: ${locals.length} entries; vppkit reads exactly one (no load balancing)`);
    const local = locals[0]!;
    if (!str(m, 'external_ip')) throw new AgentError(`${path}.external_ip: missing`);
    if (!str(local, 'local_ip')) throw new AgentError(`${path}.local_ips[0].local_ip: missing`);
    const externalPort = limit(num(m, 'external_port'), 65535, `${path}.external_port`);
    const localPort = limit(num(local, 'local_port'), 65535, `${path}.local_ips[0].local_port`);
    const withPorts = externalPort !== 0 || localPort !== 0;
    return {
      // One mapping per entry; its name (VPP's tag) is the DNAT's label and the entry's place.
      name: `${label}/${i}`,
      externalIp: str(m, 'external_ip'),
      localIp: str(local, 'local_ip'),
      ...(withPorts && { externalPort, localPort, protocol: ((m.protocol as string | undefined) ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'icmp' }),
      vrfId: num(local, 'vrf_id'),
      twiceNat: ((m.twice_nat as string | undefined) ?? 'DISABLED').toLowerCase() as 'disabled' | 'enabled' | 'self',
    };
  });
}

const SCHEMAS: Readonly<Record<Kind, MessageSchema>> = {
  interface: interfaceSchema,
  acl: aclSchema,
  nat44Global: nat44GlobalSchema,
  nat44Interface: nat44InterfaceSchema,
  nat44Pool: nat44PoolSchema,
  dnat44: dnat44Schema,
};

/** Parses a value as JSON and reads it against its kind's schema; throws an AgentError saying why not. */
function readValue(kind: Kind, text: string): Message {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AgentError(`not JSON: ${(err as Error).message}`);
  }
  return readMessage(json, SCHEMAS[kind]);
}

/**
 * What a value read became (or the error it gave), by the value as read: with the cache below, a
 * key whose text did not change is not converted again either. (A value as read belongs to one
 * key, whose name the conversion uses.) What it became is frozen: it is shared by every
 * reconcile, and `normalise` keeps the canonical form of frozen specs instead of checking them again.
 */
const converted = new WeakMap<Message, { readonly ok: unknown } | { readonly error: unknown }>();
function memo<T>(value: Message, convert: () => T): T {
  let done = converted.get(value);
  if (!done) {
    try {
      done = { ok: deepFreeze(convert()) };
    } catch (error) {
      done = { error };
    }
    converted.set(value, done);
  }
  if ('error' in done) throw done.error;
  return done.ok as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Values already read, by key: a reconcile after one key changed reads only that key again. */
export type ReadCache = Map<string, { readonly text: string; readonly read: Message | AgentError }>;

/**
 * Translates the keys under a prefix (relative to it, with their values as text) into the desired
 * state they describe. Throws nothing: every problem is a key's outcome. With `cache`, a value read
 * before with the same text is not read again (the cache keeps only the keys of `entries`).
 */
export function translate(entries: ReadonlyMap<string, string>, cache: ReadCache = new Map()): Translation {
  for (const key of cache.keys()) if (!entries.has(key)) cache.delete(key);
  const outcomes = new Map<string, KeyOutcome>();
  const origins = new Map<string, string>();
  const pools: { first: number; last: number; key: string }[] = [];
  const reject = (key: string, err: unknown) => outcomes.set(key, { state: 'rejected', reason: err instanceof AgentError ? err.message : String(err) });
  const read: { key: string; kind: Kind; name: string; value: Message }[] = [];
  for (const key of [...entries.keys()].sort()) {
    const parsed = parseKey(key);
    if ('unsupported' in parsed) {
      outcomes.set(key, { state: 'rejected', reason: parsed.unsupported });
      continue;
    }
    const text = entries.get(key)!;
    let cached = cache.get(key);
    if (cached?.text !== text) {
      try {
        cached = { text, read: readValue(parsed.kind, text) };
      } catch (err) {
        cached = { text, read: err instanceof AgentError ? err : new AgentError(String(err)) };
      }
      cache.set(key, cached);
    }
    if (cached.read instanceof AgentError) reject(key, cached.read);
    else read.push({ key, ...parsed, value: cached.read });
  }
  const ofKind = (kind: Kind) => read.filter((r) => r.kind === kind);

  const interfaces: InterfaceSpec[] = [];
  for (const r of ofKind('interface')) {
    try {
      interfaces.push(memo(r.value, () => toInterface(r.name, r.value)));
      outcomes.set(r.key, { state: 'accepted' });
      origins.set(`interface/${r.name}`, r.key);
    } catch (err) {
      reject(r.key, err);
    }
  }
  const known = new Set(interfaces.map((i) => i.name));
  const missing = (names: readonly string[]) => names.filter((n) => !known.has(n));
  const waitFor = (key: string, names: readonly string[]) =>
    outcomes.set(key, { state: 'pending', reason: `waits for interface ${names.join(', ')} (no valid ${KEY_LAYOUT.interface}<name> key)` });

  const acls: AclSpec[] = [];
  for (const r of ofKind('acl')) {
    try {
      const acl = memo(r.value, () => toAcl(r.name, r.value));
      const absent = missing([...(acl.interfaces?.ingress ?? []), ...(acl.interfaces?.egress ?? [])]);
      if (absent.length > 0) waitFor(r.key, absent);
      else {
        acls.push(acl);
        outcomes.set(r.key, { state: 'accepted' });
        origins.set(`acl/${r.name}`, r.key);
      }
    } catch (err) {
      reject(r.key, err);
    }
  }

  const globalKeys = ofKind('nat44Global');
  const natKeys = [...ofKind('nat44Interface'), ...ofKind('nat44Pool'), ...ofKind('dnat44')];
  let nat44: DesiredState['nat44'];
  if (globalKeys.length > 1) {
    for (const r of globalKeys) reject(r.key, new AgentError(`both ${KEY_LAYOUT.nat44Global} and ${KEY_LAYOUT.nat44Global}/settings are set; keep one`));
  }
  const global = globalKeys.length === 1 ? globalKeys[0]! : undefined;
  if (!global) {
    // vpp-agent keeps NAT44 items pending until the global key enables NAT44.
    for (const r of natKeys) if (!outcomes.has(r.key)) outcomes.set(r.key, { state: 'pending', reason: `waits for ${KEY_LAYOUT.nat44Global} (NAT44 is enabled by its global key)` });
  } else {
    const natInterfaces = new Map<string, Nat44InterfaceSpec>();
    const pool: Nat44PoolSpec[] = [];
    const mappings: StaticMappingSpec[] = [];
    const globalIfaces = list<Message>(global.value, 'nat_interfaces').map((i) =>
      natRoles(str(i, 'name'), bool(i, 'is_inside') && !bool(i, 'output_feature'), !bool(i, 'is_inside') && !bool(i, 'output_feature'), bool(i, 'output_feature')));
    const globalAbsent = missing(globalIfaces.map((i) => i.name));
    if (globalAbsent.length > 0) waitFor(global.key, globalAbsent);
    else {
      for (const i of globalIfaces) {
        natInterfaces.set(i.name, i);
        origins.set(`nat44/interface/${i.name}`, global.key);
      }
      for (const a of list<Message>(global.value, 'address_pool')) {
        pool.push({ firstIp: str(a, 'address'), vrfId: num(a, 'vrf_id'), twiceNat: bool(a, 'twice_nat') });
        pools.push({ first: ip4(str(a, 'address')), last: ip4(str(a, 'address')), key: global.key });
      }
      outcomes.set(global.key, { state: 'accepted' });
      origins.set('nat44/global', global.key);
    }
    for (const r of ofKind('nat44Interface')) {
      checkNameOutcome(r, 'name', () => {
        if (natInterfaces.has(r.name)) throw new AgentError(`interface ${r.name} also has NAT44 roles in ${global.key}'s nat_interfaces; set them in one place`);
        if (missing([r.name]).length > 0) return waitFor(r.key, [r.name]);
        natInterfaces.set(r.name, natRoles(r.name, bool(r.value, 'nat_inside'), bool(r.value, 'nat_outside'), bool(r.value, 'output_feature')));
        outcomes.set(r.key, { state: 'accepted' });
        origins.set(`nat44/interface/${r.name}`, r.key);
      });
    }
    for (const r of ofKind('nat44Pool')) {
      checkNameOutcome(r, 'name', () => {
        if (!str(r.value, 'first_ip')) throw new AgentError('first_ip: missing');
        pool.push(toPool(r.value, str(r.value, 'first_ip')));
        pools.push({ first: ip4(str(r.value, 'first_ip')), last: ip4(str(r.value, 'last_ip') || str(r.value, 'first_ip')), key: r.key });
        outcomes.set(r.key, { state: 'accepted' });
      });
    }
    for (const r of ofKind('dnat44')) {
      checkNameOutcome(r, 'label', () => {
        const own = memo(r.value, () => toMappings(r.name, r.value));
        mappings.push(...own);
        outcomes.set(r.key, { state: 'accepted' });
      });
    }
    if (outcomes.get(global.key)?.state === 'accepted') nat44 = { enabled: true, interfaces: [...natInterfaces.values()], addressPool: pool, staticMappings: mappings };
    else for (const r of natKeys) if (outcomes.get(r.key)?.state === 'accepted') outcomes.set(r.key, { state: 'pending', reason: `waits for ${global.key}` });
  }

  function checkNameOutcome(r: { key: string; name: string; value: Message }, field: string, body: () => unknown): void {
    try {
      checkName(r.value, field, r.name);
      body();
    } catch (err) {
      reject(r.key, err);
    }
  }

  const origin = (objectKey: string): string | undefined => {
    const found = origins.get(objectKey);
    if (found !== undefined) return found;
    if (objectKey.startsWith('nat44/static-mapping/')) {
      // A static mapping is named `<label>/<index>` after its DNat44 key (no map of 10,000 names is kept).
      const name = objectKey.slice('nat44/static-mapping/'.length);
      const key = KEY_LAYOUT.dnat44 + name.slice(0, name.lastIndexOf('/'));
      return outcomes.get(key)?.state === 'accepted' ? key : undefined;
    }
    if (!objectKey.startsWith('nat44/pool/')) return undefined;
    // A pool's object key names one address of it (ranges are expanded): find the range.
    const address = ip4(objectKey.slice('nat44/pool/'.length).split('/')[0]!);
    return pools.find((p) => address >= p.first && address <= p.last)?.key;
  };
  return { desired: { interfaces, acls, ...(nat44 && { nat44 }) }, outcomes, origin };
}
