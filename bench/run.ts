/**
 * `npm run bench`: prints a table and writes the same figures to bench/results.json.
 * `--quick` runs small counts (CI runs it so the bench cannot rot); `--burst` runs only the
 * client's burst row (memory per request in flight) and prints it without writing the file. Asserts nothing about time.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentBench } from './agent.js';
import { cliBench } from './cli.js';
import { burstBench, clientBench } from './client.js';
import { codecBench } from './codec.js';
import { desiredBench } from './desired.js';
import { type Figure, quick, si } from './measure.js';
import { statsBench } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const figures: Figure[] = [];
const burstOnly = process.argv.includes('--burst');
if (burstOnly) figures.push(...(await burstBench()));
else {
  figures.push(...(await codecBench(join(here, '..', 'api-json'))));
  figures.push(...(await cliBench(join(here, '..'))));
  figures.push(...(await clientBench()));
  figures.push(...(await desiredBench()));
  figures.push(...(await agentBench()));
  figures.push(...(await statsBench()));
}

const rows = figures.map((f) => [
  f.suite,
  f.name,
  `${si(f.opsPerSec)}/s`,
  f.bytesPerSec ? `${si(f.bytesPerSec)}B/s` : '',
  f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
  f.target ?? '',
  f.extra ? Object.entries(f.extra).map(([k, v]) => `${k}=${v}`).join(' ') : '',
]);
const head = ['suite', 'figure', 'ops', 'bytes', 'vs baseline', 'target', 'notes'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, node: process.version, platform: `${process.platform} ${process.arch}` };
console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node} (${machine.platform})\n`);
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
// One row would replace the full run's figures: --burst only prints.
if (!burstOnly) {
  const out = join(here, 'results.json');
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, machine, quick, figures }, null, 2)}\n`);
  console.log(`\nwrote ${out}${quick ? ' (quick mode: small counts, figures are rough)' : ''}`);
}
