/**
 * The bootstrap's hand-written memclnt messages against VPP's own memclnt.api.json, so that they
 * cannot drift from it: same fields, same CRC, same reply, same fixed ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOCKCLNT_CREATE_ID, SOCKCLNT_CREATE_REPLY_ID, bootstrapMessages, sockclnt_create, sockclnt_create_reply } from '../../src/bootstrap/memclnt.js';
import { parseModules } from '../../src/schema/index.js';
import type { FieldDef, MessageDef, TypeDef } from '../../src/schema/index.js';
import { referenceDir } from '../helpers/reference.js';

const file = join(referenceDir, 'core', 'memclnt.api.json');
const [memclnt] = parseModules([{ file, json: JSON.parse(readFileSync(file, 'utf8')) }]);
const vpp = new Map(memclnt!.messages.map((m) => [m.name, m]));

/** A type as plain data: scalars by name, structs with their fields. */
function shape(t: TypeDef): unknown {
  return t.kind === 'struct' || t.kind === 'union' ? { kind: t.kind, name: t.name, fields: t.fields.map(fieldShape) } : { kind: t.kind, name: t.name };
}
function fieldShape(f: FieldDef): unknown {
  return { name: f.name, type: shape(f.type), length: f.length, countField: f.countField, default: f.default };
}
function messageShape(m: MessageDef): unknown {
  const svc = m.service;
  return { name: m.name, module: m.module, crc: m.crc, role: m.role, fields: m.fields.map(fieldShape), service: svc?.kind === 'unary' ? { kind: 'unary', reply: svc.reply.name } : svc?.kind };
}

describe('bootstrap memclnt messages', () => {
  it.each(bootstrapMessages.map((m) => [m.name, m] as const))('%s matches memclnt.api.json', (name, def) => {
    const real = vpp.get(name);
    expect(real, `${name} is not in ${file}`).toBeDefined();
    expect(messageShape(def)).toEqual(messageShape(real!));
  });

  it('include each request with its reply', () => {
    for (const def of bootstrapMessages) {
      if (def.service?.kind === 'unary') expect(bootstrapMessages).toContain(def.service.reply);
    }
    expect(bootstrapMessages.length).toBe(10);
  });

  it("use the fixed ids VPP gives memclnt's messages: their order in memclnt.api.json, from 1", () => {
    const ids = memclnt!.messages.map((m) => m.name);
    expect(ids.indexOf(sockclnt_create.name) + 1).toBe(SOCKCLNT_CREATE_ID);
    expect(ids.indexOf(sockclnt_create_reply.name) + 1).toBe(SOCKCLNT_CREATE_REPLY_ID);
  });
});
