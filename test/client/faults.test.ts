import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, ProtocolError, VppApiError } from '../../src/client/index.js';
import type { Fields } from '../../src/testing/index.js';
import { framed } from '../helpers/frames.js';
import { ALL, client, next, pair, simulator } from './fixture.js';

const interfaces = (n: number): Fields[] => Array.from({ length: n }, (_, i) => ({ sw_if_index: i }));

/** Settles `p` and returns its rejection (or fails if it resolved). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => { throw new Error('expected a rejection'); },
    (e: Error) => e,
  );
}

describe('connection faults', () => {
  it('fails every call in flight at once with ConnectionClosedError when the socket closes mid-dump', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_dump', () => interfaces(1000));
    sim.holdNext('cli_inband');
    sim.closeMidDump('sw_interface_dump', 10);
    const unary = c.request('cli_inband', { cmd: 'x' });
    const disconnected = next<ConnectionClosedError>(c, 'disconnected');
    const got: number[] = [];
    const dumpError = await rejection((async () => {
      for await (const d of c.dump('sw_interface_dump', ALL)) got.push(d.sw_if_index);
    })());
    expect(dumpError).toBeInstanceOf(ConnectionClosedError);
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await rejection(unary)).toBeInstanceOf(ConnectionClosedError);
    expect(await disconnected).toBe(dumpError);
    expect(c.state).toBe('closed');
    await expect(c.request('control_ping')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('fails the connection with a ProtocolError on a frame over maxFrameSize', async () => {
    const { sim, client: c } = await pair({}, { maxFrameSize: 1024 * 1024 });
    const held = sim.holdNext('cli_inband');
    const call = c.request('cli_inband', { cmd: 'x' });
    await held.arrived;
    sim.sendOversized(2 * 1024 * 1024);
    const err = await rejection(call);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBeInstanceOf(ProtocolError);
    expect((err.cause as Error).message).toMatch(/2097152 bytes, over the limit of 1048576/);
    expect(c.state).toBe('closed');
  });

  it('fails the connection with a ProtocolError on a frame too short for a message', async () => {
    const { sim, client: c } = await pair();
    const disconnected = next<ConnectionClosedError>(c, 'disconnected');
    sim.sendGarbage();
    const err = await disconnected;
    expect(err.cause).toBeInstanceOf(ProtocolError);
    expect((err.cause as Error).message).toMatch(/too short/);
  });

  it('fails the connection with a ProtocolError on a reply that does not decode', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (_req, call) => {
      call.defer();
      // retval 0, then a string claiming 1000 bytes where 3 follow.
      const payload = Buffer.alloc(2 + 4 + 4 + 4 + 3);
      payload.writeUInt16BE(sim.idOf('cli_inband_reply'), 0);
      payload.writeUInt32BE(call.context, 2);
      payload.writeUInt32BE(1000, 10);
      call.connection.sendRaw(framed([payload]));
    });
    const err = await rejection(c.request('cli_inband', { cmd: 'x' }));
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBeInstanceOf(ProtocolError);
    expect((err.cause as Error).message).toMatch(/malformed cli_inband_reply/);
  });

  it('rejects a call answered with another message under its context with a ProtocolError, and goes on', async () => {
    const { sim, client: c } = await pair();
    sim.handle('cli_inband', (_req, call) => {
      call.defer();
      // A control_ping_reply (id, context, retval, client_index, vpe_pid) under cli_inband's context.
      const payload = Buffer.alloc(2 + 4 + 4 + 4 + 4);
      payload.writeUInt16BE(sim.idOf('control_ping_reply'), 0);
      payload.writeUInt32BE(call.context, 2);
      call.connection.sendRaw(framed([payload]));
    });
    const err = await rejection(c.request('cli_inband', { cmd: 'x' }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toBe(`cli_inband: VPP answered with message id ${sim.idOf('control_ping_reply')}, not cli_inband_reply (id ${sim.idOf('cli_inband_reply')})`);
    expect(c.stats.inFlight).toBe(0);
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });

  it('closes without hanging while a stalled consumer holds the socket paused', async () => {
    const { sim, client: c } = await pair({}, { highWaterMark: 16, closeTimeout: 100 });
    sim.handle('sw_interface_dump', () => interfaces(50_000));
    const it = c.dump('sw_interface_dump', ALL);
    await it.next();
    while (it.buffered < 16) await tick();
    await c.close();
    expect(c.state).toBe('closed');
    const rest = await rejection((async () => { for await (const _ of it); })());
    expect(rest).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('reconnect', () => {
  const reconnect = { initialDelay: 10, maxDelay: 40 };

  it('after a restart mid-dump: rejects pending calls, reconnects with the new ids, re-subscribes', async () => {
    const sim = await simulator();
    const c = await client(sim, { reconnect, highWaterMark: 64 });
    const sub = await c.subscribe('want_interface_events');
    sim.pushEvent('sw_interface_event', { sw_if_index: 4 });
    // Waiting across the restart: the same iteration goes on with the new connection's events.
    const events = (async () => {
      const got: number[] = [];
      for await (const e of sub) if (got.push(e.sw_if_index) === 2) return got;
      return got;
    })();
    sim.handle('sw_interface_dump', () => interfaces(100_000));
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));
    const states: string[] = [];
    c.on('disconnected', () => states.push('disconnected'));
    c.on('reconnecting', ({ attempt }) => states.push(`reconnecting ${attempt}`));
    const reconnected = next(c, 'reconnected');

    const dump = c.dump('sw_interface_dump', ALL);
    await dump.next();
    // Behind the dump in VPP's queue, so in flight when VPP goes.
    const queued = rejection(c.request('cli_inband', { cmd: 'queued' }));
    const oldId = sim.idOf('cli_inband');
    await sim.restart({ firstId: 2000 });

    expect(await queued).toBeInstanceOf(ConnectionClosedError);
    expect(await rejection((async () => { for await (const _ of dump); })())).toBeInstanceOf(ConnectionClosedError);
    await reconnected;
    expect(states.slice(0, 2)).toEqual(['disconnected', 'reconnecting 1']);
    expect(c.state).toBe('open');

    expect(sim.idOf('cli_inband')).not.toBe(oldId);
    const reply = await c.request('cli_inband', { cmd: 'again' });
    expect(reply).toEqual({ retval: 0, reply: 'ran again' });
    expect(c.clientIndex).toBe(sim.connections[0]!.index);

    expect(sim.count('want_interface_events')).toBe(2);
    expect(sim.connections[0]!.subscriptions.get('want_interface_events')).toBe(process.pid);
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 5 })).toBe(1);
    expect(await events).toEqual([4, 5]);
  });

  it('a subscription VPP refuses after a reconnect ends its iteration with the refusal', async () => {
    const sim = await simulator();
    const c = await client(sim, { reconnect });
    const sub = await c.subscribe('want_interface_events');
    sim.handle('want_interface_events', () => -89);
    const ended = rejection(sub.next());
    const reconnected = next(c, 'reconnected');
    await sim.restart();
    await reconnected;
    expect(await ended).toBeInstanceOf(VppApiError);
    expect(((await ended) as Error).message).toMatch(/want_interface_events: VPP returned -89/);
    expect(c.state).toBe('open');
  });

  it('rejects calls at once while reconnecting', async () => {
    const sim = await simulator();
    const c = await client(sim, { reconnect: { initialDelay: 20 } });
    const reconnecting = next(c, 'reconnecting');
    const restarted = sim.restart({ downtime: 100 });
    await reconnecting;
    expect(c.state).toBe('reconnecting');
    await expect(c.request('control_ping')).rejects.toThrow(/reconnecting/);
    await restarted;
    await next(c, 'reconnected');
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });

  it('gives up after maxAttempts and closes with the last error', async () => {
    const sim = await simulator();
    const c = await client(sim, { reconnect: { initialDelay: 5, maxAttempts: 2 } });
    const attempts: number[] = [];
    c.on('reconnecting', ({ attempt }) => attempts.push(attempt));
    const closed = next<Error | undefined>(c, 'closed');
    await sim.close();
    const err = await closed;
    expect(attempts).toEqual([1, 2]);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(c.state).toBe('closed');
  });

  it('stops reconnecting on close()', async () => {
    const sim = await simulator();
    const c = await client(sim, { reconnect: { initialDelay: 10_000 } });
    const reconnecting = next(c, 'reconnecting');
    await sim.close();
    await reconnecting;
    await c.close();
    expect(c.state).toBe('closed');
  });
});
