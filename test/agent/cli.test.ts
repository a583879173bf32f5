/** `vppkit agent` as a process: it logs what it does, and stops cleanly (exit 0) on SIGTERM and on SIGINT. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedEtcd, type VppModel, launchEtcd, startVppModel } from '../../src/testing/index.js';
import { cliPath } from '../helpers/cli.js';
import { noEtcd, until } from '../helpers/etcd.js';

describe.skipIf(noEtcd !== '')('vppkit agent', () => {
  let etcd: LaunchedEtcd;
  let vpp: VppModel;
  beforeAll(async () => {
    etcd = await launchEtcd();
    vpp = await startVppModel();
    const kv = new Etcd3({ hosts: etcd.url });
    await kv.put('/vnf-agent/cli/config/vpp/v2/interfaces/lo-cli').value('{"name":"lo-cli","type":"SOFTWARE_LOOPBACK","enabled":true}');
    kv.close();
  });
  afterAll(async () => {
    await vpp?.close();
    await etcd?.stop();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`applies, logs, and stops cleanly on ${signal}`, async () => {
      const child = spawn(process.execPath, [cliPath, 'agent', '--etcd', etcd.url, '--prefix', '/vnf-agent/cli/', '--socket', vpp.socketPath, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = once(child, 'exit');
      await until('the first apply logged', () => stdout.includes('"kind":"applied"'));
      child.kill(signal);
      const [code] = await exited;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; message: string });
      expect(lines[0]).toMatchObject({ kind: 'read', message: expect.stringMatching(/^read 1 keys at revision \d+$/) });
      expect(lines.at(-1)).toMatchObject({ kind: 'stopped' });
    });
  }

  it('says what is missing', async () => {
    const child = spawn(process.execPath, [cliPath, 'agent', '--etcd', etcd.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/agent needs --etcd URL and --prefix/);
  });
});
