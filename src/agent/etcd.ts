/**
 * The agent's view of etcd, over the `etcd3` package (an optional peer dependency, loaded only
 * when an agent starts): read a prefix at a revision, watch it from a revision on, write and
 * delete status keys. etcd3 reconnects a broken watch by itself, from the revision after the last
 * one it delivered; when etcd has compacted that revision away, the watch is cancelled and the
 * agent reads the prefix afresh.
 *
 * @module
 */
import { AgentError } from '../errors/index.js';

/** One change a watch delivers. */
export interface Change {
  readonly type: 'put' | 'delete';
  readonly key: string;
  readonly value: string;
}

/** What a watch reports besides changes. */
export interface WatchHandlers {
  /** Changes in revision order, and the revision they bring the prefix to. */
  changes(changes: readonly Change[], revision: number): void;
  /** The watch ended and will not resume (compaction, cancellation): read the prefix again. */
  lost(err: Error): void;
  /** The connection dropped (etcd3 reconnects); `connected` follows when it is back. */
  disconnected(err: Error): void;
  connected(): void;
}

/** An etcd connection, as the agent uses it. */
export interface EtcdStore {
  /** Every key under `prefix` with its value, and the revision they are read at. */
  read(prefix: string): Promise<{ revision: number; entries: Map<string, string> }>;
  /** Watches `prefix` from revision `from` on; resolves once the watch is set up, with a function that ends it. */
  watch(prefix: string, from: number, handlers: WatchHandlers): Promise<() => Promise<void>>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  close(): void;
}

type Etcd3Module = typeof import('etcd3');
type Options = import('etcd3').IOptions;
type FaultHandling = NonNullable<Options['faultHandling']>;

/** A watch reconnection delay that doubles from 100 ms up to `max`. */
function backoff(ms: number, max: number): { duration: number; next(): unknown } {
  return { duration: ms, next: () => backoff(Math.min(ms * 2, max), max) };
}

/** Loads etcd3, or says how to install it. */
async function loadEtcd3(): Promise<Etcd3Module> {
  try {
    return await import('etcd3');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new AgentError("the node agent needs the etcd3 package, an optional peer dependency of vppkit: run npm install etcd3", { cause: err });
    }
    throw err;
  }
}

/**
 * Connects to etcd at `hosts` (`http://127.0.0.1:2379`, …). etcd3 connects lazily: nothing fails
 * here if etcd is down. Every call but the watch has a deadline of `callTimeout` ms (gRPC would
 * otherwise wait for a connection for ever); etcd3's circuit breaker, which refuses calls for 5 s
 * after three failures, is left out, so that the agent's next try after etcd returns goes through;
 * a broken watch retries after 100 ms, doubling up to `retryDelay`.
 */
export async function connectEtcd(hosts: readonly string[], { callTimeout, retryDelay }: { callTimeout: number; retryDelay: number }): Promise<EtcdStore> {
  const { Etcd3 } = await loadEtcd3();
  const passThrough = { execute: async (fn: () => unknown) => fn() } as unknown as ReturnType<NonNullable<FaultHandling['host']>>;
  const etcd = new Etcd3({
    hosts: [...hosts],
    dialTimeout: callTimeout,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeout }),
    faultHandling: { host: () => passThrough, watchBackoff: backoff(100, retryDelay) as unknown as FaultHandling['watchBackoff'] },
  });
  return {
    async read(prefix) {
      const res = await etcd.getAll().prefix(prefix).exec();
      const entries = new Map(res.kvs.map((kv) => [kv.key.toString(), kv.value.toString()]));
      return { revision: Number(res.header.revision), entries };
    },
    async watch(prefix, from, handlers) {
      const watcher = await etcd.watch().prefix(prefix).startRevision(String(from)).create();
      watcher.on('data', (res) => {
        if (res.events.length === 0) return;
        handlers.changes(
          res.events.map((e) => ({ type: e.type === 'Put' ? 'put' : 'delete', key: e.kv.key.toString(), value: e.kv.value.toString() })),
          Number(res.header.revision),
        );
      });
      // A watch etcd cancelled (compaction) is gone: cancelling it again would wait for ever.
      let gone = false;
      watcher.on('error', (err: Error) => {
        gone = true;
        handlers.lost(err);
      });
      watcher.on('disconnected', (err: Error) => handlers.disconnected(err));
      watcher.on('connected', () => handlers.connected());
      return async () => {
        if (gone) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([watcher.cancel(), new Promise((res) => (timer = setTimeout(res, callTimeout)))]);
        clearTimeout(timer);
      };
    },
    async put(key, value) {
      await etcd.put(key).value(value).exec();
    },
    async delete(key) {
      await etcd.delete().key(key).exec();
    },
    close: () => etcd.close(),
  };
}
