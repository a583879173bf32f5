/** Record a scenario against the stateful model, read the trace back, replay it against a fresh model. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../../src/client/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { PayloadSchemas, type TraceEntry, type TraceRecord, TraceRecorder, readTrace, replayTrace } from '../../src/trace/index.js';
import { scenario, state } from './scenario.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-trace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

async function model(options: Parameters<typeof startVppModel>[0] = {}): Promise<VppModel> {
  const vpp = await startVppModel(options);
  open.unshift(vpp);
  return vpp;
}

async function all(file: string): Promise<TraceEntry[]> {
  const out: TraceEntry[] = [];
  for await (const e of readTrace(file)) out.push(e);
  return out;
}

/** Records the scenario into a new file; returns it and the model's state after. */
async function record(name: string): Promise<{ file: string; before: Awaited<ReturnType<typeof state>> }> {
  const file = join(work, name);
  const vpp = await model();
  const client = await connect({ socket: vpp.socketPath, trace: { file } });
  await scenario(client);
  await client.close();
  const reader = await connect({ socket: vpp.socketPath });
  const before = await state(reader);
  await reader.close();
  return { file, before };
}

describe('recording', () => {
  it('writes a header, then every message sent and received with its time, name, CRC, context and value', async () => {
    const { file } = await record('basic.trace');
    const entries = await all(file);
    const [header, ...records] = entries as [TraceEntry, ...TraceRecord[]];
    expect(header).toMatchObject({ kind: 'header', format: 1, vppkitVersion: '0.1.0', bindings: 'VPP 26.06' });
    expect(records.map((r) => `${r.direction} ${r.name}`).slice(0, 4)).toEqual(['sent create_loopback', 'received create_loopback_reply', 'sent sw_interface_set_flags', 'received sw_interface_set_flags_reply']);
    const [req, reply] = records as [TraceRecord, TraceRecord];
    expect(req).toMatchObject({ index: 1, crc: '0x42bb5d22', module: 'interface', redacted: [], error: undefined });
    expect(req.message).toMatchObject({ mac_address: '02:fe:00:00:00:01', context: req.context });
    expect(reply.context).toBe(req.context);
    expect(reply.message).toMatchObject({ retval: 0, sw_if_index: 2 });
    // Times rise, and lie after the header's.
    const times = records.map((r) => r.timeNs);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(times[0]! >= (header as { timeNs: bigint }).timeNs).toBe(true);
    // The dump's control_ping and its reply, and the details, under the dump's context.
    const dump = records.find((r) => r.name === 'sw_interface_dump')!;
    const same = records.filter((r) => r.context === dump.context).map((r) => r.name);
    expect(same).toEqual(['sw_interface_dump', 'control_ping', 'sw_interface_details', 'sw_interface_details', 'sw_interface_details', 'control_ping_reply']);
    const failed = records.find((r) => r.name === 'acl_del_reply');
    expect(failed?.message?.retval).toBe(-6);
    // sockclnt_delete on close, answered.
    expect(records.at(-2)?.name).toBe('sockclnt_delete');
    expect(readFileSync(file).subarray(0, 40).toString('latin1')).toContain('vppkit-trace');
  });

  it('creates no recorder and does no work when off', async () => {
    const opened = vi.spyOn(TraceRecorder, 'open');
    const converted = vi.spyOn(PayloadSchemas.prototype, 'encode');
    const vpp = await model();
    const client = await connect({ socket: vpp.socketPath });
    open.push(client);
    await scenario(client);
    expect(opened).not.toHaveBeenCalled();
    expect(converted).not.toHaveBeenCalled();
    // The same spies see the work when on.
    const traced = await connect({ socket: vpp.socketPath, trace: { file: join(work, 'on.trace') } });
    open.push(traced);
    await traced.request('show_version');
    expect(opened).toHaveBeenCalledTimes(1);
    expect(converted).toHaveBeenCalledTimes(2);
    vi.restoreAllMocks();
  });

  it('fails connect with the file system\'s error when the trace file cannot be created', async () => {
    const vpp = await model();
    await expect(connect({ socket: vpp.socketPath, trace: { file: join(work, 'no', 'such', 'dir.trace') } })).rejects.toThrow(/ENOENT/);
  });
});

describe('replay', () => {
  it('rebuilds the same state on a fresh model, every retval as recorded', async () => {
    const { file, before } = await record('replay.trace');
    const fresh = await model();
    const client = await connect({ socket: fresh.socketPath });
    open.push(client);
    const steps = await replayTrace(client, readTrace(file));
    expect(steps.filter((s) => s.differs)).toEqual([]);
    expect(steps.map((s) => s.name)).toEqual([
      'create_loopback', 'sw_interface_set_flags', 'sw_interface_add_del_address', 'acl_add_replace', 'acl_interface_set_acl_list',
      'nat44_ed_plugin_enable_disable', 'nat44_add_del_address_range', 'acl_del', 'sw_interface_dump',
    ]);
    expect(steps.find((s) => s.name === 'acl_del')).toMatchObject({ kind: 'unary', recorded: -6, replayed: -6, differs: false });
    expect(steps.at(-1)).toMatchObject({ kind: 'dump', recorded: 3, replayed: 3 });
    expect(await state(client)).toEqual(before);
  });

  it('carries ids over when the new VPP hands out others (sw_if_index, acl_index)', async () => {
    const { file } = await record('ids.trace');
    const other = await model({ nics: ['GigabitEthernet0/8/0', 'GigabitEthernet0/9/0'] });
    const client = await connect({ socket: other.socketPath });
    open.push(client);
    // An ACL made first, so the replayed one gets index 1, not 0.
    await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: 'first', r: [] });
    const steps = await replayTrace(client, readTrace(file));
    expect(steps.filter((s) => s.differs && s.kind === 'unary')).toEqual([]);
    const after = await state(client);
    const loop = after.interfaces.find((i) => (i as { interface_name: string }).interface_name === 'loop0') as { sw_if_index: number; flags: number };
    expect(loop.sw_if_index).toBe(3);
    expect(loop.flags & 1).toBe(1);
    expect(after.aclInterfaces).toContainEqual(expect.objectContaining({ sw_if_index: 3, count: 1, n_input: 1, acls: [1] }));
  });

  it('reports a retval that differs, and a request the VPP cannot take', async () => {
    const { file } = await record('differs.trace');
    const fresh = await model();
    fresh.sim.handle('sw_interface_set_flags', () => -2);
    const client = await connect({ socket: fresh.socketPath, callTimeout: 500 });
    open.push(client);
    const steps = await replayTrace(client, readTrace(file));
    expect(steps.filter((s) => s.differs)).toEqual([{ record: 3, name: 'sw_interface_set_flags', kind: 'unary', recorded: 0, replayed: -2, differs: true }]);
  });
});
