/**
 * `apply`: runs a plan, one call at a time, one apply per client at a time.
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import type { DesiredState } from './model.js';
import type { ApplyOptions, ApplyResult } from './plan-types.js';
import { ApplyError } from './errors.js';

/**
 * Plans and runs the calls that make VPP hold `desired`. Stops at the first failure; the result
 * says what was done, what failed (with VPP's error) and what was not attempted, and with
 * `rollback` undoes what was done. Applies on one client run one after another.
 */
export async function apply(client: Client<Messages>, desired: DesiredState, options: ApplyOptions = {}): Promise<ApplyResult> {
  void client; void desired; void options;
  throw new ApplyError('apply: not built yet (work in progress on this branch)');
}
