/**
 * Ready-made handlers for the simulator.
 *
 * @module
 */
import { EAGAIN, INVALID_VALUE } from '../bootstrap/retvals.js';
import { U32_NONE } from '../schema/model.js';
import type { Fields } from './handler-types.js';
import type { SimCall } from './sim-call.js';

/** The cursor of a finished stream: `~0`. */
const CURSOR_DONE = U32_NONE;

/** A handler for any cursor stream (`X_get`). */
export type CursorStreamHandler = (request: { readonly cursor?: unknown }, call: SimCall) => { retval: number; cursor: number };

/**
 * Answers a cursor stream (`X_get {cursor}`) from `rows`, `perRound` details per round, as VPP's
 * `REPLY_AND_DETAILS_MACRO` does: -165 (EAGAIN) with the next cursor while rows remain, then 0
 * with cursor 0xffffffff. An empty table answers -7 (INVALID_VALUE), VPP's quirk.
 */
export function cursorStream(rows: readonly Fields[], perRound: number): CursorStreamHandler {
  return (request, call) => {
    if (rows.length === 0) return { retval: INVALID_VALUE, cursor: CURSOR_DONE };
    const cursor = Number(request.cursor ?? 0);
    const end = Math.min(rows.length, cursor + perRound);
    for (let i = cursor; i < end; i++) call.details(rows[i]!);
    return end < rows.length ? { retval: EAGAIN, cursor: end } : { retval: 0, cursor: CURSOR_DONE };
  };
}
