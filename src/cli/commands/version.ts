/**
 * `vppkit version`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Client } from '../../client/index.js';
import { type Command, CliError, EXIT } from '../command.js';
import { withVpp } from '../connection.js';
import type { Definitions } from '../definitions.js';

/** How long `version` waits for a VPP at most, in ms: it must answer quickly with or without one. */
const VERSION_TIMEOUT = 2000;

/** vppkit's own version and the VPP release its bundled bindings come from. */
export function versions(): { vppkit: string; bindings: string } {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const manifest = JSON.parse(readFileSync(new URL('../../../../api-json/manifest.json', import.meta.url), 'utf8')) as { vpp: string };
  return { vppkit: pkg.version, bindings: `VPP ${manifest.vpp}` };
}

/** VPP's `show_version` reply: its version and build date. */
export async function vppVersion(client: Client, defs: Definitions, signal: AbortSignal): Promise<{ version: string; build_date: string }> {
  const reply = await client.request(defs.message('show_version'), {}, { signal });
  return { version: String(reply.version), build_date: String(reply.build_date) };
}

/** `vppkit version`. */
export const versionCommand: Command = {
  name: 'version',
  summary: "print vppkit's version, the VPP release of its bundled bindings, and the running VPP's version",
  usage: 'version',
  examples: ['vppkit version   # and VPP\'s, if one answers at --socket within 2 s (else "VPP: not connected", still exit 0)', 'vppkit version --json | jq -r .vpp.version', 'vppkit version --socket /run/vpp/api.sock'],
  async run({ global, io, signal }) {
    const v = versions();
    const timeout = Math.min(global.timeout, VERSION_TIMEOUT);
    let vpp: { socket: string; connected: true; version: string; build_date: string } | { socket: string; connected: false; reason: string };
    try {
      const got = await withVpp({ command: 'version', global, io, signal, definitions: 'local', timeout }, ({ client, defs }) => vppVersion(client, defs, signal));
      vpp = { socket: global.socket, connected: true, ...got };
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      vpp = { socket: global.socket, connected: false, reason: err.message };
    }
    if (global.json) io.stdout.write(`${JSON.stringify({ ...v, vpp })}\n`);
    else {
      io.stdout.write(`vppkit ${v.vppkit} (bindings: ${v.bindings})\n`);
      io.stdout.write(vpp.connected ? `VPP ${vpp.version}${vpp.build_date ? ` (built ${vpp.build_date})` : ''} at ${vpp.socket}\n` : `VPP: not connected (${vpp.reason})\n`);
    }
    return EXIT.ok;
  },
};
