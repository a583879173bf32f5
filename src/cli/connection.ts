/**
 * How the online commands reach VPP: connect with the global options, pick the definitions
 * (`--api-dir`, else VPP's own through `get_api_json`, else the bundled bindings), and turn the
 * client's errors into one-line messages with the documented exit codes.
 *
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import {
  AbortError,
  type Client,
  CompatibilityError,
  ConnectionClosedError,
  ProtocolError,
  TimeoutError,
  UnknownMessageError,
  VppApiError,
  connect,
} from '../client/index.js';
import { vppModules } from '../client/definitions.js';
import { SchemaError } from '../errors/index.js';
import { CliError, EXIT, type GlobalOptions, type Io } from './command.js';
import { type Definitions, fromModules, loadDefinitions } from './definitions.js';

/** A connected client and the definitions to resolve message names with. */
export interface Vpp {
  readonly client: Client;
  readonly defs: Definitions;
}

/** What {@link withVpp} needs from the command. */
export interface VppArgs {
  /** The command's name, for notes on stderr. */
  readonly command: string;
  readonly global: GlobalOptions;
  readonly io: Io;
  readonly signal: AbortSignal;
  /**
   * `bootstrap`: without `--api-dir`, ask VPP for its definitions so any module can be called.
   * `local`: `--api-dir` or the bundled bindings (for commands that need nothing else, or that
   * compare those with VPP).
   */
  readonly definitions: 'bootstrap' | 'local';
  /** Time limit for connecting and each call, in ms; default `--timeout`. */
  readonly timeout?: number;
}

/**
 * Connects to VPP at `--socket`, runs `use`, and closes the connection whatever happens. Errors
 * of the client come out as {@link CliError}s with their exit code.
 */
export async function withVpp<T>(args: VppArgs, use: (vpp: Vpp) => Promise<T>): Promise<T> {
  const { global, signal } = args;
  const timeout = args.timeout ?? global.timeout;
  const local = args.definitions === 'local' || global.apiDir !== undefined ? await loadDefinitions(global.apiDir) : undefined;
  let client: Client | undefined;
  try {
    client = await connect({
      socket: global.socket,
      name: 'vppkit-cli',
      timeout,
      callTimeout: timeout,
      signal,
      keepHeader: global.raw,
      ...(local && { definitions: local.modules }),
    });
    const defs = local ?? (await bootstrap(client, args));
    return await use({ client, defs });
  } catch (err) {
    throw cliError(err, global.socket);
  } finally {
    await client?.close();
  }
}

/** VPP's own definitions, or the bundled ones (with a note on stderr) when VPP cannot give them. */
async function bootstrap(client: Client, { command, io, signal }: VppArgs): Promise<Definitions> {
  try {
    const modules = await vppModules((def) => client.request(def, {}, { signal }));
    return fromModules(modules, "VPP's definitions (get_api_json)");
  } catch (err) {
    if (!(err instanceof VppApiError || err instanceof CompatibilityError || err instanceof SchemaError)) throw err;
    const defs = await loadDefinitions(undefined);
    io.stderr.write(`vppkit ${command}: note: cannot use VPP's definitions (${oneLine(err.message)}); using ${defs.source} (--api-dir DIR to choose)\n`);
    return defs;
  }
}

/** The CLI's form of an error from the client: what went wrong, what to do, and the exit code. */
export function cliError(err: unknown, socket: string): unknown {
  if (err instanceof VppApiError) return new CliError(err.message, EXIT.vppError, { cause: err });
  if (err instanceof CompatibilityError) return new CliError(incompatible(err), EXIT.vppError, { cause: err });
  if (err instanceof UnknownMessageError) return new CliError(err.message, EXIT.usage, { cause: err });
  if (err instanceof TimeoutError) {
    const what = err.messageName === 'connect' ? `VPP at ${socket} did not finish the handshake` : `VPP did not answer ${err.messageName}`;
    return new CliError(`${what} within ${err.timeout} ms: is it busy or stuck? (--timeout MS waits longer)`, EXIT.timeout, { cause: err });
  }
  if (err instanceof AbortError) return new CliError('interrupted', EXIT.interrupted, { cause: err });
  if (err instanceof ConnectionClosedError) return new CliError(unreachable(err, socket), EXIT.connection, { cause: err });
  if (err instanceof ProtocolError) return new CliError(`${err.message}: is ${socket} VPP's API socket?`, EXIT.connection, { cause: err });
  return err;
}

function incompatible(err: CompatibilityError): string {
  switch (err.reason) {
    case 'missing':
      return `this VPP has no ${err.messageName} (crc ${err.expectedCrc}): is its plugin loaded? (vppkit compat ${err.messageName})`;
    case 'other-crc':
      return `this VPP defines ${err.messageName} differently (crc ${err.vppCrc}; the definitions in use have ${err.expectedCrc}): use this VPP's own (its .api.json files with --api-dir, or no --api-dir to read them from VPP)`;
  }
}

function unreachable(err: ConnectionClosedError, socket: string): string {
  const code = (err.cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `no VPP API socket at ${socket}: is VPP running, and is socksvr { socket-name ${socket} } in its startup.conf? (--socket PATH or VPP_API_SOCKET to use another)`;
    case 'EACCES':
    case 'EPERM': {
      const group = socketGroup(socket);
      const which = group ? `its group \`${group}\`` : 'the group that owns it, usually `vpp`';
      return `permission denied on ${socket}: add your user to ${which} (sudo usermod -aG ${group ?? 'vpp'} $USER, then log in again), or run as root`;
    }
    case 'ECONNREFUSED':
      return `nothing accepts connections on ${socket} (a stale socket, or not a socket): is VPP running?`;
    default:
      return `${oneLine(err.message)} (socket ${socket})`;
  }
}

/** The name of the group that owns `socket`, when it can be read and is not root's. */
function socketGroup(socket: string): string | undefined {
  try {
    const gid = statSync(socket).gid;
    if (gid === 0) return undefined;
    return readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid))?.split(':')[0];
  } catch {
    // The socket's directory may be closed to us too; then VPP's usual group is the best guess.
    return undefined;
  }
}

/** `text` on one line, for stderr. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
