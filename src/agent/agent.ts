/**
 * The node agent: keeps one VPP at the desired state that a controller writes into etcd, in
 * vpp-agent's key layout under a prefix. It reads the prefix, watches it from the revision it
 * read, and reconciles on every change, after VPP reconnects, and periodically, which repairs
 * drift. A change is planned against the state the last reconcile left (`applyChange`: no dumps);
 * the first reconcile, the periodic one, one after VPP reconnects or the prefix was read afresh,
 * and any after a failure read VPP's whole state. It writes its status back under the prefix. A broken etcd connection resumes
 * the watch from the last revision seen; a revision etcd has compacted away makes it read the
 * prefix afresh.
 *
 * @module
 */
import { type Client, connect } from '../client/index.js';
import { type Applied, type ApplyResult, type ChangeApplied, DesiredStateError, applyChange } from '../desired/index.js';
import { AgentError } from '../errors/index.js';
import type { Messages } from '../gen/index.js';
import { type EtcdStore, connectEtcd } from './etcd.js';
import { type KeyOutcome, type ReadCache, translate } from './translate.js';

/** Options of {@link startAgent}. */
export interface AgentOptions {
  /** The VPP connection to use; the agent does not close it. Give this or `socket`. */
  readonly client?: Client<Messages>;
  /** VPP's API socket: the agent connects (reconnecting for as long as it runs) and closes it on stop. */
  readonly socket?: string;
  /** etcd's client URLs (`http://127.0.0.1:2379`). */
  readonly etcd: string | readonly string[];
  /** The node's prefix, as vpp-agent's: `/vnf-agent/<label>/`. */
  readonly prefix: string;
  /** Reconciles this often (ms) even with no change, to repair drift. Default 30,000. */
  readonly resyncInterval?: number;
  /** Retries this long (ms) after a failed reconcile or etcd read. Default 1,000. */
  readonly retryDelay?: number;
  /** Called with each thing the agent does, for logs. */
  readonly onEvent?: (event: AgentEvent) => void;
}

/** Something the agent did or saw, for logs. */
export interface AgentEvent {
  /** `read`: read the prefix; `applied`/`failed`: a reconcile; `etcd`/`vpp`: a connection changed. */
  readonly kind: 'read' | 'applied' | 'failed' | 'etcd' | 'vpp';
  /** The etcd revision the agent has seen. */
  readonly revision: number;
  /** One line for people. */
  readonly message: string;
  /**
   * For `applied` and `failed` after an apply ran: its calls, how long it took (ms: its checks,
   * plan, reads and calls), of that the time waiting for VPP's replies, and whether it read and
   * planned everything (`full`) or only what changed (`incremental`).
   */
  readonly apply?: { readonly calls: number; readonly ms: number; readonly waitMs: number; readonly mode: ChangeApplied['mode'] };
}

/** One key's status, as the agent writes it under `<prefix>vppkit/status/keys/<key>` (keys that are not applied only). */
export interface KeyStatus {
  readonly state: 'applied' | 'rejected' | 'pending' | 'failed';
  /** Why it was rejected, what it waits for, or VPP's error. */
  readonly reason?: string;
}

/** The agent's status, as {@link Agent.status} returns it and `<prefix>vppkit/status/agent` holds it. */
export interface AgentStatus {
  /** The last etcd revision the agent has seen (0 before the first read). */
  readonly revision: number;
  /** The revision of the last reconcile that succeeded, or undefined. */
  readonly appliedRevision: number | undefined;
  /** `starting` until the first reconcile; then whether the last one succeeded. */
  readonly state: 'starting' | 'in-sync' | 'failed';
  /** The last reconcile's error, when it failed. */
  readonly error?: string;
  /** Every configuration key (relative to the prefix) with its status. */
  readonly keys: Readonly<Record<string, KeyStatus>>;
  /** Reconciles done, and full reads of the prefix (the first, and one after each compaction or lost watch). */
  readonly reconciles: number;
  readonly reads: number;
}

