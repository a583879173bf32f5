/**
 * VPP's message table and what it says about the definitions in use: which messages this VPP
 * has, which it lacks, and which it defines differently.
 *
 * @module
 */
import { clip } from '../codec/runtime.js';
import { type MessageDef, nameCrc } from '../schema/model.js';
import { ProtocolError } from '../errors/index.js';

/** Whether VPP has a message as the client defines it. */
export type MessageStatus =
  | { readonly status: 'present'; readonly id: number }
  | { readonly status: 'missing' }
  | { readonly status: 'other-crc'; readonly vppCrc: string };

/** The table VPP sends in `sockclnt_create_reply`: `name_crc` to message id. */
export class MessageTable {
  private readonly ids = new Map<string, number>();
  private readonly crcs = new Map<string, string>();

  /**
   * Builds the table from the reply's entries (in VPP's hash order, unsorted).
   * @throws {@link ProtocolError} when two names share an id: answers could not be told apart.
   */
  constructor(entries: Iterable<{ readonly index: number; readonly name: string }>) {
    const names = new Map<number, string>();
    for (const { index, name } of entries) {
      const other = names.get(index);
      if (other !== undefined && other !== name) {
        throw new ProtocolError(`VPP's message table gives message id ${index} to both ${clip(other)} and ${clip(name)}`);
      }
      names.set(index, name);
      this.ids.set(name, index);
      const m = /^(.+)_([0-9a-f]{8})$/.exec(name);
      if (m) this.crcs.set(m[1]!, `0x${m[2]}`);
    }
  }

  /** How many messages VPP knows. */
  get size(): number {
    return this.ids.size;
  }

  /** The id VPP gave `def`, when it has it with the same CRC. */
  idOf(def: Pick<MessageDef, 'name' | 'crc'>): number | undefined {
    return this.ids.get(nameCrc(def));
  }

  /** Whether VPP has `def`, lacks it, or has another definition of its name. */
  status(def: Pick<MessageDef, 'name' | 'crc'>): MessageStatus {
    const id = this.idOf(def);
    if (id !== undefined) return { status: 'present', id };
    const vppCrc = this.crcs.get(def.name);
    return vppCrc === undefined ? { status: 'missing' } : { status: 'other-crc', vppCrc };
  }
}

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
