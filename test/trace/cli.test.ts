/** `vppkit trace show` and `vppkit trace replay`, run as a subprocess (after npm run build). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/index.js';
import { startVppModel } from '../../src/testing/index.js';
import { type TraceRecord, readTrace } from '../../src/trace/index.js';
import { vppkit } from '../helpers/cli.js';
import { scenario } from './scenario.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-trace-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = join(work, 'scenario.trace');
{
  const vpp = await startVppModel();
  const client = await connect({ socket: vpp.socketPath, trace: { file } });
  await scenario(client);
  await client.close();
  await vpp.close();
}
const records: TraceRecord[] = [];
for await (const e of readTrace(file)) if (e.kind === 'record') records.push(e);
const lines = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((l) => JSON.parse(l));

describe('vppkit trace show', () => {
  it('prints one JSON object per record', async () => {
    const r = await vppkit(['trace', 'show', file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const shown = lines(r.stdout);
    expect(shown).toHaveLength(records.length);
    expect(shown[1]).toMatchObject({ record: 2, direction: 'received', name: 'create_loopback_reply', crc: '0x5383d31f', context: 1, message: { retval: 0, sw_if_index: 2 } });
    expect(shown[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('filters by message pattern and time; --table prints a table', async () => {
    const acl = lines((await vppkit(['trace', 'show', file, '--message', 'acl_*'])).stdout);
    expect(acl.map((l) => l.name)).toEqual(['acl_add_replace', 'acl_add_replace_reply', 'acl_interface_set_acl_list', 'acl_interface_set_acl_list_reply', 'acl_del', 'acl_del_reply']);
    const sixth = records[5]!;
    const iso = (ns: bigint): string => new Date(Number(ns / 1_000_000n)).toISOString();
    const late = lines((await vppkit(['trace', 'show', file, '--since', iso(sixth.timeNs + 1_000_000n)])).stdout);
    expect(late.every((l) => (l.record as number) > 6)).toBe(true);
    const none = await vppkit(['trace', 'show', file, '--until', '0']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    const table = await vppkit(['trace', 'show', file, '--table', '--message', 'acl_del*']);
    expect(table.stdout.split('\n')[0]).toMatch(/^#\s+time\s+dir\s+context\s+message\s+summary$/);
    expect(table.stdout).toMatch(/<-\s+\d+\s+acl_del_reply\s+retval -6/);
    expect((await vppkit(['trace', 'show', file, '--since', 'yesterday-ish'])).code).toBe(2);
  });

  it('shows every record before a cut, then names the record and byte where the file breaks (exit 2)', async () => {
    const cut = join(work, 'cut.trace');
    const ninth = records[8]!;
    writeFileSync(cut, readFileSync(file).subarray(0, ninth.offset + 4));
    const r = await vppkit(['trace', 'show', cut]);
    expect(r.code).toBe(2);
    expect(lines(r.stdout).map((l) => l.record)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.stderr).toBe(`vppkit trace: ${cut}: trace record 9 at byte ${ninth.offset} is cut short: ${/it needs .*/.exec(r.stderr)![0]}\n`);
  });

  it('shows every record before a corrupt one (--table too)', async () => {
    const bad = join(work, 'bad.trace');
    const bytes = Buffer.from(readFileSync(file));
    bytes[records[4]!.offset + 3]! ^= 0x20;
    writeFileSync(bad, bytes);
    const r = await vppkit(['trace', 'show', bad, '--table']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 4);
    expect(r.stderr).toContain(`trace record 5 at byte ${records[4]!.offset} is damaged: its checksum does not match`);
  });
});

describe('vppkit trace replay', () => {
  it('replays against a fresh model: no differences, exit 0', async () => {
    const vpp = await startVppModel();
    try {
      const r = await vppkit(['trace', 'replay', file, '--socket', vpp.socketPath]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain('ok   #1 create_loopback: retval 0\n');
      expect(r.stdout).toContain('acl_del: retval -6\n');
      expect(r.stdout).toMatch(/replayed 9 of 9 requests: no differences\n$/);
      expect(vpp.interfaces.byName('loop0')).toBeDefined();
    } finally {
      await vpp.close();
    }
  });

  it('reports differences with exit 1 (--json: one object per request)', async () => {
    const vpp = await startVppModel();
    vpp.sim.handle('nat44_add_del_address_range', () => -1);
    try {
      const r = await vppkit(['trace', 'replay', file, '--socket', vpp.socketPath]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/DIFF #\d+ nat44_add_del_address_range: retval -1, recorded 0\n/);
      expect(r.stdout).toMatch(/1 difference\n$/);
    } finally {
      await vpp.close();
    }
    const fresh = await startVppModel();
    fresh.sim.handle('nat44_add_del_address_range', () => -1);
    try {
      const json = await vppkit(['trace', 'replay', file, '--socket', fresh.socketPath, '--json']);
      expect(json.code).toBe(1);
      expect(lines(json.stdout).filter((s) => s.differs)).toEqual([{ record: expect.any(Number), name: 'nat44_add_del_address_range', kind: 'unary', recorded: 0, replayed: -1, differs: true }]);
    } finally {
      await fresh.close();
    }
  });

  it('replays nothing from a damaged trace', async () => {
    const cut = join(work, 'cut2.trace');
    writeFileSync(cut, readFileSync(file).subarray(0, records[3]!.offset + 2));
    const r = await vppkit(['trace', 'replay', cut, '--socket', '/nonexistent.sock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trace record 4 at byte \d+ is cut short.*; nothing was replayed\n$/);
  });
});
