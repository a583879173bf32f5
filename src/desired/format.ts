/**
 * Printing plans and apply results for people, like `terraform plan`.
 *
 * @module
 */
import type { ApplyResult, ForeignObject, Plan, PlannedCall } from './plan-types.js';

const SIGN = { create: '+', update: '~', delete: '-' } as const;

function line(call: PlannedCall): string {
  return `${SIGN[call.action]} ${call.key}: ${call.summary}  (${call.message})`;
}

function foreignLines(foreign: readonly ForeignObject[]): string[] {
  if (!foreign.length) return [];
  const plain = foreign.filter((f) => !f.conflict);
  const kinds = [...new Set(plain.map((f) => f.kind))];
  return [
    '',
    'Foreign objects (not tagged by this reconciler; left alone):',
    ...kinds.map((k) => `  ${k}: ${plain.filter((f) => f.kind === k).map((f) => f.description).join(', ')}`),
    ...foreign.filter((f) => f.conflict).map((f) => `! conflict: ${f.kind} ${f.description}: ${f.conflict}`),
  ];
}

/** The plan as text: a summary line, then one line per call in execution order (`+` create, `~` change, `-` delete). */
export function formatPlan(plan: Plan): string {
  const count = (a: PlannedCall['action']) => plan.calls.filter((c) => c.action === a).length;
  const head = plan.calls.length === 0 ? 'No changes: VPP matches the desired state.' : `Plan: ${plan.calls.length} call(s): ${count('create')} to create, ${count('update')} to change, ${count('delete')} to delete.`;
  return [head, ...(plan.calls.length ? [''] : []), ...plan.calls.map(line), ...foreignLines(plan.foreign)].join('\n') + '\n';
}

/** An apply's outcome as text: what was done, what failed with VPP's error, what was not attempted. */
export function formatApplyResult(result: ApplyResult): string {
  const by = (s: string) => result.outcomes.filter((o) => o.status === s);
  const head = result.ok ? `Applied: ${by('done').length} call(s) done.` : `Failed: ${by('done').length} done, ${by('failed').length} failed, ${by('not-attempted').length} not attempted.`;
  const lines = result.outcomes.map((o) => (o.status === 'failed' ? `FAILED ${line(o.call)}: ${o.error.message}` : `${o.status === 'done' ? 'done  ' : 'skipped'} ${line(o.call)}`));
  const rollback = result.rollback ? ['', 'Rollback:', ...formatApplyResult(result.rollback).trimEnd().split('\n').map((l) => `  ${l}`)] : [];
  return [head, ...(lines.length ? [''] : []), ...lines, ...rollback, ...foreignLines(result.foreign.filter((f) => f.conflict))].join('\n') + '\n';
}
