/** The CLI's commands that talk to VPP, run as a subprocess against the simulator: call, dump, watch, cli, compat, version. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { apiModule as nat44Ei } from '../../src/gen/nat44_ei.js';
import { type SimulatorOptions, VppSimulator, cursorStream } from '../../src/testing/index.js';
import { type CliResult, cliPath, vppkit } from '../helpers/cli.js';
import { allModules, apiDir } from '../helpers/reference.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-online-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A simulator on a temporary socket, closed after the test, that records every request. */
async function simulator(options: SimulatorOptions = {}): Promise<{ sim: VppSimulator; socket: string[]; requests: [string, Record<string, unknown>][] }> {
  const sim = await VppSimulator.start(options);
  cleanups.push(() => sim.close());
  const requests: [string, Record<string, unknown>][] = [];
  sim.on('request', (r) => requests.push([r.name, r.value]));
  return { sim, socket: ['--socket', sim.socketPath], requests };
}

/** `vppkit ARGS` left running, for commands that run until stopped. */
function start(args: string[], options: { uid?: number; gid?: number } = {}): { child: ChildProcessWithoutNullStreams; lines(): string[]; exited: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, VPP_API_SOCKET: '' }, stdio: 'pipe', ...options });
  cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, lines: () => stdout.split('\n').filter(Boolean), exited };
}

/** An ACL whose one rule has a prefix length out of range. */
const ACL_33 = JSON.stringify({ acl_index: 0xffffffff, tag: '', r: [{ is_permit: 0, src_prefix: '10.0.0.0/33', dst_prefix: '0.0.0.0/0', proto: 0, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 0, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 0, tcp_flags_mask: 0, tcp_flags_value: 0 }] });
const json = (text: string): unknown[] => text.trim().split('\n').map((l) => JSON.parse(l));
const until = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 10_000, interval: 10 });

