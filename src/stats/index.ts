/**
 * `vppkit/stats`: VPP's counters, read from its stats segment without a message to VPP.
 * {@link connectStats} maps the segment that VPP's stats socket hands out (through the optional
 * native addon); {@link openStatsSegment} reads a segment already in memory (an `ArrayBuffer`),
 * which needs no addon.
 *
 * @module
 */
export type * from './types.js';
export { connectStats } from './connect.js';
export { openStatsSegment } from './reader.js';
export { DEFAULT_WATCH_PATHS } from './watch.js';
export { StatsBusyError, StatsClosedError, StatsSegmentError, StatsSocketError, StatsUnavailableError } from './errors.js';
export { type FdServer, type StatsAddon, loadStatsAddon } from './native.js';
export * from './layout.js';
