/**
 * `plan`: the calls that turn VPP's actual state into the desired one, in dependency order.
 *
 * Phases, each finished before the next: detach (static mappings, NAT roles, pool addresses,
 * ACLs from interfaces), delete (ACLs, interfaces; NAT disabled), create and change (NAT
 * enabled, memif sockets, interfaces with tag, MTU, addresses, admin state; ACLs), attach (ACL
 * lists, pool, NAT roles, static mappings).
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import { type ActualAcl, type ActualInterface, type ActualState, type ActualStaticMapping, NAT_FLAGS, kindOf, ownedName, readActual } from './actual.js';
import { DesiredStateError } from './errors.js';
import type { DesiredState } from './model.js';
import type { ForeignObject, IndexRef, Plan, PlanOptions, PlannedCall, PlannedFields } from './plan-types.js';
import { type NormInterface, type NormPoolAddress, type NormState, type NormStaticMapping, TAG_PREFIX, type VppAclRule, externalKey, normalise } from './validate.js';

const NONE = 0xffffffff;
const ZERO_MAC = '00:00:00:00:00:00';
const ADMIN_UP = 1;

/**
 * Reads VPP's state with dumps and returns the calls that make it `desired`: creations before
 * attachments, detachments before deletions, NAT44 features and pool before static mappings.
 * Throws {@link DesiredStateError} for an invalid desired state, or one naming a NIC VPP lacks.
 */
export async function plan(client: Client<Messages>, desired: DesiredState, options: PlanOptions = {}): Promise<Plan> {
  const norm = normalise(desired);
  return planFrom(norm, await readActual(client, physicalNames(norm)), options);
}

