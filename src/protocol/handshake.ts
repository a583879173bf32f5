/**
 * The handshake, both sides: the client sends `sockclnt_create` with its name; the server
 * answers `sockclnt_create_reply` with the client's handle and the message table.
 *
 * @module
 */
import { SOCKCLNT_CREATE_ID } from '../bootstrap/memclnt.js';
import type { Header } from '../codec/index.js';
import { ProtocolError } from '../errors/index.js';
import { MessageTable } from './message-table.js';

/** The handshake's context; any value will do, VPP echoes it. */
const HANDSHAKE_CONTEXT = 0x7fffffff;

/** One entry of the message table: a message's `name_crc` and its id. */
export interface TableEntry {
  readonly index: number;
  readonly name: string;
}

/** The header of the client's `sockclnt_create`. */
export function helloHeader(): Header {
  return { _vl_msg_id: SOCKCLNT_CREATE_ID, context: HANDSHAKE_CONTEXT };
}

/** The server's `sockclnt_create_reply`: the client accepted as `index`, with the server's table. */
export function helloReply(index: number, table: readonly TableEntry[]): { response: number; index: number; count: number; message_table: readonly TableEntry[] } {
  return { response: 0, index, count: table.length, message_table: table };
}

/** What the client learns from a `sockclnt_create_reply`. */
export interface Welcome {
  /** The client's handle: the `client_index` of every request. */
  readonly clientIndex: number;
  readonly table: MessageTable;
}

/**
 * Reads the server's answer to `sockclnt_create`.
 * @throws {@link ProtocolError} when VPP refused the client, or sent a table that is not one.
 */
export function welcome(reply: { readonly response: number; readonly index: number; readonly message_table: readonly TableEntry[] }): Welcome {
  if (reply.response !== 0) throw new ProtocolError(`VPP refused the client: sockclnt_create answered response ${reply.response}`);
  return { clientIndex: reply.index, table: new MessageTable(reply.message_table) };
}
