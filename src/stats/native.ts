/**
 * The native addon (`native/stats.c`) and its loader. Node can neither receive a descriptor over
 * a Unix socket nor map memory; the addon does just that, and everything else is TypeScript.
 *
 * The addon is optional. The loader tries, in order, a prebuilt binary for this platform
 * (`prebuilds/linux-x64/vppkit-stats.node`, `prebuilds/linux-arm64/…`), then the one
 * `npm install` built (`build/Release/vppkit_stats.node`). When neither loads it throws
 * {@link StatsUnavailableError} with the reason: the build's own failure, recorded by the install
 * script in `build/vppkit-stats-unavailable.txt`, or the load error.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatsUnavailableError } from './errors.js';

/** A listening stats socket that hands one descriptor to every client, as VPP's does. */
export interface FdServer {
  /** Stops listening and removes the socket file. Safe to call twice. */
  close(): void;
}

/** What the addon exports. Every failure is an `Error` whose message ends with the errno text. */
export interface StatsAddon {
  /**
   * Connects to the `SOCK_SEQPACKET` socket at `path` and receives one descriptor sent with
   * `SCM_RIGHTS` (on a worker thread). Rejects after `timeoutMs` when nothing comes. The caller
   * owns the descriptor and closes it (`fs.closeSync`).
   */
  receiveFd(path: string, timeoutMs: number): Promise<number>;
  /**
   * Maps the whole file behind `fd` (its `fstat` size), shared, read-only unless `writable`,
   * as an external `ArrayBuffer`. The descriptor may be closed afterwards.
   */
  map(fd: number, writable: boolean): ArrayBuffer;
  /** Unmaps a buffer that `map` returned and detaches it (its length becomes 0). Safe to call twice. */
  unmap(buffer: ArrayBuffer): void;
  /**
   * Listens on a `SOCK_SEQPACKET` socket at `path` (which must not exist), and sends `fd` to each
   * client that connects, then closes that connection: what VPP's stats socket does.
   */
  serveFd(path: string, fd: number): FdServer;
}

/** Where the addon may be, most preferred first; relative to the package root. */
function addonCandidates(platform: string = process.platform, arch: string = process.arch): string[] {
  return [join('prebuilds', `${platform}-${arch}`, 'vppkit-stats.node'), join('build', 'Release', 'vppkit_stats.node')];
}

/** The file in which the install script records why the addon could not be built. */
export const BUILD_FAILURE_RECORD = join('build', 'vppkit-stats-unavailable.txt');

/** The package root: the nearest folder above this module with vppkit's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vppkit') return dir;
    const up = dirname(dir);
    if (up === dir) throw new StatsUnavailableError(`no package.json of vppkit above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let loaded: StatsAddon | StatsUnavailableError | undefined;

/** The addon, loaded once; throws {@link StatsUnavailableError} saying exactly why it is not there. */
export function loadStatsAddon(): StatsAddon {
  loaded ??= load();
  if (loaded instanceof StatsUnavailableError) throw loaded;
  return loaded;
}

function load(): StatsAddon | StatsUnavailableError {
  if (process.platform !== 'linux') return new StatsUnavailableError(`VPP's stats segment is Linux-only; this is ${process.platform}`);
  try {
    return loadAddonFrom(packageRoot());
  } catch (err) {
    if (err instanceof StatsUnavailableError) return err;
    throw err;
  }
}

/** @internal The addon from the package at `root` (exported for its tests); throws {@link StatsUnavailableError}. */
export function loadAddonFrom(root: string): StatsAddon {
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const candidate of addonCandidates()) {
    const path = join(root, candidate);
    if (!existsSync(path)) continue;
    try {
      return require(path) as StatsAddon;
    } catch (err) {
      failures.push(`${path} does not load: ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new StatsUnavailableError(failures.join('; '));
  const record = join(root, BUILD_FAILURE_RECORD);
  const why = existsSync(record) ? readFileSync(record, 'utf8').trim() : 'the install script did not run (npm install --ignore-scripts?)';
  throw new StatsUnavailableError(
    `no prebuilt binary for ${process.platform}-${process.arch} and no local build (${why}); build it with \`npm rebuild vppkit\` where g++, make and python3 are installed`,
  );
}
