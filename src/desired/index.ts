/**
 * `vppkit/desired`: declarative configuration. Describe what a VPP should hold (interfaces, ACLs
 * with their attachments, NAT44-ED), keyed by your names; {@link plan} reads VPP's actual state
 * with dumps and lists the calls that make it so, in dependency order; {@link apply} runs them.
 *
 * ```ts
 * import { connect } from 'vppkit';
 * import { apply, formatPlan, plan } from 'vppkit/desired';
 *
 * const client = await connect();
 * const desired = { interfaces: [{ name: 'lo-test', type: 'loopback', enabled: true, ipAddresses: ['10.9.0.1/24'] }] } as const;
 * console.log(formatPlan(await plan(client, desired)));
 * const result = await apply(client, desired);       // result.ok; outcomes per call
 * ```
 *
 * The reconciler owns what it tagged (`vppkit:<name>` on interfaces, ACLs and static mappings),
 * so its map from names to VPP's indexes survives a restart; other objects are reported as
 * foreign and left alone.
 *
 * @module vppkit/desired
 */
export type * from './model.js';
export type * from './plan-types.js';
export { ApplyError, DesiredStateError } from './errors.js';
export type { DesiredStateIssue } from './errors.js';
export { MAX_ACL_RULES, MAX_NAME_BYTES, TAG_PREFIX, normalise } from './validate.js';
export type { NormAcl, NormInterface, NormNat44, NormPoolAddress, NormState, NormStaticMapping, VppAclRule } from './validate.js';
export { plan } from './plan.js';
export { apply } from './apply.js';
export { applyChange } from './incremental.js';
export type { Applied, ChangeApplied, KeptActual, NatRoles } from './incremental.js';
export { formatPlan, formatApplyResult } from './format.js';
export { readActual } from './actual.js';
export type { ActualAcl, ActualInterface, ActualState, ActualStaticMapping } from './actual.js';
