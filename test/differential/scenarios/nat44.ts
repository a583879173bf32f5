/** NAT44-ED scenarios: enable/disable, pools, interfaces, the output feature and its cursor stream, static mappings. */
import { Nat44ConfigFlags } from '../../../src/gen/nat44_ed.js';
import { NatConfigFlags } from '../../../src/gen/nat_types.js';
import type { Scenario, Side } from '../runner.js';
import { NONE } from '../runner.js';

const { NAT_IS_TWICE_NAT, NAT_IS_SELF_TWICE_NAT, NAT_IS_ADDR_ONLY, NAT_IS_INSIDE, NAT_IS_OUTSIDE, NAT_IS_OUT2IN_ONLY } = NatConfigFlags;
const { NAT44_IS_STATIC_MAPPING_ONLY, NAT44_IS_CONNECTION_TRACKING, NAT44_IS_OUT2IN_DPO } = Nat44ConfigFlags;
const ENABLE = { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 };
const DISABLE = { ...ENABLE, enable: false };

const enable = (s: Side, fields: Record<string, unknown> = {}, label?: string) => s.call('nat44_ed_plugin_enable_disable', { ...ENABLE, ...fields }, { label: label ?? 'enable' });
const disable = (s: Side, label = 'disable') => s.call('nat44_ed_plugin_enable_disable', DISABLE, { label });
const range = (s: Side, first: string, last: string, opts: { del?: boolean; flags?: number; vrf?: number; label?: string } = {}) =>
  s.call('nat44_add_del_address_range', { first_ip_address: first, last_ip_address: last, vrf_id: opts.vrf ?? NONE, is_add: !opts.del, flags: opts.flags ?? 0 }, { label: opts.label });
const feature = (s: Side, is_add: boolean, flags: number, sw_if_index: number, label?: string) => s.call('nat44_interface_add_del_feature', { is_add, flags, sw_if_index }, { label });
const output = (s: Side, is_add: boolean, sw_if_index: number, label?: string) => s.call('nat44_ed_add_del_output_interface', { is_add, sw_if_index }, { label });
const sm = (s: Side, fields: Record<string, unknown>, label?: string, v2 = true) =>
  s.call(v2 ? 'nat44_add_del_static_mapping_v2' : 'nat44_add_del_static_mapping', {
    is_add: true, flags: 0, local_ip_address: '10.1.1.3', external_ip_address: '203.0.113.1', protocol: 6, local_port: 8080, external_port: 80,
    external_sw_if_index: NONE, vrf_id: NONE, tag: '', ...(v2 ? { match_pool: false, pool_ip_address: '0.0.0.0' } : {}), ...fields,
  }, { label });

