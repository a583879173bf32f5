/**
 * Starts and stops VPP in Docker for the integration suite, using test/integration/startup.conf and a
 * host folder mounted for the API socket. Also runnable by hand:
 *   npx tsx test/integration/docker.ts start   # prints VPP_API_SOCKET=...
 *   npx tsx test/integration/docker.ts stop
 */
import { execFile } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { vppImage } from './image.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const CONTAINER = 'vppkit-integration-vpp';

/** Whether a Docker engine answers (not just the client being installed). */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Resolves once something accepts connections at `path`, or rejects after `ms`. */
export async function waitForSocket(path: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = existsSync(path) && (await new Promise<boolean>((res) => {
      const s = createConnection(path);
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
    }));
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`VPP's API socket ${path} did not appear within ${ms / 1000}s (see ${join(dirname(path), 'vpp.log')})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A VPP running in a container, with its API socket on the host. */
export interface DockerVpp {
  readonly container: string;
  readonly image: string;
  readonly socket: string;
}

/** Starts VPP; resolves when its API socket accepts connections. */
export async function startVpp(runDir = resolve(here, '..', '..', '.tmp', 'vpp-run')): Promise<DockerVpp> {
  mkdirSync(runDir, { recursive: true });
  const image = vppImage();
  await run('docker', ['rm', '-f', CONTAINER]).catch(() => undefined);
  await run('docker', [
    'run', '-d', '--name', CONTAINER, '--cap-add', 'NET_ADMIN', '--device', '/dev/net/tun',
    '-v', `${join(here, 'startup.conf')}:/etc/vpp/startup.conf:ro`, '-v', `${runDir}:/run/vpp`,
    image, 'vpp', '-c', '/etc/vpp/startup.conf',
  ], { timeout: 300_000 });
  const socket = join(runDir, 'api.sock');
  await waitForSocket(socket, 60_000);
  return { container: CONTAINER, image, socket };
}

/** Restarts the container (VPP comes back with new message ids); resolves when the socket is back. */
export async function restartVpp(vpp: DockerVpp): Promise<void> {
  await run('docker', ['restart', vpp.container], { timeout: 120_000 });
  await waitForSocket(vpp.socket, 60_000);
}

/** Stops and removes the container. */
export async function stopVpp(container = CONTAINER): Promise<void> {
  await run('docker', ['rm', '-f', container], { timeout: 60_000 }).catch(() => undefined);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const cmd = process.argv[2];
  if (cmd === 'start') {
    const vpp = await startVpp();
    console.log(`VPP (${vpp.image}) is up in container ${vpp.container}\nVPP_API_SOCKET=${vpp.socket}`);
  } else if (cmd === 'stop') {
    await stopVpp();
  } else {
    console.error('usage: npx tsx test/integration/docker.ts start|stop');
    process.exitCode = 2;
  }
}
