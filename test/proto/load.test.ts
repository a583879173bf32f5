/** The `.proto` files for all 151 modules load in protobufjs and match the schema field for field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { isText, protoFullName } from '../../src/proto/mapping.js';
import { nameCrc } from '../../src/schema/index.js';
import type { MessageDef, StructDef } from '../../src/schema/index.js';
import { allModules } from '../helpers/reference.js';
import { generatedProtos, load } from './protos.js';

const modules = await allModules();
const { files } = await generatedProtos();
const fileOf = (module: string) => files.find((f) => f.endsWith(`/${module}.proto`))!;

describe('generated .proto files', () => {
  it('writes one file per module', () => {
    expect(files).toHaveLength(151);
    expect(new Set(files.map((f) => f.replace(/^.*\//, '')))).toEqual(new Set(modules.map((m) => `${m.name}.proto`)));
  });

  it.each(modules.map((m) => [m.name] as const))('%s.proto loads on its own, with only the imports it uses', (name) => {
    const root = load(fileOf(name));
    expect(root.lookup(`vpp.${name}`)).toBeInstanceOf(protobuf.Namespace);
    const text = readFileSync(fileOf(name), 'utf8');
    const body = text.replace(/^import .*$/gm, '');
    for (const [, imported] of text.matchAll(/^import "(\w+)\.proto";$/gm)) expect(body, `${name} imports ${imported} without using it`).toContain(`.vpp.${imported}.`);
  });

  it('carries the VPP version and every message CRC in the header', () => {
    for (const m of modules) {
      const header = readFileSync(fileOf(m.name), 'utf8').split('\nsyntax = ')[0]!;
      expect(header).toContain(`VPP 26.06: module ${m.name}, version ${m.version}, API CRC ${m.crc}`);
      for (const msg of m.messages) expect(header).toContain(`//   ${nameCrc(msg)}\n`);
    }
  });

  it('has every message and type, fields named as in VPP and numbered by position', () => {
    const root = load(files);
    let checked = 0;
    for (const m of modules) {
      const defs: (MessageDef | StructDef)[] = [...m.messages, ...m.types.filter((t): t is StructDef => t.kind === 'struct' || t.kind === 'union')];
      for (const def of defs) {
        if (def.kind !== 'message' && isText(def)) continue; // addresses and prefixes are strings
        const type = root.lookupType(protoFullName(def));
        expect(type.fieldsArray.map((f) => [f.name, f.id]), def.name).toEqual(def.fields.map((f, i) => [f.name, i + 1]));
        if (def.kind === 'union') expect(type.oneofsArray.map((o) => o.fieldsArray.length), def.name).toEqual([def.fields.length]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2095);
  });

  it('gives a VPP enum without a zero value a synthetic zero, keeping VPP numbers', () => {
    const root = load(files);
    const mode = root.lookupEnum('vpp.bond.BondMode');
    expect(mode.values).toMatchObject({ BOND_MODE_UNSPECIFIED: 0, BOND_API_MODE_ROUND_ROBIN: 1, BOND_API_MODE_LACP: 5 });
    expect(root.lookupEnum('vpp.ip_types.AddressFamily').values).toEqual({ ADDRESS_IP4: 0, ADDRESS_IP6: 1 });
  });

  it('maps bit sets to integers, 64-bit integers to (u)int64 and addresses to strings', () => {
    const root = load(files);
    const details = root.lookupType('vpp.interface.SwInterfaceDetails');
    expect(details.fields.flags!.type).toBe('uint32');
    expect(details.fields.l2_address!.type).toBe('string');
    const stats = root.lookupType('vpp.interface.SwInterfaceTxPlacementDetails');
    expect(stats.fields.threads!.repeated).toBe(true);
    const route = root.lookupType('vpp.ip.IpRoute');
    expect(route.fields.prefix!.type).toBe('string');
    const counters = root.lookupType('vpp.ipsec.IpsecSaV5Details');
    expect(counters.fields.seq_outbound!.type).toBe('uint64');
  });
});
