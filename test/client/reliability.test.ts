/**
 * What adversarial probing found (issue 13): no hang, no storm, no callback that breaks the
 * client, no memory kept, no frame allocated past its limit.
 */
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, ConnectionClosedError, ProtocolError, TimeoutError, connect } from '../../src/client/index.js';
import { encode } from '../../src/codec/index.js';
import { FrameWriter } from '../../src/transport/framing.js';
import { defineMessage } from '../../src/schema/index.js';
import type { Fields } from '../../src/testing/index.js';
import { ALL, client, next, pair, simulator } from './fixture.js';

const interfaces = (n: number): Fields[] => Array.from({ length: n }, (_, i) => ({ sw_if_index: i }));

/** Settles `p` and returns its rejection (or fails if it resolved). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => { throw new Error('expected a rejection'); },
    (e: Error) => e,
  );
}

/** Process warnings emitted during a test. */
let warnings: Error[] = [];
const onWarning = (w: Error): void => void warnings.push(w);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => void process.off('warning', onWarning));

describe('a stalled dump does not hide a disconnect (item 1)', () => {
  it('fails every call in flight with ConnectionClosedError while reading is paused', async () => {
    const { sim, client: c } = await pair({}, { highWaterMark: 16, callTimeout: Infinity });
    sim.handle('sw_interface_dump', () => interfaces(50_000));
    const dump = c.dump('sw_interface_dump', ALL);
    await dump.next();
    while (dump.buffered < 16) await tick();
    // Queued behind the dump in the simulator, as VPP would: in flight when it goes.
    const unary = rejection(c.request('cli_inband', { cmd: 'x' }));
    await tick(); // written: a write after the close would see it
    const disconnected = next<ConnectionClosedError>(c, 'disconnected');
    for (const conn of sim.connections) conn.destroy();
    expect(await unary).toBeInstanceOf(ConnectionClosedError);
    expect(await disconnected).toBeInstanceOf(ConnectionClosedError);
    expect(c.state).toBe('closed');
    // The details already received are still handed over, then the error.
    let taken = 0;
    const rest = await rejection((async () => { for await (const _ of dump) taken++; })());
    expect(rest).toBeInstanceOf(ConnectionClosedError);
    expect(taken).toBeGreaterThan(0);
  });
});

describe('timeout options are checked where they are given (item 2)', () => {
  it.each([NaN, -1, '200', null, {}])('a call with timeout %s rejects at once, and other calls still time out', async (timeout) => {
    const { sim, client: c } = await pair();
    sim.holdNext('cli_inband');
    const bad = await rejection(c.request('cli_inband', { cmd: 'x' }, { timeout: timeout as number }));
    expect(bad).toBeInstanceOf(typeof timeout === 'number' ? RangeError : TypeError);
    expect(bad.message).toMatch(/^cli_inband: timeout must be a number of milliseconds/);
    sim.holdNext('cli_inband');
    expect(await rejection(c.request('cli_inband', { cmd: 'y' }, { timeout: 20 }))).toBeInstanceOf(TimeoutError);
  });

  it('takes timeouts above 2^31-1 ms without spinning the timer or warning', async () => {
    const { sim, client: c } = await pair();
    sim.holdNext('cli_inband');
    void c.request('cli_inband', { cmd: 'long' }, { timeout: 2 ** 32 }).catch(() => undefined);
    sim.holdNext('cli_inband');
    expect(await rejection(c.request('cli_inband', { cmd: 'short' }, { timeout: 20 }))).toBeInstanceOf(TimeoutError);
    expect(await c.request('show_version', {}, { timeout: 2 ** 40 })).toMatchObject({ retval: 0 });
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
  });

  it('connects with timeout Infinity or above 2^31-1 ms', async () => {
    const sim = await simulator();
    await expect(client(sim, { timeout: Infinity })).resolves.toMatchObject({ state: 'open' });
    await expect(client(sim, { timeout: 2 ** 31 })).resolves.toMatchObject({ state: 'open' });
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
  });

  it.each([
    ['timeout', NaN], ['callTimeout', '1000'], ['closeTimeout', -5], ['highWaterMark', 0], ['maxFrameSize', NaN],
    ['maxFrameSize', Infinity], ['maxFrameSize', 2 ** 32], ['reconnect', { initialDelay: NaN }], ['reconnect', { factor: 0.5 }], ['reconnect', { maxAttempts: -1 }],
  ])('connect refuses %s: %s before connecting', async (name, value) => {
    const sim = await simulator();
    const err = await rejection(connect({ socket: sim.socketPath, [name]: value }));
    expect(err.name).toMatch(/^(TypeError|RangeError)$/);
    expect(err.message).toContain(name === 'reconnect' ? Object.keys(value as object)[0] : name);
    expect(sim.connections).toHaveLength(0);
  });
});

