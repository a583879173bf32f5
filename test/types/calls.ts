/**
 * Type-level tests of the client's calls, checked like descriptors.ts: by name and by descriptor,
 * a misspelled field or message name is reported as such.
 */
import type { Client } from '../../src/client/index.js';
import * as acl from '../../src/gen/acl.js';
import * as iface from '../../src/gen/interface.js';
import type { MessageDef } from '../../src/schema/index.js';

declare const client: Client;
declare const loaded: MessageDef;

export const byName: Promise<acl.AclDelReply> = client.request('acl_del', { acl_index: 1 });
export const byDescriptor: Promise<acl.AclDelReply> = client.request(acl.acl_del, { acl_index: 1 });
// A definition loaded at run time takes and gives untyped values.
export const untyped: Promise<Record<string, unknown>> = client.request(loaded, { anything: 1 });

// error: 'acl_idx' does not exist in type 'AclDelInit'. Did you mean to write 'acl_index'?
export const misspelledByName = client.request('acl_del', { acl_idx: 1 });
// error: 'acl_idx' does not exist in type 'AclDelInit'. Did you mean to write 'acl_index'?
export const misspelledByDescriptor = client.request(acl.acl_del, { acl_idx: 1 });
// error: Argument of type '"acl_dell"' is not assignable to parameter of type
export const wrongName = client.request('acl_dell', { acl_index: 1 });
// error: Type 'string' is not assignable to type 'number'
export const wrongType = client.request('acl_del', { acl_index: 'one' });
// error: 'acl_idx' does not exist in type
export const dumpMisspelled = client.dump('acl_dump', { acl_idx: 1 });
// error: Argument of type '"acl_add_replace"' is not assignable to parameter of type
export const notADump = client.dump('acl_add_replace', { acl_index: 1, tag: '', r: [] });
// error: Property 'acl_index' is missing in type '{}' but required in type 'AclDelInit'
export const missing = client.request('acl_del', {});

// Neutral defaults: what VPP ignores may be left out (src/schema/neutral-defaults.ts).
export const loopback = client.request('create_loopback', {});
export const interfaces = client.dump('sw_interface_dump');
export const tap = client.request('tap_create_v3', { tag: 'pod' });
// error: Property 'sw_if_index' is missing in type '{ is_add: true; prefix: string; }' but required in type 'SwInterfaceAddDelAddressInit'
export const noInterface = client.request('sw_interface_add_del_address', { is_add: true, prefix: '10.1.1.1/24' });

// The header is the client's: a value cannot carry it.
// error: 'context' does not exist in type 'AclDelInit'
export const withContext = client.request('acl_del', { acl_index: 1, context: 7 });

// Decoded values leave the header out too, as GoVPP's do.
declare const reply: acl.AclDelReply;
// error: Property 'context' does not exist on type 'AclDelReply'
export const replyContext = reply.context;
// error: Property '_vl_msg_id' does not exist on type 'AclDelReply'
export const replyId = reply._vl_msg_id;

// Events come from a subscription, typed from its want_* request (by name or by descriptor).
export async function events(): Promise<number> {
  const sub = await client.subscribe('want_interface_events');
  const byDescriptor = await client.subscribe(iface.want_interface_events, { pid: 1 }, { maxBuffered: 16 });
  for await (const e of byDescriptor) return e.sw_if_index;
  for await (const e of sub) {
    // error: Property 'sw_if_idx' does not exist on type 'SwInterfaceEvent'. Did you mean 'sw_if_index'?
    if (e.sw_if_idx) return 0;
    // Events are told apart by their descriptors (EventMessage), not by a missing context.
    // error: Property 'client_index' does not exist on type 'SwInterfaceEvent'
    if (e.client_index) return 0;
    return e.sw_if_index + e.pid;
  }
  return -1;
}
// error: Argument of type '"show_version"' is not assignable to parameter of type
export const notASubscription = client.subscribe('show_version');
// error: 'enable_disable' does not exist in type
export const clientFillsEnable = client.subscribe('want_interface_events', { enable_disable: 1 });
// error: 'maxBufferd' does not exist in type 'SubscribeOptions'
export const misspelledOption = client.subscribe('want_interface_events', {}, { maxBufferd: 1 });

// A want_* goes only through subscribe(), which sends it again after a reconnection.
// error: Argument of type '"want_interface_events"' is not assignable to parameter of type
export const wantByRequest = client.request('want_interface_events', {});

// The emitter has the connection's life-cycle events only: VPP's events do not share its names.
export const onReconnected = client.on('reconnected', (report) => report.missing.length);
// error: Argument of type '"sw_interface_event"' is not assignable to parameter of type
export const onVppEvent = client.on('sw_interface_event', () => {});

// Definitions loaded at run time: events are records of unknown fields, with no cast.
declare const runtime: Client<Record<string, MessageDef>>;
export async function runtimeEvents(): Promise<unknown> {
  const sub = await runtime.subscribe('want_l2_macs_events', { max_macs_in_event: 10 });
  for await (const e of sub) return e.mac_count;
  const loadedSub = await client.subscribe(loaded);
  for await (const e of loadedSub) return e.anything;
  return undefined;
}
