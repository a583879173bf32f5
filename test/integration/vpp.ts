/** What every integration test file shares: the VPP under test, a client connected to it, and how to restart it. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { type Client, connect } from '../../src/client/index.js';
import type { ConnectOptions } from '../../src/client/index.js';
import { localVppBin } from './local-vpp.js';

/** The VPP API socket under test; empty when there is none (every test then skips). */
export const socket = inject('vppSocket');
/** The VPP's version (`show_version`), e.g. `26.06.0-release`. */
export const version = inject('vppVersion');
const restart = inject('vppRestart');
/** Why VPP cannot be restarted from the tests; empty when it can. */
export const cannotRestart = restart.kind === 'none' ? restart.reason : '';
/** Whether the suite started this VPP (launched or in a container), so a test may leave what the API cannot undo. */
export const vppIsOurs = restart.kind !== 'none';

/** Connects to the VPP under test. */
export function connectVpp(options: ConnectOptions = {}): Promise<Client> {
  return connect({ socket, name: 'vppkit-integration', ...options });
}

/** Runs a VPP debug CLI command and returns its output (throws on a non-zero retval). */
export async function cli(client: Client, cmd: string): Promise<string> {
  const r = await client.request('cli_inband', { cmd });
  return r.reply;
}

const cliSocket = inject('vppCliSocket');
const local = localVppBin();
const besideVpp = local && join(dirname(local.bin), 'vppctl');
/** VPP's `vppctl`: `$VPPCTL`, else the one beside the local VPP binary. */
const vppctlBin = process.env.VPPCTL ?? (besideVpp && existsSync(besideVpp) ? besideVpp : undefined);
/** Why {@link vppctl} cannot run here; empty when it can. */
export const noVppctl = !vppctlBin ? 'no vppctl (set VPPCTL, or VPP_BIN to a VPP with vppctl beside it)' : !cliSocket ? 'no CLI socket for this VPP (set VPP_CLI_SOCKET)' : '';

/** Runs `cmd` with VPP's own `vppctl` on the debug CLI socket, as an operator changes VPP by hand; returns its output. */
export async function vppctl(cmd: string): Promise<string> {
  if (noVppctl) throw new Error(`vppctl: ${noVppctl}`);
  const { stdout } = await promisify(execFile)(vppctlBin!, ['-s', cliSocket, ...cmd.split(' ')], { timeout: 10_000 });
  return stdout;
}

/** Restarts VPP (the launched process, or its container) and resolves when its socket is back. */
export async function restartVpp(): Promise<void> {
  if (restart.kind === 'docker') {
    const docker = await import('./docker.js');
    await docker.restartVpp({ container: restart.container, image: '', socket });
  } else if (restart.kind === 'launched') {
    // The launcher lives in the global setup's process; it restarts VPP when asked on this socket.
    const answer = await new Promise<string>((res, rej) => {
      let text = '';
      const s = createConnection(restart.control, () => s.write('restart\n'));
      s.on('data', (d) => (text += d));
      s.once('end', () => res(text.trim()));
      s.once('error', rej);
    });
    if (answer !== 'ok') throw new Error(`restarting the launched VPP failed: ${answer}`);
  } else throw new Error(`cannot restart VPP: ${restart.reason}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
