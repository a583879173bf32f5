// npm's install step for the optional stats addon. It builds native/stats.c with the node-gyp that
// npm bundles, unless a prebuilt binary for this platform is shipped. It never fails the install:
// when the build fails, it records why in build/vppkit-stats-unavailable.txt, which
// connectStats() then reports (src/stats/native.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const record = join(root, 'build', 'vppkit-stats-unavailable.txt');
const prebuilt = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'vppkit-stats.node');

function fail(reason) {
  mkdirSync(dirname(record), { recursive: true });
  writeFileSync(record, `${reason}\n`);
  console.warn(`vppkit: the optional stats addon was not built (vppkit/stats will say so): ${reason}`);
}

if (existsSync(prebuilt)) {
  console.log(`vppkit: using the prebuilt stats addon ${prebuilt}`);
} else if (process.platform !== 'linux') {
  fail(`VPP's stats segment is Linux-only; this is ${process.platform}`);
} else {
  rmSync(record, { force: true });
  // npm sets npm_config_node_gyp in its scripts; else the one beside npm itself.
  const nodeGyp = process.env.npm_config_node_gyp || join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  // Node's headers beside its binary (a distribution's package): no download needed.
  const headers = resolve(dirname(process.execPath), '..');
  const nodedir = existsSync(join(headers, 'include', 'node', 'node_api.h')) ? [`--nodedir=${headers}`] : [];
  if (!existsSync(nodeGyp)) {
    fail(`node-gyp not found (looked for ${nodeGyp})`);
  } else {
    const run = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedir], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) {
      // The compiler's errors and node-gyp's reason, without its stack and environment lines.
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
        .split('\n')
        .filter((l) => /error|ERR!/i.test(l) && !/ERR! (stack +at|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l))
        .slice(-12)
        .join('\n');
      fail(`node-gyp rebuild failed (${run.error?.message ?? `exit ${run.status}`}):\n${output}`);
    }
  }
}
