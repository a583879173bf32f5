/**
 * What `plan` returns and `apply` reports: calls with symbolic references to objects that may not
 * exist yet, the objects they concern, and the outcome of each.
 *
 * @module
 */

/**
 * The object a call concerns, as a key the caller can map back to its input:
 * `interface/<name>`, `acl/<name>`, `nat44/global`, `nat44/interface/<name>`,
 * `nat44/pool/<address>`, `nat44/static-mapping/<name>`, and `memif-socket/<path>` for a memif
 * socket a memif of the desired state needs.
 */
export type ObjectKey = string;

/**
 * A VPP index not known when planning, because an earlier call of the plan creates its object:
 * the sw_if_index of the interface or the acl_index of the ACL called `name` in the desired
 * state, or the socket_id of the memif socket whose path is `name`. `apply` replaces it with the
 * index from that call's reply.
 */
export interface IndexRef {
  readonly ref: 'interface' | 'acl' | 'memif-socket';
  readonly name: string;
}

/** A request's fields; any value may be an {@link IndexRef}, also inside arrays. */
export type PlannedFields = Readonly<Record<string, unknown>>;

/** One API call of a plan. */
export interface PlannedCall {
  /** What it does to its object, for the printout: `+` create, `~` change, `-` delete. */
  readonly action: 'create' | 'update' | 'delete';
  /** The object it concerns. */
  readonly key: ObjectKey;
  /** One line for people: `create loopback`, `add address 10.1.1.1/24`. */
  readonly summary: string;
  /** VPP's message name. */
  readonly message: string;
  /** The request; references resolved by `apply`. */
  readonly request: PlannedFields;
  /** When the call creates the object its reply names: which reference it fills and from which reply field. */
  readonly creates?: { readonly ref: IndexRef; readonly replyField: 'sw_if_index' | 'acl_index' | 'socket_id' };
}

/** An object in VPP that the reconciler does not own (no tag of its own), and why it matters. */
export interface ForeignObject {
  readonly kind: 'interface' | 'acl' | 'static-mapping' | 'nat44';
  /** VPP's name for it: the interface name, `acl <index>`, the mapping's external side. */
  readonly description: string;
  /** Set when the desired state conflicts with it (the plan leaves it as is unless `foreign: 'replace'`). */
  readonly conflict?: string;
}

/** The calls that turn VPP's actual state into the desired one, in order. */
export interface Plan {
  /** In execution order: empty when VPP already matches. */
  readonly calls: readonly PlannedCall[];
  /** Objects found in VPP that the reconciler does not own. */
  readonly foreign: readonly ForeignObject[];
}

/** Options of `plan` and `apply`. */
export interface PlanOptions {
  /**
   * What to do with foreign objects the desired state conflicts with (an untagged ACL on a
   * managed interface, an untagged static mapping on a wanted external address, …):
   * `report` (default) leaves them and lists the conflict; `replace` deletes or overwrites them.
   */
  readonly foreign?: 'report' | 'replace';
}

/** Options of `apply`. */
export interface ApplyOptions extends PlanOptions {
  /** After a failure, undo what was done (by planning back to the state read before). Default false. */
  readonly rollback?: boolean;
  /** Aborts between calls; what was not attempted is reported so. */
  readonly signal?: AbortSignal;
}

/** The outcome of one call of an apply. */
export type CallOutcome =
  | { readonly call: PlannedCall; readonly status: 'done' }
  | { readonly call: PlannedCall; readonly status: 'failed'; readonly error: Error }
  | { readonly call: PlannedCall; readonly status: 'not-attempted' };

/** What `apply` did. */
export interface ApplyResult {
  /** True when every call succeeded. */
  readonly ok: boolean;
  /** Each planned call in order: done, failed (at most one; VPP's error), or not attempted. */
  readonly outcomes: readonly CallOutcome[];
  /** The failed call's error, if any. */
  readonly error?: Error;
  /** With `rollback` after a failure: the calls that undid what was done. */
  readonly rollback?: ApplyResult;
  /** Foreign objects, as the plan listed them. */
  readonly foreign: readonly ForeignObject[];
}
