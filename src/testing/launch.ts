/**
 * Launches a real VPP binary as a child process, for tests and for trying things by hand: its own
 * startup.conf in a fresh temporary folder, a unique shared-memory prefix, and every socket in
 * that folder. {@link launchVpp} resolves once the API socket accepts connections; `stop()` leaves
 * no process, socket or `/dev/shm` file behind, and so does the exit (or Ctrl-C) of this process.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { LaunchError } from '../errors/index.js';
import { endChild, killOnExit } from './children.js';

/** The plugins {@link launchVpp} loads unless told otherwise: what vppkit's own suite uses. */
export const DEFAULT_VPP_PLUGINS: readonly string[] = ['acl', 'nat', 'nat44_ei', 'ping', 'tap', 'af_packet', 'memif', 'tracedump'];

/** Options of {@link launchVpp}. */
export interface LaunchVppOptions {
  /** The `vpp` binary. Default: `$VPP_BIN`. */
  readonly bin?: string | undefined;
  /** The folder of its plugins. Default: `$VPP_PLUGIN_PATH`, else `../lib/vpp_plugins` beside the binary's folder. */
  readonly pluginPath?: string | undefined;
  /** Plugins to load, by name (`acl` loads `acl_plugin.so`); every other plugin stays off. Default: {@link DEFAULT_VPP_PLUGINS}. */
  readonly plugins?: readonly string[] | undefined;
  /** How long to wait for the API socket, in ms. Default 30,000. */
  readonly startTimeout?: number | undefined;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms. Default 5,000. */
  readonly stopTimeout?: number | undefined;
  /** The environment to read `VPP_BIN` and `VPP_PLUGIN_PATH` from. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** A VPP that {@link launchVpp} started. */
export interface LaunchedVpp {
  /** The binary API socket (`socksvr`). */
  readonly socket: string;
  /** The debug CLI socket (`vppctl -s`). */
  readonly cliSocket: string;
  /** The stats segment socket (`vpp_get_stats socket-name`). */
  readonly statsSocket: string;
  /** VPP's log file. */
  readonly logPath: string;
  /** The temporary folder that holds the startup.conf, the sockets and the logs. */
  readonly dir: string;
  /** The `api-segment` prefix, unique to this VPP. */
  readonly prefix: string;
  /** The running VPP's process id; undefined once stopped. */
  readonly pid: number | undefined;
  /** Stops VPP and starts it again with the same configuration and sockets (clients see a restart). */
  restart(): Promise<void>;
  /** Stops VPP (SIGTERM, then SIGKILL) and removes its folder and shared-memory files. Safe to call twice. */
  stop(): Promise<void>;
  /** Same as {@link stop}, for `await using vpp = await launchVpp()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Paths {
  readonly bin: string;
  readonly pluginPath: string;
  readonly plugins: readonly string[];
  readonly startTimeout: number;
  readonly stopTimeout: number;
}

/** Checks the options and the files they name; throws an error that says which one is wrong and how to fix it. */
function resolveOptions(options: LaunchVppOptions): Paths {
  const env = options.env ?? process.env;
  const given = options.bin ?? env.VPP_BIN;
  if (!given) throw new LaunchError('launchVpp: no VPP binary: pass { bin } or set VPP_BIN to the path of a vpp binary');
  const bin = resolve(given);
  if (!existsSync(bin) || !statSync(bin).isFile()) throw new LaunchError(`launchVpp: the VPP binary ${bin} does not exist`);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new LaunchError(`launchVpp: ${bin} is not executable`);
  }
  const pluginPath = resolve(options.pluginPath ?? (env.VPP_PLUGIN_PATH || join(dirname(bin), '..', 'lib', 'vpp_plugins')));
  if (!existsSync(pluginPath) || !statSync(pluginPath).isDirectory()) {
    throw new LaunchError(`launchVpp: no plugin folder ${pluginPath}: pass { pluginPath } or set VPP_PLUGIN_PATH to the folder that holds acl_plugin.so and the others`);
  }
  const plugins = options.plugins ?? DEFAULT_VPP_PLUGINS;
  const absent = plugins.filter((p) => !/^[a-z0-9_]+$/.test(p) || !existsSync(join(pluginPath, `${p}_plugin.so`)));
  if (absent.length > 0) {
    throw new LaunchError(`launchVpp: plugins not found in ${pluginPath}: ${absent.map((p) => `${p} (${p}_plugin.so)`).join(', ')}; it has ${readdirSync(pluginPath).filter((f) => f.endsWith('_plugin.so')).join(', ') || 'none'}`);
  }
  const ms = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) throw new LaunchError(`launchVpp: ${name} must be a positive number of milliseconds, got ${value}`);
    return value;
  };
  return { bin, pluginPath, plugins, startTimeout: ms('startTimeout', options.startTimeout, 30_000), stopTimeout: ms('stopTimeout', options.stopTimeout, 5_000) };
}

/**
 * The CPU for VPP's main thread: the second CPU this process may run on, so that VPP's loop stays
 * off the first one, where Node usually runs; none (VPP picks) when there is only one.
 */
