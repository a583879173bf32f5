/** Records the integration run's VPP and outcome in `.tmp/integration-run.json` (see run-record.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';
import { type RunRecord, recordPath } from './run-record.js';

export default class RecordReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    let passed = 0;
    let skipped = 0;
    const failures: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failures.push(t.name);
        else skipped++;
      }
      for (const h of [m, ...m.children.allSuites()]) for (const e of h.errors()) failures.push(`${m.relativeModuleId}: ${e.message}`);
    }
    for (const e of unhandledErrors) failures.push(`unhandled error: ${e.message}`);
    const files = modules.map((m) => m.relativeModuleId).sort();
    const record: RunRecord = { vpp: this.vitest?.getProvidedContext().vppVersion ?? '', date: new Date().toISOString(), files, passed, skipped, failures };
    mkdirSync(dirname(recordPath), { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  }
}
