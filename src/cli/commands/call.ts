/**
 * `vppkit call`: one request to VPP, its reply as JSON.
 *
 * @module
 */
import type { MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT, type Io } from '../command.js';
import { withVpp } from '../connection.js';
import { readJsonArg } from '../json-input.js';
import { messageJson } from '../output.js';

/** The message's fields from a JSON argument (inline, `@file`, `-`): an object, or nothing. */
export async function readFields(arg: string | undefined, io: Io): Promise<Record<string, unknown>> {
  const value = await readJsonArg(arg, io, 'the message JSON');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`the message JSON must be an object of fields, like {"sw_if_index": 1}, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Why `def` is not for this command, and which command it is for. */
export function wrongKind(def: MessageDef): CliError {
  const s = def.service;
  const hint =
    s?.kind === 'unary' ? `a request with one reply: vppkit call ${def.name}`
    : s?.kind === 'dump' || s?.kind === 'stream' ? `a ${s.kind === 'dump' ? 'dump' : 'cursor stream'}: vppkit dump ${def.name}`
    : s?.kind === 'events' ? `a subscription: vppkit watch ${s.events.map((e) => e.name).join(' ') || def.name}`
    : s?.kind === 'noreply' ? 'a request VPP never answers, so vppkit cannot tell whether it worked'
    : 'not a request (a reply, details or an event VPP sends)';
  return new CliError(`${def.name} is ${hint}`, EXIT.usage);
}

/** `vppkit call MESSAGE [JSON|@FILE|-]`. */
export const callCommand: Command = {
  name: 'call',
  summary: 'send one request to VPP and print its reply as JSON (exit 1 with the error name when retval != 0)',
  usage: 'call MESSAGE [JSON|@FILE|-]',
  examples: [
    'vppkit call show_version   # the reply, without _vl_msg_id and context; --json on one line',
    'vppkit call show_version --raw   # with the header too: the id VPP gave the reply, and the context',
    `vppkit call sw_interface_set_flags '{"sw_if_index": 1, "flags": 1}'`,
    'vppkit call acl_add_replace @acl.json --json | jq .acl_index',
    `echo '{"cmd": "show int"}' | vppkit call cli_inband -`,
  ],
  async run({ positionals, global, io, signal }) {
    const [name, json, ...extra] = positionals;
    if (name === undefined) throw new CliError('call needs a message name, e.g. vppkit call show_version (vppkit messages lists them)');
    if (extra.length > 0) throw new CliError(`call takes MESSAGE [JSON]; unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')} (quote the JSON)`);
    const fields = await readFields(json, io);
    return withVpp({ command: 'call', global, io, signal, definitions: 'bootstrap' }, async ({ client, defs }) => {
      const def = defs.message(name);
      if (def.service?.kind !== 'unary') throw wrongKind(def);
      const reply = await client.request(def, fields, { signal });
      io.stdout.write(`${JSON.stringify(messageJson(reply), null, global.json ? undefined : 2)}\n`);
      return EXIT.ok;
    });
  },
};
