/**
 * What the agent's tests share: a real etcd (launchEtcd; without an etcd binary they skip, saying
 * so once), a TCP proxy in front of it that a test can cut (etcd stays up for the test's own
 * writes, the agent loses it), and waiting for a condition.
 */
import { type Socket, connect, createServer } from 'node:net';
import { findEtcd } from '../../src/testing/index.js';

/** Why the etcd tests skip; empty when an etcd binary is there. */
export const noEtcd = findEtcd() ? '' : 'agent tests: skipped: no etcd binary (set ETCD_BIN, or apt-get install etcd-server; .ci/run installs it)';
if (noEtcd) console.log(noEtcd);

/** A proxy to `target` (`http://127.0.0.1:PORT`) on a port of its own; `cut` drops every connection and refuses new ones until `restore`. */
export async function etcdProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((inbound) => {
    if (cut) return inbound.destroy();
    const upstream = connect(Number(port), hostname);
    for (const s of [inbound, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(upstream).pipe(inbound);
    inbound.on('close', () => upstream.destroy());
    upstream.on('close', () => inbound.destroy());
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((res) => {
      for (const s of sockets) s.destroy();
      server.close(() => res());
    }),
  };
}

/** Resolves with `fn()`'s first truthy value; rejects after `ms` with `what` and the last value. */
export async function until<T>(what: string, fn: () => T | Promise<T>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
