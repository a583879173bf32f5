/**
 * Stand-ins for a `vpp` binary: small Node scripts that read the startup.conf given with `-c`
 * and act as VPP would (or would not), with the default plugins beside them in ../lib/vpp_plugins.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VPP_PLUGINS } from '../../src/testing/index.js';

/**
 * Makes `<root>/<name>/bin/vpp`. Its script has `fs`, `net`, `conf` (the startup.conf's text),
 * `api` (the API socket's path) and `log` (the log file's path), then runs `body`.
 */
export function fakeVpp(root: string, name: string, body: string): string {
  const bin = join(root, name, 'bin', 'vpp');
  mkdirSync(join(root, name, 'bin'), { recursive: true });
  mkdirSync(join(root, name, 'lib', 'vpp_plugins'), { recursive: true });
  for (const p of DEFAULT_VPP_PLUGINS) writeFileSync(join(root, name, 'lib', 'vpp_plugins', `${p}_plugin.so`), '');
  writeFileSync(bin, `#!${process.execPath}
const fs = require('node:fs');
const net = require('node:net');
const conf = fs.readFileSync(process.argv[3], 'utf8');
const api = /socksvr \\{ socket-name (\\S+) \\}/.exec(conf)[1];
const log = /log (\\S+)/.exec(conf)[1];
${body}
`);
  chmodSync(bin, 0o755);
  return bin;
}

/** A body that listens on the API socket, logs a line, and stays up until SIGTERM. */
export const HEALTHY = `
fs.appendFileSync(log, 'up with ' + conf.length + ' bytes of config\\n');
net.createServer((s) => s.end()).listen(api);
process.on('SIGTERM', () => process.exit(0));
`;

/** Whether process `pid` has ended (a zombie not yet reaped counts as ended) within 2 s: a killed process takes a moment to go. */
export async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
