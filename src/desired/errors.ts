/**
 * The errors of the desired-state layer.
 *
 * @module
 */
import { VppkitError } from '../errors/index.js';

/** One problem with a desired state: where it is, which object it belongs to, and what is wrong. */
export interface DesiredStateIssue {
  /** The field's path in the desired state: `interfaces[2].mtu`. */
  readonly path: string;
  /** The object's key (`interface/pod1`), or `''` for the state as a whole. */
  readonly key: string;
  /** What is wrong, with the limit broken: `mtu: 70000 is out of range (68…65535)`. */
  readonly message: string;
}

/** A desired state that cannot be planned: every issue found, not only the first. */
export class DesiredStateError extends VppkitError {
  override name = 'DesiredStateError';
  /** Creates the error listing `issues`. */
  constructor(readonly issues: readonly DesiredStateIssue[]) {
    super(`invalid desired state: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** `apply` could not start: the plan has conflicts with foreign objects, or reading VPP failed. */
export class ApplyError extends VppkitError {
  override name = 'ApplyError';
}
