/**
 * The CLI's batch mode: `vppkit decode -` and `vppkit encode -` over 10,000 NDJSON lines, wall
 * time of the whole process (start-up included).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from '../src/codec/index.js';
import * as acl from '../src/gen/acl.js';
import * as iface from '../src/gen/interface.js';
import { type Figure, quick } from './measure.js';

function runCli(cli: string, args: string[], input: string): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, out }) : reject(new Error(`vppkit ${args.join(' ')} exited ${code}`))));
    child.stdin.end(input);
  });
}

/** Times decode and encode batches; skipped (with a note) when the CLI is not built. */
export async function cliBench(root: string): Promise<Figure[]> {
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(cli)) {
    console.warn('bench: dist/ is not built (npm run build); skipping the CLI batch figures');
    return [];
  }
  const lines = quick ? 2_000 : 10_000;
  const samples = [
    { message: 'acl_add_replace', hex: Buffer.from(encode(acl.acl_add_replace, { tag: 'x', r: [{ src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0' }] }, undefined, { zeroFill: true })).toString('hex') },
    { message: 'sw_interface_details', hex: Buffer.from(encode(iface.sw_interface_details, { interface_name: 'GigabitEthernet0/8/0', l2_address: '02:fe:16:3f:5f:0f' }, undefined, { zeroFill: true })).toString('hex') },
  ];
  const input = `${Array.from({ length: lines }, (_, i) => JSON.stringify(samples[i % samples.length])).join('\n')}\n`;
  const dec = await runCli(cli, ['decode', '-'], input);
  const enc = await runCli(cli, ['encode', '-'], dec.out);
  return [
    { suite: 'cli', name: `decode - (${lines} NDJSON lines, whole process)`, opsPerSec: lines / (dec.ms / 1000), extra: { seconds: (dec.ms / 1000).toFixed(2) } },
    { suite: 'cli', name: `encode - (${lines} NDJSON lines, whole process)`, opsPerSec: lines / (enc.ms / 1000), extra: { seconds: (enc.ms / 1000).toFixed(2) } },
  ];
}