/** The plan from `desired` to `actual`, both already read: no I/O. */
export function planFrom(desired: NormState, actual: ActualState, options: PlanOptions = {}): Plan {
  const replace = options.foreign === 'replace';
  const foreign: ForeignObject[] = [];
  const detach: PlannedCall[] = [];
  const remove: PlannedCall[] = [];
  const create: PlannedCall[] = [];
  const addressDel: PlannedCall[] = [];
  const addressAdd: PlannedCall[] = [];
  const settle: PlannedCall[] = [];
  const aclCreate: PlannedCall[] = [];
  const attach: PlannedCall[] = [];
  const call = (list: PlannedCall[], action: PlannedCall['action'], key: string, summary: string, message: string, request: PlannedFields, creates?: PlannedCall['creates']) =>
    list.push({ action, key, summary, message, request, ...(creates && { creates }) });

  // Lookups by index and name, so that matching stays linear in the state's size.
  const ifByIndex = new Map<number, ActualInterface>();
  const ifByName = new Map<string, ActualInterface>();
  for (const i of actual.interfaces) {
    if (!ifByIndex.has(i.swIfIndex)) ifByIndex.set(i.swIfIndex, i);
    if (!ifByName.has(i.vppName)) ifByName.set(i.vppName, i);
  }
  const aclByIndex = new Map<number, ActualAcl>();
  for (const a of actual.acls) if (!aclByIndex.has(a.index)) aclByIndex.set(a.index, a);

  // Interfaces: which VPP interface each desired one is, which owned ones go.
  const byTag = new Map<string, ActualInterface>();
  const owned: ActualInterface[] = [];
  for (const i of actual.interfaces) {
    const name = ownedName(i.tag);
    if (name === undefined) continue;
    owned.push(i);
    if (!byTag.has(name)) byTag.set(name, i);
  }
  const missingNics: string[] = [];
  /** The VPP interface each desired interface keeps, if any; recreated ones have none. */
  const kept = new Map<string, ActualInterface>();
  const claimed = new Set<number>();
  for (const d of desired.interfaces) {
    if (d.type === 'physical') {
      const nic = ifByName.get(d.name);
      if (!nic) {
        missingNics.push(d.name);
        continue;
      }
      const other = ownedName(nic.tag);
      if (nic.tag !== '' && other === undefined && !replace) {
        foreign.push({ kind: 'interface', description: nic.vppName, conflict: `its tag "${nic.tag}" is not this reconciler's for "${d.name}"` });
        claimed.add(nic.swIfIndex);
        continue;
      }
      kept.set(d.name, nic);
      claimed.add(nic.swIfIndex);
      continue;
    }
    const i = byTag.get(d.name);
    if (i && kindOf(i.vppName) === d.type && sameLink(d, i, actual)) {
      kept.set(d.name, i);
      claimed.add(i.swIfIndex);
    }
  }
  if (missingNics.length) {
    throw new DesiredStateError(missingNics.map((n) => ({ path: 'interfaces', key: `interface/${n}`, message: `VPP has no interface called "${n}" to claim (physical interfaces are not created)` })));
  }
  const doomed = owned.filter((i) => !claimed.has(i.swIfIndex));
  const keptIdx = new Map<number, string>();
  for (const [name, k] of kept) if (!keptIdx.has(k.swIfIndex)) keptIdx.set(k.swIfIndex, name);
  const doomedIdx = new Set(doomed.map((i) => i.swIfIndex));
  const keyOf = (i: ActualInterface) => `interface/${ownedName(i.tag) ?? i.vppName}`;
  const ifRef = (name: string): number | IndexRef => kept.get(name)?.swIfIndex ?? { ref: 'interface', name };
  const desiredIf = new Set(desired.interfaces.map((d) => d.name));
  for (const i of actual.interfaces) if (ownedName(i.tag) === undefined && !claimed.has(i.swIfIndex)) foreign.push({ kind: 'interface', description: i.vppName });

  // ACLs: owned by tag; rules replaced in place, the rest created or deleted.
  const aclByName = new Map<string, number>();
  const doomedAcls = new Set<number>();
  const desiredAcls = new Set(desired.acls.map((d) => d.name));
  for (const a of actual.acls) {
    const name = ownedName(a.tag);
    if (name === undefined) {
      foreign.push({ kind: 'acl', description: `acl ${a.index}${a.tag ? ` "${a.tag}"` : ''}` });
      continue;
    }
    if (aclByName.has(name) || !desiredAcls.has(name)) doomedAcls.add(a.index);
    else aclByName.set(name, a.index);
  }
  const ownedAcl = (index: number) => ownedName(aclByIndex.get(index)?.tag ?? '') !== undefined;
  const aclRef = (name: string): number | IndexRef => aclByName.get(name) ?? { ref: 'acl', name };
  for (const d of desired.acls) {
    const index = aclByName.get(d.name);
    const have = index === undefined ? undefined : aclByIndex.get(index);
    if (have && sameRules(have.rules, d.rules)) continue;
    call(aclCreate, have ? 'update' : 'create', `acl/${d.name}`, have ? `replace rules (${d.rules.length})` : `create with ${d.rules.length} rule(s)`, 'acl_add_replace', { acl_index: index ?? NONE, tag: TAG_PREFIX + d.name, count: d.rules.length, r: d.rules }, have ? undefined : { ref: { ref: 'acl', name: d.name }, replyField: 'acl_index' });
  }

  // ACL lists: on interfaces kept or claimed, foreign ACLs stay first and ours follow in the
  // desired order; elsewhere our ACLs are taken off. Detach first what goes; set the rest last.
  const want = new Map<string, { input: (number | IndexRef)[]; output: (number | IndexRef)[] }>();
  for (const d of desired.acls) {
    for (const [dir, names] of [['input', d.ingress], ['output', d.egress]] as const) {
      for (const n of names) {
        const w = want.get(n) ?? { input: [], output: [] };
        w[dir].push(aclRef(d.name));
        want.set(n, w);
      }
    }
  }
  const listCall = (list: PlannedCall[], key: string, summary: string, swIfIndex: number | IndexRef, input: readonly (number | IndexRef)[], output: readonly (number | IndexRef)[]) =>
    call(list, typeof swIfIndex === 'number' ? 'update' : 'create', key, summary, 'acl_interface_set_acl_list', { sw_if_index: swIfIndex, count: input.length + output.length, n_input: input.length, acls: [...input, ...output] });
  const fmt = (l: readonly (number | IndexRef)[]) => `[${l.map((x) => (typeof x === 'number' ? aclLabel(aclByIndex, x) : x.name)).join(', ')}]`;
  const afterDetach = new Map(actual.aclLists);
  for (const [swIfIndex, cur] of actual.aclLists) {
    const i = ifByIndex.get(swIfIndex)!;
    const mine = keptIdx.has(swIfIndex);
    const keep = (l: readonly number[]) => l.filter((a) => !doomedAcls.has(a) && (mine || !ownedAcl(a)));
    const input = doomedIdx.has(swIfIndex) ? [] : keep(cur.input);
    const output = doomedIdx.has(swIfIndex) ? [] : keep(cur.output);
    if (input.length === cur.input.length && output.length === cur.output.length) continue;
    listCall(detach, keyOf(i), `detach ACLs: in ${fmt(input)} out ${fmt(output)}`, swIfIndex, input, output);
    afterDetach.set(swIfIndex, { input, output });
  }
  for (const d of desired.interfaces) {
    const k = kept.get(d.name);
    if (!k && d.type === 'physical') continue; // a conflict, reported above
    const cur = (k && afterDetach.get(k.swIfIndex)) ?? { input: [], output: [] };
    const w = want.get(d.name) ?? { input: [], output: [] };
    const foreignOf = (l: readonly number[]) => l.filter((a) => !ownedAcl(a));
    const input = [...foreignOf(cur.input), ...w.input];
    const output = [...foreignOf(cur.output), ...w.output];
    if (!k && input.length + output.length === 0) continue;
    if (k && sameList(cur.input, input) && sameList(cur.output, output)) continue;
    listCall(attach, `interface/${d.name}`, `set ACLs: in ${fmt(input)} out ${fmt(output)}`, ifRef(d.name), input, output);
  }
  for (const index of doomedAcls) call(remove, 'delete', `acl/${ownedName(aclByIndex.get(index)!.tag)}`, `delete (acl ${index})`, 'acl_del', { acl_index: index });

  // NAT44.
  const nat = actual.nat44;
  const dn = desired.nat44;
  const natManaged = dn !== undefined;
  const natOn = natManaged ? dn.enabled : nat.enabled;
  // Static mappings: owned ones not wanted as they are go; foreign ones in the way conflict.
  const wantedSm = new Map((dn?.staticMappings ?? []).map((m) => [m.name, m]));
  const haveSm = new Map<string, ActualStaticMapping>();
  let wantedExternals: Set<string> | undefined; // built at the first foreign mapping: most VPPs have none
  for (const m of nat.staticMappings) {
    const name = ownedName(m.tag);
    const w = name === undefined ? undefined : wantedSm.get(name);
    if (name !== undefined && w && !haveSm.has(name) && sameMapping(w, m)) {
      haveSm.set(name, m);
      continue;
    }
    if (name === undefined) {
      wantedExternals ??= new Set([...wantedSm.values()].map(externalKey));
      const blocks = wantedExternals.has(externalKey(m));
      const description = `static mapping ${m.externalIp}:${m.externalPort} → ${m.localIp}:${m.localPort}${m.tag ? ` "${m.tag}"` : ''}`;
      if (!blocks || !replace) {
        foreign.push({ kind: 'static-mapping', description, ...(blocks && { conflict: 'a desired static mapping has its external address and port' }) });
        continue;
      }
    }
    call(detach, 'delete', `nat44/static-mapping/${name ?? `${m.externalIp}:${m.externalPort}`}`, `delete ${m.externalIp}:${m.externalPort} → ${m.localIp}:${m.localPort}`, 'nat44_add_del_static_mapping', mappingRequest(false, m.flags & 0x0f, m.localIp, m.externalIp, m.protocol, m.localPort, m.externalPort, m.vrfId, m.tag));
  }
  // Roles on interfaces this reconciler manages: kept ones, and those going.
  const roleCalls = (list: PlannedCall[], add: boolean, key: string, swIfIndex: number | IndexRef, roles: { inside: boolean; outside: boolean; output: boolean }) => {
    const verb = add ? 'add' : 'remove';
    if (roles.output) call(list, add ? 'create' : 'delete', key, `${verb} output feature`, 'nat44_ed_add_del_output_interface', { is_add: add, sw_if_index: swIfIndex });
    if (roles.inside) call(list, add ? 'create' : 'delete', key, `${verb} inside`, 'nat44_interface_add_del_feature', { is_add: add, flags: NAT_FLAGS.inside, sw_if_index: swIfIndex });
    if (roles.outside) call(list, add ? 'create' : 'delete', key, `${verb} outside`, 'nat44_interface_add_del_feature', { is_add: add, flags: NAT_FLAGS.outside, sw_if_index: swIfIndex });
  };
  const noRoles = { inside: false, outside: false, output: false };
  if (nat.enabled) {
    for (const [swIfIndex, roles] of nat.interfaces) {
      const i = ifByIndex.get(swIfIndex);
      const name = keptIdx.get(swIfIndex);
      if (!i || (name === undefined && !doomedIdx.has(swIfIndex))) {
        foreign.push({ kind: 'nat44', description: `NAT roles of ${i?.vppName ?? `sw_if_index ${swIfIndex}`}` });
        continue;
      }
      const w = (name !== undefined && natOn && dn?.interfaces.get(name)) || noRoles;
      const off = { inside: roles.inside && !w.inside, outside: roles.outside && !w.outside, output: roles.output && !w.output };
      roleCalls(detach, false, name === undefined ? keyOf(i) : `nat44/interface/${name}`, swIfIndex, off);
    }
  }
  // The pool, when the desired state claims NAT44.
  const poolKey = (a: NormPoolAddress) => `${a.address}#${a.twiceNat}`;
  if (natManaged && nat.enabled) {
    const wantPool = new Map(dn.pool.map((a) => [poolKey(a), a]));
    for (const a of nat.pool) {
      const w = wantPool.get(poolKey(a));
      if (w && w.vrfId === a.vrfId) continue;
      call(detach, 'delete', `nat44/pool/${a.address}`, `remove ${a.twiceNat ? 'twice-NAT ' : ''}pool address ${a.address}`, 'nat44_add_del_address_range', poolRequest(false, a));
    }
  }
  if (natManaged && nat.enabled && !dn.enabled) {
    const leftovers = nat.staticMappings.filter((m) => ownedName(m.tag) === undefined).length + [...nat.interfaces.keys()].filter((s) => !keptIdx.has(s) && !doomedIdx.has(s)).length;
    if (leftovers && !replace) foreign.push({ kind: 'nat44', description: 'NAT44-ED', conflict: `disabling it would remove ${leftovers} foreign static mapping(s) or interface role(s)` });
    else call(remove, 'delete', 'nat44/global', 'disable NAT44-ED', 'nat44_ed_plugin_enable_disable', { enable: false, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
  }

  // Interfaces: delete what goes, create what is missing, then settle tags, MTU, addresses, admin state.
  for (const i of doomed) {
    const name = ownedName(i.tag)!;
    const kind = kindOf(i.vppName);
    if (kind === 'physical') {
      // A claimed NIC left out: released to how VPP starts it.
      if (i.ipAddresses.length) call(remove, 'delete', keyOf(i), `release ${i.vppName}: remove addresses`, 'sw_interface_add_del_address', { sw_if_index: i.swIfIndex, is_add: false, del_all: true, prefix: '0.0.0.0/0' });
      if (i.adminUp) call(remove, 'delete', keyOf(i), `release ${i.vppName}: admin down`, 'sw_interface_set_flags', { sw_if_index: i.swIfIndex, flags: 0 });
      call(remove, 'delete', keyOf(i), `release ${i.vppName}: remove tag`, 'sw_interface_tag_add_del', { is_add: false, sw_if_index: i.swIfIndex, tag: '' });
      continue;
    }
    const message = { loopback: 'delete_loopback', tap: 'tap_delete_v2', memif: 'memif_delete' }[kind];
    const why = desiredIf.has(name) ? ' (to recreate it as desired)' : '';
    call(remove, 'delete', `interface/${name}`, `delete ${i.vppName}${why}`, message, { sw_if_index: i.swIfIndex });
  }
  const sockets = new Map<string, number | IndexRef>([...actual.memifSockets].map(([id, path]) => [path, id]));
  for (const d of desired.interfaces) {
    const k = kept.get(d.name);
    const key = `interface/${d.name}`;
    const sw = ifRef(d.name);
    if (!k) {
      if (d.type === 'physical') continue; // a conflict
      const creates = { ref: { ref: 'interface', name: d.name } as IndexRef, replyField: 'sw_if_index' as const };
      if (d.type === 'loopback') call(create, 'create', key, 'create loopback', 'create_loopback', { mac_address: ZERO_MAC }, creates);
      if (d.type === 'tap') call(create, 'create', key, `create tap${d.tap!.hostIfName ? ` (host ${d.tap!.hostIfName})` : ''}`, 'tap_create_v3', tapRequest(d, TAG_PREFIX + d.name), creates);
      if (d.type === 'memif') {
        const m = d.memif!;
        let socket: number | IndexRef = 0;
        if (m.socketFilename !== undefined) {
          socket = sockets.get(m.socketFilename) ?? { ref: 'memif-socket', name: m.socketFilename };
          if (!sockets.has(m.socketFilename)) {
            call(create, 'create', `memif-socket/${m.socketFilename}`, `add memif socket ${m.socketFilename}`, 'memif_socket_filename_add_del_v2', { is_add: true, socket_id: NONE, socket_filename: m.socketFilename }, { ref: socket as IndexRef, replyField: 'socket_id' });
            sockets.set(m.socketFilename, socket);
          }
        }
        call(create, 'create', key, `create memif id ${m.id} (${m.master ? 'master' : 'slave'}, ${m.mode})`, 'memif_create', {
          role: m.master ? 0 : 1, mode: m.mode === 'ip' ? 1 : 0, rx_queues: 0, tx_queues: 0, id: m.id, socket_id: socket,
          ring_size: 0, buffer_size: 0, no_zero_copy: false, hw_addr: ZERO_MAC, secret: '',
        }, creates);
      }
    }
    if (d.type !== 'tap' && k?.tag !== TAG_PREFIX + d.name) call(create, k ? 'update' : 'create', key, `tag ${TAG_PREFIX}${d.name}`, 'sw_interface_tag_add_del', { is_add: true, sw_if_index: sw, tag: TAG_PREFIX + d.name });
    if (d.mtu !== undefined && k?.mtu !== d.mtu) call(settle, k ? 'update' : 'create', key, `mtu ${k ? `${k.mtu} → ` : ''}${d.mtu}`, 'sw_interface_set_mtu', { sw_if_index: sw, mtu: [d.mtu, 0, 0, 0] });
    const have = k?.ipAddresses ?? [];
    for (const a of have) if (!d.ipAddresses.includes(a)) call(addressDel, 'update', key, `remove address ${a}`, 'sw_interface_add_del_address', { sw_if_index: sw, is_add: false, del_all: false, prefix: a });
    for (const a of d.ipAddresses) if (!have.includes(a)) call(addressAdd, k ? 'update' : 'create', key, `add address ${a}`, 'sw_interface_add_del_address', { sw_if_index: sw, is_add: true, del_all: false, prefix: a });
    if ((k?.adminUp ?? false) !== d.enabled) call(settle, k ? 'update' : 'create', key, d.enabled ? 'admin up' : 'admin down', 'sw_interface_set_flags', { sw_if_index: sw, flags: d.enabled ? ADMIN_UP : 0 });
  }

  // NAT44 on: enable, then pool, roles and static mappings.
  const natCreate: PlannedCall[] = [];
  if (natManaged && dn.enabled && !nat.enabled) call(natCreate, 'create', 'nat44/global', 'enable NAT44-ED', 'nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
  if (natOn) {
    if (natManaged) {
      const havePool = new Map((nat.enabled ? nat.pool : []).map((a) => [poolKey(a), a]));
      for (const a of dn.pool) {
        const h = havePool.get(poolKey(a));
        if (h && h.vrfId === a.vrfId) continue;
        call(attach, 'create', `nat44/pool/${a.address}`, `add ${a.twiceNat ? 'twice-NAT ' : ''}pool address ${a.address}${a.vrfId === NONE ? '' : ` (vrf ${a.vrfId})`}`, 'nat44_add_del_address_range', poolRequest(true, a));
      }
    }
    for (const d of desired.interfaces) {
      const w = dn?.interfaces.get(d.name);
      if (!w) continue;
      const k = kept.get(d.name);
      if (!k && d.type === 'physical') continue;
      const h = (k && nat.enabled && nat.interfaces.get(k.swIfIndex)) || noRoles;
      roleCalls(attach, true, `nat44/interface/${d.name}`, ifRef(d.name), { inside: w.inside && !h.inside, outside: w.outside && !h.outside, output: w.output && !h.output });
    }
    for (const m of dn?.staticMappings ?? []) {
      if (haveSm.has(m.name)) continue;
      const flags = (m.twiceNat === 'enabled' ? NAT_FLAGS.twiceNat : 0) | (m.twiceNat === 'self' ? NAT_FLAGS.selfTwiceNat : 0) | (m.outToInOnly ? NAT_FLAGS.outToInOnly : 0) | (m.protocol === 0 ? NAT_FLAGS.addrOnly : 0);
      call(attach, 'create', `nat44/static-mapping/${m.name}`, `map ${m.externalIp}${m.externalPort ? `:${m.externalPort}` : ''} → ${m.localIp}${m.localPort ? `:${m.localPort}` : ''}${m.twiceNat !== 'disabled' ? ` (twice-NAT ${m.twiceNat})` : ''}`, 'nat44_add_del_static_mapping', mappingRequest(true, flags, m.localIp, m.externalIp, m.protocol, m.localPort, m.externalPort, m.vrfId, TAG_PREFIX + m.name));
    }
  }
  const calls = [...detach, ...remove, ...natCreate, ...create, ...addressDel, ...addressAdd, ...settle, ...aclCreate, ...attach];
  return { calls, foreign };
}

/** The VPP names of the NICs `desired` claims: their addresses are read too. */
export function physicalNames(desired: NormState): string[] {
  return desired.interfaces.filter((i) => i.type === 'physical').map((i) => i.name);
}

function aclLabel(aclByIndex: ReadonlyMap<number, ActualAcl>, index: number): string {
  const tag = aclByIndex.get(index)?.tag ?? '';
  return ownedName(tag) ?? `acl ${index}`;
}

function sameList(a: readonly (number | IndexRef)[], b: readonly (number | IndexRef)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameRules(a: readonly VppAclRule[], b: readonly VppAclRule[]): boolean {
  return a.length === b.length && a.every((r, i) => RULE_FIELDS.every((f) => r[f] === b[i]![f]));
}

/** Every field of `acl_rule` the reconciler sets: a rule is the same when all of them are. */
const RULE_FIELDS = ['is_permit', 'src_prefix', 'dst_prefix', 'proto', 'srcport_or_icmptype_first', 'srcport_or_icmptype_last', 'dstport_or_icmpcode_first', 'dstport_or_icmpcode_last', 'tcp_flags_mask', 'tcp_flags_value'] as const satisfies readonly (keyof VppAclRule)[];

/** Whether the creation parameters VPP reports for `i` are those `d` asks for (else it is recreated). */
function sameLink(d: NormInterface, i: ActualInterface, actual: ActualState): boolean {
  if (d.memif) {
    const m = i.memif;
    if (!m) return false;
    const socketOk = d.memif.socketFilename === undefined ? m.socketId === 0 : actual.memifSockets.get(m.socketId) === d.memif.socketFilename;
    return socketOk && m.id === d.memif.id && m.master === d.memif.master && m.mode === d.memif.mode;
  }
  if (d.tap) {
    const t = i.tap;
    if (!t) return false;
    return (d.tap.hostIfName === undefined || t.hostIfName === d.tap.hostIfName) && t.rxRingSize === d.tap.rxRingSize && t.txRingSize === d.tap.txRingSize;
  }
  return true;
}

function sameMapping(w: NormStaticMapping, m: ActualStaticMapping): boolean {
  const flags = (w.twiceNat === 'enabled' ? NAT_FLAGS.twiceNat : 0) | (w.twiceNat === 'self' ? NAT_FLAGS.selfTwiceNat : 0) | (w.outToInOnly ? NAT_FLAGS.outToInOnly : 0) | (w.protocol === 0 ? NAT_FLAGS.addrOnly : 0);
  return (m.flags & 0x0f) === flags && m.externalIp === w.externalIp && m.localIp === w.localIp && m.protocol === w.protocol && m.externalPort === w.externalPort && m.localPort === w.localPort && m.vrfId === w.vrfId && m.externalSwIfIndex === NONE;
}

function mappingRequest(isAdd: boolean, flags: number, localIp: string, externalIp: string, protocol: number, localPort: number, externalPort: number, vrfId: number, tag: string): PlannedFields {
  return { is_add: isAdd, flags, local_ip_address: localIp, external_ip_address: externalIp, protocol, local_port: localPort, external_port: externalPort, external_sw_if_index: NONE, vrf_id: vrfId, tag };
}

function poolRequest(isAdd: boolean, a: NormPoolAddress): PlannedFields {
  return { first_ip_address: a.address, last_ip_address: a.address, vrf_id: a.vrfId, is_add: isAdd, flags: a.twiceNat ? NAT_FLAGS.twiceNat : 0 };
}

function tapRequest(d: NormInterface, tag: string): PlannedFields {
  const t = d.tap!;
  return {
    id: NONE, use_random_mac: true, mac_address: ZERO_MAC, num_rx_queues: 1, num_tx_queues: 1, tx_ring_sz: t.txRingSize, rx_ring_sz: t.rxRingSize,
    host_mtu_set: false, host_mtu_size: 0, host_mac_addr_set: false, host_mac_addr: ZERO_MAC,
    host_ip4_prefix_set: false, host_ip4_prefix: '0.0.0.0/0', host_ip6_prefix_set: false, host_ip6_prefix: '::/0',
    host_ip4_gw_set: false, host_ip4_gw: '0.0.0.0', host_ip6_gw_set: false, host_ip6_gw: '::',
    tap_flags: 0, host_namespace_set: false, host_namespace: '', host_if_name_set: t.hostIfName !== undefined, host_if_name: t.hostIfName ?? '',
    host_bridge_set: false, host_bridge: '', tag,
  };
}
