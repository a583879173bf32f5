/**
 * What the simulator answers when no handler is set: memclnt's messages as VPP answers them
 * (`sockclnt_create`, `sockclnt_delete`, `control_ping`, `get_api_json`) and `want_*`
 * subscriptions kept per client. Every other message gets the simulator's generic answer.
 *
 * @module
 */
import { type TableEntry, helloReply } from '../protocol/handshake.js';
import type { MessageDef } from '../schema/model.js';
import type { AnyHandler } from './handler-types.js';

/** VNET_API_ERROR_INVALID_REGISTRATION: a second `want_*` enable, or a disable with none. */
const INVALID_REGISTRATION = -31;

/** What the default answers read from the simulator. */
export interface DefaultsHost {
  /** VPP's pid, as `control_ping_reply` reports it. */
  readonly pid: number;
  /** The message table `sockclnt_create_reply` announces. */
  tableEntries(): readonly TableEntry[];
  /** What `get_api_json` answers. */
  apiJson(): string;
  /** The definition of message `name`. */
  definition(name: string): MessageDef;
}

/** The built-in answer to `def`, or undefined for the generic one. */
export function defaultAnswer(def: MessageDef, sim: DefaultsHost): AnyHandler | undefined {
  switch (def.name) {
    case 'sockclnt_create':
      return (req, call) => {
        const conn = call.connection;
        conn.name = String(req.name ?? '');
        conn.send(sim.definition('sockclnt_create_reply'), helloReply(conn.index, sim.tableEntries()), { context: call.context });
        call.defer();
      };
    case 'sockclnt_delete':
      return (req, call) => {
        const ok = req.index === call.connection.index;
        call.reply({ response: ok ? 1 : -1 });
        if (ok) call.connection.end();
      };
    case 'control_ping':
      return (_req, call) => ({ client_index: call.connection.index, vpe_pid: sim.pid });
    case 'get_api_json':
      return () => ({ json: sim.apiJson() });
  }
  if (def.service?.kind === 'events') {
    return (req, call) => {
      const enable = req.enable_disable === undefined || req.enable_disable !== 0;
      const subs = call.connection.subscriptions;
      if (enable === subs.has(def.name)) return INVALID_REGISTRATION;
      if (enable) subs.set(def.name, (req.pid as number | undefined) ?? 0);
      else subs.delete(def.name);
      return undefined;
    };
  }
  return undefined;
}
