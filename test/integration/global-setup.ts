/**
 * Finds a VPP for the integration suite: `VPP_API_SOCKET`, else a container started with Docker,
 * else none — then every test skips, and this prints one line saying why and how to enable it.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { type DockerVpp, dockerAvailable, startVpp, stopVpp } from './docker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The VPP API socket to test against; empty when there is none. */
    vppSocket: string;
    /** The container to restart for fault tests; empty when VPP is not ours to restart. */
    vppContainer: string;
  }
}

let started: DockerVpp | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.VPP_API_SOCKET;
  if (given) {
    if (!existsSync(given)) throw new Error(`VPP_API_SOCKET=${given}: no such socket. Is VPP running, with socksvr { socket-name ${given} }?`);
    console.log(`integration: testing the VPP at ${given} (VPP_API_SOCKET)`);
    project.provide('vppSocket', given);
    project.provide('vppContainer', '');
    return;
  }
  if (await dockerAvailable()) {
    started = await startVpp();
    console.log(`integration: started ${started.image} in container ${started.container}; socket ${started.socket}`);
    project.provide('vppSocket', started.socket);
    project.provide('vppContainer', started.container);
    return;
  }
  console.log('integration: skipped: no VPP to test against (VPP_API_SOCKET is not set and no Docker engine answers). ' +
    'Set VPP_API_SOCKET=/run/vpp/api.sock, or start Docker, then run npm run test:integration.');
  project.provide('vppSocket', '');
  project.provide('vppContainer', '');
}

export async function teardown(): Promise<void> {
  if (started) await stopVpp(started.container);
}
