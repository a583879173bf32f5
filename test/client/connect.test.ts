import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CompatibilityError,
  ConnectionClosedError,
  TimeoutError,
  connect,
} from '../../src/client/index.js';
import { apiModule as interfaceModule } from '../../src/gen/interface.js';
import type { ReceivedRequest } from '../../src/testing/index.js';
import { cli_inband } from '../../src/gen/vlib.js';
import { show_version } from '../../src/gen/vpe.js';
import { apiDir } from '../helpers/reference.js';
import { ALL, client, next, pair, simulator } from './fixture.js';

describe('connect', () => {
  it('sends sockclnt_create with the name and takes the handle VPP gives', async () => {
    const sim = await simulator();
    const names: string[] = [];
    sim.on('request', (r) => r.name === 'sockclnt_create' && names.push(String(r.value.name)));
    const c = await client(sim, { name: 'my-agent' });
    expect(names).toEqual(['my-agent']);
    expect(c.clientIndex).toBe(sim.connections[0]!.index);
    expect(c.state).toBe('open');
    // The simulator drops requests with another client_index, so an answer proves it is sent.
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0, client_index: c.clientIndex, vpe_pid: sim.pid });
  });

  it('maps name_crc to the ids VPP assigned, whatever they are', async () => {
    const sim = await simulator({ firstId: 700, ids: { cli_inband: 4000 } });
    const c = await client(sim, { keepHeader: true });
    const reply = await c.request('cli_inband', { cmd: 'x' });
    expect((reply as unknown as Record<string, unknown>)._vl_msg_id).toBe(sim.idOf('cli_inband_reply'));
    expect(sim.count('cli_inband')).toBe(1);
  });

  it('leaves the header out of decoded values unless keepHeader asks for it', async () => {
    const sim = await simulator();
    const plain = await (await client(sim)).request('cli_inband', { cmd: 'x' });
    expect(Object.keys(plain)).toEqual(['retval', 'reply']);
    const raw = await (await client(sim, { keepHeader: true })).request('cli_inband', { cmd: 'x' });
    expect(Object.keys(raw)).toEqual(['_vl_msg_id', 'context', 'retval', 'reply']);
  });

  it('reports messages as present, missing, or present with another CRC', async () => {
    const { client: c } = await pair({ omit: ['cli_inband'], crcs: { show_version: '0xdeadbeef' } });
    const report = c.compatibility;
    expect(report.missing).toContain('cli_inband');
    expect(report.missing).not.toContain('show_version');
    expect(report.otherCrc).toContainEqual({ name: 'show_version', crc: show_version.crc, vppCrc: '0xdeadbeef' });
    expect(report.present).toContain('control_ping');
    expect(report.present).not.toContain('cli_inband');
    expect(report.complete).toBe(false);
    expect(report.status(cli_inband)).toEqual({ status: 'missing' });
  });

  it('fails a call to a missing message at once, saying so, and sends nothing', async () => {
    const { sim, client: c } = await pair({ omit: ['cli_inband'] });
    const err = await c.request('cli_inband', { cmd: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompatibilityError);
    expect(err).toMatchObject({ reason: 'missing', messageName: 'cli_inband', expectedCrc: cli_inband.crc });
    await c.request('control_ping');
    expect(sim.count('cli_inband')).toBe(0);
  });

  it('fails a call to a message with another CRC at once, saying so, and sends nothing', async () => {
    const { sim, client: c } = await pair({ crcs: { show_version: '0xdeadbeef' } });
    const err = await c.request(show_version).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompatibilityError);
    expect(err).toMatchObject({ reason: 'other-crc', vppCrc: '0xdeadbeef', expectedCrc: show_version.crc });
    expect((err as Error).message).toMatch(/another definition/);
    await c.request('control_ping');
    expect(sim.count('show_version')).toBe(0);
  });

  it('fails a request whose reply VPP defines differently, and sends nothing', async () => {
    const { sim, client: c } = await pair({ crcs: { cli_inband_reply: '0x01020304' } });
    await expect(c.request('cli_inband', { cmd: 'x' })).rejects.toMatchObject({ name: 'CompatibilityError', messageName: 'cli_inband_reply', reason: 'other-crc' });
    await c.request('control_ping');
    expect(sim.count('cli_inband')).toBe(0);
  });

  it('rejects a name the client has no definition of', async () => {
    const { client: c } = await pair();
    await expect(c.request('no_such_message' as 'control_ping')).rejects.toMatchObject({ name: 'UnknownMessageError', messageName: 'no_such_message' });
  });

  it('loads definitions from an .api.json directory', async () => {
    const sim = await simulator();
    const c = await client(sim, { definitions: { apiDir } });
    // The directory holds every module; the simulator serves the bundled ones.
    expect(c.compatibility.missing.length).toBeGreaterThan(1000);
    expect(c.compatibility.present).toContain('cli_inband');
    await expect(c.request('cli_inband', { cmd: 'x' })).resolves.toMatchObject({ retval: 0 });
  });

  it("loads definitions from VPP itself with get_api_json (memclnt added back)", async () => {
    const sim = await simulator();
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
    const c = await client(sim, { definitions: 'vpp' });
    expect(sim.count('get_api_json')).toBe(1);
    expect(c.compatibility.complete).toBe(true);
    expect(c.compatibility.present).toContain('sockclnt_create');
    expect(c.compatibility.present).toContain('sw_interface_dump');
    await expect(c.request('cli_inband', { cmd: 'show' })).resolves.toMatchObject({ reply: 'ran show' });
    expect(await c.dump('sw_interface_dump', ALL).toArray()).toEqual([]);
  });

  it('takes a list of modules, memclnt always included', async () => {
    const sim = await simulator();
    const c = await client(sim, { definitions: [interfaceModule] });
    expect(c.compatibility.present).toContain('sw_interface_dump');
    expect(c.compatibility.present).toContain('control_ping');
    expect(c.compatibility.present).not.toContain('cli_inband');
    await expect(c.request('cli_inband', { cmd: 'x' })).rejects.toMatchObject({ name: 'UnknownMessageError' });
    await expect(c.request(cli_inband, { cmd: 'x' })).resolves.toMatchObject({ retval: 0 });
  });

  it("fetches VPP's definitions again after reconnecting", async () => {
    const sim = await simulator();
    const c = await client(sim, { definitions: 'vpp', reconnect: { initialDelay: 5 } });
    const reconnected = next(c, 'reconnected');
    await sim.restart({ omit: ['cli_inband'] });
    await reconnected;
    expect(sim.count('get_api_json')).toBe(2);
    await expect(c.request('cli_inband', { cmd: 'x' })).rejects.toMatchObject({ reason: 'missing' });
  });

  it('times out when VPP never answers the handshake', async () => {
    const sim = await simulator();
    sim.handle('sockclnt_create', (_req, call) => call.defer());
    await expect(connect({ socket: sim.socketPath, timeout: 100 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('stops connecting when the signal aborts', async () => {
    const sim = await simulator();
    sim.handle('sockclnt_create', (_req, call) => call.defer());
    const ac = new AbortController();
    const p = connect({ socket: sim.socketPath, signal: ac.signal });
    ac.abort(new Error('user gave up'));
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).cause).toMatchObject({ message: 'user gave up' });
  });

  it('rejects with ConnectionClosedError when there is no socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vppkit-'));
    try {
      const err = await connect({ socket: join(dir, 'none.sock') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as Error).cause).toMatchObject({ code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('answers memclnt_keepalive with its handle as context', async () => {
    const { sim, client: c } = await pair();
    const reply = new Promise<ReceivedRequest>((resolve) => sim.on('request', (r) => r.name === 'memclnt_keepalive_reply' && resolve(r)));
    sim.sendKeepalive();
    const { header, value } = await reply;
    expect(header.context).toBe(c.clientIndex);
    expect(value).toEqual({ retval: 0 });
  });
});

describe('close', () => {
  it('sends sockclnt_delete with its handle, waits for the reply, and closes the socket', async () => {
    const sim = await simulator();
    const c = await connect({ socket: sim.socketPath });
    const deleted: unknown[] = [];
    sim.on('request', (r) => r.name === 'sockclnt_delete' && deleted.push(r.value.index));
    const gone = next(sim, 'disconnect');
    const handle = c.clientIndex;
    await c.close();
    expect(deleted).toEqual([handle]);
    await gone;
    expect(c.state).toBe('closed');
    await expect(c.request('control_ping')).rejects.toBeInstanceOf(ConnectionClosedError);
    await sim.close();
  });

  it('closes even when VPP never answers sockclnt_delete', async () => {
    const sim = await simulator();
    sim.dropNext('sockclnt_delete');
    const c = await connect({ socket: sim.socketPath, closeTimeout: 50 });
    const gone = next(sim, 'disconnect');
    await c.close();
    await gone;
    expect(sim.count('sockclnt_delete')).toBe(1);
    expect(c.state).toBe('closed');
  });

  it('fails calls still in flight with ConnectionClosedError', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (_req, call) => call.defer());
    const p = c.request('cli_inband', { cmd: 'x' });
    await c.close();
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/closed by the client/);
  });

  it('does the same on await using', async () => {
    const sim = await simulator();
    {
      await using c = await connect({ socket: sim.socketPath });
      await c.request('control_ping');
    }
    expect(sim.count('sockclnt_delete')).toBe(1);
  });
});
