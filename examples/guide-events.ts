/**
 * Events and streams (docs/guides/events-and-streams.md): dumps as async iterators, cursor
 * streams, subscriptions, and what the client does when VPP goes away.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-events.ts
 */
import { connect } from 'vppkit';

const client = await connect({
  socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock',
  reconnect: { initialDelay: 100, maxDelay: 5000 }, // forever, unless maxAttempts is given
});
client.on('disconnected', (err) => console.log(`lost VPP: ${err.message}`));
client.on('reconnecting', ({ attempt, delay }) => console.log(`reconnecting in ${delay} ms (attempt ${attempt})`));
client.on('reconnected', (report) => console.log(`back: ${report.missing.length} messages missing from this VPP`));
client.on('error', (err) => console.log(`failed with no call to tell: ${err.message}`));

// A dump is an async iterator: details arrive as VPP sends them; break stops early.
for await (const i of client.dump('sw_interface_dump')) {
  if (i.interface_name.startsWith('GigabitEthernet')) {
    console.log(`first NIC: ${i.interface_name}`);
    break; // the rest are dropped; the connection stays usable
  }
}
const all = await client.dump('sw_interface_dump').toArray();
console.log(`${all.length} interfaces`);

// A cursor stream (X_get) reads the same way; the client asks again from VPP's cursor until done.
for await (const o of client.stream('nat44_ed_output_interface_get', {})) {
  console.log(`NAT44-ED output feature on sw_if_index ${o.sw_if_index}`);
}

// Events: a subscription (want_interface_events with enable_disable 1 and our pid) is an async iterator.
const subscription = await client.subscribe('want_interface_events');
const { sw_if_index } = await client.request('create_loopback');
await client.request('sw_interface_set_flags', { sw_if_index, flags: 1 }); // admin up
let seen = 0;
for await (const e of subscription) {
  console.log(`sw_if_index ${e.sw_if_index} flags ${e.flags}${e.deleted ? ' deleted' : ''}`);
  if (++seen === 2) break; // leaving the loop unsubscribes (want_interface_events with enable_disable 0)
}
await client.request('delete_loopback', { sw_if_index });
await client.close();