/** A running agent. */
export interface Agent {
  /** Where it stands. */
  status(): AgentStatus;
  /** Stops watching and reconciling (an apply in progress stops between calls), and closes what it opened. */
  stop(): Promise<void>;
  /** Same as {@link Agent.stop}, for `await using agent = await startAgent(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Where the agent keeps its status, under the prefix. */
export const STATUS_PREFIX = 'vppkit/status/';
const CONFIG = 'config/';

function checkOptions(options: AgentOptions): { hosts: string[]; resync: number; retry: number } {
  if ((options.client === undefined) === (options.socket === undefined)) throw new AgentError('startAgent: give exactly one of client and socket');
  if (!options.prefix.startsWith('/') || !options.prefix.endsWith('/')) throw new AgentError(`startAgent: prefix must start and end with /, as /vnf-agent/<label>/; got ${JSON.stringify(options.prefix)}`);
  const hosts = typeof options.etcd === 'string' ? [options.etcd] : [...options.etcd];
  if (hosts.length === 0 || hosts.some((h) => !/^https?:\/\/[^/]+\/?$/.test(h))) throw new AgentError(`startAgent: etcd must be URLs like http://127.0.0.1:2379; got ${JSON.stringify(options.etcd)}`);
  const ms = (name: string, v: number | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v <= 0) throw new AgentError(`startAgent: ${name} must be a positive number of milliseconds, got ${v}`);
    return v;
  };
  return { hosts, resync: ms('resyncInterval', options.resyncInterval, 30_000), retry: ms('retryDelay', options.retryDelay, 1_000) };
}

/**
 * Applies the keys' translation. The keys whose objects the desired-state layer refuses (an MTU
 * out of range, a name too long for a tag: `apply` checks before it changes anything) are taken
 * out and rejected one by one, so that one bad key does not stop the others.
 */
async function applyKeys(client: Client<Messages>, entries: ReadonlyMap<string, string>, cache: ReadCache, previous: Applied | undefined, signal: AbortSignal): Promise<{ change: ChangeApplied; outcomes: Map<string, KeyOutcome>; origin: (objectKey: string) => string | undefined; applyMs: number }> {
  const excluded = new Map<string, KeyOutcome>();
  let applyMs = 0;
  for (;;) {
    const kept = excluded.size === 0 ? entries : new Map([...entries].filter(([k]) => !excluded.has(k)));
    const t = translate(kept, cache);
    const t0 = performance.now();
    try {
      const change = await applyChange(client, t.desired, previous, { signal });
      return { change, outcomes: new Map([...t.outcomes, ...excluded]), origin: t.origin, applyMs: applyMs + performance.now() - t0 };
    } catch (err) {
      applyMs += performance.now() - t0;
      if (!(err instanceof DesiredStateError)) throw err;
      const before = excluded.size;
      for (const issue of err.issues) {
        const key = t.origin(issue.key);
        // The path inside the object (`rules[2].sourceNetwork`), without the desired state's own list index.
        const field = issue.path.replace(/^.*?\[\d+\]\.?/, '');
        if (key !== undefined) excluded.set(key, { state: 'rejected', reason: field ? `${field}: ${issue.message}` : issue.message });
      }
      if (excluded.size === before) throw err;
    }
  }
}

/** Reads VPP's error off a failed apply: the failed call's object and message, or the apply's own error. */
function failureOf(result: ApplyResult): { objectKey?: string; message: string } {
  const failed = result.outcomes.find((o) => o.status === 'failed');
  if (failed?.status === 'failed') return { objectKey: failed.call.key, message: `${failed.call.summary} (${failed.call.message}): ${failed.error.message}` };
  return { message: result.error?.message ?? 'apply failed' };
}

