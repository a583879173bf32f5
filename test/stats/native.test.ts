/**
 * The native addon (built by `npm ci`'s install step) and connectStats over it, against a stats
 * socket served by the addon itself, the way VPP serves its own: a file-backed segment built by
 * the test helper stands in for VPP's memfd.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsSegmentError, StatsSocketError, StatsUnavailableError, connectStats, loadStatsAddon } from '../../src/stats/index.js';
import { BUILD_FAILURE_RECORD, type FdServer, loadAddonFrom } from '../../src/stats/native.js';
import { buildSegment, vppLikeEntries } from '../helpers/stats-segment.js';

const addon = loadStatsAddon();
let dir: string;
const servers: FdServer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vppkit-stats-test-'));
});
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Serves `buffer` at `socket` as VPP would: a file holding the segment, its descriptor sent to each client. */
function serve(socket: string, buffer: ArrayBuffer, name = 'segment'): void {
  const file = join(dir, `${name}-${Math.random()}`);
  writeFileSync(file, new Uint8Array(buffer));
  const fd = openSync(file, 'r');
  const server = addon.serveFd(socket, fd);
  servers.push({
    close() {
      server.close();
      closeSync(fd);
    },
  });
}

describe('stats addon', () => {
  it('receives a descriptor, maps it read-only, and detaches the buffer when it unmaps', async () => {
    const socket = join(dir, 'stats.sock');
    serve(socket, buildSegment(vppLikeEntries(), { size: 65536 }).buffer);
    const fd = await addon.receiveFd(socket, 2000);
    const buffer = addon.map(fd, false);
    closeSync(fd);
    expect(buffer.byteLength).toBe(65536);
    expect(new DataView(buffer).getBigUint64(0, true)).toBe(2n);
    const view = new Uint8Array(buffer);
    addon.unmap(buffer);
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(() => addon.unmap(buffer)).not.toThrow();
    expect(() => addon.unmap(new ArrayBuffer(8))).toThrow(/not made by map\(\)/);
  });

  it('fails with the errno text', async () => {
    await expect(addon.receiveFd(join(dir, 'absent.sock'), 500)).rejects.toThrow('connect: No such file or directory');
    const socket = join(dir, 'stats.sock');
    serve(socket, new ArrayBuffer(64));
    expect(() => addon.serveFd(socket, 0)).toThrow('bind/listen: Address already in use');
    const empty = openSync(join(dir, 'empty'), 'w+');
    try {
      expect(() => addon.map(empty, false)).toThrow('map: the file is empty: Invalid argument');
    } finally {
      closeSync(empty);
    }
  });

  it('gives up after the timeout when the server accepts but sends nothing', async () => {
    const socket = join(dir, 'mute.sock');
    // A SOCK_SEQPACKET listener that never accepts; Node cannot make one, python3 can.
    const mute = spawn('python3', ['-c', `import socket,time\ns=socket.socket(socket.AF_UNIX,socket.SOCK_SEQPACKET)\ns.bind(${JSON.stringify(socket)})\ns.listen(1)\nprint('up',flush=True)\ntime.sleep(30)`]);
    try {
      await new Promise((resolve) => mute.stdout.once('data', resolve));
      await expect(addon.receiveFd(socket, 200)).rejects.toThrow('no descriptor within 200 ms: Connection timed out');
    } finally {
      mute.kill();
    }
  });
});

describe('connectStats', () => {
  it('reads the segment the socket hands out', async () => {
    const socket = join(dir, 'stats.sock');
    serve(socket, buildSegment(vppLikeEntries()).buffer);
    await using stats = await connectStats({ socket });
    expect((await stats.interfaces()).map((i) => [i.name, i.rx.packets])).toEqual([['local0', 0n], ['pg0', 15n]]);
  });

  it('maps the new segment after a restart, flags it, and says so when the socket is gone', async () => {
    const socket = join(dir, 'stats.sock');
    serve(socket, buildSegment(vppLikeEntries()).buffer);
    const stats = await connectStats({ socket });
    const snapshots = stats.watch({ interval: 5, paths: '^/if/drops$' });
    expect((await snapshots.next()).value?.counters.get('/if/drops[1]')?.value).toBe(5n);
    // A restart: the old socket goes, a new one (another inode) hands out a new segment.
    servers.pop()!.close();
    const restarted = vppLikeEntries().map((e) => (e.name === '/if/drops' && e.type === 'simple' ? { ...e, perThread: [[0n, 1n, 0n], [0n, 0n, 0n]] } : e));
    serve(socket, buildSegment(restarted).buffer);
    const after = (await snapshots.next()).value!;
    expect(after.reconnected).toBe(true);
    expect(after.counters.get('/if/drops[1]')).toMatchObject({ value: 1n, delta: 1n, reset: true });
    servers.pop()!.close();
    await expect(stats.ls()).rejects.toThrow(new StatsSocketError(socket, 'the socket is gone: VPP stopped, and the segment mapped is stale'));
    stats.close();
  });

  it('rejects at once when its signal aborts while the socket sends nothing', async () => {
    const socket = join(dir, 'mute.sock');
    const mute = spawn('python3', ['-c', `import socket,time\ns=socket.socket(socket.AF_UNIX,socket.SOCK_SEQPACKET)\ns.bind(${JSON.stringify(socket)})\ns.listen(1)\nprint('up',flush=True)\ntime.sleep(30)`]);
    try {
      await new Promise((resolve) => mute.stdout.once('data', resolve));
      const abort = new AbortController();
      const connecting = connectStats({ socket, timeout: 60_000, signal: abort.signal });
      let settled = false;
      void connecting.then(() => (settled = true), () => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      abort.abort('enough');
      // Rejected before the 60 s timeout could end the wait: the test's own limit is far below it.
      await expect(connecting).rejects.toMatchObject({ name: 'AbortError', message: expect.stringContaining('connectStats') });
    } finally {
      mute.kill();
    }
  });

  it('refuses a segment of another version, a missing socket and a bad timeout', async () => {
    const socket = join(dir, 'stats.sock');
    serve(socket, buildSegment(vppLikeEntries(), { version: 3 }).buffer);
    await expect(connectStats({ socket })).rejects.toThrow(StatsSegmentError);
    await expect(connectStats({ socket: join(dir, 'none.sock') })).rejects.toThrow(/none.sock: no such socket/);
    await expect(connectStats({ socket, timeout: -1 })).rejects.toThrow(RangeError);
  });
});

describe('addon loader', () => {
  it('says why the addon is unavailable: the build failure it recorded, or that the install step did not run', () => {
    const root = join(dir, 'pkg');
    mkdirSync(join(root, 'build'), { recursive: true });
    expect(() => loadAddonFrom(root)).toThrow(/install script did not run/);
    writeFileSync(join(root, BUILD_FAILURE_RECORD), 'node-gyp rebuild failed (exit 1): gyp ERR! not ok\n');
    expect(() => loadAddonFrom(root)).toThrow(StatsUnavailableError);
    expect(() => loadAddonFrom(root)).toThrow(/no local build \(node-gyp rebuild failed \(exit 1\): gyp ERR! not ok\)/);
  });
});
