/**
 * `vppkit plan` and `vppkit apply`: declarative configuration from a desired-state JSON file.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { ApplyError, type ApplyResult, type DesiredState, DesiredStateError, type PlanOptions, apply, formatApplyResult, formatPlan, normalise, plan } from '../../desired/index.js';
import { type Command, CliError, EXIT, type Io } from '../command.js';
import { withVpp } from '../connection.js';

async function readDesired(path: string | undefined, io: Io): Promise<DesiredState> {
  if (path === undefined) throw new CliError('needs a desired-state file: vppkit plan desired.json (- reads stdin)');
  let text = '';
  try {
    if (path === '-') for await (const chunk of io.stdin) text += chunk.toString();
    else text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the desired state from ${path}: ${(err as Error).message}`, EXIT.usage, { cause: err });
  }
  let desired: DesiredState;
  try {
    desired = JSON.parse(text) as DesiredState;
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, EXIT.usage, { cause: err });
  }
  // Checked before connecting, so a bad file never reaches VPP.
  try {
    normalise(desired);
  } catch (err) {
    throw err instanceof DesiredStateError ? invalid(err) : err;
  }
  return desired;
}

function planOptions(values: Record<string, unknown>): PlanOptions {
  const foreign = (values.foreign as string | undefined) ?? 'report';
  if (foreign !== 'report' && foreign !== 'replace') throw new CliError(`--foreign must be report or replace, got "${foreign}"`);
  return { foreign };
}

/** A desired state's problems, one per line, as a usage error. */
function invalid(err: DesiredStateError): CliError {
  return new CliError(`invalid desired state:\n${err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, EXIT.usage, { cause: err });
}

function resultJson(r: ApplyResult): unknown {
  return {
    ok: r.ok,
    outcomes: r.outcomes.map((o) => ({ status: o.status, ...o.call, ...(o.status === 'failed' && { error: o.error.message }) })),
    ...(r.rollback && { rollback: resultJson(r.rollback) }),
    foreign: r.foreign,
  };
}

const FILE_HELP = [
  '',
  'The file is a desired state as docs/guides/declarative-configuration.md describes: interfaces',
  '(loopback, tap, memif, physical), ACLs by name with where they are attached, and NAT44-ED.',
  'Only what this tool tagged (vppkit:NAME) is changed; other objects are listed as foreign.',
  '  --foreign replace  delete or overwrite foreign objects the desired state conflicts with (default: report them)',
];

/** `vppkit plan FILE`. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show the calls that would make VPP hold a desired-state file, like terraform plan (changes nothing)',
  usage: ['plan FILE|- [--foreign report|replace] [--json]', ...FILE_HELP].join('\n'),
  examples: ['vppkit plan desired.json', 'vppkit plan desired.json --json | jq \'.calls | length\''],
  options: { foreign: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    const desired = await readDesired(positionals[0], io);
    const options = planOptions(values);
    try {
      const p = await withVpp({ command: 'plan', global, io, signal, definitions: 'local' }, ({ client }) => plan(client, desired, options));
      io.stdout.write(global.json ? `${JSON.stringify(p)}\n` : formatPlan(p));
      return EXIT.ok;
    } catch (err) {
      // A physical interface VPP lacks is only found against VPP.
      throw err instanceof DesiredStateError ? invalid(err) : err;
    }
  },
};

/** `vppkit apply FILE`. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'make VPP hold a desired-state file: plan, then run the calls (exit 1 at the first failure, with what was done)',
  usage: ['apply FILE|- [--rollback] [--foreign report|replace] [--json]', ...FILE_HELP, '  --rollback  after a failure, undo what was done (plan back to the state read before)'].join('\n'),
  examples: ['vppkit apply desired.json', 'vppkit apply desired.json --rollback --json | jq .ok'],
  options: { foreign: { type: 'string' }, rollback: { type: 'boolean' } },
  async run({ positionals, values, global, io, signal }) {
    const desired = await readDesired(positionals[0], io);
    const options = { ...planOptions(values), rollback: values.rollback === true, signal };
    try {
      const r = await withVpp({ command: 'apply', global, io, signal, definitions: 'local' }, ({ client }) => apply(client, desired, options));
      io.stdout.write(global.json ? `${JSON.stringify(resultJson(r))}\n` : formatApplyResult(r));
      return r.ok ? EXIT.ok : EXIT.vppError;
    } catch (err) {
      if (err instanceof DesiredStateError) throw invalid(err);
      if (err instanceof ApplyError) throw new CliError(err.message, EXIT.vppError, { cause: err });
      throw err;
    }
  },
};
