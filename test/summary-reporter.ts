/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that any CI can read.
 * A failure outside a test (a hook, a file that failed to load, an unhandled error) counts as a
 * failed one, and is named on a line of its own, so the closing line never says 0 failed while
 * vitest says a file failed.
 */
import type { Reporter, SerializedError, TestModule, TestSuite } from 'vitest/node';

/** A run's outcome: the failed tests by name, and the failures outside any test. */
export interface Tally {
  passed: number;
  skipped: number;
  readonly failedTests: string[];
  readonly outside: string[];
}

/** Counts a run's tests, and names every failure, inside a test or outside one. */
export function tally(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): Tally {
  const t: Tally = { passed: 0, skipped: 0, failedTests: [], outside: [] };
  for (const m of modules) {
    for (const test of m.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') t.passed++;
      else if (state === 'failed') t.failedTests.push(test.name);
      else t.skipped++;
    }
    const holders: (TestModule | TestSuite)[] = [m, ...m.children.allSuites()];
    for (const h of holders) {
      for (const e of h.errors()) t.outside.push(`${m.relativeModuleId}${h.type === 'suite' ? ` > ${h.fullName}` : ''}: ${e.message}`);
    }
  }
  for (const e of unhandledErrors) t.outside.push(`unhandled error: ${e.message}`);
  return t;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    const { passed, skipped, failedTests, outside } = tally(modules, unhandledErrors);
    const failed = failedTests.length + outside.length;
    const lines = outside.map((o) => `failed outside a test: ${o.split('\n')[0]}\n`).join('');
    process.stdout.write(`\n${lines}tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