describe('a listener that throws cannot break the client (item 3)', () => {
  const reconnect = { initialDelay: 5, maxDelay: 10 };

  it("a throwing 'closed' listener: close() still resolves, and the error is reported", async () => {
    const { client: c } = await pair();
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    c.on('closed', () => { throw new Error('closed listener'); });
    await expect(c.close()).resolves.toBeUndefined();
    expect(c.state).toBe('closed');
    expect(errors.map((e) => e.message)).toEqual(['closed listener']);
  });

  it("a throwing 'disconnected' listener: the client still moves on to 'closed'", async () => {
    const { sim, client: c } = await pair();
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    c.on('disconnected', () => { throw new Error('disconnected listener'); });
    const closed = next(c, 'closed');
    for (const conn of sim.connections) conn.destroy();
    await closed;
    expect(c.state).toBe('closed');
    expect(errors.map((e) => e.message)).toEqual(['disconnected listener']);
  });

  it("throwing 'reconnecting' and 'reconnected' listeners: one session, the client open", async () => {
    const { sim, client: c } = await pair({}, { reconnect });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    const reconnected = next(c, 'reconnected'); // first: a listener that throws stops the ones after it
    c.on('reconnecting', () => { throw new Error('reconnecting listener'); });
    c.on('reconnected', () => { throw new Error('reconnected listener'); });
    for (const conn of sim.connections) conn.destroy();
    await reconnected;
    await tick();
    expect(c.state).toBe('open');
    expect(sim.connections).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual(['reconnecting listener', 'reconnected listener']);
    const gone = next(sim, 'disconnect');
    await c.close();
    await gone;
    expect(sim.connections).toHaveLength(0);
  });

  it('with no error listener, the error is thrown outside the client, which carries on', async () => {
    const { client: c } = await pair();
    const uncaught: Error[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', (e) => uncaught.push(e));
    try {
      c.on('closed', () => { throw new Error('nobody listens'); });
      await expect(c.close()).resolves.toBeUndefined();
      await tick();
      expect(uncaught.map((e) => e.message)).toEqual(['nobody listens']);
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const l of listeners) process.on('uncaughtException', l);
    }
  });
});

describe('one AbortSignal shared by many calls (item 4)', () => {
  it('adds one listener to the signal, whatever the number of calls, and aborts them all', async () => {
    const { sim, client: c } = await pair({}, { closeTimeout: 10 });
    sim.handle('cli_inband', () => new Promise(() => undefined));
    const ac = new AbortController();
    const calls = Array.from({ length: 100 }, (_, i) => rejection(c.request('cli_inband', { cmd: `${i}` }, { signal: ac.signal })));
    await tick();
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    ac.abort('enough');
    const errs = await Promise.all(calls);
    expect(errs.every((e) => e instanceof AbortError)).toBe(true);
    expect(c.stats.inFlight).toBe(0);
  });
});

describe('frame limits (item 5)', () => {
  it('the simulator refuses a frame over its limit before allocating, and drops the client', async () => {
    const sim = await simulator({ maxFrameSize: 1024 * 1024 });
    const errors: Error[] = [];
    sim.on('error', (e) => errors.push(e));
    const socket = createConnection(sim.socketPath);
    await once(socket, 'connect');
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0xffffffff, 8);
    socket.write(header);
    await once(socket, 'close');
    expect(errors[0]).toBeInstanceOf(ProtocolError);
    expect(errors[0]!.message).toMatch(/4294967295 bytes, over the limit of 1048576/);
  });

  it('the simulator refuses a limit that is not a whole number of bytes', async () => {
    await expect(simulator({ maxFrameSize: Infinity })).rejects.toThrow(RangeError);
  });
});

describe('buffers shrink back after an outsized message (item 6)', () => {
  it("the session's FrameWriter", () => {
    const fw = new FrameWriter();
    const initial = fw.out.buf.length;
    const w = fw.begin();
    w.grow(100 * 1024 * 1024);
    w.pos += 100 * 1024 * 1024;
    fw.commit();
    expect(fw.take().length).toBe(100 * 1024 * 1024 + 16);
    expect(fw.out.buf.length).toBe(initial);
  });

  it("encode()'s scratch buffer", async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const big = defineMessage('t', 't_big', '0x00000000', [['_vl_msg_id', 'u16'], ['data', 'u8', 0]], {}, 'event');
    gc();
    const before = process.memoryUsage().arrayBuffers;
    let input: Uint8Array | undefined = new Uint8Array(100 * 1024 * 1024);
    let bytes: Uint8Array | undefined = encode(big, { data: input });
    expect(bytes.length).toBe(100 * 1024 * 1024 + 2);
    input = bytes = undefined;
    gc();
    await tick();
    gc();
    // Only the input and the copy returned were that big, and both are gone.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('handshake (item 12)', () => {
  it('refuses a message table in which names share an id, with a ProtocolError', async () => {
    const sim = await simulator({ ids: { acl_add_replace: 29, acl_del: 29, acl_dump: 29 } });
    const err = await rejection(connect({ socket: sim.socketPath }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toMatch(/message id 29 .*acl_/);
  });

  it('a protocol error during the handshake rejects connect() with the ProtocolError itself', async () => {
    const sim = await simulator();
    sim.on('connection', () => sim.sendOversized(64 * 1024 * 1024));
    const err = await rejection(connect({ socket: sim.socketPath, maxFrameSize: 1024 * 1024 }));
    expect(err).toBeInstanceOf(ProtocolError);
  });
});
