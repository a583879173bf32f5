/** Records the integration run's VPP and outcome in `.tmp/integration-run.json` (see run-record.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';
import { tally } from '../summary-reporter.js';
import { type RunRecord, recordPath } from './run-record.js';

export default class RecordReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    const { passed, skipped, failedTests, outside } = tally(modules, unhandledErrors);
    const failures = [...failedTests, ...outside];
    const files = modules.map((m) => m.relativeModuleId).sort();
    const record: RunRecord = { vpp: this.vitest?.getProvidedContext().vppVersion ?? '', date: new Date().toISOString(), files, passed, skipped, failures };
    mkdirSync(dirname(recordPath), { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  }
}
