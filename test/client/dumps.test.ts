import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AbortError, TimeoutError, ValidationError, VppApiError } from '../../src/client/index.js';
import { type SwInterfaceDetails, type SwInterfaceTxPlacementDetails, sw_interface_dump } from '../../src/gen/interface.js';
import { cli_inband } from '../../src/gen/vlib.js';
import { type Fields, cursorStream } from '../../src/testing/index.js';
import { ALL, pair } from './fixture.js';
import type { MessageDef } from '../../src/schema/index.js';

const interfaces = (prefix: string, n: number): Fields[] => Array.from({ length: n }, (_, i) => ({ sw_if_index: i, interface_name: `${prefix}${i}` }));

describe('dump', () => {
  it('iterates typed details, ended by the control_ping sent with the same context', async () => {
    const { sim, client: c } = await pair();
    const contexts: [string, unknown][] = [];
    sim.on('request', (r) => contexts.push([r.name, r.value.context]));
    sim.handle('sw_interface_dump', () => interfaces('eth', 3));
    const details = await c.dump('sw_interface_dump', ALL).toArray();
    expectTypeOf(details).toEqualTypeOf<SwInterfaceDetails[]>();
    expect(details.map((d) => d.interface_name)).toEqual(['eth0', 'eth1', 'eth2']);
    expect(contexts).toHaveLength(2);
    expect(contexts[0]![0]).toBe('sw_interface_dump');
    expect(contexts[1]).toEqual(['control_ping', contexts[0]![1]]);
  });

  it('gives details as views on request: the same values, decoded as they are read', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_dump', () => interfaces('eth', 3));
    const plain = await c.dump('sw_interface_dump', ALL).toArray();
    const it = c.dump('sw_interface_dump', ALL);
    const views = await it.views().toArray();
    expectTypeOf(views[0]!.interface_name).toEqualTypeOf<string>();
    expect(views.map((v) => v.interface_name)).toEqual(['eth0', 'eth1', 'eth2']);
    // Each dump has its own context; everything else is the same.
    for (const [i, v] of views.entries()) for (const k of Object.keys(plain[i]!).filter((k) => k !== 'context')) expect(v[k as keyof typeof v], k).toEqual(plain[i]![k as keyof SwInterfaceDetails]);
    expect(JSON.parse(JSON.stringify(views[1]))).toEqual(JSON.parse(JSON.stringify(views[1]!.toJSON())));
    expect(() => it.views()).toThrow(/before the iteration starts/);
  });

  it('sends nothing until iterated, and passes the request', async () => {
    const { sim, client: c } = await pair();
    const filters: unknown[] = [];
    sim.handle('sw_interface_dump', (req) => void filters.push(req.name_filter));
    const it = c.dump(sw_interface_dump, { name_filter_valid: true, name_filter: 'loop' });
    await c.request('control_ping');
    expect(sim.count('sw_interface_dump')).toBe(0);
    expect(await it.toArray()).toEqual([]);
    expect(filters).toEqual(['loop']);
  });

  it('breaking out discards the rest of that dump; the next call gets only its own', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_dump', (req) => interfaces(req.name_filter === 'b' ? 'b' : 'a', req.name_filter === 'b' ? 3 : 5000));
    const first = c.dump('sw_interface_dump', ALL);
    let taken = 0;
    let bufferedAtBreak = -1;
    for await (const d of first) {
      expect(d.interface_name).toBe(`a${taken}`);
      if (++taken === 10) {
        bufferedAtBreak = first.buffered;
        break;
      }
    }
    expect(c.stats.inFlight).toBe(0);
    const second = await c.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'b' }).toArray();
    expect(second.map((d) => d.interface_name)).toEqual(['b0', 'b1', 'b2']);
    // Every detail not yet received at the break, and its ping reply, was dropped.
    expect(c.stats.dropped).toBe(5000 - taken - bufferedAtBreak + 1);
    await expect(c.request('cli_inband', { cmd: 'x' })).resolves.toMatchObject({ retval: 0 });
    expect(await first.next()).toEqual({ done: true, value: undefined });
  });

  it('streams 100,000 details with a slow consumer in a bounded buffer', async () => {
    const highWaterMark = 256;
    const total = 100_000;
    const { sim, client: c } = await pair({}, { highWaterMark });
    let generated = 0;
    sim.handle('sw_interface_dump', function* () {
      for (let i = 0; i < total; i++, generated++) yield { sw_if_index: i, interface_name: `eth${i}` };
    });
    const blocked = new Promise((resolve) => sim.once('backpressure', resolve));
    const it = c.dump('sw_interface_dump', ALL);
    const first = await it.next();
    expect(first.value?.sw_if_index).toBe(0);
    // The consumer stalls: the client fills its buffer to the mark and stops reading, so VPP's side has to wait.
    await blocked;
    while (it.buffered < highWaterMark) await tick();
    for (let i = 0; i < 10; i++) await tick();
    expect(it.buffered).toBe(highWaterMark);
    expect(generated).toBeLessThan(total);
    let n = 1;
    let maxBuffered = it.buffered;
    for await (const d of it) {
      if (d.sw_if_index !== n) expect(d.sw_if_index).toBe(n);
      n++;
      maxBuffered = Math.max(maxBuffered, it.buffered);
      if (n % 500 === 0) await tick();
    }
    expect(n).toBe(total);
    expect(maxBuffered).toBeLessThanOrEqual(highWaterMark);
    expect(c.stats).toEqual({ inFlight: 0, dropped: 0 });
  });

  it('rejects a name with no definition, or a request that is not a dump, on the first next()', async () => {
    const { client: c } = await pair();
    await expect(c.dump('no_such_dump' as 'sw_interface_dump', ALL).next()).rejects.toMatchObject({ name: 'UnknownMessageError', messageName: 'no_such_dump' });
    await expect(c.dump(cli_inband as MessageDef).next()).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects a request that does not encode on the first next(), sending nothing', async () => {
    const { sim, client: c } = await pair();
    await expect(c.dump('sw_interface_dump', { ...ALL, sw_if_index: -5 }).next()).rejects.toBeInstanceOf(ValidationError);
    await c.request('control_ping');
    expect(sim.count('sw_interface_dump')).toBe(0);
  });

  it('times out when the dump never ends, after handing over what came', async () => {
    const { sim, client: c } = await pair();
    let finish!: () => void;
    const stalled = new Promise<void>((resolve) => (finish = resolve));
    sim.handle('sw_interface_dump', async function* () {
      yield* interfaces('eth', 3);
      await stalled;
    });
    const got: string[] = [];
    const err = await (async () => {
      for await (const d of c.dump('sw_interface_dump', ALL, { timeout: 100 })) got.push(d.interface_name);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['eth0', 'eth1', 'eth2']);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ messageName: 'sw_interface_dump', timeout: 100 });
    finish();
    await c.request('control_ping');
    expect(c.stats.dropped).toBe(1);
  });

  it('stops with AbortError when the signal aborts mid-dump', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_dump', () => interfaces('eth', 2000));
    const ac = new AbortController();
    const it = c.dump('sw_interface_dump', ALL, { signal: ac.signal });
    await it.next();
    ac.abort();
    await expect((async () => { for await (const _ of it); })()).rejects.toBeInstanceOf(AbortError);
    await expect(c.request('control_ping')).resolves.toMatchObject({ retval: 0 });
  });
});

