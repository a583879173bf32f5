/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that any CI can read.
 * A failure outside a test (a hook, a file that failed to load, an unhandled error) counts as a
 * failed one, and is named on a line of its own, so the closing line never says 0 failed while
 * vitest says a file failed.
 */
import type { Reporter, SerializedError, TestModule, TestSuite } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const outside: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      const holders: (TestModule | TestSuite)[] = [m, ...m.children.allSuites()];
      for (const h of holders) {
        for (const e of h.errors()) outside.push(`${m.relativeModuleId}${h.type === 'suite' ? ` > ${h.fullName}` : ''}: ${e.message}`);
      }
    }
    for (const e of unhandledErrors) outside.push(`unhandled error: ${e.message}`);
    failed += outside.length;
    const lines = outside.map((o) => `failed outside a test: ${o.split('\n')[0]}\n`).join('');
    process.stdout.write(`\n${lines}tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
