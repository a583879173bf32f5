/** The codec's rules, one by one, on real messages. */
import { describe, expect, it } from 'vitest';
import { DecodeError, type Header, ValidationError, decode, decodeRaw, encode as encodeStrict, encodeRaw, readHeader, toJson, viewOf } from '../../src/codec/index.js';
import type { MessageDef } from '../../src/schema/model.js';
import { allMessages } from '../helpers/reference.js';

/** Each rule on its own: fields a case leaves out are zero-filled (guarantees.test.ts checks they are refused by default). */
const encode = (d: MessageDef, v: unknown, h?: Header): Uint8Array => encodeStrict(d, v, h, { zeroFill: true });

const messages = await allMessages();
const def = (name: string) => messages.get(name)!;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function rejects(name: string, value: unknown, path: string, rule: RegExp): void {
  let err: unknown;
  try {
    encode(def(name), value);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).path).toBe(path);
  expect((err as ValidationError).rule).toMatch(rule);
  expect((err as ValidationError).message).toBe(`${name}: ${path ? `${path}: ` : ''}${(err as ValidationError).rule}`);
}

const rule = { is_permit: 2, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80, tcp_flags_mask: 0, tcp_flags_value: 0 };

describe('encoding', () => {
  it('writes big-endian integers, packed, after _vl_msg_id and the header', () => {
    expect(hex(encode(def('control_ping'), {}, { _vl_msg_id: 0x1234, client_index: 0x80000001, context: 7 }))).toBe('12348000000100000007');
    expect(hex(encode(def('control_ping'), {}))).toBe('00000000000000000000');
  });

  it('rejects a header field in the value, naming the message and the field: the client sets the header', () => {
    for (const field of ['_vl_msg_id', 'client_index', 'context']) {
      const err = (() => {
        try {
          encode(def('control_ping'), { [field]: 7 });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toBe(`control_ping: "${field}" is part of the message header, which the client sets: leave it out of the value (encode takes it as the header argument)`);
    }
    // A client_index after the header is a field of the body.
    expect(decode(def('control_ping_reply'), encode(def('control_ping_reply'), { retval: 0, client_index: 5, vpe_pid: 9 }))).toEqual({ retval: 0, client_index: 5, vpe_pid: 9 });
  });

  it('decodes without the header; readHeader and decodeRaw give it', () => {
    const bytes = Buffer.from('0011000000070000000000000000000004d2', 'hex');
    expect(decode(def('control_ping_reply'), bytes)).toEqual({ retval: 0, client_index: 0, vpe_pid: 1234 });
    expect(readHeader(def('control_ping_reply'), bytes)).toEqual({ _vl_msg_id: 0x11, context: 7 });
    expect(Object.keys(decodeRaw(def('control_ping_reply'), bytes))).toEqual(['_vl_msg_id', 'context', 'retval', 'client_index', 'vpe_pid']);
    expect(hex(encodeRaw(def('control_ping_reply'), decodeRaw(def('control_ping_reply'), bytes)))).toBe(hex(bytes));
    const keepalive = Buffer.from('0022800000010000002a', 'hex');
    expect(readHeader(def('memclnt_keepalive'), keepalive)).toEqual({ _vl_msg_id: 0x22, client_index: 0x80000001, context: 42 });
    expect(() => readHeader(def('control_ping_reply'), bytes.subarray(0, 5))).toThrow(DecodeError);
  });

  it('fills count fields from the array and applies defaults', () => {
    const bytes = encode(def('acl_add_replace'), { acl_index: 0xffffffff, tag: 'pod', r: [rule, rule] });
    const back = decode(def('acl_add_replace'), bytes) as { count: number; r: unknown[]; tag: string };
    expect(back.count).toBe(2);
    expect(back.r).toHaveLength(2);
    expect(back.tag).toBe('pod');
    const dump = decode(def('sw_interface_dump'), encode(def('sw_interface_dump'), {})) as { sw_if_index: number };
    expect(dump.sw_if_index).toBe(0xffffffff);
    const v2 = decode(def('memclnt_create_v2'), encode(def('memclnt_create_v2'), {})) as { keepalive: boolean };
    expect(v2.keepalive).toBe(true); // default=true arrives as the string "true"
  });

  it('writes f64 little-endian, fixed strings NUL-padded and variable strings length-prefixed', () => {
    expect(hex(encode(def('get_f64_endian_value'), { f64_one: 1 }))).toBe('000000000000000000000000000000f03f'.padStart(36, '0'));
    expect(hex(encode(def('cli_inband'), { cmd: 'show ver' }))).toBe(`0000000000000000000000000008${Buffer.from('show ver').toString('hex')}`);
    const tag = hex(encode(def('acl_add_replace'), { tag: 'ab' })).slice(28, 28 + 128);
    expect(tag).toBe(`6162${'00'.repeat(62)}`);
  });

  it('takes and gives text for addresses, prefixes and MACs, and accepts the raw form', () => {
    const a = encode(def('acl_add_replace'), { r: [rule] });
    const b = encode(def('acl_add_replace'), { r: [{ ...rule, src_prefix: { address: { af: 0, un: { ip4: new Uint8Array([10, 1, 1, 3]) } }, len: 32 } }] });
    expect(hex(b)).toBe(hex(a));
    const details = decode(def('acl_add_replace'), a) as { r: { src_prefix: string }[] };
    expect(details.r[0]!.src_prefix).toBe('10.1.1.3/32');
    const mac = decode(def('sw_interface_details'), encode(def('sw_interface_details'), { l2_address: '02:FE:16:3f:5f:0f' })) as { l2_address: string };
    expect(mac.l2_address).toBe('02:fe:16:3f:5f:0f');
    const v6 = decode(def('sw_interface_add_del_address'), encode(def('sw_interface_add_del_address'), { prefix: '2001:db8:0:0:1::1/64' })) as { prefix: string };
    expect(v6.prefix).toBe('2001:db8::1:0:0:1/64');
  });

  it('gives the same prefix bytes and text with its caches as without, over more prefixes than they hold', () => {
    // 20,000 prefixes (v4 and v6) against 4,096 cache slots: every slot is reused, most many times.
    // Half of them share their address with others and differ only in length.
    const prefixes = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 1
      ? `10.${(i >> 8) & 255}.0.0/${(i >> 1) % 33}`
      : i % 3 === 2
        ? `2001:db8:${((i * 7919) % 65536).toString(16)}::${(i % 97).toString(16)}/${i % 129}`
        : `${(i * 31) & 255}.${(i >> 3) & 255}.${i % 13}.${(i * 7) & 255}/${i % 33}`));
    const bytes = (p: string) => encode(def('acl_add_replace'), { r: [{ ...rule, src_prefix: p, dst_prefix: p }] });
    // RFC 5952 text, as the WHATWG URL parser writes IPv6 hosts.
    const canonical = (p: string) => (p.includes(':') ? `${new URL(`http://[${p.split('/')[0]}]`).hostname.slice(1, -1)}/${p.split('/')[1]}` : p);
    const first = prefixes.map((p) => hex(bytes(p)));
    for (let round = 0; round < 2; round++) {
      prefixes.forEach((p, i) => {
        const b = bytes(p);
        expect(hex(b)).toBe(first[i]);
        const r = (decode(def('acl_add_replace'), b) as { r: { src_prefix: string; dst_prefix: string }[] }).r[0]!;
        expect(r.src_prefix).toBe(canonical(p));
        expect(r.dst_prefix).toBe(r.src_prefix);
      });
    }
    // An IPv4 and an IPv6 prefix with the same leading bytes and length share a cache slot; the family tells them apart.
    for (let round = 0; round < 2; round++) {
      for (const p of ['10.1.0.0/16', 'a01::/16']) expect((decode(def('acl_add_replace'), bytes(p)) as { r: { src_prefix: string }[] }).r[0]!.src_prefix).toBe(p);
    }
    // An IPv4 prefix seen once still carries its own length, and a bad length is still refused.
    bytes('10.9.8.0/24');
    expect((decode(def('acl_add_replace'), bytes('10.9.8.0/25')) as { r: { src_prefix: string }[] }).r[0]!.src_prefix).toBe('10.9.8.0/25');
    rejects('acl_add_replace', { r: [{ ...rule, src_prefix: '10.9.8.0/33' }] }, 'r[0].src_prefix', /out of range/);
    // Text remembered through `prefix` (which takes both families) is still refused where only one family fits,
    // and text remembered through `ip4_prefix`/`ip6_prefix` encodes the same through `prefix`.
    bytes('10.9.8.0/24');
    bytes('2001:db8::/32');
    rejects('map_add_domain', { ip6_prefix: '10.9.8.0/24' }, 'ip6_prefix', /expected a prefix like "2001:db8::\/32"/);
    rejects('map_add_domain', { ip4_prefix: '2001:db8::/32' }, 'ip4_prefix', /expected a prefix like "10.1.0.0\/16"/);
    const domain = encode(def('map_add_domain'), { ip4_prefix: '10.9.7.0/24', ip6_prefix: '2001:db9::/32', ip6_src: '2001:db9::/32' });
    expect(decode(def('map_add_domain'), domain)).toMatchObject({ ip4_prefix: '10.9.7.0/24', ip6_prefix: '2001:db9::/32' });
    expect(hex(bytes('10.9.7.0/24'))).toContain(`000a090700${'00'.repeat(12)}18`);
    const v6 = encode(def('sw_interface_add_del_address'), { prefix: '2001:db9::/32' });
    expect(hex(v6)).toContain(`0120010db9${'00'.repeat(12)}20`);
    expect((decode(def('sw_interface_add_del_address'), v6) as { prefix: string }).prefix).toBe('2001:db9::/32');
  });

  it('decodes an array of rules through its loop over cached prefixes, and from the first miss through the ordinary loop', () => {
    // Rules 0 and 1 are decoded first, so their prefixes are cached. Then rule 2's source prefix is
    // cached and its destination is not: the loop over hits stops in the middle of that rule, and the
    // ordinary loop decodes it and rule 3 from its first byte. The third decode is all hits.
    const v6 = '2001:db8:31::/48';
    const rules = [
      { ...rule, src_prefix: '172.31.1.0/24', dst_prefix: v6, dstport_or_icmpcode_first: 1 },
      { ...rule, src_prefix: '172.31.2.0/24', dst_prefix: '172.31.1.0/24', dstport_or_icmpcode_first: 2 },
      { ...rule, src_prefix: '172.31.1.0/24', dst_prefix: '172.31.3.0/24', dstport_or_icmpcode_first: 3 },
      { ...rule, src_prefix: '172.31.2.0/24', dst_prefix: v6, dstport_or_icmpcode_first: 4 },
    ];
    const acl = (r: typeof rules) => ({ acl_index: 1, tag: 'hits', count: r.length, r });
    const roundTrip = (r: typeof rules) => decode(def('acl_details'), encode(def('acl_details'), acl(r)));
    expect(roundTrip(rules.slice(0, 2))).toEqual(acl(rules.slice(0, 2)));
    expect(roundTrip(rules)).toEqual(acl(rules));
    expect(roundTrip(rules)).toEqual(acl(rules));
  });

  it('rejects bad input before writing, naming message, field path and rule', () => {
    rejects('acl_add_replace', { r: [rule, rule, rule, { ...rule, src_prefix: '10.0.0.0' }] }, 'r[3].src_prefix', /expected a prefix like/);
    rejects('acl_add_replace', { r: [{ ...rule, dst_prefix: '10.0.0.0/33' }] }, 'r[0].dst_prefix', /prefix length 33 is out of range for IPv4 \(0\.\.32\)/);
    rejects('acl_add_replace', { acl_index: 2 ** 32 }, 'acl_index', /4294967296 is out of range for u32 \(0\.\.4294967295\)/);
    rejects('acl_add_replace', { acl_index: 1.5 }, 'acl_index', /1\.5 is not an integer/);
    rejects('acl_add_replace', { tag: 'x'.repeat(64) }, 'tag', /string of 64 bytes is longer than 63/);
    rejects('acl_add_replace', { count: 3, r: [rule] }, 'count', /count 3 disagrees with r \(1 elements\)/);
    rejects('acl_add_replace', { r: [{ ...rule, is_permit: 7 }] }, 'r[0].is_permit', /7 is not a valid acl_action/);
    rejects('acl_add_replace', { r: [{ ...rule, src_prefx: '1.2.3.4/32' }] }, 'r[0]', /unknown field "src_prefx" \(did you mean src_prefix\?\)/);
    rejects('sw_interface_details', { mtu: [1, 2, 3] }, 'mtu', /expected 4 elements, got 3/);
    rejects('sw_interface_details', { l2_address: '02:fe:16:3f:5f' }, 'l2_address', /expected a MAC address/);
    rejects('sw_interface_set_flags', { flags: 4 }, 'flags', /4 is not a valid if_status_flags bit set/);
    rejects('want_interface_events', { pid: -1 }, 'pid', /out of range for u32/);
  });

  it('accepts bit-set combinations and enum names', () => {
    const v = decode(def('sw_interface_set_flags'), encode(def('sw_interface_set_flags'), { flags: 3 })) as { flags: number };
    expect(v.flags).toBe(3);
    const n = decode(def('acl_add_replace'), encode(def('acl_add_replace'), { r: [{ ...rule, is_permit: 'ACL_ACTION_API_PERMIT_REFLECT' }] })) as { r: { is_permit: number }[] };
    expect(n.r[0]!.is_permit).toBe(2);
  });

  it('takes 64-bit integers as bigint, safe numbers or decimal strings, and gives bigint', () => {
    const d = def('memclnt_create');
    for (const input of [2n ** 63n, '9223372036854775808']) {
      expect((decode(d, encode(d, { input_queue: input })) as { input_queue: bigint }).input_queue).toBe(2n ** 63n);
    }
    rejects('memclnt_create', { input_queue: 2 ** 60 }, 'input_queue', /expected a u64/);
    expect(toJson(decode(d, encode(d, { input_queue: 5 })))).toMatchObject({ input_queue: '5' });
  });
});

describe('decoding', () => {
  it('throws a DecodeError, never half a message, on a short buffer', () => {
    const bytes = encode(def('acl_add_replace'), { r: [rule] });
    for (const cut of [1, 10, bytes.length - 1]) {
      expect(() => decode(def('acl_add_replace'), bytes.subarray(0, cut))).toThrow(DecodeError);
    }
    expect(() => decode(def('acl_add_replace'), bytes.subarray(0, bytes.length - 1))).toThrow(/acl_add_replace: needs \d+ bytes at offset \d+, but the message ends at \d+/);
  });

  it('rejects a count that points past the end before allocating', () => {
    const bytes = Buffer.from(encode(def('acl_add_replace'), { r: [] }));
    bytes.writeUInt32BE(0xffffffff, 2 + 4 + 4 + 4 + 64);
    expect(() => decode(def('acl_add_replace'), bytes)).toThrow(DecodeError);
  });

  it('keeps bytes text cannot carry as "0x" and hex: still a string, as the types say', () => {
    const d = def('sw_interface_add_del_address');
    const at = 2 + 4 + 4 + 4 + 1 + 1; // the prefix
    const bytes = Buffer.from(encode(d, { prefix: '10.0.0.1/8' }));
    bytes[at + 17] = 40; // a length over 32
    const long = decode(d, bytes) as { prefix: string };
    expect(long.prefix).toBe(`0x${bytes.subarray(at, at + 18).toString('hex')}`);
    expect(Buffer.from(encode(d, long))).toEqual(bytes);
    bytes[at + 17] = 8;
    bytes[at + 16] = 1; // a byte after the IPv4 address
    expect((decode(d, bytes) as { prefix: string }).prefix).toBe(`0x${bytes.subarray(at, at + 18).toString('hex')}`);
    expect(Buffer.from(encode(d, decode(d, bytes)))).toEqual(bytes);
    bytes[at] = 7; // an unknown family
    const v = decode(d, bytes) as { prefix: string };
    expect(v.prefix).toMatch(/^0x07/);
    // Kept, but not sent back: the hex goes through the raw form, and 7 is no address family.
    expect(() => encode(d, v)).toThrow(/prefix\.address\.af: 7 is not a valid address_family/);
    expect(() => encode(d, { prefix: '0x0a00' })).toThrow(/prefix: expected a prefix like "10.1.0.0\/16" or "2001:db8::\/32", or "0x" and its 18 bytes in hex, got "0x0a00"/);
  });

  it('decodes an address of an unknown family to "0x" and hex', () => {
    const d = def('ip_neighbor_add_del');
    const bytes = Buffer.from(encode(d, { is_add: true, neighbor: { sw_if_index: 1, flags: 0, mac_address: '02:00:00:00:00:01', ip_address: '10.0.0.1' } }));
    const at = bytes.indexOf(Buffer.from([0, 10, 0, 0, 1])); // af 0, then 10.0.0.1
    bytes[at] = 9;
    const v = decode(d, bytes) as { neighbor: { ip_address: string } };
    expect(v.neighbor.ip_address).toBe(`0x${bytes.subarray(at, at + 17).toString('hex')}`);
    expect(() => encode(d, v)).toThrow(/neighbor\.ip_address\.af: 9 is not a valid address_family/);
  });

  it('decodes to a copy that does not alias the input buffer', () => {
    const d = def('sw_interface_details');
    const bytes = Buffer.from(encode(d, { interface_name: 'loop0' }));
    const v = decode(d, bytes) as { b_dmac: string; interface_name: string };
    bytes.fill(0xff);
    expect(v.interface_name).toBe('loop0');
  });

  it('reads views of a message field by field, as decoded, and fails on a field the bytes do not hold', () => {
    const bytes = encode(def('acl_details'), { acl_index: 3, tag: 'web', r: [rule, { ...rule, src_prefix: '2001:db8::/32' }] });
    const view = viewOf(def('acl_details'), bytes) as { acl_index: number; tag: string; count: number; r: unknown[] };
    expect(view.acl_index).toBe(3);
    expect(view.count).toBe(2);
    expect(view.r).toEqual((decode(def('acl_details'), bytes) as { r: unknown[] }).r);
    expect(JSON.parse(JSON.stringify(view))).toEqual(toJson(decode(def('acl_details'), bytes)));
    const short = viewOf(def('acl_details'), bytes, 0, 80) as typeof view; // the header and count, not the rules
    expect(short.count).toBe(2);
    expect(() => short.r).toThrow(DecodeError);
    expect(() => (viewOf(def('acl_details'), bytes, 0, 70) as typeof view).count).toThrow(/acl_details: needs 4 bytes at offset 74/);
  });
});
