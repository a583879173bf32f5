/**
 * The layering rules of docs/architecture.md, read from its tables and checked against every
 * relative import (static, dynamic, `export … from`, `import type`) of every file in src/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exceptions, layer, rules, srcFiles as files } from '../helpers/architecture.js';
import { repoRoot as ROOT } from '../helpers/reference.js';

/** Every relative import of `file`, as a path from the repository root with `.ts`. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, join(ROOT, dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts'));
}

/** Every file `file` imports, however indirectly, and itself. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const to of importsOf(file)) reachable(to, seen);
  return seen;
}

const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

describe('architecture', () => {
  it('reads the rules and every file', () => {
    expect(rules.get('src/errors/')).toEqual([]);
    expect(rules.get('src/client/')).toContain('src/transport/');
    expect(files).toContain('src/transport/framing.ts');
    expect(edges.length).toBeGreaterThan(100);
  });

  it('has a rule for every layer that has code', () => {
    expect([...new Set(files.map(layer))].filter((l) => !rules.has(l))).toEqual([]);
  });

  it('has no import the rules do not allow, other than the listed exceptions', () => {
    const listed = new Set(exceptions.map((e) => `${e.from} -> ${e.to}`));
    const forbidden = edges
      .filter(({ from, to }) => layer(from) !== layer(to) && !rules.get(layer(from))!.includes(layer(to)))
      .map(({ from, to }) => `${from} -> ${to}`)
      .filter((e) => !listed.has(e));
    expect(forbidden).toEqual([]);
  });

  it('lists only exceptions that are still needed, each with a reason', () => {
    for (const e of exceptions) {
      expect(e.why, `${e.from} -> ${e.to}`).not.toBe('');
      expect(rules.get(layer(e.from))!.includes(layer(e.to)), `${e.from} -> ${e.to} is allowed by the rules`).toBe(false);
    }
    const present = new Set(edges.map(({ from, to }) => `${from} -> ${to}`));
    expect(exceptions.map((e) => `${e.from} -> ${e.to}`).filter((e) => !present.has(e))).toEqual([]);
  });

  it('keeps the testing layer out of the main entry point', () => {
    const seen = reachable('src/index.ts');
    expect(seen.has('src/client/client.ts')).toBe(true);
    expect([...seen].filter((f) => f.startsWith('src/testing/'))).toEqual([]);
  });

  it('keeps the testing layer out of everything but the CLI', () => {
    const core = files.filter((f) => !f.startsWith('src/testing/') && !f.startsWith('src/cli/'));
    expect(core).toContain('src/client/session.ts');
    const leaks = core.flatMap((from) => [...reachable(from)].filter((f) => f.startsWith('src/testing/')).map((to) => `${from} reaches ${to}`));
    expect(leaks).toEqual([]);
  });

  it('reaches the VPP model only through vppkit/testing', () => {
    const direct = edges.filter(({ from, to }) => to.startsWith('src/testing/vpp-model/') && !from.startsWith('src/testing/'));
    expect(direct).toEqual([]);
    expect(reachable('src/cli/main.ts').has('src/testing/vpp-model/index.ts')).toBe(true);
  });
});
