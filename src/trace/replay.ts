/**
 * Replay: the requests of a trace sent again, in order, through a client, each reply's retval
 * compared with the recorded one. The client assigns contexts; ids VPP handed out in replies
 * (`sw_if_index`, `acl_index`) are carried over into later requests when the new VPP gives others.
 *
 * @module
 */
import { EAGAIN } from '../bootstrap/retvals.js';
import { VppApiError } from '../errors/retval.js';
import type { CallOptions } from '../client/types.js';
import { type MessageDef, headerFields } from '../schema/model.js';
import type { TraceEntry, TraceRecord } from './reader.js';

/** A dump's or stream's details, collected. */
export interface DetailsCollector {
  /** Every detail, once the dump or stream ends. */
  toArray(): Promise<unknown[]>;
}

/** What replay needs of a client (any `Client` has it). */
export interface ReplayClient {
  /** See `Client.request`. */
  request(msg: MessageDef, value?: unknown, options?: CallOptions): Promise<Record<string, unknown>>;
  /** See `Client.dump`. */
  dump(msg: MessageDef, value?: unknown, options?: CallOptions): DetailsCollector;
  /** See `Client.stream`. */
  stream(msg: MessageDef, value?: unknown, options?: CallOptions): DetailsCollector;
}

/** The outcome of one recorded request. */
export interface ReplayStep {
  /** The request's record number in the trace. */
  readonly record: number;
  readonly name: string;
  /** `unary` compares retvals; `dump` and `stream` count details (not compared); `skipped` was not sent. */
  readonly kind: 'unary' | 'dump' | 'stream' | 'skipped';
  /** The recorded retval (unary) or number of details; undefined when the trace has no answer. */
  readonly recorded: number | undefined;
  /** The same, replayed; undefined when the call failed otherwise (see {@link error}). */
  readonly replayed: number | undefined;
  /** Why the call failed (a timeout, a message this VPP lacks), or why it was skipped. */
  readonly error?: string;
  /** Whether this step counts as a difference: another retval, a failed call, a request that could not be replayed. */
  readonly differs: boolean;
}

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
  /** Passed to every call. */
  readonly callOptions?: CallOptions;
  /** Called after each step, as it happens. */
  readonly onStep?: (step: ReplayStep) => void;
}

/** Messages the client sends on its own: replaying them would confuse it. */
const CLIENT_OWN = new Set(['sockclnt_create', 'sockclnt_delete', 'memclnt_keepalive_reply', 'control_ping']);

/** A recorded request and the answers that came under its context until it ended. */
interface RecordedCall {
  readonly request: TraceRecord;
  readonly answers: TraceRecord[];
}

/**
 * Sends the recorded requests of `entries` through `client`, in order, and compares each reply's
 * retval with the recorded one. Messages the client sends by itself (`control_ping` after a
 * dump, a stream's later rounds, `sockclnt_delete`) are left to it.
 * @returns every step; those with `differs` are the differences.
 */
export async function replayTrace(client: ReplayClient, entries: AsyncIterable<TraceEntry> | Iterable<TraceEntry>, options: ReplayOptions = {}): Promise<ReplayStep[]> {
  const calls = await recordedCalls(entries);
  const ids = new IdMap();
  const steps: ReplayStep[] = [];
  for (const call of calls) {
    const step = await replayOne(client, call, ids, options.callOptions);
    steps.push(step);
    options.onStep?.(step);
  }
  return steps;
}

/** The trace's requests, in order, each with its answers. */
async function recordedCalls(entries: AsyncIterable<TraceEntry> | Iterable<TraceEntry>): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  const open = new Map<number, RecordedCall>();
  for await (const e of entries) {
    if (e.kind !== 'record') continue;
    const call = open.get(e.context);
    if (e.direction === 'sent') {
      // Same context as a call still open: the ping after a dump, or a stream's next round.
      if (call || CLIENT_OWN.has(e.name)) continue;
      const started = { request: e, answers: [] };
      calls.push(started);
      open.set(e.context, started);
    } else if (call) {
      call.answers.push(e);
      if (ends(call.request.def, e)) open.delete(e.context);
    }
  }
  return calls;
}

