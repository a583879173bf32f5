/**
 * Finds a VPP for the integration suite, in this order:
 * 1. `VPP_API_SOCKET`: a VPP someone else runs (it cannot be restarted from here);
 * 2. `VPP_IMAGE` set: that image in Docker;
 * 3. a local binary, launched with `launchVpp`: `VPP_BIN`, else `../shared/vpp/26.06/bin/vpp`
 *    beside the repository when it exists;
 * 4. Docker, when an engine answers;
 * 5. none: every test skips, and this prints one line saying why and how to enable it.
 * It records the VPP's `show_version` for the closing report (see record-reporter.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/client/index.js';
import { type LaunchedVpp, launchVpp } from '../../src/testing/index.js';
import { type DockerVpp, dockerAvailable, startVpp, stopVpp } from './docker.js';
import { localVppBin } from './local-vpp.js';

/** How the fault tests can restart the VPP under test. */
export type VppRestart =
  | { readonly kind: 'launched'; readonly control: string }
  | { readonly kind: 'docker'; readonly container: string }
  | { readonly kind: 'none'; readonly reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The VPP API socket to test against; empty when there is none. */
    vppSocket: string;
    /** How to restart it. */
    vppRestart: VppRestart;
    /** Its `show_version` version, e.g. `26.06.0-release`; empty when there is none. */
    vppVersion: string;
    /** Its debug CLI socket (`vppctl -s`); empty when unknown (a VPP_API_SOCKET without VPP_CLI_SOCKET). */
    vppCliSocket: string;
  }
}

let docker: DockerVpp | undefined;
let launched: LaunchedVpp | undefined;
let control: Server | undefined;

/** A Unix socket on which `restart` restarts the launched VPP: the test files run in other processes. */
function restartControl(vpp: LaunchedVpp): Promise<string> {
  const path = join(vpp.dir, 'restart.sock');
  control = createServer((s) => {
    s.once('data', () => {
      vpp.restart().then(() => s.end('ok\n'), (err: Error) => s.end(`error: ${err.message}\n`));
    });
  });
  return new Promise((res, rej) => {
    control!.once('error', rej);
    control!.listen(path, () => res(path));
  });
}

async function showVersion(socket: string): Promise<string> {
  const client = await connect({ socket, name: 'vppkit-integration-setup' });
  try {
    const v = await client.request('show_version', {});
    return v.version;
  } finally {
    await client.close();
  }
}

async function findVpp(): Promise<{ socket: string; cliSocket: string; restart: VppRestart; how: string } | { skip: string }> {
  const given = process.env.VPP_API_SOCKET;
  if (given) {
    if (!existsSync(given)) throw new Error(`VPP_API_SOCKET=${given}: no such socket. Is VPP running, with socksvr { socket-name ${given} }?`);
    return { socket: given, cliSocket: process.env.VPP_CLI_SOCKET ?? '', restart: { kind: 'none', reason: 'the VPP at VPP_API_SOCKET is not ours to restart' }, how: 'given by VPP_API_SOCKET' };
  }
  const useDocker = async (why: string) => {
    docker = await startVpp();
    // startup.conf puts the CLI socket beside the API socket, in the folder mounted from the host.
    const cliSocket = join(dirname(docker.socket), 'cli.sock');
    return { socket: docker.socket, cliSocket, restart: { kind: 'docker', container: docker.container } as const, how: `${docker.image} in container ${docker.container} (${why})` };
  };
  if (process.env.VPP_IMAGE) return useDocker('VPP_IMAGE');
  const local = localVppBin();
  if (local) {
    launched = await launchVpp({ bin: local.bin });
    return { socket: launched.socket, cliSocket: launched.cliSocket, restart: { kind: 'launched', control: await restartControl(launched) }, how: `launched ${local.bin} (${local.from}), log ${launched.logPath}` };
  }
  if (await dockerAvailable()) return useDocker('a Docker engine answers');
  return {
    skip: 'integration: skipped: no VPP to test against (no VPP_API_SOCKET, VPP_IMAGE or VPP_BIN, no ../shared/vpp/26.06/bin/vpp, and no Docker engine answers). ' +
      'Set VPP_API_SOCKET=/run/vpp/api.sock or VPP_BIN=/path/to/vpp, or start Docker, then run npm run test:integration.',
  };
}

export async function setup(project: TestProject): Promise<void> {
  const found = await findVpp();
  if ('skip' in found) {
    console.log(found.skip);
    project.provide('vppSocket', '');
    project.provide('vppRestart', { kind: 'none', reason: 'no VPP' });
    project.provide('vppVersion', '');
    project.provide('vppCliSocket', '');
    return;
  }
  let version: string;
  try {
    version = await showVersion(found.socket);
  } catch (err) {
    await teardown();
    throw err;
  }
  console.log(`integration: testing VPP ${version} at ${found.socket}: ${found.how}`);
  project.provide('vppSocket', found.socket);
  project.provide('vppRestart', found.restart);
  project.provide('vppVersion', version);
  project.provide('vppCliSocket', found.cliSocket);
}

export async function teardown(): Promise<void> {
  if (control) {
    await new Promise((res) => control!.close(res));
    if (launched) rmSync(join(launched.dir, 'restart.sock'), { force: true });
  }
  await launched?.stop();
  if (docker) await stopVpp(docker.container);
}
