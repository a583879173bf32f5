/** The schema model: every construct of the 151 files parses, and anything unknown is an error naming file and definition. */
import { describe, expect, it } from 'vitest';
import { SchemaError, contextOffset, defineMessage, parseModules, textForm, unwrap } from '../../src/schema/index.js';
import type { EnumDef, StructDef } from '../../src/schema/index.js';
import { allModules } from '../helpers/reference.js';

const modules = await allModules();
const mod = (name: string) => modules.find((m) => m.name === name)!;
const msg = (module: string, name: string) => mod(module).messages.find((m) => m.name === name)!;

/** A minimal module around one message or type. */
function doc(extra: Record<string, unknown>): Record<string, unknown> {
  return { module: 'demo', types: [], messages: [], unions: [], enums: [], enumflags: [], services: {}, options: { version: '1.0.0' }, aliases: {}, vl_api_version: '0x1', imports: [], counters: [], paths: [], ...extra };
}
const parseOne = (extra: Record<string, unknown>) => parseModules([{ file: 'demo.api.json', json: doc(extra) }]);
const header = [['u16', '_vl_msg_id'], ['u32', 'client_index'], ['u32', 'context']];

describe('parsing VPP 26.06', () => {
  it('parses all 151 modules and 2,095 messages', () => {
    expect(modules).toHaveLength(151);
    expect(modules.reduce((n, m) => n + m.messages.length, 0)).toBe(2095);
  });

  it('gives a type imported by many modules one shared definition', () => {
    const rule = msg('acl', 'acl_add_replace').fields.find((f) => f.name === 'r')!.type as StructDef;
    expect(rule.module).toBe('acl_types');
    const prefixInAcl = rule.fields.find((f) => f.name === 'src_prefix')!.type;
    const routePrefix = (msg('ip', 'ip_route_add_del').fields.find((f) => f.name === 'route')!.type as StructDef).fields.find((f) => f.name === 'prefix')!.type;
    expect(prefixInAcl).toBe(routePrefix);
    expect(mod('ip_types').types.map((t) => t.name)).toContain('prefix');
    expect(mod('acl').types.map((t) => t.name)).not.toContain('prefix');
  });

  it('reads enum widths, enumflags and bit-set enums', () => {
    const action = mod('acl_types').types.find((t) => t.name === 'acl_action') as EnumDef;
    expect(action).toMatchObject({ kind: 'enum', width: 'u8', flags: false, values: { ACL_ACTION_API_PERMIT_REFLECT: 2 } });
    const status = mod('interface_types').types.find((t) => t.name === 'if_status_flags') as EnumDef;
    expect(status.flags).toBe(true);
    expect(status.width).toBe('u32');
  });

  it('reads unions with discriminator and cases, aliases of arrays, and counted arrays', () => {
    const address = mod('ip_types').types.find((t) => t.name === 'address') as StructDef;
    expect(address.fields[1]).toMatchObject({ name: 'un', discriminator: 'af' });
    const union = address.fields[1]!.type as StructDef;
    expect(union.kind).toBe('union');
    expect(union.fields.map((f) => f.case)).toEqual(['ADDRESS_IP4', 'ADDRESS_IP6']);
    expect(mod('ip_types').types.find((t) => t.name === 'ip4_address')).toMatchObject({ kind: 'alias', length: 4 });
    expect(msg('acl', 'acl_add_replace').fields.find((f) => f.name === 'r')).toMatchObject({ length: 0, countField: 'count' });
  });

  it('reads fixed and variable strings, defaults (with the "true" quirk), options and services', () => {
    expect(msg('acl', 'acl_add_replace').fields.find((f) => f.name === 'tag')).toMatchObject({ length: 64 });
    expect(msg('vlib', 'cli_inband').fields.find((f) => f.name === 'cmd')).toMatchObject({ length: 0 });
    expect(msg('memclnt', 'memclnt_create_v2').fields.find((f) => f.name === 'keepalive')!.default).toBe('true');
    expect(msg('memclnt', 'memclnt_create').options.deprecated).toBe(true);
    const replaced = modules.flatMap((m) => m.messages).filter((m) => m.options.replacedBy);
    expect(replaced.length).toBe(7);
    expect(modules.flatMap((m) => m.messages).filter((m) => m.options.inProgress).length).toBeGreaterThan(0);
    expect(msg('acl', 'acl_dump').service).toMatchObject({ kind: 'dump', details: { name: 'acl_details' } });
    expect(msg('nat44_ed', 'nat44_ed_output_interface_get').service).toMatchObject({ kind: 'stream', reply: { name: 'nat44_ed_output_interface_get_reply' }, details: { name: 'nat44_ed_output_interface_details' } });
    expect(msg('interface', 'want_interface_events').service).toMatchObject({ kind: 'events', events: [{ name: 'sw_interface_event' }] });
    expect(msg('memclnt', 'rx_thread_exit').service).toEqual({ kind: 'noreply' });
  });
});

