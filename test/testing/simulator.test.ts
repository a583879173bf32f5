import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKCLNT_CREATE_ID, SOCKCLNT_CREATE_REPLY_ID } from '../../src/bootstrap/memclnt.js';
import { control_ping, control_ping_reply, get_api_json, get_api_json_reply, sockclnt_create, sockclnt_create_reply } from '../../src/gen/memclnt.js';
import { modules } from '../../src/gen/index.js';
import { sw_interface_details, sw_interface_dump, sw_interface_event, want_interface_events, want_interface_events_reply } from '../../src/gen/interface.js';
import { cli_inband, cli_inband_reply } from '../../src/gen/vlib.js';
import { show_version_reply } from '../../src/gen/vpe.js';
import { parseApiJsonBundle } from '../../src/schema/index.js';
import { type MessageDef, nameCrc } from '../../src/schema/model.js';
import { type SimulatorOptions, VppSimulator, startVppModel } from '../../src/testing/index.js';
import { RawClient } from './raw.js';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(options: SimulatorOptions = {}): Promise<VppSimulator> {
  const sim = await VppSimulator.start(options);
  open.push(sim);
  return sim;
}

/** Connects and shakes hands; returns the raw client, its handle and the table. */
async function handshake(sim: VppSimulator): Promise<{ raw: RawClient; index: number; table: Map<string, number> }> {
  const raw = await RawClient.connect(sim.socketPath);
  open.push(raw);
  raw.send(sockclnt_create, { name: 'raw' }, { _vl_msg_id: SOCKCLNT_CREATE_ID, context: 99 });
  await raw.until(1);
  const reply = raw.decodeAt(0, sockclnt_create_reply) as { index: number; message_table: { index: number; name: string }[] };
  raw.received.length = 0;
  return { raw, index: reply.index, table: new Map(reply.message_table.map((e) => [e.name, e.index])) };
}

function header(table: Map<string, number>, def: MessageDef, index: number, context: number) {
  return { _vl_msg_id: table.get(nameCrc(def))!, client_index: index, context };
}

describe('VppSimulator handshake', () => {
  it('answers sockclnt_create (its fixed id) with its reply\'s fixed id, the context echoed after a zero client_index, and the table', async () => {
    const sim = await start({ firstId: 100 });
    const { raw, index, table } = await handshake(sim);
    expect(index).toBe(0x80000001);
    expect(sim.connections[0]!.name).toBe('raw');
    expect(table.get(nameCrc(control_ping))).toBe(23);
    expect(table.get(nameCrc(sockclnt_create))).toBe(SOCKCLNT_CREATE_ID);
    expect(table.get(nameCrc(sockclnt_create_reply))).toBe(SOCKCLNT_CREATE_REPLY_ID);
    const nonMemclnt = [...table.values()].filter((id) => id > 28);
    expect(Math.min(...nonMemclnt)).toBe(100);
    expect(table.size).toBe(modules.reduce((n, m) => n + m.messages.length, 0));
    raw.close();
  });

  it('announces overridden CRCs, leaves omitted messages out, and uses explicit ids', async () => {
    const sim = await start({ crcs: { cli_inband: '0x00000001' }, omit: ['show_version'], ids: { sw_interface_dump: 9000 } });
    const { table } = await handshake(sim);
    expect(table.has(nameCrc(cli_inband))).toBe(false);
    expect(table.get('cli_inband_00000001')).toBe(sim.idOf('cli_inband'));
    expect([...table.keys()].some((k) => /^show_version_[0-9a-f]{8}$/.test(k))).toBe(false);
    expect(table.has(nameCrc(show_version_reply))).toBe(true);
    expect(table.get(nameCrc(sw_interface_dump))).toBe(9000);
  });
});

