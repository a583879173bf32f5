/** Connecting to a real VPP: the compatibility report, show_version, and the get_api_json bootstrap. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { modules as bundled } from '../../src/gen/index.js';
import { type MessageDef, messagesByName, parseApiJsonBundle } from '../../src/schema/index.js';
import { absentModules } from './plugins.js';
import { connectVpp, socket } from './vpp.js';

describe.skipIf(!socket)('connect to VPP', () => {
  let vpp: Client;
  beforeAll(async () => {
    vpp = await connectVpp();
  });
  afterAll(() => vpp?.close());

  it('has every acl, nat44_ed and interface message with the bundled CRCs', () => {
    const report = vpp.compatibility;
    const present = new Set(report.present);
    expect(absentModules((n) => present.has(n) || report.otherCrc.some((m) => m.name === n), ['acl', 'nat44_ed', 'interface']), 'modules VPP lacks').toEqual([]);
    for (const module of ['acl', 'nat44_ed', 'interface']) {
      const names = bundled.find((m) => m.name === module)!.messages.map((m) => m.name);
      expect(report.missing.filter((n) => names.includes(n)), `${module} messages missing`).toEqual([]);
      expect(report.otherCrc.filter((m) => names.includes(m.name)), `${module} messages with another CRC`).toEqual([]);
      for (const n of names) expect(report.present).toContain(n);
    }
    console.log(`connect: ${report.present.length} bundled messages present, ${report.missing.length} missing, ${report.otherCrc.length} with another CRC`);
  });

  it('answers show_version', async () => {
    const v = await vpp.request('show_version', {});
    expect(v.retval).toBe(0);
    expect(v.program).toBe('vpe');
    const [, major, minor] = /^v?(\d\d)\.(\d\d)/.exec(v.version) ?? [];
    expect(Number(major) * 100 + Number(minor), `VPP ${v.version} is older than 26.06`).toBeGreaterThanOrEqual(2606);
    console.log(`connect: VPP ${v.version} built ${v.build_date}`);
  });

  it('bootstraps from get_api_json to the same definitions as the bundled ones', async () => {
    const reply = await vpp.request('get_api_json', {});
    const memclnt = bundled.find((m) => m.name === 'memclnt')!;
    const fromVpp = messagesByName([...parseApiJsonBundle(reply.json), memclnt]);
    expect(absentModules((n) => fromVpp.has(n)), 'modules get_api_json lacks').toEqual([]);
    const shape = (m: MessageDef) => ({ crc: m.crc, fields: m.fields.map((f) => [f.name, f.type.name, f.length, f.countField]) });
    const differ = bundled.flatMap((module) => module.messages.filter((msg) => {
      const other = fromVpp.get(msg.name);
      return !other || JSON.stringify(shape(other)) !== JSON.stringify(shape(msg));
    }).map((msg) => `${module.name}.${msg.name}: ${fromVpp.has(msg.name) ? 'differs' : 'absent'}`));
    expect(differ, 'bundled messages that get_api_json lacks or defines otherwise').toEqual([]);
    const boot = await connectVpp({ definitions: 'vpp' });
    try {
      const v = (await boot.request('show_version', {})) as { retval: number };
      expect(v.retval).toBe(0);
    } finally {
      await boot.close();
    }
  });
});
