/** What every integration test file shares: the VPP under test, and a client connected to it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { type Client, connect } from '../../src/client/index.js';
import type { ConnectOptions } from '../../src/client/index.js';

/** The VPP API socket under test; empty when there is none (every test then skips). */
export const socket = inject('vppSocket');
/** The container that runs it, when the suite started it (fault tests restart it). */
export const container = inject('vppContainer');

/** Connects to the VPP under test. */
export function connectVpp(options: ConnectOptions = {}): Promise<Client> {
  return connect({ socket, name: 'vppkit-integration', ...options });
}

/** Runs a VPP debug CLI command and returns its output (throws on a non-zero retval). */
export async function cli(client: Client, cmd: string): Promise<string> {
  const r = await client.request('cli_inband', { cmd });
  return r.reply;
}

/** Restarts the container running VPP and waits for its socket. */
export async function restartContainer(): Promise<void> {
  const { restartVpp } = await import('./docker.js');
  await restartVpp({ container, image: '', socket });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const run = promisify(execFile);
