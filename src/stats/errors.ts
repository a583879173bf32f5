/**
 * The errors of `vppkit/stats`, all on {@link VppkitError}.
 *
 * @module
 */
import { VppkitError } from '../errors/index.js';

/**
 * The native addon that maps the segment is not there: it was not built (no compiler at install
 * time), or it does not load. `reason` says which, and what to do.
 */
export class StatsUnavailableError extends VppkitError {
  override name = 'StatsUnavailableError';
  /** Creates the error with the reason the addon is unavailable. */
  constructor(
    /** Why: the build's own message, or the loader's. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`vppkit/stats: the native stats addon is unavailable: ${reason}`, options);
  }
}

/** The stats socket cannot be reached or sent no segment (it names the socket and the errno text). */
export class StatsSocketError extends VppkitError {
  override name = 'StatsSocketError';
  /** Creates the error for `socket`. */
  constructor(
    /** The socket path. */
    readonly socket: string,
    /** What went wrong, e.g. `connect: No such file or directory`. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`stats socket ${socket}: ${detail}`, options);
  }
}

/**
 * The segment does not hold what it should: a version other than 2, or an entry whose data
 * points outside the segment. Nothing is read from such an entry.
 */
export class StatsSegmentError extends VppkitError {
  override name = 'StatsSegmentError';
  /** Creates the error; `entry` names the directory entry read, when there is one. */
  constructor(
    /** What is wrong, with offsets and sizes. */
    readonly detail: string,
    /** The entry being read, e.g. `/if/rx`. */
    readonly entry?: string,
  ) {
    super(entry === undefined ? `stats segment: ${detail}` : `stats segment: ${entry}: ${detail}`);
  }
}

/**
 * VPP kept changing the directory while the reader read it: after `attempts` tries (or `timeout`
 * ms) the optimistic lock never gave a consistent read.
 */
export class StatsBusyError extends VppkitError {
  override name = 'StatsBusyError';
  /** Creates the error after `attempts` tries over `elapsed` ms. */
  constructor(
    readonly attempts: number,
    readonly elapsed: number,
  ) {
    super(`stats segment: VPP was still changing the directory after ${attempts} attempts over ${elapsed} ms; try again`);
  }
}

/** The reader was closed; nothing more can be read. */
export class StatsClosedError extends VppkitError {
  override name = 'StatsClosedError';
  /** Creates the error. */
  constructor() {
    super('stats reader: closed');
  }
}
