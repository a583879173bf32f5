/**
 * Applying a change against the state the previous apply left, kept in memory, instead of reading
 * VPP's whole state each time (what vpp-agent's KV scheduler does). The objects that changed, and
 * the ones tied to them (an interface's ACLs, each such ACL's interfaces, NAT roles), are planned
 * by the one planner ({@link planFrom}) on that part of the desired and the kept state; after the
 * calls, the kept state takes what they set (indexes from the replies), and the interfaces they
 * touched are read back one by one. Without a kept state, or when NAT44 is switched on or off or a
 * NIC is claimed, released or changed, it reads everything and plans everything, as `apply` does.
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import { type ActualAcl, type ActualInterface, type ActualState, type ActualStaticMapping, NAT_FLAGS, ownedName, readActual, readInterfaces, readNat44 } from './actual.js';
import { type Executed, execute, refuseConflicts, serialised } from './apply.js';
import { ApplyError } from './errors.js';
import type { DesiredState } from './model.js';
import type { ApplyOptions, ApplyResult, Plan } from './plan-types.js';
import { physicalNames, planFrom } from './plan.js';
import { type NormPoolAddress, type NormState, TAG_PREFIX, externalKey, normalise } from './validate.js';
import { U32_NONE } from '../schema/model.js';


/** VPP's state as the last successful apply left it, by index; updated in place by the next. */
export interface KeptActual {
  readonly interfaces: Map<number, ActualInterface>;
  readonly acls: Map<number, ActualAcl>;
  readonly aclLists: Map<number, { readonly input: readonly number[]; readonly output: readonly number[] }>;
  memifSockets: ReadonlyMap<number, string>;
  nat44: { enabled: boolean; interfaces: Map<number, NatRoles>; pool: NormPoolAddress[]; staticMappings: Map<string, ActualStaticMapping> };
}

/** An interface's NAT44 roles. */
export interface NatRoles {
  inside: boolean;
  outside: boolean;
  output: boolean;
}

/** What an apply that succeeded left: pass it to the next {@link applyChange}. */
export interface Applied {
  /** The desired state applied, in canonical form. */
  readonly desired: NormState;
  readonly actual: KeptActual;
}

/** What {@link applyChange} did. */
export interface ChangeApplied {
  readonly result: ApplyResult;
  /** `full`: read VPP's whole state and planned everything; `incremental`: planned the changed objects against the kept state. */
  readonly mode: 'full' | 'incremental';
  /** The state to pass next time: undefined after a failure or an abort, so that the next apply is full. */
  readonly applied: Applied | undefined;
  /** ms spent waiting for VPP's replies (reads and calls): VPP's own time, the round trips and the client's encoding and decoding of them. */
  readonly waitMs: number;
}

/**
 * Makes VPP hold `desired`, as `apply` does, but plans only what changed since `previous` (the
 * `applied` of the last call) against the state it kept, with no dumps. Without `previous`
 * it reads and plans everything. Serialised with `apply` on the same client.
 *
 * `previous` is used up: its kept state is updated in place. It assumes that nothing else changed
 * the owned objects in VPP since; run a full one (no `previous`) now and then to repair drift,
 * and after this throws (an invalid desired state, a conflict, a lost connection).
 */
export function applyChange(client: Client<Messages>, desired: DesiredState, previous: Applied | undefined, options: Pick<ApplyOptions, 'foreign' | 'signal'> = {}): Promise<ChangeApplied> {
  return serialised(client, async () => {
    const norm = normalise(desired);
    const scope = previous && scopeOf(previous, norm);
    let waitMs = 0;
    let kept: KeptActual;
    let plan: Plan;
    if (previous && scope) {
      kept = previous.actual;
      plan = planFrom(restrictDesired(norm, scope), restrictActual(kept, norm, scope), options);
    } else {
      const t0 = performance.now();
      const before = await readActual(client, physicalNames(norm));
      waitMs += performance.now() - t0;
      kept = keep(before);
      plan = planFrom(norm, before, options);
    }
    refuseConflicts(plan);
    const executed = await execute(client, plan, options.signal);
    const mode = scope ? 'incremental' : 'full';
    waitMs += executed.waitMs;
    if (!executed.result.ok) return { result: executed.result, mode, applied: undefined, waitMs };
    const t1 = performance.now();
    await update(client, kept, executed.sent, physicalNames(norm));
    waitMs += performance.now() - t1;
    return { result: executed.result, mode, applied: { desired: norm, actual: kept }, waitMs };
  });
}

