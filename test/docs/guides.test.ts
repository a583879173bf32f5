/**
 * The README's and the guides' code blocks are true to the code:
 * - every ```ts block appears verbatim in a file of examples/ (test/examples runs each of those
 *   against the VPP model);
 * - every ```sh block is run here, against a fresh VPP model, or is marked right before it with
 *   `<!-- not run in CI: why -->` (it needs Docker, root, a real VPP, or installs from scratch).
 * `vppkit` in a shell block is the built CLI, dist/src/cli/main.js.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVppModel } from '../../src/testing/index.js';
import { cliPath } from '../helpers/cli.js';
import { repoRoot } from '../helpers/reference.js';

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** Why it is not run, from `<!-- not run in CI: why -->` on the line before. */
  readonly notRun: string | undefined;
}

const guidesDir = join(repoRoot, 'docs', 'guides');
const guides = readdirSync(guidesDir).filter((f) => f.endsWith('.md')).sort();
const docs = ['README.md', ...guides.map((g) => join('docs', 'guides', g))];
const LANGS = new Set(['ts', 'sh', 'text']);
const NOT_RUN = /^<!-- not run in CI: (.+) -->$/;

function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(repoRoot, doc), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${doc}:${i + 1}: a code block that never ends`);
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    out.push({ doc, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), notRun: NOT_RUN.exec(lines[before] ?? '')?.[1] });
    i = end;
  }
  return out;
}

const blocks = docs.flatMap(blocksOf);
const examples = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ name: f, text: readFileSync(join(repoRoot, 'examples', f), 'utf8') }));
const tsBlocks = blocks.filter((b) => b.lang === 'ts');
const shBlocks = blocks.filter((b) => b.lang === 'sh');
const runnable = shBlocks.filter((b) => b.notRun === undefined);
const where = (b: Block) => `${b.doc}:${b.line}`;

describe('docs: README and guides', () => {
  it('use only ts, sh and text blocks', () => {
    expect(blocks.filter((b) => !LANGS.has(b.lang)).map((b) => `${where(b)} (${b.lang || 'no language'})`)).toEqual([]);
    expect(tsBlocks.length).toBeGreaterThan(20);
    expect(runnable.length).toBeGreaterThan(10);
  });

  it('list every guide in the index (typedoc children) and the README', () => {
    const index = readFileSync(join(guidesDir, 'index.md'), 'utf8');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const g of guides.filter((g) => g !== 'index.md')) {
      expect(index, g).toContain(`  - ./${g}\n`);
      expect(readme, g).toContain(`(docs/guides/${g})`);
    }
  });

  it('mark every shell block they do not run, right before it', () => {
    for (const b of shBlocks) if (b.notRun !== undefined) expect(b.notRun.trim().length, where(b)).toBeGreaterThan(5);
    // A marker must sit right before a shell block, not float elsewhere.
    for (const doc of docs) {
      const text = readFileSync(join(repoRoot, doc), 'utf8');
      expect((text.match(/<!-- not run in CI:/g) ?? []).length, doc).toBe(shBlocks.filter((b) => b.doc === doc && b.notRun !== undefined).length);
    }
  });

  it.each(tsBlocks.map((b) => [where(b), b] as const))('%s: the ts block is in examples/', (_, b) => {
    const found = examples.filter((e) => e.text.includes(b.code));
    expect(found.map((e) => e.name), `${where(b)} is not verbatim in any examples/*.ts:\n${b.code}`).not.toEqual([]);
  });
});

/** What some blocks must print, besides exiting 0. */
const EXPECT: readonly (readonly [string, RegExp])[] = [
  ['npm run -s demo', /vppkit demo: pod 10\.1\.1\.3 egress via NAT44-ED, against the built-in VPP 26\.06 model/],
  ['--json', /"target": \{\s*"kind": "simulator"/],
  ['vppkit call show_version', /"version": "26\.06\.0-release"/],
  ['vppkit version --socket /nonexistent/api.sock', /VPP: not connected \(no VPP API socket at \/nonexistent\/api\.sock/],
  ['vppkit gen ', /wrote 8 files \(ip_types, ethernet_types, acl_types, interface_types, acl, nat_types, nat44_ed\) to src\/vpp/],
  ['vppkit compat --modules acl,nat44_ed', /acl\s+ok\s+42 messages\nnat44_ed\s+ok\s+75 messages/],
  ['vppkit call acl_del', /exit code 1/],
  ["'{\"sw_if_index\": 1, \"is_add\": true, \"del_all\": false, \"prefix\": \"10.1.1.1\"}' || echo", /exit code 2/],
  ['vppkit call acl_del || echo', /exit code 1\nexit code 2\nexit code 2\n/],
  ['vppkit call nat44_show_running_config', /"sessions": 0/],
  ['vppkit stats interfaces', /^1\s+GigabitEthernet0\/8\/0\s+0/m],
  ['vppkit stats serve', /^vpp_interface_rx_packets_total\{interface="local0",sw_if_index="0",thread="0"\} 0$/m],
];

describe('docs: shell blocks run against the VPP model', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vppkit-docs-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'vppkit'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, 'vppkit'), 0o755);

  it('check the output of the blocks EXPECT names', () => {
    for (const [key] of EXPECT) expect(runnable.some((b) => b.code.includes(key)), key).toBe(true);
  });

  it.each(runnable.map((b, i) => [where(b), b, i] as const))('%s', async (_, b, i) => {
    const vpp = await startVppModel({ stats: true });
    // npm scripts run in the checkout; the rest in a scratch directory of their own.
    const cwd = b.code.includes('npm ') ? repoRoot : join(scratch, `block-${i}`);
    mkdirSync(cwd, { recursive: true });
    try {
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, VPP_API_SOCKET: vpp.socketPath, VPP_STATS_SOCKET: vpp.statsSocket, VPP_API_DIR: join(repoRoot, 'api-json') };
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile('bash', ['-eo', 'pipefail', '-c', b.code], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(result.code, `${where(b)} exited ${result.code}\n${result.stderr}`).toBe(0);
      expect(result.stdout.trim(), `${where(b)} printed nothing`).not.toBe('');
      for (const [key, pattern] of EXPECT) if (b.code.includes(key)) expect(result.stdout, `${where(b)} (${key})`).toMatch(pattern);
    } finally {
      await vpp.close();
    }
  }, 90_000);
});
