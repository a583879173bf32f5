/**
 * Everything the differential run forgives, in one place: the normalisation rules (what
 * legitimately differs between the model and a real VPP, or between two runs) and the known
 * differences (where the model is knowingly not VPP; each is asserted to still occur).
 */

/** Interfaces and ACLs a scenario created, by handle name. */
export interface Handles {
  readonly interfaces: Map<string, number>;
  readonly acls: Map<string, number>;
  /** Loopbacks made without an instance, which take the lowest free one. */
  readonly anyInstance: Set<string>;
}

const NONE = 0xffffffff;
/** Fields that hold a sw_if_index. */
const INTERFACE_FIELDS = new Set(['sw_if_index', 'sup_sw_if_index', 'external_sw_if_index']);
/** Fields the rules `client-index`, `vpe-pid`, `build` and `context` drop. */
const DROPPED_FIELDS = new Set(['client_index', 'vpe_pid', 'build_date', 'build_directory', '_vl_msg_id', 'context']);
/** Fields that hold ACL indexes. */
const ACL_FIELDS = new Set(['acl_index', 'acls']);

/** A normalisation rule: its name and why it is legitimate. */
interface Rule {
  readonly name: string;
  readonly why: string;
}

/** The normalisation rules, all applied by {@link normalise} and {@link inPoolOrder}. */
export const RULES: readonly Rule[] = [
  { name: 'interface-index', why: 'sw_if_index is allocated by each VPP; the model has its own NIC and a real VPP may have other interfaces: indexes of interfaces the scenario created become their handle, others "other" (local0 stays 0, ~0 and deliberately invalid ones (>= 1e6) stay)' },
  { name: 'acl-index', why: 'ACL indexes depend on the ACLs that already exist: those the scenario created become their handle' },
  { name: 'any-instance-name', why: 'a loopback created without an instance takes the lowest free one, so its name (loopN) and its MAC (de:ad:00:00:00:NN) depend on what else exists' },
  { name: 'other-interfaces', why: 'rows about interfaces the scenario did not create are dropped from lists: each VPP has its own (the model a NIC, a development VPP whatever it runs)' },
  { name: 'pool-order', why: 'dumps that walk interfaces or ACLs go in index order, which follows each VPP\'s free-list history: their rows are sorted by handle' },
  { name: 'client-index', why: 'an event names its subscriber by client_index, which each VPP hands out in connection order' },
  { name: 'vpe-pid', why: 'vpe_pid is the process id of that VPP' },
  { name: 'build', why: 'show_version\'s build_date and build_directory say when and where that VPP binary was built' },
  { name: 'context', why: 'client bookkeeping: _vl_msg_id and context are not part of the answer' },
];

/** Rewrites `value` (a step record) by {@link RULES}, with `handles` of the side that made it. */
export function normalise(value: unknown, handles: Handles): unknown {
  const ifNames = new Map<number, string>();
  for (const [h, v] of handles.interfaces) ifNames.set(v, `if:${h}`);
  const aclNames = new Map<number, string>();
  for (const [h, v] of handles.acls) aclNames.set(v, `acl:${h}`);
  const anyInstance = new Set([...handles.anyInstance].map((h) => handles.interfaces.get(h)));

  const ifIndex = (v: number) => ifNames.get(v) ?? (v === 0 || v === NONE || v >= 1_000_000 ? v : 'other');
  const aclIndex = (v: number) => aclNames.get(v) ?? (v === NONE || v >= 1_000_000 ? v : 'other');
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk).filter((x) => (x as { sw_if_index?: unknown } | null)?.sw_if_index !== 'other');
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      if (DROPPED_FIELDS.has(k)) continue;
      if (INTERFACE_FIELDS.has(k) && typeof x === 'number') out[k] = ifIndex(x);
      else if (ACL_FIELDS.has(k) && typeof x === 'number') out[k] = aclIndex(x);
      else if (ACL_FIELDS.has(k) && Array.isArray(x)) out[k] = x.map((a) => (typeof a === 'number' ? aclIndex(a) : walk(a)));
      else out[k] = walk(x);
    }
    if (typeof o.sw_if_index === 'number' && anyInstance.has(o.sw_if_index) && 'interface_name' in o) {
      out.interface_name = 'loop<any>';
      out.l2_address = 'de:ad:00:00:00:<any>';
    }
    return out;
  };
  return walk(value);
}

/** Dumps (and the runner's tables) that walk a pool, and the field they walk it by: the `pool-order` rule. */
const POOL_WALKS: Record<string, string> = {
  sw_interface_dump: 'sw_if_index',
  acl_interface_list_dump: 'sw_if_index',
  acl_dump: 'acl_index',
  interfaces: 'sw_if_index',
  acl_interfaces: 'sw_if_index',
  acls: 'acl_index',
};

/** The `pool-order` rule: rows of `dump` (a message or table name), if it walks a pool, sorted by their normalised index. */
export function inPoolOrder(dump: string, rows: unknown): unknown {
  const field = POOL_WALKS[dump];
  if (!field || !Array.isArray(rows)) return rows;
  const key = (r: unknown) => String((r as Record<string, unknown>)[field]);
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A difference the model keeps on purpose, asserted to still show in the run. */
export interface KnownDifference {
  readonly scenario: string;
  /** The step's label. */
  readonly step: string;
  /** Where in the step's record it differs: path prefixes, as `differences` writes them. */
  readonly fields: readonly string[];
  readonly why: string;
}

/** The known differences between the model and VPP 26.06. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    scenario: "NAT44-ED static mapping bound to an interface's address",
    step: 'bound to A',
    fields: ['.reply.retval', '.tables.nat_static'],
    why: 'the model leaves out static mappings that follow an interface\'s address (external_sw_if_index): it answers -9 UNIMPLEMENTED and stores nothing, where VPP stores the mapping',
  },
];
