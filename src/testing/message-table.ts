/**
 * The message table the simulator announces in `sockclnt_create_reply`: memclnt's messages at
 * their fixed ids, every other message at an id assigned as VPP assigns plugin ids, with the
 * overrides a test asks for (ids, CRCs, missing messages).
 *
 * @module
 */
import { apiModule as memclnt } from '../gen/memclnt.js';
import { type MessageDef, type ModuleDef, nameCrc } from '../schema/model.js';

/** The message table the simulator announces. */
export interface TableOptions {
  /** Id of the first message outside memclnt (memclnt's 28 are fixed at 1-28, as in VPP). Default 29. */
  readonly firstId?: number;
  /** Ids to use for particular messages, by name. */
  readonly ids?: Readonly<Record<string, number>>;
  /** CRCs to announce instead of the definitions' (`'0xdeadbeef'`): simulates another definition. */
  readonly crcs?: Readonly<Record<string, string>>;
  /** Messages to leave out of the table: simulates a VPP that lacks them. */
  readonly omit?: readonly string[];
}

/** The simulator's message table: ids both ways, and what it announces. */
export class Catalog {
  readonly byId = new Map<number, MessageDef>();
  readonly byName = new Map<string, MessageDef>();
  readonly idByName = new Map<string, number>();
  readonly entries: { index: number; name: string }[] = [];

  constructor(modules: readonly ModuleDef[], opts: TableOptions) {
    const omit = new Set(opts.omit ?? []);
    const fixed = memclnt.messages;
    const rest = modules.filter((m) => m.name !== 'memclnt').flatMap((m) => m.messages);
    const explicit = new Set(Object.values(opts.ids ?? {}));
    let next = opts.firstId ?? fixed.length + 1;
    const add = (def: MessageDef, id: number): void => {
      if (this.byName.has(def.name)) return;
      this.byName.set(def.name, def);
      if (omit.has(def.name)) return;
      this.byId.set(id, def);
      this.idByName.set(def.name, id);
      const crc = opts.crcs?.[def.name];
      this.entries.push({ index: id, name: nameCrc({ name: def.name, crc: crc ?? def.crc }) });
    };
    fixed.forEach((def, i) => add(def, i + 1));
    for (const def of rest) {
      let id = opts.ids?.[def.name];
      if (id === undefined) {
        while (explicit.has(next) || this.byId.has(next)) next++;
        id = next++;
      }
      add(def, id);
    }
  }
}
