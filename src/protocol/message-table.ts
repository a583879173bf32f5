/**
 * The message table VPP sends in `sockclnt_create_reply`: which message, by name and CRC, has
 * which id on this connection.
 *
 * @module
 */
import { clip } from '../codec/runtime.js';
import { ProtocolError } from '../errors/index.js';
import { type MessageDef, nameCrc } from '../schema/model.js';

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