describe('cursor streams', () => {
  const rows = (n: number): Fields[] => Array.from({ length: n }, (_, i) => ({ sw_if_index: i, queue_id: i % 4 }));

  it('asks again from the returned cursor on -165 until VPP says done', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_tx_placement_get', cursorStream(rows(2500), 1000));
    const cursors: unknown[] = [];
    sim.on('request', (r) => r.name === 'sw_interface_tx_placement_get' && cursors.push(r.value.cursor));
    const details = await c.stream('sw_interface_tx_placement_get', { sw_if_index: 0xffffffff }).toArray();
    expectTypeOf(details).toEqualTypeOf<SwInterfaceTxPlacementDetails[]>();
    expect(details.map((d) => d.sw_if_index)).toEqual(rows(2500).map((r) => r.sw_if_index));
    expect(cursors).toEqual([0, 1000, 2000]);
  });

  it('treats the empty table answer (-7, no details) as the end', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_tx_placement_get', cursorStream([], 10));
    expect(await c.stream('sw_interface_tx_placement_get', { sw_if_index: 1 }).toArray()).toEqual([]);
  });

  it('rejects another retval with VppApiError', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_tx_placement_get', () => -2);
    const err = await c.stream('sw_interface_tx_placement_get', { sw_if_index: 9 }).toArray().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VppApiError);
    expect(err).toMatchObject({ code: -2, symbol: 'INVALID_SW_IF_INDEX' });
  });

  it('sends no more rounds after the consumer breaks out', async () => {
    const { sim, client: c } = await pair();
    sim.handle('sw_interface_tx_placement_get', cursorStream(rows(5000), 100));
    let n = 0;
    for await (const _ of c.stream('sw_interface_tx_placement_get', { sw_if_index: 0xffffffff })) if (++n === 150) break;
    await c.request('control_ping');
    const rounds = sim.count('sw_interface_tx_placement_get');
    await c.request('control_ping');
    expect(sim.count('sw_interface_tx_placement_get')).toBe(rounds);
    expect(rounds).toBeLessThan(50);
  });
});
