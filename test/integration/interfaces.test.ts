/** Interfaces on a real VPP: loopbacks, admin state with events, addresses, dumps, delete. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Subscription } from '../../src/client/index.js';
import { IfStatusFlags } from '../../src/gen/interface_types.js';
import type { SwInterfaceEvent } from '../../src/gen/interface.js';
import { createTaggedLoopback, deleteTaggedLoopbacks } from './leftovers.js';
import { connectVpp, sleep, socket } from './vpp.js';

/** The tag of the loopbacks this file makes; an earlier run's leftovers are removed by it. */
const TAG = 'vppkit-it-interfaces';

describe.skipIf(!socket)('interfaces', () => {
  let vpp: Client;
  let sub: Subscription<SwInterfaceEvent>;
  const events: SwInterfaceEvent[] = [];
  const made: number[] = [];

  beforeAll(async () => {
    vpp = await connectVpp();
    await deleteTaggedLoopbacks(vpp, TAG);
    sub = await vpp.subscribe('want_interface_events', {});
    void (async () => {
      for await (const e of sub) events.push(e);
    })();
  });
  afterAll(async () => {
    if (!vpp) return;
    await sub?.unsubscribe();
    await deleteTaggedLoopbacks(vpp, TAG);
    await vpp.close();
  });

  async function waitFor(pred: (e: SwInterfaceEvent) => boolean): Promise<SwInterfaceEvent> {
    for (let i = 0; i < 100; i++) {
      const hit = events.find(pred);
      if (hit) return hit;
      await sleep(50);
    }
    throw new Error(`no matching sw_interface_event among ${JSON.stringify(events)}`);
  }

  it('creates loopbacks', async () => {
    for (const mac of ['02:fe:00:00:00:01', '02:fe:00:00:00:02']) {
      made.push(await createTaggedLoopback(vpp, TAG, mac));
    }
    expect(new Set(made).size).toBe(2);
  });

  it('sets them up and down, and VPP tells subscribers', async () => {
    const [a] = made;
    await vpp.request('sw_interface_set_flags', { sw_if_index: a!, flags: IfStatusFlags.IF_STATUS_API_FLAG_ADMIN_UP });
    const up = await waitFor((e) => e.sw_if_index === a && (e.flags & IfStatusFlags.IF_STATUS_API_FLAG_ADMIN_UP) !== 0);
    expect(up.deleted).toBe(false);
    events.length = 0;
    await vpp.request('sw_interface_set_flags', { sw_if_index: a!, flags: 0 });
    const down = await waitFor((e) => e.sw_if_index === a);
    expect(down.flags & IfStatusFlags.IF_STATUS_API_FLAG_ADMIN_UP).toBe(0);
  });

  it('adds addresses and reads them back', async () => {
    const [a] = made;
    await vpp.request('sw_interface_add_del_address', { sw_if_index: a!, is_add: true, del_all: false, prefix: '10.99.0.1/24' });
    await vpp.request('sw_interface_add_del_address', { sw_if_index: a!, is_add: true, del_all: false, prefix: '2001:db8:99::1/64' });
    const v4 = await vpp.dump('ip_address_dump', { sw_if_index: a!, is_ipv6: false }).toArray();
    const v6 = await vpp.dump('ip_address_dump', { sw_if_index: a!, is_ipv6: true }).toArray();
    expect(v4.map((d) => d.prefix)).toEqual(['10.99.0.1/24']);
    expect(v6.map((d) => d.prefix)).toContain('2001:db8:99::1/64');
  });

  it('dumps all interfaces, and by name filter', async () => {
    const all = await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
    const names = new Map(all.map((d) => [d.sw_if_index, d.interface_name]));
    for (const i of made) expect(names.get(i)).toMatch(/^loop\d+$/);
    expect(names.get(0)).toBe('local0');
    const loops = await vpp.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'loop' }).toArray();
    expect(loops.length).toBeGreaterThanOrEqual(2);
    expect(loops.every((d) => d.interface_name.includes('loop'))).toBe(true);
    const mac = all.find((d) => d.sw_if_index === made[1])!.l2_address;
    expect(mac).toBe('02:fe:00:00:00:02');
  });

  it('deletes them, and VPP says so', async () => {
    const b = made.pop()!;
    events.length = 0;
    await vpp.request('delete_loopback', { sw_if_index: b });
    await waitFor((e) => e.sw_if_index === b && e.deleted);
    const all = await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
    expect(all.some((d) => d.sw_if_index === b)).toBe(false);
  });
});
