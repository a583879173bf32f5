/** README's "VPP versions" says which VPP the suite last passed against: it must be this one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_TEST, README_VERSION, repoRoot } from './run-record.js';
import { socket, version } from './vpp.js';

describe.skipIf(!socket)('README', () => {
  it(README_TEST, () => {
    const said = README_VERSION.exec(readFileSync(join(repoRoot, 'README.md'), 'utf8'))?.[1];
    expect(said, `README.md says the suite last passed against VPP ${said}, but the VPP under test is ${version}: once the rest of the suite passes against it, npm run readme:vpp records it`).toBe(version);
  });
});
