/**
 * `plan`: the calls that turn VPP's actual state into the desired one, in dependency order.
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import type { DesiredState } from './model.js';
import type { Plan, PlanOptions } from './plan-types.js';
import { DesiredStateError } from './errors.js';

/**
 * Reads VPP's state with dumps and returns the calls that make it `desired`: creations before
 * attachments, detachments before deletions, NAT44 features and pool before static mappings.
 * Throws {@link DesiredStateError} for an invalid desired state.
 */
export async function plan(client: Client<Messages>, desired: DesiredState, options: PlanOptions = {}): Promise<Plan> {
  void client; void desired; void options;
  throw new DesiredStateError([{ path: '(root)', key: '', message: 'plan: not built yet (work in progress on this branch)' }]);
}
