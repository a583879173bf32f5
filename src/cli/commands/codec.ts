/**
 * `vppkit encode` and `vppkit decode`: the codec from a shell, one message or NDJSON batches.
 * They work on whole messages, as on the wire: the header (`_vl_msg_id`, `client_index`,
 * `context`) is part of the JSON, as under `--raw`.
 *
 * @module
 */
import { decodeRaw, encodeRaw, toJson } from '../../codec/index.js';
import { fromHex, toHex } from '../../codec/text.js';
import { type Command, CliError, EXIT } from '../command.js';
import { type Definitions, loadDefinitions } from '../definitions.js';
import { eachLine, readJsonArg } from '../json-input.js';

function field(obj: unknown, key: string, line: string): unknown {
  if (typeof obj !== 'object' || obj === null || !Object.hasOwn(obj, key)) throw new CliError(`each line needs ${line}`);
  return (obj as Record<string, unknown>)[key];
}

function encodeOne(defs: Definitions, name: unknown, fields: unknown): string {
  if (typeof name !== 'string') throw new CliError('"message" must be a message name');
  return toHex(encodeRaw(defs.message(name), fields));
}

function decodeOne(defs: Definitions, name: unknown, hex: unknown): unknown {
  if (typeof name !== 'string') throw new CliError('"message" must be a message name');
  const bytes = typeof hex === 'string' ? fromHex(hex.replace(/^0x/, '')) : undefined;
  if (!bytes) throw new CliError(`"hex" must be hex digits, got ${JSON.stringify(hex)}`);
  return toJson(decodeRaw(defs.message(name), bytes));
}

/** `vppkit encode MESSAGE JSON` or `vppkit encode -`. */
export const encodeCommand: Command = {
  name: 'encode',
  summary: 'encode a message from JSON to hex (or NDJSON batches with -); header fields included',
  usage: 'encode MESSAGE [JSON|@FILE|-]  |  encode -',
  examples: [
    `vppkit encode control_ping '{"context": 7}'`,
    `vppkit encode acl_add_replace @acl.json --api-dir /usr/share/vpp/api`,
    `echo '{"message": "control_ping", "fields": {}}' | vppkit encode -`,
  ],
  async run({ positionals, global, io }) {
    const defs = await loadDefinitions(global.apiDir);
    const [name, json] = positionals;
    if (name === undefined) throw new CliError('encode needs a message name, or - to read NDJSON from stdin');
    if (name === '-') {
      const failed = await eachLine(io, (line) => {
        const message = field(line, 'message', '{"message", "fields"}');
        return { message, hex: encodeOne(defs, message, (line as { fields?: unknown }).fields ?? {}) };
      });
      return failed ? EXIT.usage : EXIT.ok;
    }
    io.stdout.write(`${encodeOne(defs, name, await readJsonArg(json, io, 'the message JSON'))}\n`);
    return EXIT.ok;
  },
};

/** `vppkit decode MESSAGE HEX` or `vppkit decode -`. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode a message from hex to JSON (or NDJSON batches with -); header fields included',
  usage: 'decode MESSAGE HEX  |  decode -',
  examples: [
    'vppkit decode control_ping_reply 0011000000070000000000000000000004d2',
    `echo '{"message": "control_ping", "hex": "0001000000000000002a"}' | vppkit decode -`,
  ],
  async run({ positionals, global, io }) {
    const defs = await loadDefinitions(global.apiDir);
    const [name, hex] = positionals;
    if (name === undefined) throw new CliError('decode needs a message name and hex, or - to read NDJSON from stdin');
    if (name === '-') {
      const failed = await eachLine(io, (line) => {
        const message = field(line, 'message', '{"message", "hex"}');
        return { message, fields: decodeOne(defs, message, field(line, 'hex', '{"message", "hex"}')) };
      });
      return failed ? EXIT.usage : EXIT.ok;
    }
    if (hex === undefined) throw new CliError('decode needs the message bytes as hex');
    io.stdout.write(`${JSON.stringify(decodeOne(defs, name, hex), null, global.json ? undefined : 2)}\n`);
    return EXIT.ok;
  },
};
