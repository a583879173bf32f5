#!/usr/bin/env node
/**
 * The `vppkit` command line. Parses global options, dispatches to a command, prints errors as
 * one line on stderr and exits with a documented code.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VppApiError } from '../errors/retval.js';
import { ValidationError } from '../errors/index.js';
import { commands } from './commands/index.js';
import { type Command, CliError, EXIT, type GlobalOptions, type Io } from './command.js';
import { clip, suggest } from '../codec/runtime.js';

const GLOBAL = {
  socket: { type: 'string' },
  'api-dir': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  raw: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;


function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'vppkit: script and inspect VPP through its binary API',
    '',
    'usage: vppkit COMMAND [ARGS] [--socket PATH] [--api-dir DIR] [--timeout MS] [--json] [--raw]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'global options:',
    '  --socket PATH   VPP API socket (default $VPP_API_SOCKET or /run/vpp/api.sock)',
    '  --api-dir DIR   .api.json definitions (default $VPP_API_DIR; else the bundled bindings, or VPP itself when connected)',
    '  --timeout MS    per-call timeout in milliseconds (default 10000)',
    '  --json          machine-readable output, stable for jq; an error is one JSON object on stderr',
    '  --raw           messages printed with their header too (_vl_msg_id, client_index, context), as on the wire',
    '',
    'exit codes: 0 ok, 1 VPP returned an error (or incompatible), 2 usage or bad input, 3 connection failed, 4 timed out, 130 interrupted (Ctrl-C)',
    '',
    'Run `vppkit COMMAND --help` for a command\'s usage and examples.',
  ].join('\n');
}

function help(c: Command): string {
  return [`usage: vppkit ${c.usage}`, '', c.summary, '', 'examples:', ...c.examples.map((e) => `  ${e}`)].join('\n');
}

/** Runs the CLI with `argv` (without node and script). Returns the exit code; never throws. */
export async function main(argv: string[], io: Io, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${overview()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) {
      const near = suggest(name, commands.map((c) => c.name));
      throw new CliError(`unknown command "${clip(name)}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (vppkit --help lists them)`);
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new CliError(`${(err as Error).message.replace(/\. To specify a positional.*$/s, '')} (vppkit ${name} --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(`${help(command)}\n`);
      return EXIT.ok;
    }
    const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new CliError(`--timeout must be a positive number of milliseconds, got ${values.timeout}`);
    const global: GlobalOptions = {
      socket: (values.socket as string | undefined) || io.env.VPP_API_SOCKET || '/run/vpp/api.sock',
      apiDir: (values['api-dir'] as string | undefined) || io.env.VPP_API_DIR || undefined,
      timeout,
      json: Boolean(values.json),
      raw: Boolean(values.raw),
    };
    return await command.run({ positionals, values, global, io, signal });
  } catch (err) {
    const code = err instanceof CliError ? err.code : err instanceof ValidationError ? EXIT.usage : EXIT.vppError;
    // --json is read from argv: the error may come before the options parse.
    if (rest.includes('--json')) io.stderr.write(`${JSON.stringify(errorJson(err as Error, code, command?.name))}\n`);
    else io.stderr.write(`vppkit${command ? ` ${command.name}` : ''}: ${(err as Error).message}\n`);
    return code;
  }
}

/**
 * An error under --json: the error's class (its cause's, for a CLI error wrapping the client's),
 * the exit code, the message, and VPP's return code and its symbol when VPP refused.
 */
function errorJson(err: Error, code: number, command: string | undefined): Record<string, unknown> {
  const origin = err instanceof CliError && err.cause instanceof Error ? err.cause : err;
  const refused = origin instanceof VppApiError ? { retval: origin.code, symbol: origin.symbol } : {};
  return { name: origin.name, code, message: err.message, ...(command && { command }), ...refused };
}

/** A closed stdout or stderr (`vppkit messages | head`) only means nobody reads: commands that stream stop on their own. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

// Run when executed (also through npm's bin link, hence realpath), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  const controller = new AbortController();
  // Ctrl-C, and SIGTERM (from a service manager), end a long-running command cleanly.
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }, controller.signal);
}
