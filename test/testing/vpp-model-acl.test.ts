/** The ACL plugin model, through the real client over the socket. */
import { describe, expect, it } from 'vitest';
import { NONE, model, rule, rv } from './model-fixture.js';

describe('vpp model: acl', () => {
  it('creates at the next index, replaces in place, reuses freed indices LIFO', async () => {
    const { c } = await model();
    const a = await c.request('acl_add_replace', { acl_index: NONE, tag: 'a', r: [rule('10.0.0.0/8', '0.0.0.0/0')] });
    const b = await c.request('acl_add_replace', { acl_index: NONE, tag: 'b', r: [] });
    expect([a.acl_index, b.acl_index]).toEqual([0, 1]);
    const replaced = await c.request('acl_add_replace', { acl_index: 0, tag: 'a2', r: [rule('10.1.0.0/16', '0.0.0.0/0', { is_permit: 2 })] });
    expect(replaced.acl_index).toBe(0);
    const [zero] = await c.dump('acl_dump', { acl_index: 0 }).toArray();
    expect(zero).toMatchObject({ acl_index: 0, tag: 'a2', count: 1, r: [{ is_permit: 2, src_prefix: '10.1.0.0/16' }] });
    await c.request('acl_del', { acl_index: 0 });
    await c.request('acl_del', { acl_index: 1 });
    expect((await c.request('acl_add_replace', { acl_index: NONE, tag: 'c', r: [] })).acl_index).toBe(1);
    expect((await c.dump('acl_dump', { acl_index: NONE }).toArray()).map((x) => x.tag)).toEqual(['c']);
    expect(await c.dump('acl_dump', { acl_index: 7 }).toArray()).toEqual([]);
  });

  it('refuses a bad index with -6 (reply acl_index unchanged) and bad rules with -57, -58, -8', async () => {
    const { c } = await model();
    const err = await c.request('acl_add_replace', { acl_index: 5, tag: 'x', r: [] }).catch((e: { code: number; reply: { acl_index: number } }) => e);
    expect(err).toMatchObject({ code: -6, reply: { acl_index: 5 } });
    expect(await rv(c.request('acl_add_replace', { acl_index: NONE, tag: 'x', r: [rule('10.0.0.1/24', '0.0.0.0/0')] }))).toBe(-57); // host bits
    expect(await rv(c.request('acl_add_replace', { acl_index: NONE, tag: 'x', r: [rule('10.0.0.0/24', '10.0.0.1/8')] }))).toBe(-58);
    expect(await rv(c.request('acl_add_replace', { acl_index: NONE, tag: 'x', r: [rule('10.0.0.0/24', '::/0')] }))).toBe(-57); // families differ
    expect(await rv(c.request('acl_add_replace', { acl_index: NONE, tag: 'x', r: [rule('10.0.0.0/24', '0.0.0.0/0', { dstport_or_icmpcode_first: 90, dstport_or_icmpcode_last: 80 })] }))).toBe(-8);
    expect(await c.dump('acl_dump', { acl_index: NONE }).toArray()).toEqual([]);
  });

  it('acl_del: -6 missing, -142 applied as input, -143 applied as output', async () => {
    const { c } = await model();
    const acl = (await c.request('acl_add_replace', { acl_index: NONE, tag: '', r: [] })).acl_index;
    expect(await rv(c.request('acl_del', { acl_index: 9 }))).toBe(-6);
    await c.request('acl_interface_add_del', { is_add: true, is_input: false, sw_if_index: 1, acl_index: acl });
    expect(await rv(c.request('acl_del', { acl_index: acl }))).toBe(-143);
    await c.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index: 1, acl_index: acl });
    expect(await rv(c.request('acl_del', { acl_index: acl }))).toBe(-142); // input is checked first
    await c.request('acl_interface_set_acl_list', { sw_if_index: 1, n_input: 0, acls: [] });
    expect(await rv(c.request('acl_del', { acl_index: acl }))).toBe(0);
  });

  it('acl_interface_set_acl_list replaces both lists; -2, -6, and rv 1 for a duplicate', async () => {
    const { c } = await model();
    for (let i = 0; i < 3; i++) await c.request('acl_add_replace', { acl_index: NONE, tag: `t${i}`, r: [] });
    const lists = async () => (await c.dump('acl_interface_list_dump', { sw_if_index: 1 }).toArray())[0];
    expect(await rv(c.request('acl_interface_set_acl_list', { sw_if_index: 1, n_input: 2, acls: [2, 0, 1] }))).toBe(0);
    expect(await lists()).toMatchObject({ count: 3, n_input: 2, acls: [2, 0, 1] });
    expect(await rv(c.request('acl_interface_set_acl_list', { sw_if_index: 9, n_input: 0, acls: [] }))).toBe(-2);
    expect(await rv(c.request('acl_interface_set_acl_list', { sw_if_index: 1, n_input: 1, acls: [0, 7] }))).toBe(-6);
    expect(await lists()).toMatchObject({ acls: [2, 0, 1] });
    // A duplicate in the input list: output already set, input unchanged, rv 1.
    expect(await rv(c.request('acl_interface_set_acl_list', { sw_if_index: 1, n_input: 2, acls: [1, 1, 0] }))).toBe(1);
    expect(await lists()).toMatchObject({ n_input: 2, acls: [2, 0, 0] });
    // A duplicate in the output list: nothing changes.
    expect(await rv(c.request('acl_interface_set_acl_list', { sw_if_index: 1, n_input: 0, acls: [1, 1] }))).toBe(1);
    expect(await lists()).toMatchObject({ acls: [2, 0, 0] });
  });

  it('acl_interface_add_del appends and removes; -142/-143 for a duplicate, -6 for a missing ACL or entry', async () => {
    const { c } = await model();
    for (let i = 0; i < 2; i++) await c.request('acl_add_replace', { acl_index: NONE, tag: '', r: [] });
    const add = (is_input: boolean, acl_index: number, is_add = true) => rv(c.request('acl_interface_add_del', { is_add, is_input, sw_if_index: 1, acl_index }));
    expect(await add(true, 1)).toBe(0);
    expect(await add(true, 0)).toBe(0);
    expect(await add(false, 0)).toBe(0);
    expect(await add(true, 1)).toBe(-142);
    expect(await add(false, 0)).toBe(-143);
    expect(await add(true, 5)).toBe(-6);
    expect(await add(false, 1, false)).toBe(-6);
    expect(await rv(c.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index: 9, acl_index: 0 }))).toBe(-2);
    expect((await c.dump('acl_interface_list_dump', { sw_if_index: 1 }).toArray())[0]).toMatchObject({ n_input: 2, acls: [1, 0, 0] });
    expect(await add(true, 1, false)).toBe(0);
    expect((await c.dump('acl_interface_list_dump', { sw_if_index: 1 }).toArray())[0]).toMatchObject({ n_input: 1, acls: [0, 0] });
  });

  it('acl_interface_list_dump ~0 lists every interface, those without ACLs too; a deleted interface frees its ACLs', async () => {
    const { c } = await model();
    const loop = (await c.request('create_loopback', { mac_address: '00:00:00:00:00:00' })).sw_if_index;
    const acl = (await c.request('acl_add_replace', { acl_index: NONE, tag: '', r: [] })).acl_index;
    await c.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index: loop, acl_index: acl });
    const all = await c.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray();
    expect(all.map((a) => [a.sw_if_index, a.acls])).toEqual([[0, []], [1, []], [loop, [acl]]]);
    expect(await c.dump('acl_interface_list_dump', { sw_if_index: 42 }).toArray()).toEqual([]);
    await c.request('delete_loopback', { sw_if_index: loop });
    expect(await rv(c.request('acl_del', { acl_index: acl }))).toBe(0);
  });

  it('reports its version, 1.4', async () => {
    const { c } = await model();
    expect(await c.request('acl_plugin_get_version')).toMatchObject({ major: 1, minor: 4 });
  });
});
