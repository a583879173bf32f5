/**
 * What every `vppkit` command is made of, the exit codes, and the errors that map to them.
 *
 * @module
 */
import type { ParseArgsConfig } from 'node:util';
import { VppkitError } from '../errors/index.js';

/** Exit codes, distinct per kind of failure (documented in `vppkit --help`). */
export const EXIT = {
  ok: 0,
  /** VPP answered with a non-zero retval, or a compatibility check failed. */
  vppError: 1,
  /** Bad arguments or input: an unknown message, a bad field, unreadable JSON. */
  usage: 2,
  /** The socket could not be reached, or the connection failed. */
  connection: 3,
  /** A call timed out. */
  timeout: 4,
  /** Interrupted (Ctrl-C) before it finished: 128 + SIGINT, as shells expect. */
  interrupted: 130,
} as const;

/** An error the CLI prints as one line on stderr before exiting with `code`. */
export class CliError extends VppkitError {
  override name = 'CliError';
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a command writes. Tests pass their own streams. */
export interface Io {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Options every command takes. */
export interface GlobalOptions {
  socket: string;
  apiDir: string | undefined;
  timeout: number;
  json: boolean;
  /** Printed messages keep their header (`_vl_msg_id`, `client_index`, `context`). */
  raw: boolean;
}

/** One `vppkit` command. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The usage line after `vppkit NAME`. */
  readonly usage: string;
  /** Worked examples for `--help`. */
  readonly examples: readonly string[];
  /** Options beyond the global ones. */
  readonly options?: ParseArgsConfig['options'];
  /** Runs the command; returns the exit code. */
  run(args: { positionals: string[]; values: Record<string, unknown>; global: GlobalOptions; io: Io; signal: AbortSignal }): Promise<number>;
}
