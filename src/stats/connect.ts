/**
 * {@link connectStats}: maps the segment VPP's stats socket hands out, and maps the new one when
 * VPP restarts. A restart shows on the socket: VPP removes it when it exits and binds a new one
 * (another inode) when it starts, while the old segment stays mapped but frozen. So each read
 * first looks at the socket (one `stat`): gone is an error, replaced means connect again, map the
 * new segment, and unmap the old one.
 *
 * @module
 */
import { type Stats, closeSync, statSync } from 'node:fs';
import { AbortError } from '../errors/index.js';
import { StatsClosedError, StatsSocketError } from './errors.js';
import { DEFAULT_STATS_SOCKET } from './layout.js';
import { type StatsAddon, loadStatsAddon } from './native.js';
import { DEFAULT_STATS_TIMEOUT, type SegmentSource, createReader } from './reader.js';
import { type Segment, openSegment } from './segment.js';
import type { ConnectStatsOptions, StatsReader } from './types.js';

/** The identity of the socket file: a new VPP binds a new one. */
function socketIdentity(path: string): string | undefined {
  let st: Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw new StatsSocketError(path, `stat: ${(err as Error).message}`, { cause: err });
  }
  return st === undefined ? undefined : `${st.dev}:${st.ino}:${st.birthtimeMs}`;
}

interface Mapped {
  readonly segment: Segment;
  readonly identity: string;
}

/** Connects, receives the descriptor, maps it, checks the header; unmaps again if the header is bad. */
async function map(addon: StatsAddon, path: string, timeout: number): Promise<Mapped> {
  const identity = socketIdentity(path);
  if (identity === undefined) throw new StatsSocketError(path, 'no such socket (is VPP running, with `statseg { socket-name … }` there?)');
  let fd: number;
  try {
    fd = await addon.receiveFd(path, timeout);
  } catch (err) {
    throw new StatsSocketError(path, (err as Error).message, { cause: err });
  }
  let buffer: ArrayBuffer;
  try {
    buffer = addon.map(fd, false);
  } catch (err) {
    throw new StatsSocketError(path, `the segment's descriptor: ${(err as Error).message}`, { cause: err });
  } finally {
    closeSync(fd);
  }
  try {
    return { segment: openSegment(buffer), identity };
  } catch (err) {
    addon.unmap(buffer);
    throw err;
  }
}

/**
 * `work`'s value, or an `AbortError` as soon as `signal` aborts: the descriptor is received on a
 * worker thread that only its timeout stops, so the caller does not wait for it. What `work`
 * yields after the abort is released. `signal` has not aborted yet.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, release: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError('connectStats', signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) release(value);
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Connects to VPP's stats socket and maps its segment read-only. Throws
 * `StatsUnavailableError` when the native addon is not built (saying why),
 * `StatsSocketError` when the socket cannot be reached or sends no segment, and
 * `StatsSegmentError` when the segment is not version 2.
 *
 * ```ts
 * await using stats = await connectStats({ socket: '/run/vpp/stats.sock' });
 * for (const i of await stats.interfaces()) console.log(i.name, i.rx.packets);
 * ```
 */
export async function connectStats(options: ConnectStatsOptions = {}): Promise<StatsReader> {
  const path = options.socket ?? DEFAULT_STATS_SOCKET;
  const timeout = options.timeout ?? DEFAULT_STATS_TIMEOUT;
  if (typeof path !== 'string' || path === '') throw new TypeError('connectStats: socket must be a non-empty path');
  if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError(`connectStats: timeout must be a positive number of ms, got ${timeout}`);
  const { signal } = options;
  if (signal?.aborted) throw new AbortError('connectStats', signal.reason);
  const addon = loadStatsAddon();
  const mapping = map(addon, path, Math.ceil(timeout));
  let mapped = signal ? await unlessAborted(mapping, signal, (m) => addon.unmap(m.segment.buffer)) : await mapping;
  let closed = false;
  let remapping: Promise<Mapped> | undefined;
  const source: SegmentSource = {
    async current() {
      const identity = socketIdentity(path);
      if (identity === undefined) throw new StatsSocketError(path, 'the socket is gone: VPP stopped, and the segment mapped is stale');
      if (identity === mapped.identity) return { segment: mapped.segment, reconnected: false };
      // One remap at a time, however many reads ask.
      remapping ??= map(addon, path, Math.ceil(timeout)).finally(() => (remapping = undefined));
      const next = await remapping;
      if (closed) {
        addon.unmap(next.segment.buffer);
        throw new StatsClosedError();
      }
      if (next !== mapped) {
        addon.unmap(mapped.segment.buffer);
        mapped = next;
      }
      return { segment: mapped.segment, reconnected: true };
    },
    close() {
      closed = true;
      addon.unmap(mapped.segment.buffer);
    },
  };
  const reader = createReader(source, timeout);
  signal?.addEventListener('abort', () => reader.close(), { once: true });
  return reader;
}
