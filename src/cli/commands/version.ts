/**
 * `vppkit version`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { type Command, EXIT } from '../command.js';

/** vppkit's own version and the VPP release its bundled bindings come from. */
export function versions(): { vppkit: string; bindings: string } {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const manifest = JSON.parse(readFileSync(new URL('../../../../api-json/manifest.json', import.meta.url), 'utf8')) as { vpp: string };
  return { vppkit: pkg.version, bindings: `VPP ${manifest.vpp}` };
}

/** `vppkit version`. */
export const versionCommand: Command = {
  name: 'version',
  summary: "print vppkit's version and the VPP release of its bundled bindings",
  usage: 'version',
  examples: ['vppkit version', 'vppkit version --json'],
  async run({ global, io }) {
    const v = versions();
    io.stdout.write(global.json ? `${JSON.stringify(v)}\n` : `vppkit ${v.vppkit} (bindings: ${v.bindings})\n`);
    return EXIT.ok;
  },
};
