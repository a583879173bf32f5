/** Neutral defaults: where they apply, what they encode to, and that VPP's own JSON stays VPP's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/index.js';
import { create_loopback, sw_interface_dump } from '../../src/gen/interface.js';
import { tap_create_v3 } from '../../src/gen/tapv2.js';
import { NEUTRAL_DEFAULTS, findApiJsonFiles } from '../../src/schema/index.js';
import { toApiJson } from '../../src/testing/api-json.js';
import { allModules, apiDir } from '../helpers/reference.js';

/** Every message of the synced .api.json files, as VPP wrote it: name → its raw field lists. */
async function rawMessages(): Promise<Map<string, unknown[][]>> {
  const out = new Map<string, unknown[][]>();
  for (const file of await findApiJsonFiles(apiDir)) {
    for (const m of JSON.parse(readFileSync(file, 'utf8')).messages as unknown[][]) out.set(m[0] as string, m.slice(1).filter(Array.isArray) as unknown[][]);
  }
  return out;
}

describe('neutral defaults', () => {
  it('each names a field that VPP defines with no default, and becomes its default in the model', async () => {
    const raw = await rawMessages();
    const messages = new Map((await allModules()).flatMap((m) => m.messages.map((d) => [d.name, d] as const)));
    for (const [message, fields] of Object.entries(NEUTRAL_DEFAULTS)) {
      for (const [field, value] of Object.entries(fields)) {
        const vpp = raw.get(message)?.find((f) => f[1] === field);
        expect(vpp, `${message}.${field} is not in VPP's definitions`).toBeDefined();
        expect(vpp!.some((part) => typeof part === 'object' && part !== null && 'default' in part), `${message}.${field} has VPP's own default`).toBe(false);
        expect(messages.get(message)!.fields.find((f) => f.name === field)!.default).toEqual(value);
      }
    }
  });

  it('lets the common calls leave out what VPP ignores, and encodes the neutral values', () => {
    const loop = decode(create_loopback, encode(create_loopback, {})) as Record<string, unknown>;
    expect(loop.mac_address).toBe('00:00:00:00:00:00');
    expect(decode(sw_interface_dump, encode(sw_interface_dump, {}))).toMatchObject({ sw_if_index: 0xffffffff, name_filter_valid: false, name_filter: '' });
    const tap = decode(tap_create_v3, encode(tap_create_v3, { tag: 'pod' })) as Record<string, unknown>;
    expect(tap).toMatchObject({ id: 0xffffffff, use_random_mac: true, host_ip4_prefix_set: false, host_ip4_prefix: '0.0.0.0/0', host_if_name_set: false, tap_flags: 0, tag: 'pod' });
    // A given value still wins.
    expect((decode(create_loopback, encode(create_loopback, { mac_address: '02:00:00:00:00:01' })) as Record<string, unknown>).mac_address).toBe('02:00:00:00:00:01');
  });

  it("are left out of the simulator's get_api_json, which writes VPP's definitions as VPP does", async () => {
    const iface = (await allModules()).find((m) => m.name === 'interface')!;
    const written = (toApiJson(iface).messages as unknown[][]).find((m) => m[0] === 'create_loopback')!;
    expect(written).toContainEqual(['vl_api_mac_address_t', 'mac_address']);
    const raw = JSON.parse(readFileSync(join(apiDir, 'core', 'interface.api.json'), 'utf8')).messages.find((m: unknown[]) => m[0] === 'sw_interface_dump');
    expect((toApiJson(iface).messages as unknown[][]).find((m) => m[0] === 'sw_interface_dump')!.slice(0, -1)).toEqual(raw.slice(0, -1));
  });
});