function mainCore(): number | undefined {
  let list: string | undefined;
  try {
    list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
  const cpus = (list ?? '').split(',').flatMap((range) => {
    const [a, b = a] = range.split('-').map(Number);
    return a === undefined || !Number.isInteger(a) || !Number.isInteger(b) ? [] : Array.from({ length: b! - a + 1 }, (_, i) => a + i);
  });
  return cpus.length > 1 ? cpus[1] : undefined;
}

function startupConf(dir: string, prefix: string, paths: Paths): string {
  const core = mainCore();
  return [
    // runtime-dir: where VPP puts relative paths (memif sockets), so that they go with the folder.
    `unix { nodaemon runtime-dir ${dir} cli-listen ${join(dir, 'cli.sock')} log ${join(dir, 'vpp.log')} poll-sleep-usec 100 }`,
    `socksvr { socket-name ${join(dir, 'api.sock')} }`,
    // per-node-counters: VPP publishes /sys/node/… only with it (vppkit/stats' nodes()).
    `statseg { socket-name ${join(dir, 'stats.sock')} size 512M per-node-counters on }`,
    `api-segment { prefix ${prefix} }`,
    ...(core === undefined ? [] : [`cpu { main-core ${core} }`]),
    // No hugepages: buffers and heap on ordinary pages.
    'buffers { buffers-per-numa 16384 page-size default }',
    'memory { main-heap-size 1G main-heap-page-size default }',
    'plugins {',
    `  path ${paths.pluginPath}`,
    '  plugin default { disable }',
    ...paths.plugins.map((p) => `  plugin ${p}_plugin.so { enable }`),
    '}',
    '',
  ].join('\n');
}

/** The last `lines` lines of a file, or '' when it cannot be read. */
function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Whether something accepts connections at `path` (also used by the integration suite's Docker path). */
export function accepts(path: string): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

/**
 * Starts VPP with a startup.conf of its own (API, CLI and stats sockets, log, a unique
 * `api-segment` prefix, no hugepages, `poll-sleep-usec 100`) in a new temporary folder, and
 * resolves once its API socket accepts connections. If VPP exits first or the socket does not
 * come up in time, it rejects with the tail of VPP's log and output.
 *
 * ```ts
 * import { connect } from 'vppkit';
 * import { launchVpp } from 'vppkit/testing';
 *
 * await using vpp = await launchVpp({ bin: '/opt/vpp/bin/vpp' });
 * const client = await connect({ socket: vpp.socket });
 * ```
 */
export async function launchVpp(options: LaunchVppOptions = {}): Promise<LaunchedVpp> {
  const paths = resolveOptions(options);
  const dir = await mkdtemp(join(tmpdir(), 'vppkit-vpp-'));
  const prefix = `vppkit-${process.pid}-${dir.slice(-6)}`;
  const conf = join(dir, 'startup.conf');
  const output = join(dir, 'vpp.out');
  const socket = join(dir, 'api.sock');
  const sockets = [socket, join(dir, 'cli.sock'), join(dir, 'stats.sock')];
  const logPath = join(dir, 'vpp.log');
  await writeFile(conf, startupConf(dir, prefix, paths));

  const removeSocketsAndShm = () => {
    for (const s of sockets) rmSync(s, { force: true });
    try {
      for (const f of readdirSync('/dev/shm')) if (f.startsWith(`${prefix}-`)) rmSync(join('/dev/shm', f), { force: true });
    } catch {
      // no /dev/shm: nothing of ours there
    }
  };
  const removeAll = () => {
    removeSocketsAndShm();
    rmSync(dir, { recursive: true, force: true });
  };

  let current: { child: ChildProcess; exited: Promise<string>; release: () => void } | undefined;

  const start = async (): Promise<void> => {
    removeSocketsAndShm();
    const fd = openSync(output, 'a');
    const child = spawn(paths.bin, ['-c', conf], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise<string>((res) => {
      child.once('exit', (code, signal) => res(signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (err) => res(`could not be started: ${err.message}`));
    });
    current = { child, exited, release: killOnExit(child, removeAll) };
    const failure = (why: string) => {
      const log = tail(logPath);
      const out = tail(output);
      return new LaunchError([`launchVpp: VPP (pid ${child.pid}: ${paths.bin} -c ${conf}) ${why}`, log && `--- ${logPath} (last lines) ---\n${log}`, out && `--- its output (last lines) ---\n${out}`].filter(Boolean).join('\n'));
    };
    const deadline = Date.now() + paths.startTimeout;
    let gone: string | undefined;
    void exited.then((why) => (gone = why));
    for (;;) {
      if (gone !== undefined) {
        const err = failure(gone);
        await stopCurrent();
        removeAll();
        throw err;
      }
      if (existsSync(socket) && (await accepts(socket))) return;
      if (Date.now() > deadline) {
        const err = failure(`did not open its API socket ${socket} within ${paths.startTimeout / 1000}s`);
        await stopCurrent();
        removeAll();
        throw err;
      }
      await sleep(50);
    }
  };

  const stopCurrent = async (): Promise<void> => {
    const entry = current;
    if (!entry) return;
    current = undefined;
    await endChild(entry.child, entry.exited, 'SIGTERM', paths.stopTimeout);
    entry.release();
    removeSocketsAndShm();
  };

  await start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopCurrent();
    removeAll();
  };
  return {
    socket,
    cliSocket: sockets[1]!,
    statsSocket: sockets[2]!,
    logPath,
    dir,
    prefix,
    get pid() {
      return current?.child.pid;
    },
    async restart() {
      if (stopped) throw new LaunchError('launchVpp: restart() after stop()');
      await stopCurrent();
      await start();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
