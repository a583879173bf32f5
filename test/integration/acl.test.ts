/** ACLs on a real VPP: 1,000 rules dumped back equal (also as views), applied both ways, refused deletion while applied. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { VppApiError } from '../../src/client/index.js';
import { AclAction, type AclRuleInit } from '../../src/gen/acl_types.js';
import { createTaggedLoopback, deleteTaggedAcls, deleteTaggedLoopbacks } from './leftovers.js';
import { connectVpp, socket } from './vpp.js';

/** Everything this file makes is tagged with this prefix; an earlier run's leftovers are removed by it. */
const TAG = 'vppkit-it-acl-';

const ip4 = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.0/24`;

/** 1,000 distinct rules; prefixes without host bits, as VPP requires. */
const rules: AclRuleInit[] = Array.from({ length: 1000 }, (_, i) => ({
  is_permit: i % 3 === 0 ? AclAction.ACL_ACTION_API_PERMIT_REFLECT : i % 3 === 1 ? AclAction.ACL_ACTION_API_PERMIT : AclAction.ACL_ACTION_API_DENY,
  src_prefix: i % 2 ? ip4(i) : `2001:db8:${(i + 1).toString(16)}::/48`, // canonical text, as VPP gives it back
  dst_prefix: i % 2 ? '31.134.97.51/32' : '2001:db8:ffff::/64',
  proto: 6,
  srcport_or_icmptype_first: 1024,
  srcport_or_icmptype_last: 65535,
  dstport_or_icmpcode_first: 80,
  dstport_or_icmpcode_last: 80 + (i % 10),
  tcp_flags_mask: 0,
  tcp_flags_value: 0,
}));

describe.skipIf(!socket)('acl', () => {
  let vpp: Client;
  let loop: number;
  const acls: number[] = [];

  beforeAll(async () => {
    vpp = await connectVpp();
    await deleteTaggedAcls(vpp, TAG);
    await deleteTaggedLoopbacks(vpp, TAG);
    loop = await createTaggedLoopback(vpp, `${TAG}loop`);
  });
  afterAll(async () => {
    if (!vpp) return;
    await deleteTaggedAcls(vpp, TAG);
    await deleteTaggedLoopbacks(vpp, TAG);
    await vpp.close();
  });

  it('adds an ACL of 1,000 rules and dumps it back equal, field for field', async () => {
    const r = await vpp.request('acl_add_replace', { acl_index: 0xffffffff, tag: `${TAG}1000`, r: rules });
    acls.push(r.acl_index);
    const [d] = await vpp.dump('acl_dump', { acl_index: r.acl_index }).toArray();
    expect(d!.tag).toBe(`${TAG}1000`);
    expect(d!.count).toBe(1000);
    expect(d!.r).toEqual(rules);
  });

  it('replaces it in place', async () => {
    const replaced = await vpp.request('acl_add_replace', { acl_index: acls[0]!, tag: `${TAG}replaced`, r: rules.slice(0, 3) });
    expect(replaced.acl_index).toBe(acls[0]);
    const [d] = await vpp.dump('acl_dump', { acl_index: acls[0]! }).toArray();
    expect(d!.r).toEqual(rules.slice(0, 3));
  });

  it('applies ACLs in both directions and reads them back', async () => {
    const out = await vpp.request('acl_add_replace', { acl_index: 0xffffffff, tag: `${TAG}out`, r: rules.slice(3, 5) });
    acls.push(out.acl_index);
    await vpp.request('acl_interface_set_acl_list', { sw_if_index: loop, n_input: 1, acls: [acls[0]!, out.acl_index] });
    const [d] = await vpp.dump('acl_interface_list_dump', { sw_if_index: loop }).toArray();
    expect(d).toMatchObject({ sw_if_index: loop, count: 2, n_input: 1, acls: [acls[0], out.acl_index] });
  });

  it('refuses to delete an applied ACL with VPP\'s own code, as a VppApiError', async () => {
    const err = await vpp.request('acl_del', { acl_index: acls[0]! }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VppApiError);
    expect(err).toMatchObject({ code: -142, symbol: 'ACL_IN_USE_INBOUND', messageName: 'acl_del' });
    const out = await vpp.request('acl_del', { acl_index: acls[1]! }).catch((e: unknown) => e);
    expect(out).toMatchObject({ code: -143, symbol: 'ACL_IN_USE_OUTBOUND' });
  });

  it('gives big dumps as views that read the same as decoded details, kept past the buffer they were read into', async () => {
    // 12 ACLs of 1,000 rules: about 580 KB of details, more than two passes over the 256 KiB read buffer.
    const mine: number[] = [];
    for (let a = 0; a < 12; a++) mine.push((await vpp.request('acl_add_replace', { acl_index: 0xffffffff, tag: `${TAG}views-${a}`, r: rules })).acl_index);
    acls.push(...mine);
    const views = (await vpp.dump('acl_dump', { acl_index: 0xffffffff }).views().toArray()).filter((v) => mine.includes(v.acl_index));
    const decoded = (await vpp.dump('acl_dump', { acl_index: 0xffffffff }).toArray()).filter((d) => mine.includes(d.acl_index));
    expect(views.length).toBe(12);
    // Read only now, after the whole dump: the first views' bytes were read over long ago.
    expect(views.map((v) => v.toJSON())).toEqual(decoded);
    expect(views.map((v) => v.r)).toEqual(decoded.map(() => rules));
  });
});
