/**
 * The patterns of `ls`, `dump` and `watch`: regular expressions matched against entry names.
 *
 * @module
 */
import { EntryType } from './layout.js';
import type { Directory } from './segment.js';

/** The patterns as regular expressions (unanchored, as `vpp_get_stats`'s regexec); none matches every name. */
export function compilePatterns(patterns: string | readonly string[] | undefined): RegExp[] {
  const list = typeof patterns === 'string' ? [patterns] : (patterns ?? []);
  return list.map((p) => {
    if (typeof p !== 'string') throw new TypeError(`stats: a pattern must be a string (a regular expression), got ${typeof p}`);
    try {
      return new RegExp(p);
    } catch (err) {
      throw new TypeError(`stats: pattern ${JSON.stringify(p)} is not a regular expression: ${(err as Error).message}`);
    }
  });
}

/** Indices of the directory's entries (but removed ones) whose names match any pattern; remembered per directory. */
export function matching(dir: Directory, regexps: readonly RegExp[]): number[] {
  const key = regexps.map((r) => r.source).join('\n');
  const known = dir.matches.get(key);
  if (known !== undefined) return known;
  const out: number[] = [];
  for (let i = 0; i < dir.names.length; i++) {
    if (dir.types[i] === EntryType.empty) continue;
    if (regexps.length === 0 || regexps.some((r) => r.test(dir.names[i]!))) out.push(i);
  }
  dir.matches.set(key, out);
  return out;
}