export const natScenarios: Scenario[] = [
  {
    name: 'NAT44-ED enable, enable again, disable, disable again',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await enable(s, {}, 'enable again');
      await disable(s);
      await disable(s, 'disable again');
      await enable(s, {}, 'enable after disable');
    },
  },
  {
    name: 'NAT44-ED disable first, then enable with tables and a session count',
    tables: ['nat'],
    async run(s) {
      await disable(s, 'disable while disabled');
      await enable(s, { inside_vrf: 0, outside_vrf: 0, sessions: 20000 }, 'enable with 20000 sessions');
      await disable(s);
      await enable(s, { flags: NAT44_IS_STATIC_MAPPING_ONLY }, 'static-mapping-only flag');
      await enable(s, { flags: NAT44_IS_CONNECTION_TRACKING }, 'connection-tracking flag');
      await enable(s, { flags: NAT44_IS_OUT2IN_DPO }, 'out2in-dpo flag');
    },
  },
  {
    name: 'NAT44-ED changes while disabled',
    tables: ['nat'],
    async run(s) {
      await s.loopback('A');
      await range(s, '203.0.113.1', '203.0.113.1', { label: 'add address' });
      await range(s, '203.0.113.1', '203.0.113.1', { del: true, label: 'delete address' });
      await feature(s, true, NAT_IS_INSIDE, s.if('A'), 'inside');
      await output(s, true, s.if('A'), 'output feature');
      await sm(s, {}, 'static mapping');
      await sm(s, { is_add: false }, 'delete static mapping');
    },
  },
  {
    name: 'NAT44-ED address pool: ranges, duplicates, deletes',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await range(s, '203.0.113.1', '203.0.113.3', { label: 'three' });
      await range(s, '203.0.113.9', '203.0.113.5', { label: 'last before first' });
      await range(s, '203.0.113.0', '203.0.113.1', { label: 'overlapping range' });
      await range(s, '203.0.113.1', '203.0.113.1', { del: true, label: 'delete the first' });
      await range(s, '203.0.113.1', '203.0.113.1', { del: true, label: 'delete it again' });
      await range(s, '203.0.113.2', '203.0.113.3', { del: true, label: 'delete a range' });
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED twice-NAT pool and pool tables',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await range(s, '203.0.113.10', '203.0.113.10', { flags: NAT_IS_TWICE_NAT, label: 'twice-NAT address' });
      await range(s, '203.0.113.10', '203.0.113.10', { label: 'same address, plain pool' });
      await range(s, '203.0.113.11', '203.0.113.11', { vrf: 0, label: 'in table 0' });
      await range(s, '203.0.113.10', '203.0.113.10', { del: true, label: 'delete from the plain pool' });
      await range(s, '203.0.113.10', '203.0.113.10', { del: true, flags: NAT_IS_TWICE_NAT, label: 'delete from the twice-NAT pool' });
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED inside and outside interfaces',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await s.loopback('B');
      await feature(s, true, NAT_IS_INSIDE, s.if('A'), 'A inside');
      await feature(s, true, NAT_IS_INSIDE, s.if('A'), 'A inside again');
      await feature(s, true, NAT_IS_OUTSIDE, s.if('A'), 'A outside too');
      await feature(s, true, 0, s.if('B'), 'B with no flag');
      await feature(s, false, NAT_IS_OUTSIDE, s.if('A'), 'A not outside');
      await feature(s, false, NAT_IS_OUTSIDE, s.if('A'), 'A not outside again');
      await feature(s, false, NAT_IS_INSIDE, s.if('A'), 'A not inside');
      await feature(s, false, NAT_IS_INSIDE, s.if('B'), 'B not inside');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED output feature and its conflicts',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await s.loopback('B');
      await output(s, true, s.if('A'), 'A output');
      await output(s, true, s.if('A'), 'A output again');
      await feature(s, true, NAT_IS_INSIDE, s.if('A'), 'A inside while output');
      await feature(s, true, NAT_IS_INSIDE, s.if('B'), 'B inside');
      await output(s, true, s.if('B'), 'B output while inside');
      await output(s, false, s.if('A'), 'A output off');
      await output(s, false, s.if('A'), 'A output off again');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED output interface cursor stream',
    tables: [],
    async run(s) {
      await enable(s);
      await s.stream('nat44_ed_output_interface_get', {}, 'empty');
      for (const h of ['A', 'B', 'C', 'D']) {
        await s.loopback(h);
        await output(s, true, s.if(h), `${h} output`);
      }
      await s.stream('nat44_ed_output_interface_get', {}, 'four');
      await output(s, false, s.if('B'), 'B output off');
      await s.stream('nat44_ed_output_interface_get', {}, 'three, with a gap');
      await disable(s);
      await s.stream('nat44_ed_output_interface_get', {}, 'after disable');
    },
  },
  {
    name: 'NAT44-ED port static mappings: add, duplicate, delete',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await sm(s, { tag: 'vppkit-diff-web' }, 'add');
      await sm(s, { local_ip_address: '10.1.1.4' }, 'same external, other local');
      await sm(s, { external_port: 81 }, 'same local, other external');
      await sm(s, { external_port: 81, flags: NAT_IS_OUT2IN_ONLY }, 'same local, out2in-only');
      await sm(s, { protocol: 17 }, 'same ports, UDP');
      await sm(s, { is_add: false, local_ip_address: '10.9.9.9' }, 'delete by external, other local');
      await sm(s, { is_add: false }, 'delete again');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED static mappings with twice-NAT and tags, v1 and v2',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await sm(s, { flags: NAT_IS_TWICE_NAT, tag: 'vppkit-diff-twice' }, 'twice-NAT');
      await sm(s, { flags: NAT_IS_SELF_TWICE_NAT, external_port: 443, local_port: 8443, tag: 'vppkit-diff-self' }, 'self-twice-NAT');
      await sm(s, { external_port: 53, local_port: 5353, protocol: 17, tag: 'vppkit-diff-v1' }, 'v1', false);
      await sm(s, { flags: NAT_IS_TWICE_NAT | NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.7', local_ip_address: '10.1.1.7' }, 'twice-NAT address-only');
      await sm(s, { is_add: false, external_port: 53, protocol: 17 }, 'delete v1 via v2');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED address-only static mappings',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await sm(s, { flags: NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.5', local_ip_address: '10.1.1.5', protocol: 6, local_port: 1, external_port: 2 }, 'address-only with ports');
      await sm(s, { flags: NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.5', local_ip_address: '10.1.1.6' }, 'same external');
      await sm(s, { flags: NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.6', local_ip_address: '10.1.1.5' }, 'same local');
      await sm(s, { is_add: false, flags: NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.5', local_ip_address: '10.1.1.5' }, 'delete');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED disable clears everything; enable again starts empty',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await s.loopback('B');
      await range(s, '203.0.113.1', '203.0.113.2');
      await feature(s, true, NAT_IS_INSIDE, s.if('A'));
      await output(s, true, s.if('B'));
      await sm(s, { tag: 'vppkit-diff-web' });
      await disable(s);
      await enable(s, {}, 'enable again');
      await disable(s, 'disable again');
    },
  },
  {
    name: 'NAT44-ED interfaces deleted while NAT uses them',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await s.loopback('B');
      await feature(s, true, NAT_IS_INSIDE, s.if('A'));
      await output(s, true, s.if('B'));
      await s.call('delete_loopback', { sw_if_index: s.if('A') }, { label: 'delete the inside one' });
      await s.call('delete_loopback', { sw_if_index: s.if('B') }, { label: 'delete the output one' });
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED enabled with other tables',
    tables: ['nat'],
    leaves: 'IP table 4243, which NAT44-ED keeps locked after its disable',
    async run(s) {
      s.undoWith('ip_table_add_del', { is_add: false, table: { table_id: 4243, is_ip6: false, name: '' } });
      await s.call('ip_table_add_del', { is_add: true, table: { table_id: 4243, is_ip6: false, name: '' } });
      await enable(s, { inside_vrf: 4243, outside_vrf: 0 }, 'inside table 4243');
      await sm(s, { vrf_id: NONE, tag: 'vppkit-diff-vrf' }, 'mapping in the default inside table');
      await sm(s, { vrf_id: 4243, external_port: 81, tag: 'vppkit-diff-vrf2' }, 'mapping in 4243');
      await disable(s);
      await s.call('ip_table_add_del', { is_add: false, table: { table_id: 4243, is_ip6: false, name: '' } }, { label: 'delete table' });
      // The table outlives both: NAT's enable holds it until VPP stops (docs/guides/testing.md).
      await s.loopback('A');
      await s.call('sw_interface_set_table', { sw_if_index: s.if('A'), is_ipv6: false, vrf_id: 4243 }, { label: 'table 4243 still there' });
    },
  },
];

/** NAT44-ED scenarios at the edges: many output interfaces, interface-bound mappings, odd flags. */
export const natEdgeScenarios: Scenario[] = [
  {
    name: 'NAT44-ED output interface stream of 60 interfaces',
    tables: [],
    async run(s) {
      await enable(s);
      for (let n = 0; n < 60; n++) {
        await s.loopback(`L${n}`);
        await output(s, true, s.if(`L${n}`), `L${n} output`);
      }
      await s.stream('nat44_ed_output_interface_get', {}, 'sixty');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED feature flags: both roles at once, and the output feature on local0',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await feature(s, true, NAT_IS_INSIDE | NAT_IS_OUTSIDE, s.if('A'), 'inside and outside in one');
      await feature(s, false, NAT_IS_INSIDE | NAT_IS_OUTSIDE, s.if('A'), 'delete both in one');
      await output(s, true, 0, 'local0 output');
      await output(s, false, 0, 'local0 output off');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED static mapping bound to an interface\'s address',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await s.loopback('A');
      await sm(s, { external_sw_if_index: s.if('A'), external_ip_address: '0.0.0.0', tag: 'vppkit-diff-if' }, 'bound to A');
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED pool addresses that static mappings use',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await range(s, '203.0.113.1', '203.0.113.2', { label: 'pool' });
      await sm(s, { tag: 'vppkit-diff-web' }, 'mapping on a pool address');
      await sm(s, { external_ip_address: '203.0.113.2', flags: NAT_IS_ADDR_ONLY, local_ip_address: '10.1.1.9' }, 'address-only mapping on a pool address');
      await sm(s, { external_ip_address: '203.0.113.9', local_ip_address: '10.1.1.10', tag: 'vppkit-diff-other' }, 'mapping outside the pool');
      await range(s, '203.0.113.1', '203.0.113.1', { del: true, label: 'delete the port mapping\'s address' });
      await range(s, '203.0.113.2', '203.0.113.2', { del: true, label: 'delete the address-only mapping\'s address' });
      await range(s, '203.0.113.9', '203.0.113.9', { label: 'add the other mapping\'s address' });
      await disable(s);
    },
  },
  {
    name: 'NAT44-ED static mapping port edge cases',
    tables: ['nat'],
    async run(s) {
      await enable(s);
      await sm(s, { protocol: 1, local_port: 7, external_port: 7 }, 'ICMP with ids');
      await sm(s, { protocol: 0, local_port: 0, external_port: 0 }, 'protocol 0, port 0');
      await sm(s, { flags: NAT_IS_OUT2IN_ONLY, external_port: 90, local_port: 9090, tag: 'vppkit-diff-o2i' }, 'out2in-only');
      await sm(s, { flags: NAT_IS_SELF_TWICE_NAT | NAT_IS_ADDR_ONLY, external_ip_address: '203.0.113.8', local_ip_address: '10.1.1.8' }, 'self-twice-NAT address-only');
      await disable(s);
    },
  },
];