/** The names of the objects to plan. */
interface Scope {
  readonly interfaces: Set<string>;
  readonly acls: Set<string>;
  readonly mappings: Set<string>;
}

/** What to plan to go from `previous` to `next`, or undefined when only a full plan will do. */
function scopeOf(previous: Applied, next: NormState): Scope | undefined {
  const prev = previous.desired;
  // NAT44 switched on or off changes every NAT object at once (and disabling checks foreign ones).
  if ((prev.nat44 === undefined) !== (next.nat44 === undefined) || prev.nat44?.enabled !== next.nat44?.enabled) return undefined;
  const interfaces = changed(prev.interfaces, next.interfaces, sameJson);
  const acls = changed(prev.acls, next.acls, sameAcl);
  const mappings = changed(prev.nat44?.staticMappings ?? [], next.nat44?.staticMappings ?? [], sameJson);
  const prevRoles = prev.nat44?.interfaces ?? new Map<string, NatRoles>();
  const nextRoles = next.nat44?.interfaces ?? new Map<string, NatRoles>();
  for (const name of new Set([...prevRoles.keys(), ...nextRoles.keys()])) if (!sameJson(prevRoles.get(name), nextRoles.get(name))) interfaces.add(name);
  // Only claimed NICs have their addresses read: a NIC claimed, released or changed is left to a full read.
  const nics = new Set([...physicalNames(prev), ...physicalNames(next)]);
  if ([...interfaces].some((n) => nics.has(n))) return undefined;

  // Close over attachments: an interface's ACLs (desired and in VPP), and each such ACL's interfaces.
  const kept = previous.actual;
  const aclsOn = new Map<string, string[]>();
  const nextAcl = new Map(next.acls.map((a) => [a.name, a]));
  const add = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const l = map.get(key);
    if (l) l.push(value);
    else map.set(key, [value]);
  };
  for (const a of next.acls) for (const n of [...a.ingress, ...a.egress]) add(aclsOn, n, a.name);
  const ifsNamed = new Map<string, ActualInterface[]>();
  for (const i of kept.interfaces.values()) {
    const name = ownedName(i.tag);
    if (name !== undefined) add(ifsNamed, name, i);
  }
  const aclsNamed = new Map<string, ActualAcl[]>();
  for (const a of kept.acls.values()) {
    const name = ownedName(a.tag);
    if (name !== undefined) add(aclsNamed, name, a);
  }
  const holders = new Map<number, number[]>(); // acl_index → the sw_if_indexes whose lists have it
  for (const [sw, l] of kept.aclLists) for (const a of [...l.input, ...l.output]) add(holders, a, sw);
  const ifQueue = [...interfaces];
  const aclQueue = [...acls];
  const addIf = (n: string) => !interfaces.has(n) && (interfaces.add(n), ifQueue.push(n));
  const addAcl = (n: string) => !acls.has(n) && (acls.add(n), aclQueue.push(n));
  while (ifQueue.length + aclQueue.length > 0) {
    for (let n = ifQueue.pop(); n !== undefined; n = ifQueue.pop()) {
      for (const a of aclsOn.get(n) ?? []) addAcl(a);
      for (const i of ifsNamed.get(n) ?? []) {
        const l = kept.aclLists.get(i.swIfIndex);
        for (const index of l ? [...l.input, ...l.output] : []) {
          const name = ownedName(kept.acls.get(index)?.tag ?? '');
          if (name !== undefined) addAcl(name);
        }
      }
    }
    for (let n = aclQueue.pop(); n !== undefined; n = aclQueue.pop()) {
      const d = nextAcl.get(n);
      for (const i of d ? [...d.ingress, ...d.egress] : []) addIf(i);
      for (const a of aclsNamed.get(n) ?? []) {
        for (const sw of holders.get(a.index) ?? []) {
          const name = ownedName(kept.interfaces.get(sw)?.tag ?? '');
          // Only ours: a full reconcile takes our ACLs off other interfaces, and changes keep it so.
          if (name !== undefined) addIf(name);
        }
      }
    }
  }
  return { interfaces, acls, mappings };
}

