/**
 * The memclnt messages the client core needs whatever definitions it is given: the handshake
 * (`sockclnt_create`), goodbye (`sockclnt_delete`), the end of a dump (`control_ping`), VPP's
 * check on its clients (`memclnt_keepalive`), and asking VPP for its definitions (`get_api_json`).
 * Hand-written from the protocol's facts, so that the core needs no generated code;
 * test/bootstrap checks every one against VPP's memclnt.api.json (fields and CRC).
 *
 * @module
 */
import { defineMessage, defineStruct } from '../schema/define.js';
import type { MessageDef } from '../schema/model.js';

const MODULE = 'memclnt';

/**
 * memclnt's ids are fixed when VPP is built; the handshake needs them before VPP sends its
 * message table. Every other id is learnt from that table.
 */
export const SOCKCLNT_CREATE_ID = 15;
/** The id of `sockclnt_create_reply`, fixed like {@link SOCKCLNT_CREATE_ID}. */
export const SOCKCLNT_CREATE_REPLY_ID = 16;

/** One entry of VPP's message table: `name` is the message's name, `_`, and its CRC without `0x`. */
export const message_table_entry = defineStruct(MODULE, 'message_table_entry', [
  ['index', 'u16'],
  ['name', 'string', 64],
]);

/** The handshake's answer: `index` is the client's handle, then the message table. */
export const sockclnt_create_reply = defineMessage(MODULE, 'sockclnt_create_reply', '0x35166268', [
  ['_vl_msg_id', 'u16'],
  ['client_index', 'u32'],
  ['context', 'u32'],
  ['response', 'i32'],
  ['index', 'u32'],
  ['count', 'u16'],
  ['message_table', message_table_entry, 0, 'count'],
], {}, 'reply');

/** The handshake: the only request with no `client_index` (the client has none yet). */
export const sockclnt_create = defineMessage(MODULE, 'sockclnt_create', '0x455fb9c4', [
  ['_vl_msg_id', 'u16'],
  ['context', 'u32'],
  ['name', 'string', 64],
], {}, 'request', { kind: 'unary', reply: sockclnt_create_reply });

/** Goodbye's answer: `response` 1 on success, then VPP closes the socket. */
export const sockclnt_delete_reply = defineMessage(MODULE, 'sockclnt_delete_reply', '0x8f38b1ee', [
  ['_vl_msg_id', 'u16'],
  ['context', 'u32'],
  ['response', 'i32'],
], {}, 'reply');

/** Ends the session whose handle is `index`. */
export const sockclnt_delete = defineMessage(MODULE, 'sockclnt_delete', '0x8ac76db6', [
  ['_vl_msg_id', 'u16'],
  ['client_index', 'u32'],
  ['context', 'u32'],
  ['index', 'u32'],
], {}, 'request', { kind: 'unary', reply: sockclnt_delete_reply });

/** Marks the end of a dump sent before the ping under the same context. */
export const control_ping_reply = defineMessage(MODULE, 'control_ping_reply', '0xf6b0b8ca', [
  ['_vl_msg_id', 'u16'],
  ['context', 'u32'],
  ['retval', 'i32'],
  ['client_index', 'u32'],
  ['vpe_pid', 'u32'],
], {}, 'reply');

/** Sent right after a dump, under its context. */
export const control_ping = defineMessage(MODULE, 'control_ping', '0x51077d14', [
  ['_vl_msg_id', 'u16'],
  ['client_index', 'u32'],
  ['context', 'u32'],
], {}, 'request', { kind: 'unary', reply: control_ping_reply });

/** The answer to VPP's keepalive: `context` is the client's own handle. */
export const memclnt_keepalive_reply = defineMessage(MODULE, 'memclnt_keepalive_reply', '0xe8d4e804', [
  ['_vl_msg_id', 'u16'],
  ['context', 'u32'],
  ['retval', 'i32'],
], {}, 'reply');

/** VPP's check that a client is still there. */
export const memclnt_keepalive = defineMessage(MODULE, 'memclnt_keepalive', '0x51077d14', [
  ['_vl_msg_id', 'u16'],
  ['client_index', 'u32'],
  ['context', 'u32'],
], {}, 'request', { kind: 'unary', reply: memclnt_keepalive_reply });

/** Every loaded module's `.api.json`, as one JSON string. */
export const get_api_json_reply = defineMessage(MODULE, 'get_api_json_reply', '0xea715b59', [
  ['_vl_msg_id', 'u16'],
  ['context', 'u32'],
  ['retval', 'i32'],
  ['json', 'string', 0],
], {}, 'reply');

/** Asks VPP for its definitions (`definitions: 'vpp'`). */
export const get_api_json = defineMessage(MODULE, 'get_api_json', '0x51077d14', [
  ['_vl_msg_id', 'u16'],
  ['client_index', 'u32'],
  ['context', 'u32'],
], {}, 'request', { kind: 'unary', reply: get_api_json_reply });

/** Every message above: the ones the client always knows, whatever its definitions. */
export const bootstrapMessages: readonly MessageDef[] = [
  sockclnt_create,
  sockclnt_create_reply,
  sockclnt_delete,
  sockclnt_delete_reply,
  control_ping,
  control_ping_reply,
  memclnt_keepalive,
  memclnt_keepalive_reply,
  get_api_json,
  get_api_json_reply,
];
