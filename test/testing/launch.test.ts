/**
 * launchVpp with stand-in binaries (small Node scripts that act as VPP would): option checks,
 * start, restart, stop and what it leaves behind, and the errors when VPP fails to come up.
 * The integration suite launches the real VPP with it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_VPP_PLUGINS, launchVpp } from '../../src/testing/index.js';
import { HEALTHY, ended, fakeVpp } from '../helpers/fake-vpp.js';

const root = mkdtempSync(join(tmpdir(), 'vppkit-launch-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fake = (name: string, body: string) => fakeVpp(root, name, body);
const healthy = fake('healthy', HEALTHY);

describe('launchVpp', () => {
  it('starts VPP with its own startup.conf and sockets, restarts it, and stop() leaves nothing behind', async () => {
    const vpp = await launchVpp({ bin: healthy, env: {} });
    const conf = readFileSync(join(vpp.dir, 'startup.conf'), 'utf8');
    expect(conf).toContain(`socksvr { socket-name ${vpp.socket} }`);
    expect(conf).toContain(`unix { nodaemon runtime-dir ${vpp.dir} cli-listen ${vpp.cliSocket} log ${vpp.logPath} poll-sleep-usec 100 }`);
    expect(conf).toContain(`statseg { socket-name ${vpp.statsSocket} size 512M per-node-counters on }`);
    expect(conf).toContain(`api-segment { prefix ${vpp.prefix} }`);
    expect(conf).toContain(`path ${join(root, 'healthy', 'lib', 'vpp_plugins')}`);
    expect(conf).toContain('plugin default { disable }');
    for (const p of DEFAULT_VPP_PLUGINS) expect(conf).toContain(`plugin ${p}_plugin.so { enable }`);
    expect(existsSync(vpp.socket)).toBe(true);
    const first = vpp.pid!;
    expect(() => process.kill(first, 0)).not.toThrow();

    await vpp.restart();
    expect(vpp.pid).not.toBe(first);
    expect(() => process.kill(first, 0)).toThrow(); // the first one is gone
    expect(readFileSync(vpp.logPath, 'utf8').match(/^up with/gm)).toHaveLength(2);

    const second = vpp.pid!;
    await vpp.stop();
    expect(() => process.kill(second, 0)).toThrow();
    expect(existsSync(vpp.dir)).toBe(false);
    expect(vpp.pid).toBeUndefined();
    await vpp.stop(); // twice is fine
    await expect(vpp.restart()).rejects.toThrow('launchVpp: restart() after stop()');
  });

  it('takes the binary from VPP_BIN and the plugins from VPP_PLUGIN_PATH, loading only those asked for', async () => {
    const plugins = join(root, 'elsewhere');
    mkdirSync(plugins);
    writeFileSync(join(plugins, 'memif_plugin.so'), '');
    await using vpp = await launchVpp({ env: { VPP_BIN: healthy, VPP_PLUGIN_PATH: plugins }, plugins: ['memif'] });
    const conf = readFileSync(join(vpp.dir, 'startup.conf'), 'utf8');
    expect(conf).toContain(`path ${plugins}`);
    expect(conf.match(/plugin \w+\.so \{ enable \}/g)).toEqual(['plugin memif_plugin.so { enable }']);
  });

  it('escalates to SIGKILL when VPP ignores SIGTERM', async () => {
    const stubborn = fake('stubborn', `
net.createServer((s) => s.end()).listen(api);
process.on('SIGTERM', () => fs.appendFileSync(log, 'ignoring SIGTERM\\n'));
`);
    const vpp = await launchVpp({ bin: stubborn, env: {}, stopTimeout: 200 });
    const pid = vpp.pid!;
    await vpp.stop();
    expect(await ended(pid)).toBe(true);
    expect(existsSync(vpp.dir)).toBe(false);
  });

  it('rejects with the tail of VPP\'s log and output when VPP exits during startup, and cleans up', async () => {
    const failing = fake('failing', `
fs.appendFileSync(log, 'vlib_plugin_early_init: plugin path missing\\n');
console.error('vpp: something is wrong with the config');
process.exit(1);
`);
    const err = (await launchVpp({ bin: failing, env: {} }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^launchVpp: VPP \(pid \d+: .*failing\/bin\/vpp -c .*startup\.conf\) exited with code 1\n/);
    expect(err.message).toContain('vlib_plugin_early_init: plugin path missing');
    expect(err.message).toContain('vpp: something is wrong with the config');
    const dir = /-c (\S+)\/startup\.conf/.exec(err.message)![1]!;
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects when the API socket does not come up in time, and kills VPP', async () => {
    const silent = fake('silent', `
setInterval(() => {}, 1000);
`);
    const err = (await launchVpp({ bin: silent, env: {}, startTimeout: 300 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/did not open its API socket \S+api\.sock within 0\.3s/);
    const pid = Number(/^launchVpp: VPP \(pid (\d+):/.exec(err.message)![1]);
    expect(await ended(pid)).toBe(true);
  });

  it('says what is wrong with the options', async () => {
    await expect(launchVpp({ env: {} })).rejects.toThrow('launchVpp: no VPP binary: pass { bin } or set VPP_BIN to the path of a vpp binary');
    await expect(launchVpp({ bin: join(root, 'nope', 'vpp'), env: {} })).rejects.toThrow(`launchVpp: the VPP binary ${join(root, 'nope', 'vpp')} does not exist`);
    const plain = join(root, 'plain');
    writeFileSync(plain, '');
    await expect(launchVpp({ bin: plain, env: {} })).rejects.toThrow(`launchVpp: ${plain} is not executable`);
    await expect(launchVpp({ bin: healthy, pluginPath: join(root, 'no-plugins'), env: {} })).rejects.toThrow(`launchVpp: no plugin folder ${join(root, 'no-plugins')}: pass { pluginPath } or set VPP_PLUGIN_PATH`);
    await expect(launchVpp({ bin: healthy, plugins: ['acl', 'dpdk'], env: {} })).rejects.toThrow(/launchVpp: plugins not found in \S+: dpdk \(dpdk_plugin\.so\); it has acl_plugin\.so, /);
    await expect(launchVpp({ bin: healthy, startTimeout: 0, env: {} })).rejects.toThrow('launchVpp: startTimeout must be a positive number of milliseconds, got 0');
    await expect(launchVpp({ bin: healthy, stopTimeout: Number.NaN, env: {} })).rejects.toThrow('launchVpp: stopTimeout must be a positive number of milliseconds, got NaN');
  });
});
