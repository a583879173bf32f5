/**
 * Launches a real etcd as a child process, for testing the node agent the way {@link launchVpp}
 * launches VPP: its own data folder, client and peer ports on 127.0.0.1 picked free, a log file.
 * {@link launchEtcd} resolves once etcd answers `/health`; `stop()` leaves no process or folder
 * behind, and so does the exit (or Ctrl-C) of this process.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { delimiter, join, resolve } from 'node:path';
import { LaunchError } from '../errors/index.js';
import { endChild, killOnExit } from './children.js';

/** Options of {@link launchEtcd}. */
export interface LaunchEtcdOptions {
  /** The `etcd` binary. Default: `$ETCD_BIN`, else `etcd` on the `PATH` (Debian's `etcd-server` package). */
  readonly bin?: string | undefined;
  /** How long to wait for etcd to answer `/health`, in ms. Default 30,000. */
  readonly startTimeout?: number | undefined;
  /** The environment to read `ETCD_BIN` and `PATH` from. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** An etcd that {@link launchEtcd} started. */
export interface LaunchedEtcd {
  /** Its client URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The temporary folder that holds its data and its log. */
  readonly dir: string;
  /** etcd's log file. */
  readonly logPath: string;
  /** The running etcd's process id; undefined while killed or once stopped. */
  readonly pid: number | undefined;
  /** Kills etcd with SIGKILL, as a crash would; its data stays for {@link LaunchedEtcd.start}. */
  kill(): Promise<void>;
  /** Starts etcd again after {@link LaunchedEtcd.kill}, on the same data and ports. */
  start(): Promise<void>;
  /** Stops etcd (SIGTERM, then SIGKILL) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Same as {@link LaunchedEtcd.stop}, for `await using etcd = await launchEtcd()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The etcd binary: `$ETCD_BIN`, else `etcd` on the `PATH`; undefined when there is none. */
export function findEtcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.ETCD_BIN) return executable(env.ETCD_BIN) ? resolve(env.ETCD_BIN) : undefined;
  return (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'etcd')).find(executable);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    return res.ok && (await res.json() as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

/**
 * Starts etcd (a single member, `--data-dir` in a new temporary folder, client and peer URLs on
 * free ports of 127.0.0.1) and resolves once it answers `/health`. If etcd exits first or does not
 * answer in time, it rejects with the tail of etcd's log.
 *
 * ```ts
 * import { launchEtcd } from 'vppkit/testing';
 *
 * await using etcd = await launchEtcd();
 * console.log(etcd.url); // http://127.0.0.1:<port>, for `vppkit agent --etcd`
 * ```
 */
export async function launchEtcd(options: LaunchEtcdOptions = {}): Promise<LaunchedEtcd> {
  const env = options.env ?? process.env;
  const bin = options.bin ? resolve(options.bin) : findEtcd(env);
  if (!bin) throw new LaunchError("launchEtcd: no etcd binary: pass { bin }, set ETCD_BIN, or install one on the PATH (Debian: apt-get install etcd-server)");
  const startTimeout = options.startTimeout ?? 30_000;
  if (!Number.isFinite(startTimeout) || startTimeout <= 0) throw new LaunchError(`launchEtcd: startTimeout must be a positive number of milliseconds, got ${startTimeout}`);

  const dir = await mkdtemp(join(tmpdir(), 'vppkit-etcd-'));
  const logPath = join(dir, 'etcd.log');
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', 'vppkit', '--data-dir', join(dir, 'data'),
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `vppkit=${peer}`, '--initial-cluster-state', 'new',
  ];
  const removeAll = () => rmSync(dir, { recursive: true, force: true });

  let current: { child: ChildProcess; exited: Promise<string>; release: () => void } | undefined;

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const entry = current;
    if (!entry) return;
    current = undefined;
    await endChild(entry.child, entry.exited, signal, 5_000);
    entry.release();
  };

  const start = async (): Promise<void> => {
    if (current) throw new LaunchError('launchEtcd: start() while etcd runs');
    const fd = openSync(logPath, 'a');
    const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise<string>((res) => {
      child.once('exit', (code, signal) => res(signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (err) => res(`could not be started: ${err.message}`));
    });
    current = { child, exited, release: killOnExit(child, removeAll) };
    let gone: string | undefined;
    void exited.then((why) => (gone = why));
    const deadline = Date.now() + startTimeout;
    for (;;) {
      const why = gone ?? (Date.now() > deadline ? `did not answer ${url}/health within ${startTimeout / 1000}s` : undefined);
      if (why !== undefined) {
        let log = '';
        try {
          log = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
        } catch {
          // no log yet
        }
        await end('SIGKILL');
        removeAll();
        throw new LaunchError([`launchEtcd: etcd (pid ${child.pid}: ${bin}) ${why}`, log && `--- ${logPath} (last lines) ---\n${log}`].filter(Boolean).join('\n'));
      }
      if (await healthy(url)) return;
      await sleep(50);
    }
  };

  await start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await end('SIGTERM');
    removeAll();
  };
  return {
    url,
    dir,
    logPath,
    get pid() {
      return current?.child.pid;
    },
    kill: () => end('SIGKILL'),
    async start() {
      if (stopped) throw new LaunchError('launchEtcd: start() after stop()');
      await start();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
