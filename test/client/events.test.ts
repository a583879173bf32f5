import { describe, expect, expectTypeOf, it } from 'vitest';
import { CompatibilityError, ConnectionClosedError, SubscriptionOverflowError, VppApiError } from '../../src/client/index.js';
import { type SwInterfaceEvent, type WantInterfaceEventsReply, want_interface_events } from '../../src/gen/interface.js';
import { ALL, pair } from './fixture.js';

/** Rejects unless `p` rejects; resolves with its error. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('subscriptions', () => {
  it('subscribes with want_*, then iterates typed events', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe('want_interface_events');
    expectTypeOf(sub.reply).toEqualTypeOf<WantInterfaceEventsReply>();
    expect(sub.reply).toMatchObject({ retval: 0 });
    expect(sim.connections[0]!.subscriptions.get('want_interface_events')).toBe(process.pid);
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 7, flags: 3, deleted: false })).toBe(1);
    for await (const value of sub) {
      expectTypeOf(value).toEqualTypeOf<SwInterfaceEvent>();
      // The event's client_index is header: left out, as is its _vl_msg_id.
      expect(value).toEqual({ sw_if_index: 7, flags: 3, deleted: false, pid: process.pid });
      break;
    }
    expect(sim.connections[0]!.subscriptions.size).toBe(0);
  });

  it('routes events by message id while requests and dumps are in flight', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe(want_interface_events);
    sim.handle('sw_interface_dump', (_req, call) => {
      const out = [];
      for (let i = 0; i < 10; i++) {
        call.event('sw_interface_event', { sw_if_index: 100 + i });
        out.push({ sw_if_index: i });
      }
      return out;
    });
    const details = await c.dump('sw_interface_dump', ALL).toArray();
    expect(details.map((d) => d.sw_if_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sub.buffered).toBe(10);
    const events: number[] = [];
    for await (const e of sub) if (events.push(e.sw_if_index) === 10) break;
    expect(events).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(c.stats.dropped).toBe(0);
  });

  it('does not miss events VPP sends right after its reply', async () => {
    const { sim, client: c } = await pair();
    sim.on('request', (r) => r.name === 'want_interface_events' && setImmediate(() => sim.pushEvent('sw_interface_event', { sw_if_index: 3 })));
    const sub = await c.subscribe('want_interface_events');
    expect((await sub.next()).value).toMatchObject({ sw_if_index: 3 });
  });

  it('leaving the loop (break, or a throw in its body) unsubscribes with enable_disable = 0', async () => {
    const { sim, client: c } = await pair();
    const values: unknown[] = [];
    sim.on('request', (r) => r.name === 'want_interface_events' && values.push(r.value.enable_disable));
    for (const leave of ['break', 'throw'] as const) {
      const sub = await c.subscribe('want_interface_events');
      sim.pushEvent('sw_interface_event', { sw_if_index: 1 });
      sim.pushEvent('sw_interface_event', { sw_if_index: 2 });
      const loop = async (): Promise<void> => {
        for await (const _ of sub) {
          if (leave === 'break') break;
          throw new Error('body failed');
        }
      };
      if (leave === 'throw') await expect(loop()).rejects.toThrow('body failed');
      else await loop();
      expect(sim.connections[0]!.subscriptions.size).toBe(0);
      expect(sub.buffered).toBe(0);
      await expect(sub.next()).resolves.toEqual({ done: true, value: undefined });
    }
    expect(values).toEqual([1, 0, 1, 0]);
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });

  it('unsubscribe() sends enable_disable = 0; the loop takes the events held, then ends', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe('want_interface_events');
    sim.pushEvent('sw_interface_event', { sw_if_index: 1 });
    await c.request('control_ping'); // answered after the event, so the event is in
    const values: unknown[] = [];
    sim.on('request', (r) => r.name === 'want_interface_events' && values.push(r.value.enable_disable));
    await sub.unsubscribe();
    expect(values).toEqual([0]);
    expect(sim.connections[0]!.subscriptions.size).toBe(0);
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 2 })).toBe(0);
    const left: number[] = [];
    for await (const e of sub) left.push(e.sw_if_index);
    expect(left).toEqual([1]);
  });

  it("passes on VPP's refusal of a second subscription", async () => {
    const { client: c } = await pair();
    await c.subscribe('want_interface_events');
    await expect(c.subscribe('want_interface_events')).rejects.toSatisfy((e) => e instanceof VppApiError && e.symbol === 'INVALID_REGISTRATION');
  });

  it('past maxBuffered unread events, ends with SubscriptionOverflowError after the events held, and unsubscribes', async () => {
    const { sim, client: c } = await pair();
    const values: unknown[] = [];
    sim.on('request', (r) => r.name === 'want_interface_events' && values.push(r.value.enable_disable));
    const sub = await c.subscribe('want_interface_events', {}, { maxBuffered: 3 });
    for (let i = 1; i <= 5; i++) sim.pushEvent('sw_interface_event', { sw_if_index: i });
    await c.request('control_ping');
    expect(values).toEqual([1, 0]);
    const got: number[] = [];
    const err = await rejection((async () => {
      for await (const e of sub) got.push(e.sw_if_index);
    })());
    expect(got).toEqual([1, 2, 3]);
    expect(err).toBeInstanceOf(SubscriptionOverflowError);
    expect(err).toMatchObject({ messageName: 'want_interface_events', limit: 3 });
    expect((err as Error).message).toBe('want_interface_events: 3 events waited unread (maxBuffered 3); the subscription ended, and later events are not delivered');
    expect(sim.connections[0]!.subscriptions.size).toBe(0);
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });

  it("reports VPP's refusal of the disable sent after an overflow on the client's error event", async () => {
    const { sim, client: c } = await pair();
    sim.handle('want_interface_events', (req) => (req.enable_disable ? 0 : -89));
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    const sub = await c.subscribe('want_interface_events', {}, { maxBuffered: 1 });
    for (let i = 1; i <= 2; i++) sim.pushEvent('sw_interface_event', { sw_if_index: i }, { all: true });
    await c.request('control_ping'); // answered after the events: the second overflowed, and the disable went out
    await c.request('control_ping'); // sent after the disable, so answered after it
    expect((await sub.next()).value).toMatchObject({ sw_if_index: 1 });
    expect(await rejection(sub.next())).toBeInstanceOf(SubscriptionOverflowError);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^want_interface_events: VPP returned -89/)]);
  });

  it('a consumer that keeps up is not limited by maxBuffered', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe('want_interface_events', {}, { maxBuffered: 1 });
    const got: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const next = sub.next();
      sim.pushEvent('sw_interface_event', { sw_if_index: i });
      got.push(((await next).value as SwInterfaceEvent).sw_if_index);
    }
    expect(got).toEqual([1, 2, 3]);
  });

  it('refuses to subscribe when VPP lacks an event, or defines it differently, and sends nothing', async () => {
    for (const table of [{ omit: ['sw_interface_event'] }, { crcs: { sw_interface_event: '0xdeadbeef' } }]) {
      const { sim, client: c } = await pair(table);
      const err = await rejection(c.subscribe('want_interface_events'));
      expect(err).toBeInstanceOf(CompatibilityError);
      expect(err).toMatchObject({ messageName: 'sw_interface_event', reason: table.omit ? 'missing' : 'other-crc' });
      expect(sim.count('want_interface_events')).toBe(0);
    }
  });

  it('checks maxBuffered', async () => {
    const { client: c } = await pair();
    await expect(c.subscribe('want_interface_events', {}, { maxBuffered: 0 })).rejects.toThrow(RangeError);
    await expect(c.subscribe('want_interface_events', {}, { maxBuffered: 1.5 })).rejects.toThrow(/maxBuffered/);
  });

  it('ends the iteration when the client closes, and fails it when VPP goes away', async () => {
    const { client: c } = await pair();
    const sub = await c.subscribe('want_interface_events');
    const pending = sub.next();
    await c.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });

    const { sim, client: c2 } = await pair();
    const sub2 = await c2.subscribe('want_interface_events');
    const waiting = sub2.next();
    await sim.close();
    expect(await rejection(waiting)).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('want_* only through subscribe', () => {
  it('request() refuses a want_* with a TypeError naming it and subscribe, and sends nothing', async () => {
    const { sim, client: c } = await pair();
    const names: string[] = [];
    sim.on('request', (r) => names.push(r.name));
    const err = await rejection(c.request(want_interface_events as never, { enable_disable: 1, pid: 1 } as never));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(
      "want_interface_events is a subscription: use client.subscribe('want_interface_events'), which reads its events and sends it again after a reconnection",
    );
    await expect(c.request('want_interface_events' as 'control_ping')).rejects.toThrow(/want_interface_events is a subscription/);
    expect(names).toEqual([]);
  });

  it('subscribe() refuses what is not a want_*', async () => {
    const { client: c } = await pair();
    await expect(c.subscribe('control_ping' as 'want_interface_events')).rejects.toThrow('control_ping is not a subscription (want_*)');
  });
});
