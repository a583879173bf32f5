/**
 * The ACL plugin model: ACLs in a pool, their input and output lists per interface, and the
 * plugin's return codes (src/plugins/acl/acl.c in VPP 26.06).
 *
 * @module
 */
import type { AclAddReplace, AclDel, AclDump, AclInterfaceAddDel, AclInterfaceListDump, AclInterfaceSetAclList } from '../../gen/acl.js';
import type { AclRule } from '../../gen/acl_types.js';
import type { Messages } from '../../gen/index.js';
import type { VppSimulator } from '../simulator.js';
import { isValidPrefix, parsePrefix } from './addresses.js';
import { on } from './handle.js';
import type { InterfaceTable } from './interfaces.js';
import { Pool } from './pool.js';
import { NONE, RV } from './retvals.js';

/** One ACL: its tag and rules, as stored and dumped. */
export interface Acl {
  tag: string;
  rules: AclRule[];
}

/** Input and output ACLs applied to one interface, in applied order. */
export interface AppliedAcls {
  input: number[];
  output: number[];
}

/** The ACL plugin's state. */
export class AclState {
  /** ACLs by index (freed indices reused most recently freed first). */
  readonly acls = new Pool<Acl>();
  /** Applied lists by sw_if_index; an interface with none has no entry. */
  readonly applied = new Map<number, AppliedAcls>();

  /** Interface deletion resets its lists (`acl_sw_interface_add_del`). */
  constructor(interfaces: InterfaceTable) {
    interfaces.onDelete((swIfIndex) => this.applied.delete(swIfIndex));
  }

  /** The lists of `swIfIndex`, empty ones if it has none. */
  lists(swIfIndex: number): AppliedAcls {
    return this.applied.get(swIfIndex) ?? { input: [], output: [] };
  }

  /** Where `acl` is applied: input first, as `acl_del` checks. */
  usage(acl: number): 'input' | 'output' | undefined {
    const lists = [...this.applied.values()];
    if (lists.some((l) => l.input.includes(acl))) return 'input';
    if (lists.some((l) => l.output.includes(acl))) return 'output';
    return undefined;
  }
}

/**
 * `acl_add_list`'s rule checks: src prefix → -57, dst prefix → -58 (bad family, length or host
 * bits), families differ → -57, a port range with first > last → -8.
 */
function checkRule(r: AclRule): number {
  const src = parsePrefix(r.src_prefix);
  const dst = parsePrefix(r.dst_prefix);
  if (!src || !isValidPrefix(src)) return RV.INVALID_SRC_ADDRESS;
  if (!dst || !isValidPrefix(dst)) return RV.INVALID_DST_ADDRESS;
  if (src.af !== dst.af) return RV.INVALID_SRC_ADDRESS;
  if (r.srcport_or_icmptype_first > r.srcport_or_icmptype_last || r.dstport_or_icmpcode_first > r.dstport_or_icmpcode_last) return RV.INVALID_VALUE_2;
  return RV.OK;
}

/** Duplicates within one list: `acl_interface_set_inout_acl_list` refuses them. */
function hasDuplicate(list: readonly number[]): boolean {
  return new Set(list).size !== list.length;
}

/** Installs the ACL plugin's handlers on `sim`. */
export function installAcl(sim: VppSimulator<Messages>, acl: AclState, interfaces: InterfaceTable): void {
  sim.handle('acl_plugin_get_version', () => ({ major: 1, minor: 4 }));
  sim.handle('acl_plugin_control_ping', () => ({ vpe_pid: sim.pid }));

  on<AclAddReplace>(sim, 'acl_add_replace', (req) => {
    const fail = (retval: number) => ({ retval, acl_index: req.acl_index });
    for (const r of req.r) {
      const rv = checkRule(r);
      if (rv !== RV.OK) return fail(rv);
    }
    const rules = req.r.map((r) => ({ ...r }));
    if (req.acl_index === NONE) return { acl_index: acl.acls.add({ tag: req.tag, rules }) };
    const existing = acl.acls.get(req.acl_index);
    if (!existing) return fail(RV.NO_SUCH_ENTRY);
    // Replaced in place, even while applied: the interfaces use the new rules.
    existing.tag = req.tag;
    existing.rules = rules;
    return { acl_index: req.acl_index };
  });

  on<AclDel>(sim, 'acl_del', (req) => {
    if (!acl.acls.has(req.acl_index)) return RV.NO_SUCH_ENTRY;
    const used = acl.usage(req.acl_index);
    if (used) return used === 'input' ? RV.ACL_IN_USE_INBOUND : RV.ACL_IN_USE_OUTBOUND;
    acl.acls.remove(req.acl_index);
    return RV.OK;
  });

  on<AclDump>(sim, 'acl_dump', (req) => {
    // No default in the .api: ~0 is "all"; a missing index sends nothing.
    const rows = req.acl_index === NONE ? [...acl.acls.entries()] : acl.acls.has(req.acl_index) ? [[req.acl_index, acl.acls.get(req.acl_index)!] as const] : [];
    return rows.map(([acl_index, a]) => ({ acl_index, tag: a.tag, r: a.rules }));
  });

  on<AclInterfaceSetAclList>(sim, 'acl_interface_set_acl_list', (req) => {
    if (!interfaces.isValid(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    if (req.acls.some((a) => !acl.acls.has(a))) return RV.NO_SUCH_ENTRY;
    const input = req.acls.slice(0, req.n_input);
    const output = req.acls.slice(req.n_input);
    const lists = acl.lists(req.sw_if_index);
    // Quirk: the handler sets the output list first and joins the two results with `||`, so a
    // duplicate (-116 inside) answers rv 1, with the output list already set if only input had one.
    if (hasDuplicate(output)) return 1;
    lists.output = output;
    acl.applied.set(req.sw_if_index, lists);
    if (hasDuplicate(input)) return 1;
    lists.input = input;
    return RV.OK;
  });

  on<AclInterfaceAddDel>(sim, 'acl_interface_add_del', (req) => {
    if (!interfaces.isValid(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    const lists = acl.lists(req.sw_if_index);
    const list = req.is_input ? lists.input : lists.output;
    const at = list.indexOf(req.acl_index);
    if (req.is_add) {
      if (at >= 0) return req.is_input ? RV.ACL_IN_USE_INBOUND : RV.ACL_IN_USE_OUTBOUND;
      if (!acl.acls.has(req.acl_index)) return RV.NO_SUCH_ENTRY;
      list.push(req.acl_index);
      acl.applied.set(req.sw_if_index, lists);
      return RV.OK;
    }
    if (at < 0) return RV.NO_SUCH_ENTRY;
    list.splice(at, 1);
    return RV.OK;
  });

  on<AclInterfaceListDump>(sim, 'acl_interface_list_dump', (req) => {
    // ~0: every interface in the pool, those with no ACLs too; else that one if allocated.
    const all = interfaces.list().map((i) => i.swIfIndex);
    const which = req.sw_if_index === NONE ? all : all.filter((i) => i === req.sw_if_index);
    return which.map((sw_if_index) => {
      const { input, output } = acl.lists(sw_if_index);
      return { sw_if_index, n_input: input.length, acls: [...input, ...output] };
    });
  });
}
