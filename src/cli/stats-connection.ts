/**
 * Where `vppkit stats` finds VPP's stats socket, and its connection errors as the CLI's.
 *
 * @module
 */
import { connectStats } from '../stats/connect.js';
import { StatsSegmentError, StatsSocketError, StatsUnavailableError } from '../stats/errors.js';
import { DEFAULT_STATS_SOCKET } from '../stats/layout.js';
import type { StatsReader } from '../stats/types.js';
import { CliError, EXIT, type Io } from './command.js';

/** The stats socket: `--socket`, else `$VPP_STATS_SOCKET`, else VPP's default. */
export function statsSocket(values: Record<string, unknown>, io: Io): string {
  return (values.socket as string | undefined) || io.env.VPP_STATS_SOCKET || DEFAULT_STATS_SOCKET;
}

/** Connects, with the reader's errors as the CLI's: a socket or a missing addon is a connection failure. */
export async function openStats(socket: string, signal: AbortSignal): Promise<StatsReader> {
  try {
    return await connectStats({ socket, signal });
  } catch (err) {
    if (err instanceof StatsSocketError || err instanceof StatsUnavailableError || err instanceof StatsSegmentError) throw new CliError(err.message, EXIT.connection, { cause: err });
    throw err;
  }
}
