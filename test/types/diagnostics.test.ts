/**
 * The type-level tests (descriptors.ts, calls.ts) under TypeScript 6 and 7: each `// error: TEXT`
 * marker meets a diagnostic on the next line containing TEXT, and nothing else fails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/reference.js';
import { compilers, diagnostics, expectedDiagnostics, tscOf } from '../helpers/tsc.js';

const dir = join(repoRoot, 'test', 'types');
const files = ['descriptors.ts', 'calls.ts'].map((f) => join(dir, f));

describe.each(Object.entries(compilers))('TypeScript %s', (_, pkg) => {
  it('reports each marked mistake with its own message, and only those', () => {
    const found = diagnostics(tscOf(pkg, repoRoot), join(dir, 'tsconfig.json'));
    const expected = files.flatMap(expectedDiagnostics);
    expect(expected.length).toBeGreaterThan(10);
    for (const want of expected) {
      const at = found.filter((d) => d.file === want.file && d.line === want.line);
      expect(at.map((d) => d.text).join('\n'), `${want.file}:${want.line}`).toContain(want.text);
    }
    const unexpected = found.filter((d) => !expected.some((want) => want.file === d.file && want.line === d.line));
    expect(unexpected).toEqual([]);
  });
});
