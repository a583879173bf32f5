/**
 * What the client needs of a trace recorder (`connect({ trace })`): its options and the hooks a
 * session calls. The recorder itself (`src/trace/recorder.ts`) implements them; the client loads
 * it only when asked to trace.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import type { SessionTrace } from '../protocol/connection.js';
import type { MessageDef } from '../schema/model.js';

/** Options of `ConnectOptions.trace`. */
export interface TraceOptions {
  /**
   * Where records go: a file path (created, or truncated), or a stream (written to, left open
   * when the client closes).
   */
  readonly file: string | Writable;
  /** Field names zeroed, at any depth, before a message is recorded; `KEY_FIELDS` (`vppkit/trace`) lists the key fields. Default: none. */
  readonly redact?: readonly string[];
}

// The per-message hooks are the protocol layer's, which calls them.
export type { SessionTrace } from '../protocol/connection.js';

/** The ids VPP gave messages on one connection. */
export interface IdTable {
  /** The id of `def`, when VPP has it with the same CRC. */
  idOf(def: Pick<MessageDef, 'name' | 'crc'>): number | undefined;
}

/** A client's trace: the hooks for each connection, and the end of recording. */
export interface Tracer {
  /** The hooks for one connection, whose message ids are in `table`. */
  forSession(table: IdTable, definitions: Iterable<MessageDef>): SessionTrace;
  /** Stops recording. */
  close(): Promise<void>;
}
