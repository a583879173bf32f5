import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/command.js';
import * as client from '../../src/client/index.js';
import * as codec from '../../src/codec/index.js';
import * as desired from '../../src/desired/index.js';
import { VppkitError } from '../../src/errors/index.js';
import * as main from '../../src/index.js';
import * as proto from '../../src/proto/index.js';
import * as schema from '../../src/schema/index.js';
import * as stats from '../../src/stats/index.js';
import * as testing from '../../src/testing/index.js';
import * as trace from '../../src/trace/index.js';

const SRC = join(import.meta.dirname, '../../src');
/** Hand-written source files (not the generated bindings), relative to src/. */
const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.startsWith('gen/'));

const entries = { main, client, codec, desired, proto, schema, stats, testing, trace, cli: { CliError } };

describe('errors', () => {
  const classes = Object.entries(entries).flatMap(([entry, exports]) =>
    Object.entries(exports)
      .filter(([name, v]) => name.endsWith('Error') && typeof v === 'function')
      .map(([name, v]) => [`${entry}.${name}`, v as new (...args: never[]) => unknown] as const),
  );

  it('finds the error classes of every entry point', () => {
    expect(classes.map(([n]) => n)).toEqual(expect.arrayContaining(['main.VppApiError', 'main.SchemaError', 'testing.SimulatorError', 'trace.TraceError', 'desired.DesiredStateError', 'stats.StatsSegmentError', 'cli.CliError']));
  });

  it.each(classes)('%s extends VppkitError', (_, cls) => {
    expect(cls === VppkitError || cls.prototype instanceof VppkitError).toBe(true);
  });

  it('throws no plain Error and defines no error class outside the base', () => {
    // TypeError and RangeError stay for a misused option, as docs/guides/errors.md says.
    const plain = sources.flatMap((f) => {
      const text = readFileSync(join(SRC, f), 'utf8');
      return [...text.matchAll(/new Error\(|extends Error\b/g)].map((m) => `${f}: ${m[0]}`);
    });
    expect(plain.filter((p) => p !== 'errors/index.ts: extends Error')).toEqual([]);
  });

  it('keeps each class name in its instances, and the cause', () => {
    const cause = new Error('socket gone');
    const err = new main.ConnectionClosedError('closed', cause);
    expect(err).toBeInstanceOf(VppkitError);
    expect(err.name).toBe('ConnectionClosedError');
    expect(err.cause).toBe(cause);
    expect(new main.UnknownMessageError('no_such_message').message).toBe("no_such_message: no such message in the client's definitions");
  });
});
