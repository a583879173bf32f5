/**
 * `vppkit cli`: a VPP debug CLI command through `cli_inband`, its text printed as VPP wrote it.
 *
 * @module
 */
import { VppApiError } from '../../client/index.js';
import { type Command, CliError, EXIT } from '../command.js';
import { oneLine, withVpp } from '../connection.js';
import { messageJson } from '../output.js';

/** `vppkit cli COMMAND...`. */
export const cliCommand: Command = {
  name: 'cli',
  summary: "run a VPP debug CLI command (as vppctl does) and print VPP's text",
  usage: 'cli "COMMAND"',
  examples: ['vppkit cli "show interface"', 'vppkit cli show version verbose   # the words may come unquoted', 'vppkit cli "show errors" --json | jq -r .reply'],
  async run({ positionals, global, io, signal }) {
    const cmd = positionals.join(' ').trim();
    if (!cmd) throw new CliError('cli needs a VPP CLI command, e.g. vppkit cli "show version"');
    return withVpp({ command: 'cli', global, io, signal, definitions: 'local' }, async ({ client, defs }) => {
      let reply;
      try {
        reply = await client.request(defs.message('cli_inband'), { cmd }, { signal });
      } catch (err) {
        // VPP's text says what was wrong with the command; keep it.
        const text = err instanceof VppApiError ? (err.reply as { reply?: unknown } | undefined)?.reply : undefined;
        if (typeof text === 'string' && text.trim()) throw new CliError(`${(err as Error).message}: ${oneLine(text)}`, EXIT.vppError, { cause: err });
        throw err;
      }
      if (global.json) io.stdout.write(`${JSON.stringify(messageJson(reply))}\n`);
      else {
        const text = String(reply.reply ?? '');
        io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
      }
      return EXIT.ok;
    });
  },
};
