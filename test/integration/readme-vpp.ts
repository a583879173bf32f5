/**
 * `npm run readme:vpp`: writes README's "VPP versions" line from the last integration run's
 * record, if that run ran every file and passed (the README check itself may have failed: a new
 * VPP makes it).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { README_TEST, README_VERSION, type RunRecord, readmeLine, recordPath, repoRoot } from './run-record.js';

let record: RunRecord;
try {
  record = JSON.parse(readFileSync(recordPath, 'utf8')) as RunRecord;
} catch {
  throw new Error(`readme:vpp: no ${recordPath}: run npm run test:integration first`);
}
const failures = record.failures.filter((f) => f !== README_TEST);
if (!record.vpp) throw new Error(`readme:vpp: the last integration run (${record.date}) had no VPP to test against`);
if (failures.length > 0 || record.passed === 0) {
  throw new Error(`readme:vpp: the last integration run against VPP ${record.vpp} (${record.date}) did not pass: ${record.passed} passed, failed: ${failures.join('; ') || 'none, but nothing passed'}`);
}
const all = readdirSync(join(repoRoot, 'test', 'integration')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/integration/${f}`);
const missed = all.filter((f) => !record.files.includes(f));
if (missed.length > 0) throw new Error(`readme:vpp: the last integration run (${record.date}) left out ${missed.join(', ')}: run the whole suite`);
const readme = join(repoRoot, 'README.md');
const text = readFileSync(readme, 'utf8');
const old = /^- \*\*Against a live VPP\*\*:.*(?:\n {2}.*)*$/m;
if (!old.test(text)) throw new Error('readme:vpp: README.md has no "- **Against a live VPP**:" line under "VPP versions"');
writeFileSync(readme, text.replace(old, readmeLine(record.vpp)));
console.log(`readme:vpp: README.md now says the suite last passed against VPP ${record.vpp} (run of ${record.date}: ${record.passed} passed, ${record.skipped} skipped)`);
if (!README_VERSION.test(readFileSync(readme, 'utf8'))) throw new Error('readme:vpp: the line written does not match README_VERSION');
