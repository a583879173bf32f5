/** `vppkit launch` as a subprocess, with a stand-in VPP binary: it prints the sockets, and Ctrl-C leaves nothing behind. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { cliPath, vppkit } from '../helpers/cli.js';
import { HEALTHY, ended, fakeVpp } from '../helpers/fake-vpp.js';

const root = mkdtempSync(join(tmpdir(), 'vppkit-launch-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('vppkit launch', () => {
  it('prints the sockets of the VPP it started, and Ctrl-C stops it and removes its folder', async () => {
    const bin = fakeVpp(root, 'healthy', `${HEALTHY}\nfs.appendFileSync(log, 'pid ' + process.pid + '\\n');`);
    const child = spawn(process.execPath, [cliPath, 'launch', '--bin', bin, '--plugins', 'acl,memif'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const up = new Promise<void>((resolve) => {
      const check = (_: string) => stdout.includes('VPP_LOG=') && stderr.includes('\n') && resolve();
      child.stdout.on('data', (d) => check((stdout += d)));
      child.stderr.on('data', (d) => check((stderr += d)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    onTestFinished(() => {
      child.kill('SIGINT'); // if the test failed before it did: no VPP left behind
    });
    await up;
    const vars = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=') as [string, string]));
    expect(Object.keys(vars)).toEqual(['VPP_API_SOCKET', 'VPP_CLI_SOCKET', 'VPP_STATS_SOCKET', 'VPP_LOG']);
    expect(existsSync(vars.VPP_API_SOCKET!)).toBe(true);
    const dir = dirname(vars.VPP_API_SOCKET!);
    expect(stderr).toMatch(new RegExp(`^vppkit launch: VPP is up \\(pid \\d+\\); Ctrl-C stops it and removes ${dir}\\n$`));
    const pid = Number(/\(pid (\d+)\)/.exec(stderr)![1]);
    child.kill('SIGINT');
    expect(await exited).toBe(null); // ended by SIGINT, as an interrupted command is
    expect(await ended(pid)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('says what is wrong when VPP cannot start', async () => {
    expect(await vppkit(['launch'], { env: { VPP_BIN: '' } })).toMatchObject({ code: 3, stderr: 'vppkit launch: no VPP binary: pass { bin } or set VPP_BIN to the path of a vpp binary\n' });
    const failing = fakeVpp(root, 'failing', "console.error('no such plugin'); process.exit(1);");
    const r = await vppkit(['launch', '--bin', failing]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^vppkit launch: VPP \(.*\) exited with code 1\n[\s\S]*no such plugin/);
    expect(await vppkit(['launch', '--bin', failing, '--plugins', ','])).toMatchObject({ code: 2, stderr: 'vppkit launch: --plugins needs at least one plugin name, e.g. --plugins acl,nat\n' });
  });
});