/**
 * Starts an agent for one VPP and one prefix. Resolves once it runs (etcd and VPP may still be
 * unreachable: it keeps trying); its status says when it has reconciled.
 *
 * ```ts
 * import { startAgent } from 'vppkit/agent';
 *
 * await using agent = await startAgent({ socket: '/run/vpp/api.sock', etcd: 'http://127.0.0.1:2379', prefix: '/vnf-agent/node1/' });
 * ```
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { hosts, resync, retry } = checkOptions(options);
  const prefix = options.prefix;
  const store: EtcdStore = await connectEtcd(hosts, { callTimeout: 5_000, retryDelay: retry });
  const client = options.client ?? (await connect({ socket: options.socket!, name: 'vppkit-agent', reconnect: { maxDelay: retry } }));
  const stopping = new AbortController();
  // One listener for the whole run (a listener per wait would pile up over a long etcd outage).
  const stopped = new Promise<undefined>((res) => stopping.signal.addEventListener('abort', () => res(undefined), { once: true }));
  const sleep = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((res) => (timer = setTimeout(res, ms))), stopped]);
    clearTimeout(timer);
  };
  const emit = (kind: AgentEvent['kind'], message: string, applied?: AgentEvent['apply']) => options.onEvent?.({ kind, revision, message, ...(applied && { apply: applied }) });

  let revision = 0;
  let config = new Map<string, string>();
  const cache: ReadCache = new Map();
  let written = new Map<string, string>(); // status keys in etcd (relative to the prefix) → their JSON
  let status: AgentStatus = { revision: 0, appliedRevision: undefined, state: 'starting', keys: {}, reconciles: 0, reads: 0 };

  // What the last reconcile applied and left in VPP: the next plans only what changed against it,
  // unless something calls for a full one (VPP reconnected, the prefix read afresh, the periodic
  // resync, a failure: then `applied` is dropped or `fullNext` set).
  let applied: Applied | undefined;
  let fullNext = true;
  // One reconcile at a time; changes during one make another follow it.
  const reconciles = oneAtATime(reconcile, stopping.signal);
  const kick = reconciles.kick;
  const fullReconcile = () => {
    fullNext = true;
    kick();
  };
  let retryTimer: NodeJS.Timeout | undefined;

  async function reconcile(): Promise<void> {
    clearTimeout(retryTimer);
    const seen = revision;
    const keys: Record<string, KeyStatus> = {};
    let error: string | undefined;
    let ran: AgentEvent['apply'];
    const previous = fullNext ? undefined : applied;
    fullNext = false;
    applied = undefined; // kept again only if this reconcile succeeds
    try {
      const { change, outcomes, origin, applyMs } = await applyKeys(client, config, cache, previous, stopping.signal);
      const result = change.result;
      applied = change.applied;
      for (const [key, o] of outcomes) keys[key] = o.state === 'accepted' ? { state: 'applied' } : { state: o.state, reason: o.reason! };
      ran = { calls: result.outcomes.filter((o) => o.status !== 'not-attempted').length, ms: applyMs, waitMs: change.waitMs, mode: change.mode };
      if (result.ok) emit('applied', `applied revision ${seen} (${ran.mode}): ${ran.calls} calls in ${ran.ms.toFixed(1)} ms`, ran);
      else {
        const failure = failureOf(result);
        error = failure.message;
        const key = failure.objectKey === undefined ? undefined : origin(failure.objectKey);
        if (key !== undefined) keys[key] = { state: 'failed', reason: failure.message };
      }
    } catch (err) {
      error = (err as Error).message;
    }
    if (stopping.signal.aborted) return;
    if (error !== undefined) {
      emit('failed', `revision ${seen}: ${error}; retrying in ${retry} ms`, ran);
      retryTimer = setTimeout(kick, retry);
    }
    status = {
      revision,
      appliedRevision: error === undefined ? seen : status.appliedRevision,
      state: error === undefined ? 'in-sync' : 'failed',
      ...(error !== undefined && { error }),
      keys,
      reconciles: status.reconciles + 1,
      reads: status.reads,
    };
    writeStatus();
  }

  // Status writes run beside the reconciles (etcd being down must not hold them up), one at a time.
  const statusWrites = oneAtATime(writeStatusOnce, stopping.signal);
  const writeStatus = statusWrites.kick;

  /** Writes what changed of the status; etcd being down leaves it for the next reconcile (one follows etcd's return). */
  async function writeStatusOnce(): Promise<void> {
    const want = new Map<string, string>();
    const { keys, ...summary } = status;
    for (const [key, k] of Object.entries(keys)) if (k.state !== 'applied') want.set(`${STATUS_PREFIX}keys/${key}`, JSON.stringify(k));
    const counts: Record<string, number> = {};
    for (const k of Object.values(keys)) counts[k.state] = (counts[k.state] ?? 0) + 1;
    // The summary goes last, so that whoever reads it finds the keys' entries already written.
    want.set(`${STATUS_PREFIX}agent`, JSON.stringify({ ...summary, at: new Date().toISOString(), keys: counts }));
    try {
      for (const key of [...written.keys()].filter((k) => !want.has(k))) {
        await store.delete(prefix + key);
        written.delete(key);
      }
      for (const [key, json] of want) {
        if (written.get(key) === json) continue;
        await store.put(prefix + key, json);
        written.set(key, json);
      }
    } catch (err) {
      emit('etcd', `could not write status: ${(err as Error).message}`);
    }
  }

  // Reads the prefix, then watches it from there; reads again when the watch is lost for good.
  const watching = (async () => {
    while (!stopping.signal.aborted) {
      let endWatch: (() => Promise<void>) | undefined;
      try {
        const read = await store.read(prefix);
        revision = read.revision;
        config = new Map([...read.entries].filter(([k]) => k.startsWith(prefix + CONFIG)).map(([k, v]) => [k.slice(prefix.length), v]));
        written = new Map([...read.entries].filter(([k]) => k.startsWith(prefix + STATUS_PREFIX)).map(([k, v]) => [k.slice(prefix.length), v]));
        status = { ...status, revision, reads: status.reads + 1 };
        emit('read', `read ${config.size} keys at revision ${revision}`);
        fullReconcile();
        let lose!: (err: Error) => void;
        const lost = new Promise<Error>((res) => (lose = res));
        let down = false;
        endWatch = await store.watch(prefix + CONFIG, revision + 1, {
          changes(changes, at) {
            for (const c of changes) {
              const key = c.key.slice(prefix.length);
              if (c.type === 'put') config.set(key, c.value);
              else config.delete(key);
            }
            revision = Math.max(revision, at);
            kick();
          },
          lost: lose,
          disconnected(err) {
            if (!down) emit('etcd', `lost etcd (${err.message}); keeping the last state, resuming from revision ${revision + 1}`);
            down = true;
          },
          connected() {
            if (!down) return;
            down = false;
            emit('etcd', 'etcd is back');
            kick(); // writes the status it could not write
          },
        });
        const err = await Promise.race([lost, stopped]);
        if (err) emit('etcd', `the watch ended (${err.message}); reading the prefix again`);
      } catch (err) {
        if (stopping.signal.aborted) break;
        emit('etcd', `etcd: ${(err as Error).message}; retrying in ${retry} ms`);
        await sleep(retry);
      } finally {
        await endWatch?.().catch(() => undefined);
      }
    }
  })();

  const periodic = setInterval(fullReconcile, resync);
  const onReconnected = () => {
    emit('vpp', 'VPP reconnected; reconciling');
    fullReconcile();
  };
  client.on('reconnected', onReconnected);

  let stopDone: Promise<void> | undefined;
  const stop = () =>
    (stopDone ??= (async () => {
      stopping.abort();
      clearInterval(periodic);
      clearTimeout(retryTimer);
      client.off('reconnected', onReconnected);
      await watching;
      await reconciles.idle();
      await statusWrites.idle();
      store.close();
      if (!options.client) await client.close();
    })());
  return { status: () => status, stop, [Symbol.asyncDispose]: stop };
}

/**
 * Runs `task` one run at a time: a kick during a run makes one more run follow it, however many
 * kicks came meanwhile. Nothing new starts once `stopped` is aborted.
 */
function oneAtATime(task: () => Promise<void>, stopped: AbortSignal): { kick: () => void; idle: () => Promise<void> } {
  let again = false;
  let running: Promise<void> | undefined;
  return {
    kick: () => {
      again = true;
      running ??= (async () => {
        while (again && !stopped.aborted) {
          again = false;
          await task();
        }
        running = undefined;
      })();
    },
    idle: async () => {
      await running;
    },
  };
}