describe('await using', () => {
  it('closes the simulator and the model at the end of the block', async () => {
    let path: string;
    {
      await using sim = await VppSimulator.start();
      path = sim.socketPath;
      expect(existsSync(path)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
    {
      await using vpp = await startVppModel();
      path = vpp.socketPath;
      expect(existsSync(path)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
  });
});

describe('VppSimulator requests', () => {
  it('answers control_ping with the context, the client_index echoed and its pid', async () => {
    const sim = await start({ pid: 777 });
    const { raw, index, table } = await handshake(sim);
    raw.send(control_ping, {}, header(table, control_ping, index, 5));
    await raw.until(1);
    expect(raw.decodeAt(0, control_ping_reply)).toMatchObject({ context: 5, retval: 0, client_index: index, vpe_pid: 777 });
  });

  it('drops requests with another client_index or an unknown id, as VPP does', async () => {
    const sim = await start();
    const { raw, index, table } = await handshake(sim);
    raw.send(control_ping, {}, header(table, control_ping, index + 1, 1));
    raw.send(control_ping, {}, { ...header(table, control_ping, index, 2), _vl_msg_id: 60_000 });
    raw.send(control_ping, {}, header(table, control_ping, index, 3));
    await raw.until(1);
    expect(raw.received).toHaveLength(1);
    expect(raw.decodeAt(0, control_ping_reply).context).toBe(3);
  });

  it('answers a dump with its details, then the control_ping sent after it, all under one context', async () => {
    const sim = await start();
    sim.handle('sw_interface_dump', () => [{ sw_if_index: 1 }, { sw_if_index: 2 }]);
    const { raw, index, table } = await handshake(sim);
    raw.send(sw_interface_dump, { name_filter_valid: false, name_filter: '' }, header(table, sw_interface_dump, index, 42));
    raw.send(control_ping, {}, header(table, control_ping, index, 42));
    await raw.until(3);
    expect(raw.ids()).toEqual([table.get(nameCrc(sw_interface_details)), table.get(nameCrc(sw_interface_details)), table.get(nameCrc(control_ping_reply))]);
    expect([0, 1].map((i) => raw.decodeAt(i, sw_interface_details))).toMatchObject([{ context: 42, sw_if_index: 1 }, { context: 42, sw_if_index: 2 }]);
    expect(raw.decodeAt(2, control_ping_reply).context).toBe(42);
  });

  it('handles requests in order: an async handler holds the later ones', async () => {
    const sim = await start();
    let release!: () => void;
    sim.handle('cli_inband', () => new Promise((resolve) => (release = () => resolve({ reply: 'slow' }))));
    const { raw, index, table } = await handshake(sim);
    raw.send(cli_inband, { cmd: 'x' }, header(table, cli_inband, index, 1));
    raw.send(control_ping, {}, header(table, control_ping, index, 2));
    await new Promise((r) => setTimeout(r, 20));
    expect(raw.received).toHaveLength(0);
    release();
    await raw.until(2);
    expect(raw.decodeAt(0, cli_inband_reply)).toMatchObject({ context: 1, reply: 'slow' });
    expect(raw.decodeAt(1, control_ping_reply).context).toBe(2);
  });

  it('serves get_api_json as VPP does: an array of .api.json documents without memclnt', async () => {
    const sim = await start();
    const { raw, index, table } = await handshake(sim);
    raw.send(get_api_json, {}, header(table, get_api_json, index, 1));
    await raw.until(1);
    const { json } = raw.decodeAt(0, get_api_json_reply) as { json: string };
    const docs = JSON.parse(json) as { module: string }[];
    const withMessages = modules.filter((m) => m.messages.length > 0 && m.name !== 'memclnt');
    expect(docs.map((d) => d.module).sort()).toEqual(withMessages.map((m) => m.name).sort());
    const parsed = parseApiJsonBundle(json);
    for (const m of withMessages) {
      const back = parsed.find((p) => p.name === m.name)!;
      expect(back.messages.map(nameCrc)).toEqual(m.messages.map(nameCrc));
      expect(back.messages.map((x) => x.service?.kind)).toEqual(m.messages.map((x) => x.service?.kind));
      expect(back.messages.map((x) => x.fields.map((f) => [f.name, f.length, f.countField]))).toEqual(m.messages.map((x) => x.fields.map((f) => [f.name, f.length, f.countField])));
    }
  });
});

describe('VppSimulator events and faults', () => {
  it('keeps subscriptions per client, refuses a second (-31) and a disable with none, and pushes events only to subscribers', async () => {
    const sim = await start();
    const a = await handshake(sim);
    const b = await handshake(sim);
    a.raw.send(want_interface_events, { enable_disable: 1, pid: 1234 }, header(a.table, want_interface_events, a.index, 1));
    a.raw.send(want_interface_events, { enable_disable: 1, pid: 1234 }, header(a.table, want_interface_events, a.index, 2));
    await a.raw.until(2);
    expect([0, 1].map((i) => a.raw.decodeAt(i, want_interface_events_reply).retval)).toEqual([0, -31]);
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 3, flags: 1 })).toBe(1);
    await a.raw.until(3);
    expect(a.raw.decodeAt(2, sw_interface_event)).toMatchObject({ client_index: a.index, pid: 1234, sw_if_index: 3, flags: 1 });
    b.raw.send(control_ping, {}, header(b.table, control_ping, b.index, 9));
    await b.raw.until(1);
    expect(b.raw.ids()).toEqual([b.table.get(nameCrc(control_ping_reply))]);
    // Disabling answers 0, and -31 when there is nothing to disable.
    a.raw.send(want_interface_events, { enable_disable: 0, pid: 1234 }, header(a.table, want_interface_events, a.index, 3));
    a.raw.send(want_interface_events, { enable_disable: 0, pid: 1234 }, header(a.table, want_interface_events, a.index, 4));
    await a.raw.until(5);
    expect([3, 4].map((i) => a.raw.decodeAt(i, want_interface_events_reply).retval)).toEqual([0, -31]);
  });

  it('drops, holds and delays answers on request', async () => {
    const sim = await start();
    const { raw, index, table } = await handshake(sim);
    sim.dropNext('cli_inband');
    const held = sim.holdNext('cli_inband');
    raw.send(cli_inband, { cmd: 'dropped' }, header(table, cli_inband, index, 1));
    raw.send(cli_inband, { cmd: 'held' }, header(table, cli_inband, index, 2));
    raw.send(control_ping, {}, header(table, control_ping, index, 3));
    await held.arrived;
    await raw.until(1);
    expect(raw.decodeAt(0, control_ping_reply).context).toBe(3);
    held.release();
    await raw.until(2);
    expect(raw.decodeAt(1, cli_inband_reply).context).toBe(2);
    expect(sim.count('cli_inband')).toBe(2);
  });

  it('closes mid-dump after the given number of details', async () => {
    const sim = await start();
    sim.handle('sw_interface_dump', () => Array.from({ length: 100 }, (_, i) => ({ sw_if_index: i })));
    sim.closeMidDump('sw_interface_dump', 5);
    const { raw, index, table } = await handshake(sim);
    raw.send(sw_interface_dump, { name_filter_valid: false, name_filter: '' }, header(table, sw_interface_dump, index, 1));
    raw.send(control_ping, {}, header(table, control_ping, index, 1));
    await raw.until(Infinity);
    expect(raw.closed).toBe(true);
    expect(raw.received).toHaveLength(5);
  });

  it('restarts with new ids: drops connections, then hands out a new table', async () => {
    const sim = await start();
    const first = await handshake(sim);
    const before = first.table.get(nameCrc(cli_inband));
    await sim.restart({ firstId: 5000 });
    await first.raw.until(Infinity);
    expect(first.raw.closed).toBe(true);
    const second = await handshake(sim);
    expect(second.table.get(nameCrc(cli_inband))).not.toBe(before);
    expect(second.table.get(nameCrc(cli_inband))).toBe(sim.idOf('cli_inband'));
    expect(second.table.get(nameCrc(control_ping))).toBe(23);
  });

  it('sends a keepalive carrying the client handle', async () => {
    const sim = await start();
    const { raw, index, table } = await handshake(sim);
    sim.sendKeepalive();
    await raw.until(1);
    expect(raw.ids()).toEqual([table.get('memclnt_keepalive_51077d14')]);
    expect(raw.received[0]!.readUInt32BE(2)).toBe(index);
  });
});
