/**
 * The desired-state reconciler on a real VPP: random pairs of states and random sequences of
 * key changes applied incrementally (loopbacks and memifs; no taps, as this VPP cannot open
 * /dev/vhost-net: taps are covered against the model only), drift made by hand with vppctl, and
 * a rebuild after VPP restarts.
 */
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { type DesiredState, apply, formatApplyResult, plan } from '../../src/desired/index.js';
import { applyKeyChanges, desiredState, heldAndWanted, keyChange } from '../helpers/desired.js';
import { cannotRestart, cli, connectVpp, noVppctl, restartVpp, socket, vppctl, vppIsOurs } from './vpp.js';

const MEMIF_SOCKET = join(tmpdir(), `vppkit-desired-${process.pid}.sock`);
/** How VPP was before: NAT44-ED on or off. The suite leaves it so, and removes what it made. */
let natWasOn = false;

async function cleanUp(vpp: Client): Promise<void> {
  const r = await apply(vpp, natWasOn || !vppIsOurs ? {} : { nat44: { enabled: false } });
  expect(r.ok, formatApplyResult(r)).toBe(true);
  const sockets = await vpp.dump('memif_socket_filename_dump').toArray();
  for (const s of sockets.filter((s) => s.socket_filename === MEMIF_SOCKET)) await vpp.request('memif_socket_filename_add_del_v2', { is_add: false, socket_id: s.socket_id, socket_filename: '' });
}

describe.skipIf(!socket)('desired state on a real VPP', () => {
  let vpp: Client;
  beforeAll(async () => {
    vpp = await connectVpp();
    natWasOn = (await vpp.request('nat44_show_running_config')).sessions !== 0;
  });
  afterAll(async () => {
    if (!vpp) return;
    await cleanUp(vpp);
    await vpp.close();
  });

  it('property: apply(A) then apply(B) leaves what B asks, and B then plans nothing', async () => {
    // NAT44 is claimed (and disabled) only on a VPP the suite started: a user's VPP keeps its NAT.
    const arb = desiredState({ kinds: ['loopback', 'memif'], memifSocket: MEMIF_SOCKET, nat44: vppIsOurs && !natWasOn });
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        for (const s of [a, b]) {
          const r = await apply(vpp, s);
          expect(r.ok, formatApplyResult(r)).toBe(true);
        }
        const { held, wanted } = await heldAndWanted(vpp, b);
        expect(held).toEqual(wanted);
        expect((await plan(vpp, b)).calls).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it('property: each key change applied incrementally, as the agent does, leaves what the keys ask, and a full plan is empty', async () => {
    const change = keyChange({ kinds: ['loopback', 'memif'], memifSocket: MEMIF_SOCKET, nat44: vppIsOurs && !natWasOn });
    let incremental = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 5, maxLength: 15 }), async (changes) => {
        incremental += await applyKeyChanges(vpp, changes);
      }),
      { numRuns: 10 },
    );
    expect(incremental).toBeGreaterThan(20);
  }, 300_000);

  const STATE: DesiredState = {
    interfaces: [
      { name: 'drift-lo', type: 'loopback', enabled: true, ipAddresses: ['10.77.0.1/24'], mtu: 1500 },
      { name: 'drift-memif', type: 'memif', enabled: true, ipAddresses: ['10.77.1.1/24'], memif: { id: 77, master: true, socketFilename: MEMIF_SOCKET } },
    ],
    acls: [{ name: 'drift-acl', rules: [{ action: 'permit', protocol: 'tcp', destinationPort: { first: 22, last: 22 } }], interfaces: { ingress: ['drift-lo'] } }],
  };

  it('shows exactly what was changed by hand with vppctl, and repairs it', async () => {
    expect((await apply(vpp, STATE)).ok).toBe(true);
    const lo = (await vpp.dump('sw_interface_dump', { sw_if_index: 0xffffffff, name_filter_valid: false, name_filter: '' }).toArray()).find((i) => i.tag === 'vppkit:drift-lo')!;
    // VPP's own vppctl when this VPP's CLI socket is known; else the same commands over the API.
    if (noVppctl) console.log(`desired: drift made with cli_inband, not vppctl: ${noVppctl}`);
    const byHand = noVppctl ? (cmd: string) => cli(vpp, cmd) : vppctl;
    await byHand(`set interface state ${lo.interface_name} down`);
    await byHand(`set interface ip address del ${lo.interface_name} 10.77.0.1/24`);
    await byHand(`set interface mtu packet 1400 ${lo.interface_name}`);
    const p = await plan(vpp, STATE);
    expect(p.calls.map((c) => `${c.key}: ${c.summary}`)).toEqual(['interface/drift-lo: add address 10.77.0.1/24', 'interface/drift-lo: mtu 1400 → 1500', 'interface/drift-lo: admin up']);
    expect((await apply(vpp, STATE)).ok).toBe(true);
    expect((await plan(vpp, STATE)).calls).toEqual([]);
  });

  it.skipIf(cannotRestart !== '')('rebuilds everything after VPP restarts empty', async () => {
    expect((await apply(vpp, STATE)).ok).toBe(true);
    await vpp.close();
    await restartVpp();
    vpp = await connectVpp();
    const p = await plan(vpp, STATE);
    expect(p.calls.filter((c) => c.action === 'create').length).toBeGreaterThan(5);
    const r = await apply(vpp, STATE);
    expect(r.ok, formatApplyResult(r)).toBe(true);
    const { held, wanted } = await heldAndWanted(vpp, STATE);
    expect(held).toEqual(wanted);
    expect((await plan(vpp, STATE)).calls).toEqual([]);
  });
});