/** Whether `answer` is the last one to `request`. */
function ends(request: MessageDef | undefined, answer: TraceRecord): boolean {
  const s = request?.service;
  switch (s?.kind) {
    case 'unary': case 'events': return answer.name === s.reply.name;
    case 'dump': return answer.name === 'control_ping_reply';
    case 'stream': return answer.name === s.reply.name && answer.message?.retval !== EAGAIN;
    default: return true;
  }
}

async function replayOne(client: ReplayClient, { request, answers }: RecordedCall, ids: IdMap, callOptions: CallOptions | undefined): Promise<ReplayStep> {
  const base = { record: request.index, name: request.name };
  const def = request.def;
  const s = def?.service;
  if (!def || !request.message) return { ...base, kind: 'skipped', recorded: undefined, replayed: undefined, error: request.error ?? 'not decoded', differs: true };
  if (s?.kind !== 'unary' && s?.kind !== 'events' && s?.kind !== 'dump' && s?.kind !== 'stream') {
    return { ...base, kind: 'skipped', recorded: undefined, replayed: undefined, error: `${def.name} has no reply to compare`, differs: false };
  }
  const value = ids.apply(withoutHeader(def, request.message));
  if (s.kind === 'dump' || s.kind === 'stream') {
    const recorded = answers.filter((a) => a.name === s.details.name).length;
    try {
      const details = await (s.kind === 'dump' ? client.dump(def, value, callOptions) : client.stream(def, value, callOptions)).toArray();
      return { ...base, kind: s.kind, recorded, replayed: details.length, differs: false };
    } catch (err) {
      return { ...base, kind: s.kind, recorded, replayed: undefined, error: (err as Error).message, differs: true };
    }
  }
  const recordedReply = answers.find((a) => a.name === s.reply.name)?.message;
  const recorded = typeof recordedReply?.retval === 'number' ? recordedReply.retval : undefined;
  let reply: Record<string, unknown>;
  try {
    reply = await client.request(def, value, callOptions);
  } catch (err) {
    if (!(err instanceof VppApiError)) return { ...base, kind: 'unary', recorded, replayed: undefined, error: (err as Error).message, differs: true };
    return { ...base, kind: 'unary', recorded, replayed: err.code, differs: err.code !== recorded };
  }
  const replayed = typeof reply.retval === 'number' ? reply.retval : 0;
  if (recordedReply) ids.learn(recordedReply, reply);
  return { ...base, kind: 'unary', recorded, replayed, differs: replayed !== (recorded ?? 0) };
}

/** A recorded message (which holds its header) as the client takes it: the client sets the header. */
function withoutHeader(def: MessageDef, message: Record<string, unknown>): Record<string, unknown> {
  const out = { ...message };
  for (const h of headerFields(def)) delete out[h];
  return out;
}

/** Ids VPP hands out in replies, and the requests' fields that name them. */
const ID_FIELDS: readonly { readonly reply: string; readonly request: RegExp }[] = [
  { reply: 'sw_if_index', request: /sw_if_index$/ },
  { reply: 'acl_index', request: /^(acl_index|acls)$/ },
];

/** Recorded ids to the ids the replayed VPP gave instead. */
class IdMap {
  private readonly maps = ID_FIELDS.map(() => new Map<number, number>());

  /** Notes the ids `replayed` gives where `recorded` had others. */
  learn(recorded: Record<string, unknown>, replayed: Record<string, unknown>): void {
    ID_FIELDS.forEach((f, i) => {
      const was = recorded[f.reply];
      const is = replayed[f.reply];
      if (typeof was === 'number' && typeof is === 'number' && was !== is) this.maps[i]!.set(was, is);
    });
  }

  /** `value` with every recorded id in an id field, at any depth, replaced by the replayed one. */
  apply(value: Record<string, unknown>): Record<string, unknown> {
    if (this.maps.every((m) => m.size === 0)) return value;
    return this.walk(value) as Record<string, unknown>;
  }

  private walk(x: unknown, map?: Map<number, number>): unknown {
    if (typeof x === 'number') return map?.get(x) ?? x;
    if (Array.isArray(x)) return x.map((e) => this.walk(e, map));
    if (typeof x !== 'object' || x === null || x instanceof Uint8Array) return x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      const i = ID_FIELDS.findIndex((f) => f.request.test(k));
      out[k] = this.walk(v, i < 0 ? undefined : this.maps[i]);
    }
    return out;
  }
}
