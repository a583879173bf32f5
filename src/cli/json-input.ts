/**
 * Reading the CLI's JSON input: an argument, `@file.json`, or `-` for stdin; and NDJSON batches.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CliError } from './command.js';
import type { Io } from './command.js';

/** Parses a JSON argument: inline text, `@path`, or `-` (all of stdin). */
export async function readJsonArg(arg: string | undefined, io: Io, what: string): Promise<unknown> {
  if (arg === undefined) return {};
  let text: string;
  if (arg === '-') text = await readAll(io.stdin);
  else if (arg.startsWith('@')) {
    try {
      text = await readFile(arg.slice(1), 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${what} from ${arg.slice(1)}: ${(err as Error).message}`, undefined, { cause: err });
    }
  } else text = arg;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${what} is not valid JSON: ${(err as Error).message}`, undefined, { cause: err });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/**
 * Runs `handle` on each line of stdin and prints its result, one line per input line, in order.
 * A line that fails prints `{"error": "..."}` and the batch goes on. Returns how many failed.
 */
export async function eachLine(io: Io, handle: (line: unknown) => unknown): Promise<number> {
  let failed = 0;
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let out = '';
  for await (const line of lines) {
    if (!line.trim()) continue;
    let result: unknown;
    try {
      result = handle(JSON.parse(line));
    } catch (err) {
      failed++;
      result = { error: (err as Error).message };
    }
    out += `${JSON.stringify(result)}\n`;
    if (out.length > 1 << 16) {
      if (!io.stdout.write(out)) await new Promise((r) => io.stdout.once('drain', r));
      out = '';
    }
  }
  io.stdout.write(out);
  return failed;
}
