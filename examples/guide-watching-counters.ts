/**
 * Watching counters (docs/guides/watching-counters.md): VPP's stats segment read with
 * vppkit/stats, here the VPP model's, whose counters move when the test says packets passed.
 *
 *   node --import tsx examples/guide-watching-counters.ts
 */
import assert from 'node:assert/strict';
import { type StatsReader, connectStats } from 'vppkit/stats';
import { startVppModel } from 'vppkit/testing';

const vpp = await startVppModel({ stats: true });
const stats = await connectStats({ socket: vpp.statsSocket }); // a real VPP: '/run/vpp/stats.sock'

vpp.traffic('GigabitEthernet0/8/0', { rx: { packets: 1000, bytes: 64000 }, drops: 3 });
vpp.countError('ip4-input/time_expired', 3);

for (const i of await stats.interfaces()) {
  console.log(`${i.swIfIndex} ${i.name}: rx ${i.rx.packets} packets, ${i.rx.bytes} bytes; drops ${i.drops}`);
}
for (const e of await stats.errors()) console.log(`${e.node}: ${e.reason}: ${e.value}`);

let first = true;
for await (const snapshot of stats.watch({ interval: 100, paths: '^/if/rx$' })) {
  if (first) {
    first = false;
    vpp.traffic('GigabitEthernet0/8/0', { rx: { packets: 500, bytes: 32000 } }); // between two snapshots
    continue;
  }
  for (const c of snapshot.changed) console.log(`${c.key}: +${c.delta}, ${c.rate > 0 ? 'a rate per second too' : 'no rate'}`);
  break; // a break ends the watch
}

/** Monitoring code to test: the interfaces that dropped more than `limit` packets. */
async function dropping(reader: StatsReader, limit: bigint): Promise<string[]> {
  return (await reader.interfaces()).filter((i) => i.drops > limit).map((i) => i.name);
}

assert.deepEqual(await dropping(stats, 10n), []);
vpp.traffic('GigabitEthernet0/8/0', { drops: 20 });
assert.deepEqual(await dropping(stats, 10n), ['GigabitEthernet0/8/0']);

stats.close();
await vpp.close();
