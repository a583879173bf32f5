/**
 * Printing plans and apply results for people, like `terraform plan`.
 *
 * @module
 */
import type { ApplyResult, Plan } from './plan-types.js';

/** The plan as text: one line per call under its object, `+` create, `~` change, `-` delete. */
export function formatPlan(plan: Plan): string {
  void plan;
  return '';
}

/** An apply's outcome as text: done, failed with VPP's error, not attempted. */
export function formatApplyResult(result: ApplyResult): string {
  void result;
  return '';
}
