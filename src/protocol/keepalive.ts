/**
 * Keepalive, both sides: VPP asks `memclnt_keepalive` (of shared-memory clients only, but a
 * client answers one whenever it comes), and the client answers `memclnt_keepalive_reply` with
 * its own handle as the context.
 *
 * @module
 */
import type { Header } from '../codec/index.js';

/** The header of the `memclnt_keepalive` a server sends client `clientIndex`. */
export function keepaliveHeader(clientIndex: number): Header {
  return { client_index: clientIndex, context: 0 };
}

/** The header of client `clientIndex`'s `memclnt_keepalive_reply`. */
export function keepaliveReplyHeader(clientIndex: number): Header {
  return { context: clientIndex };
}

/** The value of every `memclnt_keepalive_reply`. */
export const KEEPALIVE_REPLY = { retval: 0 } as const;
