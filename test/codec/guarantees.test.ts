/** What the encoder refuses, and how: the guarantees docs/guides/errors.md states, one by one. */
import { describe, expect, it } from 'vitest';
import { ValidationError, decode, encode } from '../../src/codec/index.js';
import { allMessages } from '../helpers/reference.js';

const messages = await allMessages();
const def = (name: string) => messages.get(name)!;

/** The ValidationError `encode` throws for `value` (fails if it encodes, or throws anything else). */
function refusal(name: string, value: unknown, options?: { zeroFill?: boolean }): ValidationError {
  try {
    encode(def(name), value, undefined, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error(`${name} encoded ${String(value)}`);
}

const rule = { is_permit: 'ACL_ACTION_API_PERMIT', src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80, tcp_flags_mask: 0, tcp_flags_value: 0 };

describe('missing fields', () => {
  it('refuses a missing field that has no default, naming the message and the field', () => {
    const err = refusal('acl_del', {});
    expect(err.message).toBe('acl_del: acl_index: missing, and it has no default');
    expect(refusal('acl_del', undefined).path).toBe('acl_index');
    expect(refusal('acl_interface_add_del', { sw_if_index: 1, acl_index: 0 }).path).toBe('is_input');
  });

  it('refuses a missing field inside a struct with its whole path', () => {
    const { proto: _, ...noProto } = rule;
    const err = refusal('acl_add_replace', { acl_index: 0xffffffff, tag: '', r: [rule, noProto] });
    expect(err.path).toBe('r[1].proto');
  });

  it('leaves out header fields, count fields and fields with a default', () => {
    // is_add has a default (true); count is worked out from r.
    expect(() => encode(def('acl_interface_add_del'), { is_input: true, sw_if_index: 1, acl_index: 0 })).not.toThrow();
    expect(() => encode(def('acl_add_replace'), { acl_index: 0xffffffff, tag: '', r: [rule] })).not.toThrow();
  });

  it('zero-fills only when asked (zeroFill), like vpp_papi', () => {
    const bytes = encode(def('acl_del'), {}, undefined, { zeroFill: true });
    expect(decode(def('acl_del'), bytes)).toMatchObject({ acl_index: 0 });
    expect(refusal('acl_del', {}, { zeroFill: false }).path).toBe('acl_index');
  });
});

describe('names are looked up as own properties only', () => {
  it.each(['__proto__', 'toString', 'constructor', 'valueOf', 'hasOwnProperty'])('refuses enum name %s', (name) => {
    const err = refusal('acl_add_replace', { acl_index: 0, tag: '', r: [{ ...rule, is_permit: name }] });
    expect(err.path).toBe('r[0].is_permit');
    expect(err.rule).toMatch(/is not a valid acl_action/);
  });

  it.each(['__proto__', 'toString', 'constructor'])('refuses field name %s', (name) => {
    const value = JSON.parse(`{"acl_index": 1, ${JSON.stringify(name)}: 0}`);
    expect(refusal('acl_del', value).rule).toMatch(/^unknown field/);
  });
});

describe('every bad value is a ValidationError, whatever its JS type', () => {
  const odd: unknown[] = [null, NaN, Infinity, -1, 1.5, 2 ** 64, 1n, -1n, true, 'x', '', Symbol('s'), {}, [], [null], { hex: 1 }, () => 0, new Date(0)];

  it('null for a counted array names the field', () => {
    const err = refusal('acl_add_replace', { acl_index: 0, tag: '', r: null });
    expect(err.path).toBe('r');
  });

  it.each(['acl_add_replace', 'sw_interface_add_del_address', 'nat44_add_del_static_mapping_v2', 'ip_route_add_del', 'sw_interface_set_flags', 'macip_acl_add'])(
    'in every field of %s, nothing but ValidationError escapes',
    (name) => {
      const d = def(name);
      for (const f of d.fields) {
        for (const v of odd) {
          try {
            encode(d, { [f.name]: v }, undefined, { zeroFill: true });
          } catch (err) {
            if (!(err instanceof ValidationError)) throw new Error(`${name}.${f.name} = ${String(v)} threw ${String(err)}`);
          }
        }
      }
    },
  );
});

describe('unknown names', () => {
  it('bounds the cost of "did you mean" and cuts the echoed name', () => {
    const long = 'x'.repeat(30_000);
    const err = refusal('acl_del', { acl_index: 0, [long]: 1 });
    expect(err.message.length).toBeLessThan(200);
  });
});

describe('open number spaces', () => {
  it('writes and reads back any IP protocol number 0..255 in an ACL rule', () => {
    for (const proto of [0, 4, 41, 112, 255]) {
      const bytes = encode(def('acl_add_replace'), { acl_index: 0, tag: '', r: [{ ...rule, proto }] });
      expect((decode(def('acl_add_replace'), bytes) as { r: { proto: number }[] }).r[0]!.proto).toBe(proto);
    }
  });

  it('still refuses a misspelled name and a number outside the width', () => {
    expect(refusal('acl_add_replace', { acl_index: 0, tag: '', r: [{ ...rule, proto: 'IP_API_PROTO_TPC' }] }).path).toBe('r[0].proto');
    expect(refusal('acl_add_replace', { acl_index: 0, tag: '', r: [{ ...rule, proto: 256 }] }).path).toBe('r[0].proto');
    expect(refusal('acl_add_replace', { acl_index: 0, tag: '', r: [{ ...rule, proto: -1 }] }).path).toBe('r[0].proto');
  });

  it('keeps other enums closed', () => {
    expect(refusal('acl_add_replace', { acl_index: 0, tag: '', r: [{ ...rule, is_permit: 7 }] }).path).toBe('r[0].is_permit');
  });
});
