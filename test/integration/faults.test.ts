/** Faults against a real VPP: VPP's error codes, timeouts that leave the connection usable, a restart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { ConnectionClosedError, TimeoutError, VppApiError } from '../../src/client/index.js';
import { createTaggedLoopback, deleteTaggedLoopbacks } from './leftovers.js';
import { cannotRestart, connectVpp, restartVpp, sleep, socket } from './vpp.js';

/** The tag of the loopbacks this file makes. */
const TAG = 'vppkit-it-faults';

describe.skipIf(!socket)('faults', () => {
  let vpp: Client;
  beforeAll(async () => {
    vpp = await connectVpp({ reconnect: { initialDelay: 200, maxDelay: 2000 } });
  });
  afterAll(() => vpp?.close());

  it('gives INVALID_SW_IF_INDEX for a wrong sw_if_index', async () => {
    const err = await vpp.request('sw_interface_set_flags', { sw_if_index: 987654, flags: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VppApiError);
    expect(err).toMatchObject({ code: -2, symbol: 'INVALID_SW_IF_INDEX' });
  });

  it('times out a 1 ms call against a slow CLI command, and stays usable', async () => {
    const err = await vpp.request('cli_inband', { cmd: 'wait 0.5' }, { timeout: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    await sleep(700); // the late reply arrives and is dropped
    const v = await vpp.request('show_version', {});
    expect(v.retval).toBe(0);
    expect(vpp.stats.dropped).toBeGreaterThanOrEqual(1);
  });

  it('rejects pending calls when VPP dies mid-dump, then reconnects; a subscription goes on', async (ctx) => {
    if (cannotRestart) ctx.skip(cannotRestart);
    const sub = await vpp.subscribe('want_interface_events');
    const slow = vpp.request('cli_inband', { cmd: 'wait 5' }).catch((e: unknown) => e);
    const dump = vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray().catch((e: unknown) => e);
    const reconnected = new Promise((resolve) => vpp.once('reconnected', resolve));
    await sleep(100);
    await restartVpp();
    expect(await slow).toBeInstanceOf(ConnectionClosedError);
    expect(await dump).toBeInstanceOf(ConnectionClosedError);
    await reconnected;
    const v = await vpp.request('show_version', {});
    expect(v.retval).toBe(0);
    // The same iteration hears the new VPP: the client sent want_interface_events to it again.
    const loop = await createTaggedLoopback(vpp, TAG);
    try {
      for await (const e of sub) if (e.sw_if_index === loop) break; // leaving unsubscribes
    } finally {
      await deleteTaggedLoopbacks(vpp, TAG);
    }
  });
});