describe('vppkit call', () => {
  it('prints the reply as JSON, without _vl_msg_id and context; --json on one line', async () => {
    const { sim, socket } = await simulator();
    sim.handle('show_version', () => ({ program: 'vpe', version: '26.06-rc0', build_date: 'today' }));
    const r = await vppkit(['call', 'show_version', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const reply = { retval: 0, program: 'vpe', version: '26.06-rc0', build_date: 'today', build_directory: '' };
    expect(r.stdout).toBe(`${JSON.stringify(reply, null, 2)}\n`);
    expect(await vppkit(['call', 'show_version', '--json', ...socket])).toEqual({ code: 0, stdout: `${JSON.stringify(reply)}\n`, stderr: '' });
  });

  it('prints the header too under --raw: the id VPP gave the reply, and the context', async () => {
    const { sim, socket } = await simulator();
    const r = await vppkit(['call', 'show_version', '--raw', '--json', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const reply = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(reply).slice(0, 3)).toEqual(['_vl_msg_id', 'context', 'retval']);
    expect(reply._vl_msg_id).toBe(sim.idOf('show_version_reply'));
    expect(reply.context).toEqual(expect.any(Number));
  });

  it('sends the JSON given inline, from @file and from stdin', async () => {
    const { socket, requests } = await simulator();
    const fields = { sw_if_index: 3, flags: 1 };
    const file = join(work, 'flags.json');
    writeFileSync(file, JSON.stringify(fields));
    for (const [arg, input] of [[JSON.stringify(fields), ''], [`@${file}`, ''], ['-', JSON.stringify(fields)]] as const) {
      expect(await vppkit(['call', 'sw_interface_set_flags', arg, '--json', ...socket], { input })).toEqual({ code: 0, stdout: '{"retval":0}\n', stderr: '' });
    }
    expect(requests.filter(([n]) => n === 'sw_interface_set_flags').map(([, v]) => ({ sw_if_index: v.sw_if_index, flags: v.flags }))).toEqual([fields, fields, fields]);
  });

  it("exits 1 with VPP's error name when retval is not 0", async () => {
    const { sim, socket } = await simulator();
    sim.handle('sw_interface_set_flags', () => -2);
    expect(await vppkit(['call', 'sw_interface_set_flags', '{"sw_if_index": 99, "flags": 0}', ...socket])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'vppkit call: sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)\n',
    });
  });

  it('suggests near names for an unknown message, and says which command a message is for (exit 2)', async () => {
    const { socket } = await simulator();
    const r = await vppkit(['call', 'show_versio', ...socket]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`vppkit call: unknown message "show_versio" in VPP's definitions (get_api_json); did you mean show_version, show_version_reply?\n`);
    expect(await vppkit(['call', 'sw_interface_dump', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit call: sw_interface_dump is a dump: vppkit dump sw_interface_dump\n' });
    expect(await vppkit(['call', 'want_interface_events', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit call: want_interface_events is a subscription: vppkit watch sw_interface_event\n' });
    expect(await vppkit(['call', 'show_version_reply', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a request/) });
  });

  it('names the field path and the limit of a bad field, and sends nothing (exit 2)', async () => {
    const { socket, requests } = await simulator();
    const r = await vppkit(['call', 'acl_add_replace', ACL_33, ...socket]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'vppkit call: acl_add_replace: r[0].src_prefix: prefix length 33 is out of range for IPv4 (0..32)\n' });
    expect(requests.map(([n]) => n)).not.toContain('acl_add_replace');
  });

  it('rejects input that is not a JSON object, and a missing message name (exit 2)', async () => {
    const { socket } = await simulator();
    expect(await vppkit(['call', 'show_version', '[1]', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^vppkit call: the message JSON must be an object of fields/) });
    expect(await vppkit(['call', 'show_version', '{oops', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^vppkit call: the message JSON is not valid JSON/) });
    expect(await vppkit(['call', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^vppkit call: call needs a message name/) });
  });

  it("calls any module VPP has, through its own definitions; --api-dir reads files instead", async () => {
    const { socket, requests } = await simulator({ modules: await allModules() });
    // l2 is not among the bundled bindings: only VPP's get_api_json (or --api-dir) knows it.
    expect(await vppkit(['call', 'l2_fib_clear_table', '--json', ...socket])).toEqual({ code: 0, stdout: '{"retval":0}\n', stderr: '' });
    expect(requests.map(([n]) => n)).toContain('get_api_json');
    requests.length = 0;
    expect(await vppkit(['call', 'l2_fib_clear_table', '--json', '--api-dir', apiDir, ...socket])).toEqual({ code: 0, stdout: '{"retval":0}\n', stderr: '' });
    expect(requests.map(([n]) => n)).not.toContain('get_api_json');
  });

  it("falls back to the bundled bindings, with a note on stderr, when VPP's definitions are unusable", async () => {
    const { sim, socket } = await simulator({ apiJson: 'not json' });
    sim.handle('show_version', () => ({ version: '26.06' }));
    const r = await vppkit(['call', 'show_version', '--json', ...socket]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: '26.06' });
    expect(r.stderr).toMatch(/^vppkit call: note: cannot use VPP's definitions \(get_api_json: not valid JSON.*\); using the bundled bindings \(--api-dir DIR to choose\)\n$/);
  });

  it('under --json, prints an error as one JSON object on stderr, with the same exit codes', async () => {
    const { sim, socket } = await simulator();
    sim.handle('acl_del', () => -6);
    const refused = await vppkit(['call', 'acl_del', '{"acl_index": 5}', '--json', ...socket]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(refused.stderr)).toEqual({ name: 'VppApiError', code: 1, command: 'call', message: 'acl_del: VPP returned -6 NO_SUCH_ENTRY (No such entry)', retval: -6, symbol: 'NO_SUCH_ENTRY' });
    const unreachable = await vppkit(['call', 'acl_del', '{"acl_index": 5}', '--json', '--socket', join(work, 'nothing.sock')]);
    expect(unreachable).toMatchObject({ code: 3, stdout: '' });
    expect(JSON.parse(unreachable.stderr)).toMatchObject({ name: 'ConnectionClosedError', code: 3, command: 'call', message: expect.stringMatching(/^no VPP API socket at /) });
    const usage = await vppkit(['call', 'acl_del', '--bogus', '--json']);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(usage.stderr)).toEqual({ name: 'CliError', code: 2, command: 'call', message: "Unknown option '--bogus' (vppkit call --help)" });
    const bad = await vppkit(['call', 'acl_del', '{"acl_index": -1}', '--json', ...socket]);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({ name: 'ValidationError', code: 2, command: 'call', message: expect.stringContaining('acl_index') });
  });

  it('prints no build date when VPP reports none', async () => {
    const { sim, socket } = await simulator();
    sim.handle('show_version', () => ({ version: '26.06', build_date: '' }));
    expect((await vppkit(['version', ...socket])).stdout).toMatch(/\nVPP 26\.06 at .*\n$/);
  });

  it('explains a message this VPP defines differently (exit 1)', async () => {
    const { socket } = await simulator({ crcs: { show_version: '0xdeadbeef' } });
    const r = await vppkit(['call', 'show_version', '--api-dir', apiDir, ...socket]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^vppkit call: this VPP defines show_version differently \(crc 0xdeadbeef; the definitions in use have 0x51077d14\): use this VPP's own/);
  });
});

describe('connection errors', () => {
  it('a missing socket: is VPP running, and is socksvr enabled? (exit 3)', async () => {
    const path = join(work, 'none.sock');
    expect(await vppkit(['call', 'show_version', '--socket', path])).toEqual({
      code: 3,
      stdout: '',
      stderr: `vppkit call: no VPP API socket at ${path}: is VPP running, and is socksvr { socket-name ${path} } in its startup.conf? (--socket PATH or VPP_API_SOCKET to use another)\n`,
    });
  });

  it('takes the socket from VPP_API_SOCKET; an empty one means the default path', async () => {
    const path = join(work, 'env.sock');
    const r = await vppkit(['dump', 'sw_interface_dump'], { env: { VPP_API_SOCKET: path } });
    expect(r).toMatchObject({ code: 3, stderr: expect.stringContaining(`no VPP API socket at ${path}:`) });
    expect(await vppkit(['dump', 'sw_interface_dump'], { env: { VPP_API_SOCKET: '' } })).toMatchObject({ code: 3, stderr: expect.stringContaining('no VPP API socket at /run/vpp/api.sock:') });
  });

  it('permission denied: which group to join (exit 3)', async () => {
    const { sim } = await simulator();
    // The simulator's directory is open to its owner only: another user is denied.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(sim.socketPath, 0);
    const run = start(['call', 'show_version', '--socket', sim.socketPath], asRoot ? { uid: 65534, gid: 65534 } : {});
    const r = await run.exited;
    expect(r).toMatchObject({ code: 3, stdout: '' });
    // Root's stand-in cannot even see the socket's group; a user can, and is told its name.
    const group = asRoot ? 'the group that owns it, usually `vpp` \\(sudo usermod -aG vpp' : 'its group `[^`]+` \\(sudo usermod -aG \\S+';
    expect(r.stderr).toMatch(new RegExp(`^vppkit call: permission denied on ${sim.socketPath}: add your user to ${group} \\$USER, then log in again\\), or run as root\n$`));
  });

  it('nothing listening: a stale socket or not a socket (exit 3)', async () => {
    const path = join(work, 'stale.sock');
    writeFileSync(path, '');
    expect(await vppkit(['cli', 'show version', '--socket', path])).toEqual({
      code: 3,
      stdout: '',
      stderr: `vppkit cli: nothing accepts connections on ${path} (a stale socket, or not a socket): is VPP running?\n`,
    });
  });

  it('VPP never answering the handshake or a request times out (exit 4)', async () => {
    const path = join(work, 'silent.sock');
    // Reads and ignores everything, as a hung VPP would.
    const server: Server = createServer((s) => s.resume());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    expect(await vppkit(['call', 'show_version', '--timeout', '300', '--socket', path])).toEqual({
      code: 4,
      stdout: '',
      stderr: `vppkit call: VPP at ${path} did not finish the handshake within 300 ms: is it busy or stuck? (--timeout MS waits longer)\n`,
    });
    const { sim, socket } = await simulator();
    sim.dropNext('show_version');
    expect(await vppkit(['call', 'show_version', '--timeout', '300', ...socket])).toEqual({
      code: 4,
      stdout: '',
      stderr: 'vppkit call: VPP did not answer show_version within 300 ms: is it busy or stuck? (--timeout MS waits longer)\n',
    });
  });

  it('VPP closing the connection mid-dump (exit 3)', async () => {
    const { sim, socket } = await simulator();
    sim.handle('sw_interface_dump', () => [0, 1, 2, 3, 4].map((i) => ({ sw_if_index: i })));
    sim.closeMidDump('sw_interface_dump', 2);
    const r = await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', ...socket]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`vppkit dump: VPP closed the connection (socket ${sim.socketPath})\n`);
  });

  it('rejects a bad --timeout (exit 2)', async () => {
    expect(await vppkit(['call', 'show_version', '--timeout', 'soon'])).toMatchObject({ code: 2, stderr: 'vppkit call: --timeout must be a positive number of milliseconds, got soon\n' });
  });
});

describe('vppkit dump', () => {
  it('prints one JSON object per detail, and nothing on stderr when it is not a terminal', async () => {
    const { sim, socket, requests } = await simulator();
    sim.handle('sw_interface_dump', () => [0, 1, 2].map((i) => ({ sw_if_index: i, interface_name: `eth${i}`, link_speed: 1000 * i })));
    const r = await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": true, "name_filter": "eth"}', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const rows = json(r.stdout) as Record<string, unknown>[];
    expect(rows.map((d) => [d.sw_if_index, d.interface_name, d.link_speed])).toEqual([[0, 'eth0', 0], [1, 'eth1', 1000], [2, 'eth2', 2000]]);
    expect(Object.keys(rows[0]!)).not.toContain('_vl_msg_id');
    expect(Object.keys(rows[0]!)).not.toContain('context');
    expect(requests.find(([n]) => n === 'sw_interface_dump')![1]).toMatchObject({ name_filter_valid: true, name_filter: 'eth' });
    const raw = json((await vppkit(['dump', 'sw_interface_dump', '--raw', ...socket])).stdout) as Record<string, unknown>[];
    expect(raw.map((d) => [d._vl_msg_id, d.sw_if_index])).toEqual([0, 1, 2].map((i) => [sim.idOf('sw_interface_details'), i]));
    expect(new Set(raw.map((d) => d.context)).size).toBe(1);
  });

  it('follows a cursor stream to its end', async () => {
    const { sim, socket, requests } = await simulator();
    sim.handle('nat44_ed_output_interface_get', cursorStream([1, 2, 3, 4, 5].map((i) => ({ sw_if_index: i })), 2));
    const r = await vppkit(['dump', 'nat44_ed_output_interface_get', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(json(r.stdout)).toEqual([1, 2, 3, 4, 5].map((i) => ({ sw_if_index: i })));
    expect(requests.filter(([n]) => n === 'nat44_ed_output_interface_get').map(([, v]) => v.cursor)).toEqual([0, 2, 4]);
  });

  it('prints nothing for an empty dump', async () => {
    const { socket } = await simulator();
    expect(await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', ...socket])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--table: a column per field, struct fields one level down, zeros shown; --columns picks fields and nested paths', async () => {
    const { sim, socket } = await simulator();
    sim.handle('sw_interface_dump', () => [0, 1].map((i) => ({ sw_if_index: i, interface_name: `eth${i}`, flags: i, l2_address: `02:00:00:00:00:0${i + 1}` })));
    sim.handle('acl_dump', () => [{ acl_index: 0, tag: 'web', r: [{ is_permit: 1, src_prefix: '10.0.0.0/8', dst_prefix: '0.0.0.0/0' }, { src_prefix: '10.2.0.0/16', dst_prefix: '0.0.0.0/0' }] }]);
    sim.handle('acl_interface_list_dump', () => [{ sw_if_index: 0, n_input: 0, acls: [0] }]);
    expect((await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--table', ...socket])).stdout).toBe(['acl_index  tag  count  r', '0          web  2      [2 items]', ''].join('\n'));
    expect((await vppkit(['dump', 'acl_interface_list_dump', '--table', ...socket])).stdout).toBe(['sw_if_index  count  n_input  acls', '0            1      0        0', ''].join('\n'));
    const full = await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', '--table', ...socket]);
    expect(full).toMatchObject({ code: 0, stderr: '' });
    expect(full.stdout.split('\n')[0]).toMatch(/^sw_if_index +sup_sw_if_index +l2_address +flags +type +link_duplex +link_speed .* interface_name /);
    const picked = await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', '--table', '--columns', 'interface_name,link_speed', ...socket]);
    expect(picked.stdout).toBe(['interface_name  link_speed', 'eth0            0', 'eth1            0', ''].join('\n'));
    const nested = await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--table', '--columns', 'tag,r.0.src_prefix,r.src_prefix,r.1.is_permit', ...socket]);
    expect(nested.stdout).toBe(['tag  r.0.src_prefix  r.src_prefix            r.1.is_permit', 'web  10.0.0.0/8      10.0.0.0/8,10.2.0.0/16  0', ''].join('\n'));
  });

  it('--table: names the fields for a bad column, and says when there is nothing (exit 2, exit 0)', async () => {
    const { socket } = await simulator();
    const r = await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--table', '--columns', 'acl_index,bogus', ...socket]);
    const fields = 'its fields: acl_index, tag, count, r (a.b for a struct\'s field, r.0.x or r.x for an array\'s)';
    expect(r).toEqual({ code: 2, stdout: '', stderr: `vppkit dump: acl_details has no field bogus; ${fields}\n` });
    const nested = await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--table', '--columns', 'r.0.src,tag.x,r.0.1', ...socket]);
    expect(nested).toEqual({ code: 2, stdout: '', stderr: `vppkit dump: acl_details has no field r.0.src, tag.x, r.0.1; ${fields}\n` });
    expect(await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--table', ...socket])).toEqual({ code: 0, stdout: '', stderr: 'vppkit dump: no acl_details\n' });
    expect(await vppkit(['dump', 'acl_dump', '{"acl_index": 4294967295}', '--columns', 'tag', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit dump: --columns goes with --table\n' });
  });

  it("exits 1 with VPP's error when a stream fails, and 2 for a message that is not a dump", async () => {
    const { sim, socket } = await simulator();
    sim.handle('nat44_ed_output_interface_get', () => -1);
    expect(await vppkit(['dump', 'nat44_ed_output_interface_get', ...socket])).toMatchObject({
      code: 1,
      stderr: 'vppkit dump: nat44_ed_output_interface_get: VPP returned -1 UNSPECIFIED (Unspecified Error)\n',
    });
    expect(await vppkit(['dump', 'show_version', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit dump: show_version is a request with one reply: vppkit call show_version\n' });
    expect(await vppkit(['dump', 'sw_interface_dmp', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown message "sw_interface_dmp" .*did you mean sw_interface_dump/) });
  });

  it('exits quietly (0, nothing on stderr) when stdout is closed before it writes (| true)', async () => {
    for (const args of [['messages'], ['demo', '--json']]) {
      const run = start(args);
      run.child.stdout.destroy();
      expect(await run.exited).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it('stops quietly when the reader goes away (| head)', async () => {
    const { sim, socket } = await simulator();
    sim.handle('sw_interface_dump', async function* () {
      for (let i = 0; ; i++) yield { sw_if_index: i };
    });
    const run = start(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', ...socket]);
    run.child.stdout.once('data', () => run.child.stdout.destroy());
    expect(await run.exited).toMatchObject({ code: 0, stderr: '' });
  });

  it('shows the count so far on stderr when it is a terminal, then erases it', async () => {
    const { sim } = await simulator();
    sim.handle('sw_interface_dump', async function* () {
      for (let i = 0; i < 5; i++) yield { sw_if_index: i };
      await sleep(300);
      for (let i = 5; i < 10; i++) yield { sw_if_index: i };
    });
    let stdout = '';
    let stderr = '';
    const out = new PassThrough().on('data', (d) => (stdout += d));
    const err = Object.assign(new PassThrough().on('data', (d) => (stderr += d)), { isTTY: true });
    const code = await main(['dump', 'sw_interface_dump', '{"name_filter_valid":false,"name_filter":""}', '--socket', sim.socketPath], { stdin: new PassThrough(), stdout: out, stderr: err, env: {} });
    expect(code).toBe(0);
    expect(json(stdout)).toHaveLength(10);
    expect(stderr).toMatch(/^\rsw_interface_details: \d+ so far/);
    expect(stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('vppkit watch', () => {
  it('subscribes, prints events as JSON lines, and unsubscribes on Ctrl-C (exit 0)', async () => {
    const { sim, socket, requests } = await simulator();
    const run = start(['watch', 'sw_interface_event', ...socket]);
    await until(() => expect(sim.connections[0]?.subscriptions.has('want_interface_events')).toBe(true));
    sim.pushEvent('sw_interface_event', { sw_if_index: 1, flags: 1 });
    sim.pushEvent('sw_interface_event', { sw_if_index: 2, flags: 0, deleted: true });
    await until(() => expect(run.lines()).toHaveLength(2));
    run.child.kill('SIGINT');
    const r = await run.exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const pid = run.child.pid;
    expect(json(r.stdout)).toEqual([
      { message: 'sw_interface_event', fields: { pid, sw_if_index: 1, flags: 1, deleted: false } },
      { message: 'sw_interface_event', fields: { pid, sw_if_index: 2, flags: 0, deleted: true } },
    ]);
    const wants = requests.filter(([n]) => n === 'want_interface_events').map(([, v]) => [v.enable_disable, v.pid]);
    expect(wants).toEqual([[1, pid], [0, pid]]);
    expect(requests.at(-1)![0]).toBe('sockclnt_delete');
  });

  it('--count N stops after N events; a want_* name watches all its events', async () => {
    const { sim, socket, requests } = await simulator();
    const run = start(['watch', 'want_interface_events', '--count', '1', ...socket]);
    await until(() => expect(sim.connections[0]?.subscriptions.has('want_interface_events')).toBe(true));
    sim.pushEvent('sw_interface_event', { sw_if_index: 7 });
    const r = await run.exited;
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject([{ message: 'sw_interface_event', fields: { sw_if_index: 7 } }]);
    expect(requests.filter(([n]) => n === 'want_interface_events').map(([, v]) => v.enable_disable)).toEqual([1, 0]);
  });

  it('exits 3 when VPP goes away while watching', async () => {
    const { sim, socket } = await simulator();
    const run = start(['watch', 'sw_interface_event', ...socket]);
    await until(() => expect(sim.connections[0]?.subscriptions.size).toBe(1));
    await sim.close();
    expect(await run.exited).toMatchObject({ code: 3, stdout: '', stderr: `vppkit watch: VPP closed the connection (socket ${sim.socketPath})\n` });
  });

  it('rejects unknown names, and messages that are not events (exit 2)', async () => {
    const { socket } = await simulator();
    expect(await vppkit(['watch', 'sw_interface_evnt', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown message "sw_interface_evnt" .*did you mean sw_interface_event/) });
    expect(await vppkit(['watch', 'show_version', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^vppkit watch: show_version is not an event any want_\* request subscribes to/) });
    expect(await vppkit(['watch', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/watch needs one or more event names/) });
    expect(await vppkit(['watch', 'sw_interface_event', '--count', '0', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--count must be a positive whole number/) });
  });

  it("exits 1 when VPP refuses the subscription", async () => {
    const { sim, socket } = await simulator();
    sim.handle('want_interface_events', () => -31);
    expect(await vppkit(['watch', 'sw_interface_event', ...socket])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'vppkit watch: want_interface_events: VPP returned -31 INVALID_REGISTRATION (Invalid registration)\n',
    });
  });
});

describe('vppkit cli', () => {
  it("runs a debug CLI command through cli_inband and prints VPP's text", async () => {
    const { sim, socket, requests } = await simulator();
    sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}\nsecond line` }));
    expect(await vppkit(['cli', 'show interface', ...socket])).toEqual({ code: 0, stdout: 'ran show interface\nsecond line\n', stderr: '' });
    expect(await vppkit(['cli', 'show', 'errors', '--json', ...socket])).toEqual({ code: 0, stdout: '{"retval":0,"reply":"ran show errors\\nsecond line"}\n', stderr: '' });
    expect(requests.filter(([n]) => n === 'cli_inband').map(([, v]) => v.cmd)).toEqual(['show interface', 'show errors']);
  });

  it("exits 1 with VPP's text when it refuses the command, 2 without a command", async () => {
    const { sim, socket } = await simulator();
    sim.handle('cli_inband', () => ({ retval: -1, reply: "unknown input `bogus'\n" }));
    expect(await vppkit(['cli', 'bogus', ...socket])).toEqual({ code: 1, stdout: '', stderr: "vppkit cli: cli_inband: VPP returned -1 UNSPECIFIED (Unspecified Error): unknown input `bogus'\n" });
    expect(await vppkit(['cli', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit cli: cli needs a VPP CLI command, e.g. vppkit cli "show version"\n' });
  });
});

describe('vppkit compat', () => {
  it('reports every module as ok against a VPP that matches (exit 0)', async () => {
    const { sim, socket } = await simulator();
    sim.handle('show_version', () => ({ version: '26.06-rc0' }));
    const r = await vppkit(['compat', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^VPP 26.06-rc0 at ${sim.socketPath} against the bundled bindings \\(VPP 26.06\\):\\n`));
    expect(r.stdout).toMatch(/^acl +ok +\d+ messages$/m);
    expect(r.stdout).not.toMatch(/differs|absent/);
  });

  it('shows what is missing and what has another CRC, and exits 1', async () => {
    const { socket } = await simulator({ crcs: { acl_dump: '0xdeadbeef' }, omit: ['nat44_ed_plugin_enable_disable'] });
    const r = await vppkit(['compat', ...socket]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^acl +differs +1 other CRC, \d+ ok\n {2}other-crc {2}acl_dump +0xef34fea4 here, 0xdeadbeef in VPP$/m);
    expect(r.stdout).toMatch(/^nat44_ed +differs +1 missing, \d+ ok\n {2}missing {4}nat44_ed_plugin_enable_disable$/m);
    expect(r.stderr).toBe('vppkit compat: 2 messages incompatible with this VPP (missing: nat44_ed_plugin_enable_disable; other CRC: acl_dump)\n');
    const rows = json((await vppkit(['compat', '--json', ...socket])).stdout) as { status: string }[];
    expect(rows.filter((row) => row.status !== 'present')).toEqual([
      { name: 'acl_dump', module: 'acl', status: 'other-crc', crc: '0xef34fea4', vppCrc: '0xdeadbeef' },
      { name: 'nat44_ed_plugin_enable_disable', module: 'nat44_ed', status: 'missing', crc: expect.stringMatching(/^0x/) },
    ]);
  });

  it('lists a plugin VPP lacks entirely without failing, unless it was asked for', async () => {
    const { socket } = await simulator({ omit: nat44Ei.messages.map((m) => m.name) });
    const all = await vppkit(['compat', ...socket]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout).toMatch(/^nat44_ei +absent +none of the \d+ messages \(plugin not loaded\?\)$/m);
    const asked = await vppkit(['compat', '--modules', 'acl,nat44_ei', ...socket]);
    expect(asked.code).toBe(1);
    expect(asked.stdout.split('\n').slice(1, 3)).toEqual([expect.stringMatching(/^acl +ok/), expect.stringMatching(/^nat44_ei +absent/)]);
    expect(asked.stderr).toMatch(/^vppkit compat: \d+ messages incompatible with this VPP \(missing: nat44_ei_\w+, .* and \d+ more\)\n$/);
  });

  it('checks the asked-for messages with their replies', async () => {
    const { socket } = await simulator({ omit: ['acl_add_replace_reply'] });
    expect(await vppkit(['compat', 'acl_dump', ...socket])).toMatchObject({ code: 0, stderr: '' });
    const r = await vppkit(['compat', 'acl_add_replace', '--json', ...socket]);
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject([
      { name: 'acl_add_replace', status: 'present' },
      { name: 'acl_add_replace_reply', status: 'missing' },
    ]);
    expect(JSON.parse(r.stderr)).toEqual({ name: 'CliError', code: 1, command: 'compat', message: '1 message incompatible with this VPP (missing: acl_add_replace_reply)' });
  });

  it('uses --api-dir definitions, and rejects unknown names (exit 2)', async () => {
    const { socket } = await simulator();
    const r = await vppkit(['compat', '--modules', 'l2', '--api-dir', apiDir, ...socket]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`against ${apiDir}:\\nl2 +absent`));
    expect(await vppkit(['compat', '--modules', 'nat44_e', ...socket])).toMatchObject({ code: 2, stderr: 'vppkit compat: no module "nat44_e" in the bundled bindings; did you mean nat44_ed, nat44_ei?\n' });
    expect(await vppkit(['compat', 'acl_dmp', ...socket])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown message "acl_dmp" in the bundled bindings; did you mean acl_dump/) });
  });
});

describe('vppkit version', () => {
  it("adds the running VPP's version when one answers", async () => {
    const { sim, socket } = await simulator();
    sim.handle('show_version', () => ({ version: '26.06-rc0~12', build_date: '2026-06-01' }));
    const r = await vppkit(['version', ...socket]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^vppkit \\S+ \\(bindings: VPP 26.06\\)\\nVPP 26.06-rc0~12 \\(built 2026-06-01\\) at ${sim.socketPath}\\n$`));
    expect(JSON.parse((await vppkit(['version', '--json', ...socket])).stdout)).toMatchObject({
      bindings: 'VPP 26.06',
      vpp: { socket: sim.socketPath, connected: true, version: '26.06-rc0~12', build_date: '2026-06-01' },
    });
  });

  it('says VPP: not connected, and still exits 0, when none answers', async () => {
    const path = join(work, 'no-vpp.sock');
    const r = await vppkit(['version', '--socket', path]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`\\nVPP: not connected \\(no VPP API socket at ${path}: is VPP running`));
    expect(JSON.parse((await vppkit(['version', '--json', '--socket', path])).stdout).vpp).toMatchObject({ socket: path, connected: false });
  });
});

describe('help', () => {
  it('has usage and an example for every online command', async () => {
    const overview = (await vppkit(['--help'])).stdout;
    for (const name of ['call', 'dump', 'watch', 'cli', 'compat', 'version']) {
      expect(overview).toContain(`  ${name}`);
      const h = await vppkit([name, '--help']);
      expect(h).toMatchObject({ code: 0, stderr: '' });
      expect(h.stdout).toMatch(new RegExp(`^usage: vppkit ${name}[\\s\\S]*examples:\\n  vppkit ${name}`));
    }
  });
});

describe('vppkit sim', () => {
  it('serves the model until Ctrl-C: other vppkit processes dump, call and show against it', async () => {
    const path = join(work, 'sim.sock');
    const run = start(['sim', '--socket', path]);
    await until(() => expect(run.lines()[0]).toBe(`vppkit sim: listening on ${path}`));
    expect(run.lines()).toContain('the VPP 26.06 model:');
    const socket = ['--socket', path];
    const dump = await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', '--table', '--columns', 'sw_if_index,interface_name', ...socket]);
    expect(dump).toEqual({ code: 0, stdout: 'sw_if_index  interface_name\n0            local0\n1            GigabitEthernet0/8/0\n', stderr: '' });
    expect(await vppkit(['call', 'create_loopback', '{"mac_address": "00:00:00:00:00:00"}', '--json', ...socket])).toMatchObject({ code: 0, stdout: '{"retval":0,"sw_if_index":2}\n' });
    expect((await vppkit(['cli', 'show interface address', ...socket])).stdout).toBe('local0 (dn):\nGigabitEthernet0/8/0 (dn):\nloop0 (dn):\n');
    expect(await vppkit(['cli', 'show errors', ...socket])).toMatchObject({ code: 1, stderr: expect.stringMatching(/-9 UNIMPLEMENTED/) });
    run.child.kill('SIGINT');
    expect(await run.exited).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(path)).toBe(false);
  });

  it('--bare serves the simulator alone; --model and --bare exclude each other', async () => {
    const path = join(work, 'bare.sock');
    const run = start(['sim', '--bare', '--socket', path]);
    await until(() => expect(run.lines()[0]).toBe(`vppkit sim: listening on ${path}`));
    expect(await vppkit(['dump', 'sw_interface_dump', '{"name_filter_valid": false, "name_filter": ""}', '--socket', path])).toEqual({ code: 0, stdout: '', stderr: '' });
    run.child.kill('SIGINT');
    expect(await run.exited).toMatchObject({ code: 0 });
    expect(await vppkit(['sim', '--model', '--bare'])).toMatchObject({ code: 2, stderr: 'vppkit sim: --model and --bare exclude each other\n' });
  });
});

describe('vppkit refuses what it cannot send exactly (exit 2, nothing sent)', () => {
  it('a missing field with no default: acl_del without JSON does not delete ACL 0', async () => {
    const { socket, requests } = await simulator();
    expect(await vppkit(['call', 'acl_del', ...socket])).toEqual({ code: 2, stdout: '', stderr: 'vppkit call: acl_del: acl_index: missing, and it has no default\n' });
    const r = await vppkit(['call', 'acl_interface_add_del', '{"sw_if_index": 1, "acl_index": 0}', ...socket]);
    expect(r).toMatchObject({ code: 2, stderr: 'vppkit call: acl_interface_add_del: is_input: missing, and it has no default\n' });
    expect(requests.map(([n]) => n)).not.toContain('acl_del');
    expect(requests.map(([n]) => n)).not.toContain('acl_interface_add_del');
  });

  it.each(['__proto__', 'toString', 'constructor'])('an enum name inherited from Object.prototype: %s', async (name) => {
    const acl = JSON.parse(ACL_33);
    acl.r[0] = { ...acl.r[0], src_prefix: '10.0.0.0/8', is_permit: name };
    const r = await vppkit(['encode', 'acl_add_replace', '-'], { input: JSON.stringify(acl) });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^vppkit encode: acl_add_replace: r\\[0\\]\\.is_permit: "${name}" is not a valid acl_action`)) });
  });

  it('an unknown message name of 30,000 characters: answered quickly, the name cut in the error', async () => {
    const r = await vppkit(['encode', 'x'.repeat(30_000), '{}']);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeLessThan(300);
  });
});
