/**
 * Runs TypeScript 6 (`typescript`) or 7 (`typescript7`, the native compiler) on a project and
 * compares its diagnostics with the `// error: TEXT` markers in the sources.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The compilers the type-level tests run under: TypeScript 6 and TypeScript 7. */
export const compilers = { 6: 'typescript', 7: 'typescript7' } as const;

/** One diagnostic: file (absolute), line (1-based) and the message with its continuation lines. */
export interface Diagnostic {
  file: string;
  line: number;
  text: string;
}

/** The `tsc` of package `pkg` as resolved from `from` (a directory). */
export function tscOf(pkg: string, from: string): string {
  const require = createRequire(join(from, 'noop.js'));
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'tsc');
}

/** Runs `tsc -p project` and returns its diagnostics (none when it compiles). */
export function diagnostics(tsc: string, project: string): Diagnostic[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: dirname(project), encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    out = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    if (out.trim() === '') throw err;
  }
  const found: Diagnostic[] = [];
  for (const line of out.split('\n')) {
    const head = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (head) found.push({ file: resolve(dirname(project), head[1]!), line: Number(head[2]), text: head[3]! });
    else if (line.startsWith(' ') && found.length > 0) found.at(-1)!.text += `\n${line.trim()}`;
    else if (line.trim() !== '') found.push({ file: project, line: 0, text: line });
  }
  return found;
}

/** The diagnostics `file` announces: a `// error: TEXT` line expects TEXT on the next line. */
export function expectedDiagnostics(file: string): Diagnostic[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      const marker = /^\s*\/\/ error: (.*)$/.exec(line);
      return marker ? [{ file, line: i + 2, text: marker[1]! }] : [];
    });
}
