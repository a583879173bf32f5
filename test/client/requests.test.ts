import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { AbortError, SocketTransport, TimeoutError, ValidationError, VppApiError } from '../../src/client/index.js';
import { control_ping } from '../../src/gen/memclnt.js';
import { sw_interface_dump } from '../../src/gen/interface.js';
import { type CliInbandReply, cli_inband } from '../../src/gen/vlib.js';
import type { SimCall } from '../../src/testing/index.js';
import { client, pair, simulator } from './fixture.js';
import type { MessageDef } from '../../src/schema/index.js';

describe('request', () => {
  it('is typed by descriptor and by name', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
    const byDescriptor = await c.request(cli_inband, { cmd: 'a' });
    const byName = await c.request('cli_inband', { cmd: 'b' });
    expectTypeOf(byDescriptor).toEqualTypeOf<CliInbandReply>();
    expectTypeOf(byName).toEqualTypeOf<CliInbandReply>();
    expect(byDescriptor.reply).toBe('ran a');
    expect(byName.reply).toBe('ran b');
  });

  it('takes untyped definitions too', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
    const untyped = { ...cli_inband } as import('../../src/schema/model.js').MessageDef;
    await expect(c.request(untyped, { cmd: 'u' })).resolves.toMatchObject({ reply: 'ran u' });
  });

  it('rejects retval != 0 with VppApiError: code, symbolic name, description, request name', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', () => -6);
    const err = await c.request('cli_inband', { cmd: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VppApiError);
    expect(err).toMatchObject({ code: -6, symbol: 'NO_SUCH_ENTRY', description: 'No such entry', messageName: 'cli_inband', reply: { retval: -6 } });
    expect((err as Error).message).toBe('cli_inband: VPP returned -6 NO_SUCH_ENTRY (No such entry)');
  });

  it('names a return code VPP does not define as UNKNOWN', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', () => -9999);
    await expect(c.request('cli_inband', { cmd: 'x' })).rejects.toMatchObject({ code: -9999, symbol: 'UNKNOWN' });
  });

  it('rejects a value that does not encode with ValidationError, and sends nothing', async () => {
    const { sim, client: c } = await pair();
    let p!: Promise<unknown>;
    expect(() => (p = c.request('cli_inband', { cmd: 42 as unknown as string }))).not.toThrow();
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ messageName: 'cli_inband', path: 'cmd' });
    await c.request('control_ping');
    expect(sim.count('cli_inband')).toBe(0);
    expect(c.stats.inFlight).toBe(0);
  });

  it('refuses a header field in a value from plain JavaScript, rather than overwrite it, and sends nothing', async () => {
    const { sim, client: c } = await pair();
    const err = await c.request('cli_inband', { cmd: 'x', context: 7 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/^cli_inband: "context" is part of the message header, which the client sets/);
    await c.request('control_ping');
    expect(sim.count('cli_inband')).toBe(0);
  });

  it('rejects a dump passed to request with TypeError', async () => {
    const { client: c } = await pair();
    await expect(c.request(sw_interface_dump as MessageDef)).rejects.toBeInstanceOf(TypeError);
  });

  it('resolves 10,000 concurrent requests, answered in reverse order, each with its own reply', async () => {
    const { sim, client: c } = await pair();
    const n = 10_000;
    const calls: SimCall[] = [];
    sim.handle('cli_inband', (req, call) => {
      call.defer();
      calls.push(call);
      if (calls.length === n) for (const k of calls.reverse()) k.reply({ reply: `echo ${k.request.cmd}` });
    });
    const replies = await Promise.all(Array.from({ length: n }, (_, i) => c.request('cli_inband', { cmd: `c${i}` })));
    replies.forEach((r, i) => expect(r.reply).toBe(`echo c${i}`));
    // Each reply went to its own call, whatever order the answers came in.
    expect(c.stats).toEqual({ inFlight: 0, dropped: 0 });
  });

  it('coalesces the writes of one tick into one socket write', async () => {
    const sim = await simulator();
    let socket!: Socket;
    const c = await client(sim, {
      transport: async (listener, opts) => {
        socket = createConnection(sim.socketPath);
        await once(socket, 'connect');
        return new SocketTransport(socket, listener, opts.maxFrameSize);
      },
    });
    const write = vi.spyOn(socket, 'write');
    const pings = Array.from({ length: 100 }, () => c.request(control_ping));
    await Promise.all(pings);
    expect(write).toHaveBeenCalledTimes(1);
    expect(sim.count('control_ping')).toBe(100);
  });
});

describe('timeouts and aborts', () => {
  it('times out with TimeoutError, ignores the late reply, and leaves other calls alone', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
    const late = sim.holdNext('cli_inband');
    const timedOut = c.request('cli_inband', { cmd: 'late' }, { timeout: 50 });
    const err = await timedOut.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ messageName: 'cli_inband', timeout: 50 });
    // A call in flight when the late reply arrives must not get it.
    const second = sim.holdNext('cli_inband');
    const inFlight = c.request('cli_inband', { cmd: 'second' });
    await second.arrived;
    late.release();
    await c.request('control_ping');
    expect(c.stats.dropped).toBe(1);
    second.release();
    await expect(inFlight).resolves.toMatchObject({ reply: 'ran second' });
    await expect(c.request('cli_inband', { cmd: 'after' })).resolves.toMatchObject({ reply: 'ran after' });
  });

  it('applies the default call timeout', async () => {
    const { sim, client: c } = await pair({}, { callTimeout: 50 });
    sim.dropNext('cli_inband');
    await expect(c.request('cli_inband', { cmd: 'x' })).rejects.toMatchObject({ name: 'TimeoutError', timeout: 50 });
  });

  it('times out every call of a batch with different limits, none of them hanging', async () => {
    const { sim, client: c } = await pair();
    sim.dropNext('cli_inband', 30);
    const calls = Array.from({ length: 30 }, (_, i) => c.request('cli_inband', { cmd: `${i}` }, { timeout: 20 + (i % 3) * 15 }));
    const results = await Promise.allSettled(calls);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof TimeoutError)).toBe(true);
    expect(c.stats.inFlight).toBe(0);
  });

  it('rejects with AbortError before sending when the signal has already aborted', async () => {
    const { sim, client: c } = await pair();
    const err = await c.request('cli_inband', { cmd: 'x' }, { signal: AbortSignal.abort(new Error('no')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).cause).toMatchObject({ message: 'no' });
    await c.request('control_ping');
    expect(sim.count('cli_inband')).toBe(0);
  });

  it('rejects with AbortError when the signal aborts in flight, and drops the late reply', async () => {
    const { sim, client: c } = await pair();
    const held = sim.holdNext('cli_inband');
    const ac = new AbortController();
    const p = c.request('cli_inband', { cmd: 'x' }, { signal: ac.signal });
    await held.arrived;
    const reason = new Error('operator gave up');
    ac.abort(reason);
    await expect(p).rejects.toMatchObject({ name: 'AbortError', messageName: 'cli_inband', cause: reason });
    held.release();
    await c.request('control_ping');
    expect(c.stats).toEqual({ inFlight: 0, dropped: 1 });
  });
});
