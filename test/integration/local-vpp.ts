/** The local VPP binary that the integration suite and the bench launch when no VPP_API_SOCKET is given. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The VPP that CI finds beside the clone (../shared/vpp/README.md). */
export const sharedVppBin = resolve(repoRoot, '..', 'shared', 'vpp', '26.06', 'bin', 'vpp');

/** `$VPP_BIN`, else {@link sharedVppBin} when it exists; with where it came from. */
export function localVppBin(env: NodeJS.ProcessEnv = process.env): { bin: string; from: string } | undefined {
  if (env.VPP_BIN) return { bin: env.VPP_BIN, from: 'VPP_BIN' };
  return existsSync(sharedVppBin) ? { bin: sharedVppBin, from: '../shared' } : undefined;
}
