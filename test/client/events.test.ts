import { describe, expect, expectTypeOf, it } from 'vitest';
import { VppApiError } from '../../src/client/index.js';
import { type SwInterfaceEvent, want_interface_events } from '../../src/gen/interface.js';
import { ALL, next, pair } from './fixture.js';

describe('events', () => {
  it('subscribes with want_*, then emits typed events by message name', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe('want_interface_events');
    expect(sub.reply).toMatchObject({ retval: 0 });
    expect(sim.connections[0]!.subscriptions.get('want_interface_events')).toBe(process.pid);
    const got = new Promise<SwInterfaceEvent>((resolve) => c.on('sw_interface_event', (e) => {
      expectTypeOf(e).toEqualTypeOf<SwInterfaceEvent>();
      resolve(e);
    }));
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 7, flags: 3, deleted: false })).toBe(1);
    // The event's client_index is header: left out, as is its _vl_msg_id.
    expect(await got).toEqual({ sw_if_index: 7, flags: 3, deleted: false, pid: process.pid });
  });

  it('routes events by message id while requests and dumps are in flight', async () => {
    const { sim, client: c } = await pair();
    await c.subscribe(want_interface_events);
    sim.handle('sw_interface_dump', (_req, call) => {
      const out = [];
      for (let i = 0; i < 10; i++) {
        call.event('sw_interface_event', { sw_if_index: 100 + i });
        out.push({ sw_if_index: i });
      }
      return out;
    });
    const events: number[] = [];
    c.on('sw_interface_event', (e) => events.push(e.sw_if_index));
    const details = await c.dump('sw_interface_dump', ALL).toArray();
    expect(details.map((d) => d.sw_if_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(c.stats.dropped).toBe(0);
  });

  it('unsubscribes with enable_disable = 0', async () => {
    const { sim, client: c } = await pair();
    const sub = await c.subscribe('want_interface_events');
    const values: unknown[] = [];
    sim.on('request', (r) => r.name === 'want_interface_events' && values.push(r.value.enable_disable));
    await sub.unsubscribe();
    expect(values).toEqual([0]);
    expect(sim.connections[0]!.subscriptions.size).toBe(0);
    expect(sim.pushEvent('sw_interface_event', { sw_if_index: 1 })).toBe(0);
  });

  it("passes on VPP's refusal of a second subscription", async () => {
    const { client: c } = await pair();
    await c.subscribe('want_interface_events');
    await expect(c.subscribe('want_interface_events')).rejects.toSatisfy((e) => e instanceof VppApiError && e.symbol === 'INVALID_REGISTRATION');
  });

  it('reports a listener that throws as an error event and keeps the connection', async () => {
    const { sim, client: c } = await pair();
    await c.subscribe('want_interface_events');
    c.on('sw_interface_event', () => {
      throw new Error('listener bug');
    });
    const error = next<Error>(c, 'error');
    sim.pushEvent('sw_interface_event', { sw_if_index: 1 });
    expect((await error).message).toBe('listener bug');
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });
});
