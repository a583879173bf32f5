/**
 * What the last integration run recorded (`.tmp/integration-run.json`): the VPP it ran against
 * (`show_version`) and its outcome. `npm run readme:vpp` writes README's "VPP versions" line from
 * it; readme.test.ts checks that line against the VPP under test.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const recordPath = join(repoRoot, '.tmp', 'integration-run.json');

/** The test that compares README with the VPP under test: the one failure a record may have (a new VPP makes it fail). */
export const README_TEST = 'README names the VPP the suite last passed against';

export interface RunRecord {
  /** The VPP's version, e.g. `26.06.0-release`; empty when the run had no VPP. */
  readonly vpp: string;
  readonly date: string;
  readonly passed: number;
  readonly skipped: number;
  /** The test files that ran, relative to the repository. */
  readonly files: readonly string[];
  /** Failed tests (their names) and failures outside tests. */
  readonly failures: readonly string[];
}

/** README's line, with `version` in it; readme.test.ts finds the version with {@link README_VERSION}. */
export const readmeLine = (version: string) =>
  `- **Against a live VPP**: the integration suite (\`npm run test:integration\`) last passed against **VPP ${version}**\n` +
  '  (its `show_version`, as that run recorded it; `npm run readme:vpp` writes this line from the last run).';
export const README_VERSION = /^- \*\*Against a live VPP\*\*: the integration suite \(`npm run test:integration`\) last passed against \*\*VPP (\S+)\*\*/m;
