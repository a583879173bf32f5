/**
 * `apply`: plans and runs the calls, one at a time, one apply per client at a time.
 *
 * @module
 */
import type { Client } from '../client/index.js';
import type { Messages } from '../gen/index.js';
import { readActual } from './actual.js';
import { ApplyError } from './errors.js';
import type { DesiredState } from './model.js';
import { physicalNames, planFrom } from './plan.js';
import type { ApplyOptions, ApplyResult, CallOutcome, IndexRef, Plan, PlannedCall } from './plan-types.js';
import { snapshot } from './snapshot.js';
import { normalise } from './validate.js';

/** The last apply started on each client: the next one waits for it. */
const running = new WeakMap<object, Promise<unknown>>();

/**
 * Plans and runs the calls that make VPP hold `desired`. Stops at the first failure; the result
 * says what was done, what failed (with VPP's error) and what was not attempted, and with
 * `rollback` plans back to the state read before and runs that too. Applies on one client run
 * one after another. Throws {@link ApplyError} without changing anything when the plan
 * conflicts with foreign objects (unless `foreign: 'replace'`), and DesiredStateError for an
 * invalid desired state.
 */
export function apply(client: Client<Messages>, desired: DesiredState, options: ApplyOptions = {}): Promise<ApplyResult> {
  return serialised(client, () => applyNow(client, desired, options));
}

/** Runs `task` after every apply started before on `client`: one apply per client at a time. */
export function serialised<T>(client: Client<Messages>, task: () => Promise<T>): Promise<T> {
  const before = running.get(client) ?? Promise.resolve();
  const run = before.then(task);
  running.set(client, run.catch(() => undefined));
  return run;
}

/** Throws {@link ApplyError}, before anything changes, when `plan` conflicts with foreign objects. */
export function refuseConflicts(plan: Plan): void {
  const conflicts = plan.foreign.filter((f) => f.conflict);
  if (conflicts.length) throw new ApplyError(`the desired state conflicts with foreign objects (nothing was changed; foreign: 'replace' overrides): ${conflicts.map((f) => `${f.description}: ${f.conflict}`).join('; ')}`);
}

async function applyNow(client: Client<Messages>, desired: DesiredState, options: ApplyOptions): Promise<ApplyResult> {
  const norm = normalise(desired);
  const before = await readActual(client, physicalNames(norm));
  const plan = planFrom(norm, before, options);
  refuseConflicts(plan);
  const { result } = await execute(client, plan, options.signal);
  if (result.ok || !options.rollback) return result;
  const back = planFrom(normalise(snapshot(before, norm.nat44 !== undefined)), await readActual(client, physicalNames(norm)), { foreign: 'replace' });
  return { ...result, rollback: (await execute(client, back, undefined)).result };
}

/** What {@link execute} did: its result, each call's request as sent (references resolved), and the time spent waiting for VPP's replies. */
export interface Executed {
  readonly result: ApplyResult;
  /** The requests of the calls done, in order, as sent. */
  readonly sent: readonly { readonly call: PlannedCall; readonly request: Readonly<Record<string, unknown>>; readonly reply: Readonly<Record<string, unknown>> }[];
  /** ms from each request sent to its reply, summed: VPP's time, the round trips and the client's encoding. */
  readonly waitMs: number;
}

/** Runs `plan`'s calls in order until one fails or `signal` aborts. */
export async function execute(client: Client<Messages>, plan: Plan, signal: AbortSignal | undefined): Promise<Executed> {
  const refs = new Map<string, number>();
  const outcomes: CallOutcome[] = [];
  const sent: Executed['sent'][number][] = [];
  let error: Error | undefined;
  let waitMs = 0;
  for (const call of plan.calls) {
    if (error || signal?.aborted) {
      outcomes.push({ call, status: 'not-attempted' });
      continue;
    }
    const t0 = performance.now();
    try {
      const request = resolve(call.request, refs, call);
      const send = client.request as (message: string, fields: unknown) => Promise<Record<string, unknown>>;
      const reply = await send.call(client, call.message, request);
      if (call.creates) refs.set(refKey(call.creates.ref), reply[call.creates.replyField] as number);
      outcomes.push({ call, status: 'done' });
      sent.push({ call, request, reply });
    } catch (err) {
      error = err instanceof Error ? err : new ApplyError(String(err));
      outcomes.push({ call, status: 'failed', error });
    }
    waitMs += performance.now() - t0;
  }
  if (!error && signal?.aborted) error = new ApplyError('apply aborted: the calls marked not-attempted were not run', { cause: signal.reason });
  return { result: { ok: error === undefined, outcomes, ...(error && { error }), foreign: plan.foreign }, sent, waitMs };
}

function refKey(ref: IndexRef): string {
  return `${ref.ref}/${ref.name}`;
}

function isRef(v: unknown): v is IndexRef {
  return typeof v === 'object' && v !== null && 'ref' in v && 'name' in v;
}

/** `fields` with each reference replaced by the index an earlier call's reply gave. */
function resolve(fields: Readonly<Record<string, unknown>>, refs: ReadonlyMap<string, number>, call: PlannedCall): Record<string, unknown> {
  const one = (v: unknown): unknown => {
    if (!isRef(v)) return Array.isArray(v) ? v.map(one) : v;
    const index = refs.get(refKey(v));
    if (index === undefined) throw new ApplyError(`${call.key}: ${call.message} needs the index of ${refKey(v)}, which no earlier call of the plan created`);
    return index;
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, one(v)]));
}
