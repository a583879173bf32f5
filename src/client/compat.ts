/**
 * What VPP's message table says about the definitions in use: which messages this VPP has, which
 * it lacks, and which it defines differently.
 *
 * @module
 */
import type { MessageStatus, MessageTable } from '../protocol/message-table.js';
import type { MessageDef } from '../schema/model.js';

/** A message VPP defines differently from the client. */
export interface CrcMismatch {
  readonly name: string;
  /** The client's CRC. */
  readonly crc: string;
  /** VPP's CRC. */
  readonly vppCrc: string;
}

/**
 * How the client's definitions match the VPP connected to, worked out from its message table at
 * every (re)connection. Messages listed as missing or with another CRC are never sent: calling
 * one fails at once with a {@link CompatibilityError} saying which.
 */
export class CompatibilityReport {
  /** Names of the messages VPP has exactly as the client defines them. */
  readonly present: readonly string[];
  /** Names of the messages VPP does not have. */
  readonly missing: readonly string[];
  /** Messages VPP has under the same name with another definition. */
  readonly otherCrc: readonly CrcMismatch[];

  /** Compares `definitions` with `table`. */
  constructor(
    definitions: Iterable<MessageDef>,
    private readonly table: MessageTable,
  ) {
    const present: string[] = [];
    const missing: string[] = [];
    const otherCrc: CrcMismatch[] = [];
    for (const def of definitions) {
      const s = table.status(def);
      if (s.status === 'present') present.push(def.name);
      else if (s.status === 'missing') missing.push(def.name);
      else otherCrc.push({ name: def.name, crc: def.crc, vppCrc: s.vppCrc });
    }
    this.present = present;
    this.missing = missing;
    this.otherCrc = otherCrc;
  }

  /** Whether VPP has `def` (any definition, including one the client was not built with). */
  status(def: Pick<MessageDef, 'name' | 'crc'>): MessageStatus {
    return this.table.status(def);
  }

  /** True when every message of the definitions in use is present. */
  get complete(): boolean {
    return this.missing.length === 0 && this.otherCrc.length === 0;
  }
}