/** The names whose object differs between `prev` and `next`, or is in one only. */
function changed<T extends { readonly name: string }>(prev: readonly T[], next: readonly T[], same: (a: T, b: T) => boolean): Set<string> {
  const out = new Set<string>();
  // The agent's keys come sorted, so an unchanged list is the same names in the same places: no map needed.
  if (prev.length === next.length && prev.every((p, i) => p.name === next[i]!.name)) {
    prev.forEach((p, i) => p === next[i] || same(p, next[i]!) || out.add(p.name));
    return out;
  }
  const before = new Map(prev.map((o) => [o.name, o]));
  for (const o of next) {
    const b = before.get(o.name);
    if (b === undefined || !same(b, o)) out.add(o.name);
    before.delete(o.name);
  }
  for (const name of before.keys()) out.add(name);
  return out;
}

/** Canonical forms compare as JSON (the same object when its spec was unchanged, which is quick). */
function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameAcl(a: NormState['acls'][number], b: NormState['acls'][number]): boolean {
  return a.rules.length === b.rules.length && a.rules.every((r, i) => sameJson(r, b.rules[i])) && sameJson(a.ingress, b.ingress) && sameJson(a.egress, b.egress);
}

/** The part of the desired state the scope names (NAT44's global state and pool whole). */
function restrictDesired(next: NormState, scope: Scope): NormState {
  const n = next.nat44;
  return {
    interfaces: next.interfaces.filter((i) => scope.interfaces.has(i.name)),
    acls: next.acls.filter((a) => scope.acls.has(a.name)),
    nat44: n && { ...n, interfaces: new Map([...n.interfaces].filter(([name]) => scope.interfaces.has(name))), staticMappings: n.staticMappings.filter((m) => scope.mappings.has(m.name)) },
  };
}

/**
 * The part of the kept state the scope names: its owned interfaces, ACLs and static mappings, the
 * ACLs in those interfaces' lists (foreign ones too, which stay first), unowned static mappings on
 * a wanted external address (conflicts), and NAT44's global state and pool.
 */
function restrictActual(kept: KeptActual, next: NormState, scope: Scope): ActualState {
  // By tag, without cutting a name out of each of 10,000 tags.
  const tags = (names: Set<string>) => new Set([...names].map((n) => TAG_PREFIX + n));
  const ifTags = tags(scope.interfaces);
  const aclTags = tags(scope.acls);
  const mappingTags = tags(scope.mappings);
  const interfaces = [...kept.interfaces.values()].filter((i) => ifTags.has(i.tag));
  const indexes = new Set(interfaces.map((i) => i.swIfIndex));
  const aclLists = new Map([...indexes].flatMap((sw) => (kept.aclLists.has(sw) ? [[sw, kept.aclLists.get(sw)!] as const] : [])));
  const listed = new Set([...aclLists.values()].flatMap((l) => [...l.input, ...l.output]));
  const wanted = new Set((next.nat44?.staticMappings ?? []).filter((m) => scope.mappings.has(m.name)).map(externalKey));
  const nat = kept.nat44;
  return {
    interfaces,
    acls: [...kept.acls.values()].filter((a) => listed.has(a.index) || aclTags.has(a.tag)),
    aclLists,
    memifSockets: kept.memifSockets,
    nat44: {
      enabled: nat.enabled,
      interfaces: new Map([...nat.interfaces].filter(([sw]) => indexes.has(sw))),
      pool: nat.pool,
      staticMappings: [...nat.staticMappings.values()].filter((m) => mappingTags.has(m.tag) || (!m.tag.startsWith(TAG_PREFIX) && wanted.has(externalKey(m)))),
    },
  };
}

/** A static mapping's identity (what VPP tells mappings apart by). */
function mappingKey(m: ActualStaticMapping): string {
  return `${m.externalIp}:${m.externalPort}/${m.protocol}>${m.localIp}:${m.localPort}@${m.vrfId}`;
}

function keepNat(nat: ActualState['nat44']): KeptActual['nat44'] {
  return {
    enabled: nat.enabled,
    interfaces: new Map([...nat.interfaces].map(([sw, r]) => [sw, { ...r }])),
    pool: [...nat.pool],
    staticMappings: new Map(nat.staticMappings.map((m) => [mappingKey(m), m])),
  };
}

function keep(actual: ActualState): KeptActual {
  return {
    interfaces: new Map(actual.interfaces.map((i) => [i.swIfIndex, i])),
    acls: new Map(actual.acls.map((a) => [a.index, a])),
    aclLists: new Map(actual.aclLists),
    memifSockets: actual.memifSockets,
    nat44: keepNat(actual.nat44),
  };
}