describe('what the model does not understand is an error naming file and definition', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown field type', { messages: [['m', ...header, ['vl_api_nope_t', 'x'], { crc: '0x12345678', options: {} }]] }, /demo\.api\.json: m\.x: unknown type vl_api_nope_t/],
    ['an unknown field option', { messages: [['m', ...header, ['u8', 'x', { limit: 3 }], { crc: '0x12345678', options: {} }]] }, /demo\.api\.json: m: field x: unknown option "limit"/],
    ['an unknown message option', { messages: [['m', ...header, { crc: '0x12345678', options: { frobnicate: 1 } }]] }, /demo\.api\.json: m: unknown message option "frobnicate"/],
    ['a missing crc', { messages: [['m', ...header, { options: {} }]] }, /demo\.api\.json: m: message has no crc/],
    ['a count field that is not earlier', { messages: [['m', ...header, ['u8', 'x', 0, 'n'], ['u8', 'n'], { crc: '0x12345678', options: {} }]] }, /m: field x: count field n is not an earlier sibling/],
    ['a string without a length', { messages: [['m', ...header, ['string', 'x'], { crc: '0x12345678', options: {} }]] }, /m: field x: string without a length/],
    ['an unknown section', { frobs: [] }, /demo\.api\.json: unknown section "frobs"/],
    ['an unknown service key', { messages: [['m', ...header, { crc: '0x12345678', options: {} }]], services: { m: { reply: 'm', speed: 1 } } }, /demo\.api\.json: m: unknown service key "speed"/],
    ['a service naming a missing message', { messages: [['m', ...header, { crc: '0x12345678', options: {} }]], services: { m: { reply: 'm_reply' } } }, /m: service names unknown message "m_reply"/],
    ['an enum width the wire does not have', { enums: [['e', ['A', 0], { enumtype: 'u64' }]] , types: [['t', ['vl_api_e_t', 'x']]] }, /demo\.api\.json: e: unsupported enum width u64/],
  ];
  it.each(cases)('%s', (_what, extra, message) => {
    let err: unknown;
    try {
      parseOne(extra);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('definitions from a running VPP (get_api_json)', () => {
  it('parses VPP\'s JSON array, with its trailing NUL, adding memclnt which VPP leaves out', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseApiJsonBundle } = await import('../../src/schema/index.js');
    const { apiDir } = await import('../helpers/reference.js');
    const read = (p: string) => JSON.parse(readFileSync(join(apiDir, p), 'utf8'));
    const bundle = `[\n${['core/vlib.api.json', 'core/vpe_types.api.json', 'core/vpe.api.json', 'plugins/acl.api.json'].map((p) => JSON.stringify(read(p))).join(',')}]\0`;
    const mods = parseApiJsonBundle(bundle, [{ file: 'memclnt.api.json', json: read('core/memclnt.api.json') }]);
    expect(mods.map((m) => m.name).sort()).toEqual(['acl', 'memclnt', 'vlib', 'vpe', 'vpe_types']);
    const acl = mods.find((m) => m.name === 'acl')!;
    expect(acl.messages.find((m) => m.name === 'acl_add_replace')!.crc).toBe('0xee5c2f18');
    expect(() => parseApiJsonBundle('{"module": "x"}')).toThrow(/expected a JSON array/);
  });
});

describe('message roles', () => {
  it('gives each service its request, reply, details and events', () => {
    const role = (name: string) => modules.flatMap((m) => m.messages).find((m) => m.name === name)!.role;
    for (const m of modules) for (const request of m.messages) {
      const s = request.service;
      if (!s) continue;
      expect(request.role).toBe('request');
      if ('reply' in s) expect(s.reply.role).toBe('reply');
      if ('details' in s) expect(s.details.role).toBe('details');
      if ('events' in s) for (const e of s.events) expect(e.role).toBe('event');
    }
    expect(['sw_interface_dump', 'sw_interface_details', 'sw_interface_event', 'memclnt_delete_reply'].map(role)).toEqual(['request', 'details', 'event', 'reply']);
  });

  it('takes a message no service names for a reply with a context, else an event', () => {
    const [orphans] = parseOne({ messages: [
      ['orphan_reply', ['u16', '_vl_msg_id'], ['u32', 'context'], { crc: '0x00000001' }],
      ['orphan_event', ['u16', '_vl_msg_id'], ['u32', 'client_index'], { crc: '0x00000002' }],
    ] });
    expect(orphans!.messages.map((m) => [m.name, m.role])).toEqual([['orphan_reply', 'reply'], ['orphan_event', 'event']]);
  });

  it('is the same in the bundled bindings as parsed', async () => {
    const { modules: bundled } = await import('../../src/gen/index.js');
    const roles = bundled.flatMap((m) => m.messages.map((x) => [x.name, x.role]));
    expect(roles.length).toBe(442);
    expect(roles).toEqual(bundled.flatMap((m) => m.messages.map((x) => [x.name, msg(m.name, x.name).role])));
  });

  it('is given to generated bindings, which refuse a request role without a service and the reverse', () => {
    expect(() => defineMessage('t', 't_x', '0x00000000', [['_vl_msg_id', 'u16']], {}, 'request')).toThrow(SchemaError);
    expect(() => defineMessage('t', 't_x', '0x00000000', [['_vl_msg_id', 'u16']], {}, 'reply', { kind: 'noreply' })).toThrow(/role reply with a service/);
  });
});

describe('where a message carries its context', () => {
  it('is after the id, after client_index when that comes first, and nowhere in an event', () => {
    expect(contextOffset(msg('memclnt', 'control_ping_reply'))).toBe(2);
    expect(contextOffset(msg('memclnt', 'sockclnt_create_reply'))).toBe(6);
    expect(contextOffset(msg('memclnt', 'control_ping'))).toBe(6);
    expect(contextOffset(msg('interface', 'sw_interface_event'))).toBeUndefined();
  });
});

describe('text forms', () => {
  it('are the address, prefix, MAC and timestamp types of VPP 26.06', () => {
    const forms = new Set(modules.flatMap((m) => m.types.flatMap((t) => textForm(t) ?? [])));
    expect([...forms].sort()).toEqual(['address', 'ip4_address', 'ip4_prefix', 'ip6_address', 'ip6_prefix', 'mac_address', 'prefix', 'timestamp']);
  });

  it('need the shape as well as the name', () => {
    const [m] = parseOne({
      types: [['address', ['u8', 'family'], ['u8', 'bytes', 16]], ['prefix', ['u32', 'address'], ['u8', 'len']]],
      aliases: { mac_address: { type: 'u8', length: 8 }, timestamp: { type: 'f64', length: 2 } },
    });
    expect(m!.types.map((t) => [t.name, textForm(t)])).toEqual([['address', undefined], ['prefix', undefined], ['mac_address', undefined], ['timestamp', undefined]]);
  });

  it('stop unwrap, which otherwise follows plain aliases', () => {
    const sw = msg('interface', 'sw_interface_set_flags').fields.find((f) => f.name === 'sw_if_index')!.type;
    expect(unwrap(sw)).toMatchObject({ kind: 'scalar', name: 'u32' });
    const ts = modules.flatMap((m) => m.types).find((t) => t.name === 'timestamp')!;
    expect(unwrap(ts)).toBe(ts);
  });
});
