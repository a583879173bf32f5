/** The CLI's commands that need no VPP: gen, encode, decode, messages, diff, version, help. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vppkit } from '../helpers/cli.js';
import { apiDir, loadVectors } from '../helpers/reference.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('vppkit encode / decode', () => {
  it('encodes JSON to hex and decodes it back', async () => {
    const enc = await vppkit(['encode', 'control_ping', '{"context": 7}']);
    expect(enc).toMatchObject({ code: 0, stdout: '00000000000000000007\n', stderr: '' });
    const dec = await vppkit(['decode', 'control_ping', '00000000000000000007', '--json']);
    expect(dec.code).toBe(0);
    expect(JSON.parse(dec.stdout)).toEqual({ _vl_msg_id: 0, client_index: 0, context: 7 });
  });

  it('reads JSON from a file and from stdin', async () => {
    const file = join(work, 'acl.json');
    writeFileSync(file, JSON.stringify({ acl_index: 0xffffffff, tag: 'pod', r: [{ is_permit: 2, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 0, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0 }] }));
    const a = await vppkit(['encode', 'acl_add_replace', `@${file}`]);
    const b = await vppkit(['encode', 'acl_add_replace', '-'], { input: readFileSync(file, 'utf8') });
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const back = JSON.parse((await vppkit(['decode', 'acl_add_replace', a.stdout.trim(), '--json'])).stdout);
    expect(back.r[0].src_prefix).toBe('10.1.1.3/32');
    expect(back.count).toBe(1);
  });

  it('names the message, the field path and the limit for a bad field (exit 2)', async () => {
    const r = await vppkit(['encode', 'acl_add_replace', JSON.stringify({ acl_index: 0xffffffff, tag: '', r: [{ is_permit: 0, src_prefix: '10.0.0.0/33', dst_prefix: '0.0.0.0/0', proto: 0, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 0, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 0, tcp_flags_mask: 0, tcp_flags_value: 0 }] })]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('vppkit encode: acl_add_replace: r[0].src_prefix: prefix length 33 is out of range for IPv4 (0..32)\n');
  });

  it('suggests near names for an unknown message (exit 2)', async () => {
    const r = await vppkit(['encode', 'acl_add_replac', '{}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown message "acl_add_replac" in the bundled bindings; did you mean acl_add_replace/);
  });

  it('points to --api-dir for a module outside the bundled bindings, and takes VPP_API_DIR as its default', async () => {
    const r = await vppkit(['encode', 'wireguard_peer_remove', '{"peer_index": 1}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown message "wireguard_peer_remove" in the bundled bindings; for the other modules give --api-dir DIR/);
    const ok = await vppkit(['encode', 'wireguard_peer_remove', '{"peer_index": 1}'], { env: { VPP_API_DIR: apiDir } });
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/^0000000000000000000000000001\n$/) });
  });

  it('round-trips every reference vector through NDJSON batches, with --api-dir', async () => {
    const { vectors } = loadVectors();
    const input = vectors.map((v) => JSON.stringify({ message: v.message, hex: v.hex })).join('\n');
    const dec = await vppkit(['decode', '-', '--api-dir', apiDir], { input: `${input}\n` });
    expect(dec.code).toBe(0);
    const lines = dec.stdout.trim().split('\n');
    expect(lines).toHaveLength(vectors.length);
    const enc = await vppkit(['encode', '-', '--api-dir', apiDir], { input: dec.stdout });
    const hexes = enc.stdout.trim().split('\n').map((l) => JSON.parse(l).hex);
    expect(hexes).toEqual(vectors.map((v) => v.hex));
  });

  it('answers a bad batch line with an error line and goes on', async () => {
    const input = ['{"message": "control_ping", "hex": "00000000000000000007"}', '{"message": "nope", "hex": "00"}', 'not json', '{"message": "control_ping", "hex": "0000"}', '{"message": "control_ping", "hex": "00000000000000000008"}'].join('\n');
    const r = await vppkit(['decode', '-'], { input });
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(5);
    expect(out[0].fields.context).toBe(7);
    expect(out[1].error).toMatch(/unknown message "nope"/);
    expect(out[2].error).toMatch(/JSON/);
    expect(out[3].error).toMatch(/control_ping: needs 10 bytes at offset 0, but the message ends at 2/);
    expect(out[4].fields.context).toBe(8);
    expect(r.code).toBe(2);
  });
});

describe('vppkit gen', () => {
  it('generates the requested modules with their imports', async () => {
    const out = join(work, 'gen');
    const r = await vppkit(['gen', '--api-dir', apiDir, '--modules', 'acl', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote 6 files \(ip_types, ethernet_types, acl_types, interface_types, acl\)/);
    expect(readdirSync(out).sort()).toEqual(['acl.ts', 'acl_types.ts', 'ethernet_types.ts', 'index.ts', 'interface_types.ts', 'ip_types.ts']);
  });

  it('writes one proto3 file per module with --proto', async () => {
    const out = join(work, 'proto');
    const r = await vppkit(['gen', '--proto', '--api-dir', apiDir, '--modules', 'acl', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['acl.proto', 'acl_types.proto', 'ethernet_types.proto', 'interface_types.proto', 'ip_types.proto']);
    expect(readFileSync(join(out, 'acl.proto'), 'utf8')).toMatch(/package vpp\.acl;/);
  });

  it('explains a missing --api-dir and an unknown module (exit 2)', async () => {
    expect(await vppkit(['gen', '--out', work])).toMatchObject({ code: 2, stderr: expect.stringMatching(/gen needs --api-dir DIR/) });
    const r = await vppkit(['gen', '--api-dir', apiDir, '--modules', 'acll', '--out', join(work, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown module "acll"/);
  });
});

describe('vppkit messages / diff / version / help', () => {
  it('lists messages with their kind, and fields', async () => {
    const r = await vppkit(['messages', 'acl_dump', '--fields', '--json']);
    expect(r.code).toBe(0);
    const [m] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(m).toMatchObject({ name: 'acl_dump', kind: 'dump', module: 'acl', fields: expect.arrayContaining([{ name: 'acl_index', type: 'u32' }]) });
    const streams = (await vppkit(['messages', 'nat44_ed_output_interface_*', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(streams.map((s: { name: string; kind: string }) => `${s.name}:${s.kind}`)).toEqual([
      'nat44_ed_output_interface_details:details',
      'nat44_ed_output_interface_get:stream',
      'nat44_ed_output_interface_get_reply:reply',
    ]);
    expect((await vppkit(['messages', 'zzz_nothing'])).code).toBe(2);
  });

  it('diffs two definition sets: added, removed, changed', async () => {
    const oldDir = join(work, 'old');
    const newDir = join(work, 'new');
    for (const d of [oldDir, newDir]) cpSync(join(apiDir, 'core', 'memclnt.api.json'), join(d, 'memclnt.api.json'));
    const json = JSON.parse(readFileSync(join(newDir, 'memclnt.api.json'), 'utf8'));
    json.messages = json.messages.filter((m: unknown[]) => m[0] !== 'rx_thread_exit');
    delete json.services.rx_thread_exit;
    json.messages.find((m: unknown[]) => m[0] === 'control_ping').at(-1).crc = '0xdeadbeef';
    json.messages.push(['brand_new', ['u16', '_vl_msg_id'], { crc: '0x00000001', options: {} }]);
    writeFileSync(join(newDir, 'memclnt.api.json'), JSON.stringify(json));
    const r = await vppkit(['diff', oldDir, newDir, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { change: 'added', name: 'brand_new', module: 'memclnt', new: '0x00000001' },
      { change: 'changed', name: 'control_ping', module: 'memclnt', old: '0x51077d14', new: '0xdeadbeef' },
      { change: 'removed', name: 'rx_thread_exit', module: 'memclnt', old: '0xc3a3a452' },
    ]);
  });

  it('prints versions, help for every command, and rejects unknown commands and options', async () => {
    expect(JSON.parse((await vppkit(['version', '--json'])).stdout)).toMatchObject({ vppkit: expect.any(String), bindings: 'VPP 26.06' });
    const overview = await vppkit(['--help']);
    expect(overview.code).toBe(0);
    for (const name of ['gen', 'encode', 'decode', 'messages', 'diff', 'version']) {
      expect(overview.stdout).toContain(`  ${name}`);
      const h = await vppkit([name, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: vppkit ${name}[\\s\\S]*examples:\\n  vppkit ${name}`));
    }
    expect(await vppkit(['encod'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "encod"; did you mean encode/) });
    expect(await vppkit(['version', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--bogus/) });
  });
});
