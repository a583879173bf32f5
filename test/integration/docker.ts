/**
 * Starts and stops VPP in Docker for the integration suite, using test/integration/startup.conf and a
 * host folder mounted for the API socket. The container has no network (`--network none`): VPP needs
 * only the socket folder. Also runnable by hand:
 *   npx tsx test/integration/docker.ts start   # prints VPP_API_SOCKET=...
 *   npx tsx test/integration/docker.ts stop
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { accepts } from '../../src/testing/launch.js';
import { LOCAL_VPP_REPOSITORY, vppImage } from './image.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_RUN_DIR = resolve(here, '..', '..', '.tmp', 'vpp-run');

/**
 * The container for a run folder: one name per checkout, so that a run removes the container a
 * killed run of its own left behind, never one that another checkout's suite is using.
 */
const containerFor = (runDir: string) => `vppkit-integration-vpp-${createHash('sha256').update(runDir).digest('hex').slice(0, 8)}`;

/** Whether a Docker engine answers (not just the client being installed). */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once something accepts connections at `path`; rejects after `ms`, or as soon as
 * `gone()` says why VPP will never open it.
 */
export async function waitForSocket(path: string, ms: number, gone: () => Promise<string | undefined> = async () => undefined): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const why = await gone();
    if (why) throw new Error(`VPP's API socket ${path} will not appear: ${why}`);
    const ok = existsSync(path) && (await accepts(path));
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`VPP's API socket ${path} did not appear within ${ms / 1000}s (see ${join(dirname(path), 'vpp.log')})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Why the container is not running (its state and last log lines), or undefined while it runs. */
async function exited(container: string): Promise<string | undefined> {
  const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Status}} (exit code {{.State.ExitCode}})', container], { timeout: 10_000 });
  if (stdout.startsWith('running')) return undefined;
  const logs = await run('docker', ['logs', '--tail', '20', container], { timeout: 10_000 }).then((r) => r.stdout + r.stderr, (err: Error) => err.message);
  return `container ${container} is ${stdout.trim()}; its last output:\n${logs.trim()}`;
}

/** A VPP running in a container, with its API socket on the host. */
export interface DockerVpp {
  readonly container: string;
  readonly image: string;
  readonly socket: string;
}

/** Whether a failed `docker rm` failed only because there is no such container. */
const noSuchContainer = (err: unknown) => /No such container/i.test(String((err as { stderr?: unknown }).stderr ?? ''));

/** The containers this process started and has not yet removed. */
const owned = new Set<string>();

/**
 * Removes the container when this process exits, however it exits: normally, on an uncaught
 * error, or on a signal (vitest exits on SIGINT and SIGTERM without running global teardown).
 */
function removeOnExit(container: string): void {
  if (owned.size === 0) {
    process.once('exit', removeOwned);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        removeOwned();
        process.exit(128 + constants.signals[signal]);
      });
    }
  }
  owned.add(container);
}

/** Synchronous, because an exit handler cannot wait. */
function removeOwned(): void {
  for (const container of owned) {
    try {
      execFileSync('docker', ['rm', '-f', container], { stdio: 'pipe', timeout: 30_000 });
    } catch (err) {
      if (!noSuchContainer(err)) console.error(`could not remove the VPP container ${container} (${String((err as { stderr?: unknown }).stderr ?? err).trim()}): run docker rm -f ${container}`);
    }
  }
  owned.clear();
}

/**
 * Starts VPP; resolves when its API socket accepts connections. The container is removed when this
 * process exits, unless `keep` (for `docker.ts start`); if VPP does not come up, at once.
 */
export async function startVpp(runDir = DEFAULT_RUN_DIR, { keep = false } = {}): Promise<DockerVpp> {
  mkdirSync(runDir, { recursive: true });
  const container = containerFor(runDir);
  const image = vppImage();
  await stopVpp(container); // one left by a run that was killed
  if (!keep) removeOnExit(container);
  const local = image.startsWith(`${LOCAL_VPP_REPOSITORY}:`);
  try {
    await run('docker', [
      'run', '-d', '--name', container, '--label', `vppkit.run-dir=${runDir}`, '--network', 'none', ...(local ? ['--pull', 'never'] : []),
      '-v', `${join(here, 'startup.conf')}:/etc/vpp/startup.conf:ro`, '-v', `${runDir}:/run/vpp`,
      image, 'vpp', '-c', '/etc/vpp/startup.conf',
    ], { timeout: 300_000 }).catch((err: Error & { stderr?: string }) => {
      if (local && /No such image/i.test(err.stderr ?? '')) throw new Error(`there is no image ${image} here: build it with npm run vpp-image -- --tag ${image}`);
      throw err;
    });
    const socket = join(runDir, 'api.sock');
    await waitForSocket(socket, 60_000, () => exited(container));
    return { container, image, socket };
  } catch (err) {
    await stopVpp(container).catch((rmErr: Error) => console.error(rmErr.message));
    throw err;
  }
}

/** Restarts the container (VPP comes back with new message ids); resolves when the socket is back. */
export async function restartVpp(vpp: DockerVpp): Promise<void> {
  await run('docker', ['restart', vpp.container], { timeout: 120_000 });
  await waitForSocket(vpp.socket, 60_000, () => exited(vpp.container));
}

/** Stops and removes the container; none by that name is fine. */
export async function stopVpp(container = containerFor(DEFAULT_RUN_DIR)): Promise<void> {
  try {
    await run('docker', ['rm', '-f', container], { timeout: 60_000 });
  } catch (err) {
    if (!noSuchContainer(err)) throw new Error(`could not remove the VPP container ${container}: ${(err as Error).message}`);
  }
  owned.delete(container);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const cmd = process.argv[2];
  if (cmd === 'start') {
    const vpp = await startVpp(undefined, { keep: true });
    console.log(`VPP (${vpp.image}) is up in container ${vpp.container}\nVPP_API_SOCKET=${vpp.socket}`);
  } else if (cmd === 'stop') {
    await stopVpp();
  } else {
    console.error('usage: npx tsx test/integration/docker.ts start|stop');
    process.exitCode = 2;
  }
}
