/** The layering rules of docs/architecture.md, read from its tables, and the files of src/ they govern. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { repoRoot } from './reference.js';

const doc = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');

/** The rows of the first markdown table after `heading`, as cells without backticks. */
function table(heading: string): string[][] {
  const at = doc.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`docs/architecture.md has no heading ${heading}`);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim().replaceAll('`', '')));
  }
  return rows;
}

/** Per folder (or file) of src/, what it may import. */
export const rules = new Map(table('## Who may import whom').map(([folder, allowed]) => [folder!, allowed === 'nothing' ? [] : allowed!.split(', ')]));
/** The imports the rules forbid but the code still has, each with its reason. */
export const exceptions = table('### Exceptions').map(([from, to, why]) => ({ from: from!, to: to!, why: why! }));

/** The layer a file belongs to: the most specific folder (or file) the rules name. */
export function layer(file: string): string {
  const names = [...rules.keys()].filter((k) => file === k || (k.endsWith('/') && file.startsWith(k)));
  return names.sort((a, b) => b.length - a.length)[0] ?? file.split('/')[0] + '/';
}

/** Every .ts file under src/, as `src/…` with forward slashes. */
export const srcFiles = (readdirSync(join(repoRoot, 'src'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => posix.join('src', f.split('\\').join('/')));
