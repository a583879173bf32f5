/**
 * Contiv-VPP's pod egress path on a real VPP, with packet-generator interfaces: the pod's SYN
 * passes the reflective ACL, is NATed to the node IP on the uplink's output and passes the global
 * ACL; the SYN-ACK is translated back to the pod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { AclAction } from '../../src/gen/acl_types.js';
import { deleteTaggedAcls, disableNat, enableNat, natEnabled, setNatAddress, setNatOutput } from './leftovers.js';
import { cli, connectVpp, sleep, socket } from './vpp.js';

/** The ACLs this file makes are tagged with this prefix; an earlier run's leftovers are removed by it. */
const TAG = 'vppkit-it-egress-';
/** The node's IP on the uplink, and NAT44-ED's pool address. */
const NODE_IP = '192.168.16.1';

const any = { srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0 };

describe.skipIf(!socket)('pod egress path (reflective ACL, global ACL, NAT44 ED output)', () => {
  let vpp: Client;
  const ifIndex = new Map<string, number>();

  async function indexOf(name: string): Promise<number> {
    const [d] = await vpp.dump('sw_interface_dump', { name_filter_valid: true, name_filter: name }).toArray();
    if (!d) throw new Error(`no interface ${name}`);
    return d.sw_if_index;
  }

  async function inject(name: string, iface: string, data: string): Promise<string> {
    await cli(vpp, 'clear trace');
    await cli(vpp, 'trace add pg-input 10');
    await cli(vpp, `packet-generator new { name ${name} limit 1 node ip4-input size 60-60 interface ${iface} data { ${data} } }`);
    await cli(vpp, `packet-generator enable-stream ${name}`);
    await sleep(300);
    const trace = await cli(vpp, 'show trace');
    console.log(`--- trace of ${name} ---\n${trace}`);
    return trace;
  }

  /** The configuration the path needs, each line with its undo (debug CLI, where the API has no simpler call). */
  const ROUTING = [
    ['set ip neighbor pg1 192.168.16.254 02:00:00:00:00:fe', 'set ip neighbor del pg1 192.168.16.254 02:00:00:00:00:fe'],
    ['ip route add 31.134.97.0/24 via 192.168.16.254 pg1', 'ip route del 31.134.97.0/24 via 192.168.16.254 pg1'],
    ['set ip neighbor pg0 10.1.1.3 02:00:00:00:00:03', 'set ip neighbor del pg0 10.1.1.3 02:00:00:00:00:03'],
  ] as const;
  const ADDRESSES = [['pg0', '10.1.1.1/24'], ['pg1', '192.168.16.1/24']] as const;
  let natHere = false;
  /** The packet-generator interfaces VPP had before: the others (ours, and the `pg-1` that a pg stream makes) go afterwards. */
  let pgBefore: Set<string>;
  const pgNow = async () => (await vpp.dump('sw_interface_dump', { name_filter_valid: true, name_filter: 'pg' }).toArray()).filter((i) => i.interface_name.startsWith('pg'));

  async function setAddress(pg: string, prefix: string, is_add: boolean): Promise<void> {
    const sw_if_index = ifIndex.get(pg)!;
    const there = (await vpp.dump('ip_address_dump', { sw_if_index, is_ipv6: false }).toArray()).some((a) => a.prefix === prefix);
    if (there !== is_add) await vpp.request('sw_interface_add_del_address', { sw_if_index, is_add, del_all: false, prefix });
  }

  /** Undoes the setup, each step only if it is there: after this file's run, or an earlier one that crashed. */
  async function undo(): Promise<void> {
    for (const name of ['syn', 'synack']) await cli(vpp, `packet-generator delete ${name}`).catch(() => undefined); // absent: nothing to delete
    if (natHere) await disableNat(vpp);
    else if (await natEnabled(vpp)) {
      if (ifIndex.has('pg1')) await setNatOutput(vpp, ifIndex.get('pg1')!, false);
      await setNatAddress(vpp, NODE_IP, false);
    }
    await deleteTaggedAcls(vpp, TAG);
    if (ifIndex.size === 0) return;
    for (const [, unset] of ROUTING) await cli(vpp, unset);
    for (const [pg, prefix] of ADDRESSES) await setAddress(pg, prefix, false);
  }

  beforeAll(async () => {
    vpp = await connectVpp();
    pgBefore = new Set((await pgNow()).map((i) => i.interface_name));
    for (const pg of ['pg0', 'pg1']) {
      if (!pgBefore.has(pg)) await cli(vpp, `create packet-generator interface ${pg}`);
      ifIndex.set(pg, await indexOf(pg));
    }
    await undo(); // an earlier run's leftovers
    for (const pg of ['pg0', 'pg1']) await vpp.request('sw_interface_set_flags', { sw_if_index: ifIndex.get(pg)!, flags: 1 });
    const pod = ifIndex.get('pg0')!;
    const uplink = ifIndex.get('pg1')!;
    for (const [pg, prefix] of ADDRESSES) await setAddress(pg, prefix, true);
    for (const [set] of ROUTING) await cli(vpp, set);

    const ingress = await vpp.request('acl_add_replace', {
      acl_index: 0xffffffff, tag: `${TAG}pod-ingress`,
      r: [{ ...any, is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, src_prefix: '10.1.1.3/32', dst_prefix: '0.0.0.0/0', proto: 0, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535 }],
    });
    const global = await vpp.request('acl_add_replace', {
      acl_index: 0xffffffff, tag: `${TAG}uplink-egress`,
      r: [{ ...any, is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '0.0.0.0/0', dst_prefix: '31.134.97.51/32', proto: 6, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80 }],
    });
    await vpp.request('acl_interface_set_acl_list', { sw_if_index: pod, n_input: 1, acls: [ingress.acl_index] });
    await vpp.request('acl_interface_set_acl_list', { sw_if_index: uplink, n_input: 0, acls: [global.acl_index] });

    natHere = await enableNat(vpp);
    await setNatAddress(vpp, NODE_IP, true);
    await setNatOutput(vpp, uplink, true);
  });

  afterAll(async () => {
    if (!vpp) return;
    await undo();
    for (const pg of ['pg0', 'pg1']) if (ifIndex.has(pg)) await vpp.request('sw_interface_set_flags', { sw_if_index: ifIndex.get(pg)!, flags: 0 });
    for (const i of await pgNow()) if (!pgBefore.has(i.interface_name)) await cli(vpp, `delete packet-generator interface sw_if_index ${i.sw_if_index}`);
    await cli(vpp, 'clear trace');
    await vpp.close();
  });

  it('lets the pod\'s SYN out: reflective ACL in, NAT to the node IP, global ACL out', async () => {
    const trace = await inject('syn', 'pg0', 'TCP: 10.1.1.3 -> 31.134.97.51 TCP: 41084 -> 80 SYN incrementing 20');
    const aclIn = trace.indexOf('acl-plugin-in-ip4-fa');
    const nat = trace.indexOf('nat44-ed-in2out-output', aclIn);
    const aclOut = trace.indexOf('acl-plugin-out-ip4-fa', nat);
    expect(aclIn).toBeGreaterThanOrEqual(0);
    expect(trace.slice(aclIn, nat)).toMatch(/action: 2/);
    expect(nat).toBeGreaterThan(aclIn);
    expect(trace.slice(nat, aclOut)).toMatch(/192\.168\.16\.1/);
    expect(aclOut).toBeGreaterThan(nat);
    expect(trace.slice(aclOut)).toMatch(/action: 1/);
    expect(trace.slice(aclOut)).toMatch(/pg1-output/);
    expect(trace.slice(aclOut)).toMatch(/192\.168\.16\.1 -> 31\.134\.97\.51/);
  });

  it('translates the SYN-ACK back to the pod at 10.1.1.3:41084', async () => {
    const trace = await inject('synack', 'pg1', 'TCP: 31.134.97.51 -> 192.168.16.1 TCP: 80 -> 41084 SYN ACK incrementing 20');
    const out2in = trace.indexOf('nat44-ed-out2in');
    expect(out2in).toBeGreaterThanOrEqual(0);
    const after = trace.slice(out2in);
    expect(after).toMatch(/31\.134\.97\.51 -> 10\.1\.1\.3/);
    expect(after).toMatch(/80 -> 41084/);
    expect(after).toMatch(/pg0-output/);
  });
});