/**
 * Brings `kept` to what the calls done made of it: ACLs, ACL lists, NAT roles, pool and static
 * mappings from the requests (and the indexes replies gave); the interfaces touched (created,
 * changed or deleted) read back one by one; NAT44 read whole after it was switched on or off.
 */
async function update(client: Client<Messages>, kept: KeptActual, sent: Executed['sent'], claimed: readonly string[]): Promise<void> {
  const reread = new Set<number>();
  let sockets = false;
  let natSwitched = false;
  const nat = kept.nat44;
  const setRole = (sw: number, role: keyof NatRoles, on: boolean) => {
    const r = { ...(nat.interfaces.get(sw) ?? { inside: false, outside: false, output: false }), [role]: on };
    if (r.inside || r.outside || r.output) nat.interfaces.set(sw, r);
    else nat.interfaces.delete(sw);
  };
  for (const { call, request, reply } of sent) {
    // The planner's own requests, with the fields and types it wrote.
    const r = request as { readonly [field: string]: any };
    switch (call.message) {
      case 'create_loopback':
      case 'tap_create_v3':
      case 'memif_create':
        reread.add(reply.sw_if_index as number);
        break;
      case 'delete_loopback':
      case 'tap_delete_v2':
      case 'memif_delete':
      case 'sw_interface_tag_add_del':
      case 'sw_interface_set_mtu':
      case 'sw_interface_add_del_address':
      case 'sw_interface_set_flags':
        reread.add(r.sw_if_index);
        break;
      case 'memif_socket_filename_add_del_v2':
        sockets = true;
        break;
      case 'acl_add_replace': {
        const index = r.acl_index === U32_NONE ? (reply.acl_index as number) : (r.acl_index as number);
        kept.acls.set(index, { index, tag: r.tag, rules: r.r });
        break;
      }
      case 'acl_del':
        kept.acls.delete(r.acl_index);
        break;
      case 'acl_interface_set_acl_list': {
        const acls = r.acls as number[];
        if (acls.length > 0) kept.aclLists.set(r.sw_if_index, { input: acls.slice(0, r.n_input), output: acls.slice(r.n_input) });
        else kept.aclLists.delete(r.sw_if_index);
        break;
      }
      case 'nat44_ed_plugin_enable_disable':
        natSwitched = true;
        break;
      case 'nat44_add_del_address_range': {
        const a = { address: r.first_ip_address as string, vrfId: r.vrf_id as number, twiceNat: ((r.flags as number) & NAT_FLAGS.twiceNat) !== 0 };
        nat.pool = nat.pool.filter((p) => p.address !== a.address || p.twiceNat !== a.twiceNat);
        if (r.is_add) nat.pool.push(a);
        break;
      }
      case 'nat44_interface_add_del_feature':
        setRole(r.sw_if_index, (r.flags as number) & NAT_FLAGS.inside ? 'inside' : 'outside', r.is_add);
        break;
      case 'nat44_ed_add_del_output_interface':
        setRole(r.sw_if_index, 'output', r.is_add);
        break;
      case 'nat44_add_del_static_mapping': {
        const m: ActualStaticMapping = { flags: r.flags, localIp: r.local_ip_address, externalIp: r.external_ip_address, protocol: r.protocol, localPort: r.local_port, externalPort: r.external_port, externalSwIfIndex: r.external_sw_if_index, vrfId: r.vrf_id, tag: r.tag };
        if (r.is_add) nat.staticMappings.set(mappingKey(m), m);
        else nat.staticMappings.delete(mappingKey(m));
        break;
      }
      default:
        // Fail closed: a call this does not know would leave the kept state wrong.
        throw new ApplyError(`the kept state has no rule for ${call.message}; the next apply must read VPP's state`);
    }
  }
  if (natSwitched) kept.nat44 = keepNat(await readNat44(client));
  if (reread.size === 0 && !sockets) return;
  const read = await readInterfaces(client, reread, claimed);
  kept.memifSockets = read.memifSockets;
  for (const i of read.interfaces) kept.interfaces.set(i.swIfIndex, i);
  const found = new Set(read.interfaces.map((i) => i.swIfIndex));
  for (const sw of reread) {
    if (found.has(sw)) continue;
    // Deleted: VPP dropped its ACL list and NAT roles with it.
    kept.interfaces.delete(sw);
    kept.aclLists.delete(sw);
    kept.nat44.interfaces.delete(sw);
  }
}
