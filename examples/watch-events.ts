/**
 * Prints interface events as VPP sends them, until COUNT events arrived or SECONDS passed.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/watch-events.ts [COUNT] [SECONDS]
 */
import { connect } from 'vppkit/client';

const count = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 60);

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
const events = await client.subscribe('want_interface_events');
console.log('watching interface events');
// Unsubscribing ends the loop below once the events already received are taken.
const timer = setTimeout(() => void events.unsubscribe(), seconds * 1000);
let seen = 0;
for await (const e of events) {
  // flags say which "up" events happened (1 admin, 2 link), not the whole state.
  const what = e.deleted ? 'deleted' : `admin ${e.flags & 1 ? 'up' : 'down'}, link ${e.flags & 2 ? 'up' : 'down'}`;
  console.log(`sw_if_index ${e.sw_if_index}: ${what}`);
  if (++seen === count) break; // unsubscribes
}
clearTimeout(timer);
console.log(`stopped: ${seen === count ? `${count} events` : `no more events after ${seconds} s`}`);
await client.close();
