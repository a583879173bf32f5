/**
 * The patterns of `ls`, `dump` and `watch`: regular expressions matched against entry names.
 *
 * @module
 */
import { EntryType } from './layout.js';
import type { Directory } from './segment.js';

/** A compiled pattern: its text, and whether a name matches it. */
export interface Pattern {
  readonly source: string;
  test(name: string): boolean;
}

/** `^` then text with no special character: a prefix, tested with startsWith (a regular expression costs more, over 100,000 names). */
const PREFIX = /^\^[^\\^$.*+?()[\]{}|]*$/;

/** The patterns as regular expressions (unanchored, as `vpp_get_stats`'s regexec); none matches every name. */
export function compilePatterns(patterns: string | readonly string[] | undefined): Pattern[] {
  const list = typeof patterns === 'string' ? [patterns] : (patterns ?? []);
  return list.map((p): Pattern => {
    if (typeof p !== 'string') throw new TypeError(`stats: a pattern must be a string (a regular expression), got ${typeof p}`);
    if (PREFIX.test(p)) {
      const prefix = p.slice(1);
      return { source: p, test: (name) => name.startsWith(prefix) };
    }
    try {
      return new RegExp(p);
    } catch (err) {
      throw new TypeError(`stats: pattern ${JSON.stringify(p)} is not a regular expression: ${(err as Error).message}`);
    }
  });
}

/** Indices of the directory's entries (but removed ones) whose names match any pattern; remembered per directory. */
export function matching(dir: Directory, patterns: readonly Pattern[]): number[] {
  const key = patterns.map((r) => r.source).join('\n');
  const known = dir.matches.get(key);
  if (known !== undefined) return known;
  const out: number[] = [];
  for (let i = 0; i < dir.names.length; i++) {
    if (dir.types[i] === EntryType.empty) continue;
    if (patterns.length === 0 || patterns.some((r) => r.test(dir.names[i]!))) out.push(i);
  }
  dir.matches.set(key, out);
  return out;
}
