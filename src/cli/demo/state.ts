/**
 * What the demo reads back from VPP through dumps: interfaces and their addresses, ACLs and where
 * they apply, NAT44-ED's pool and features.
 *
 * @module
 */
import type { AclRule } from '../../gen/acl_types.js';
import { NatConfigFlags } from '../../gen/nat_types.js';
import { U32_NONE as NONE } from '../../schema/model.js';
import type { DemoClient } from './scenario.js';

/** One interface. */
export interface InterfaceView {
  readonly sw_if_index: number;
  readonly name: string;
  readonly type: string;
  readonly admin_up: boolean;
  readonly link_up: boolean;
  readonly mac: string;
  readonly addresses: readonly string[];
  readonly tag: string;
}

/** One ACL, and where it is applied. */
export interface AclView {
  readonly index: number;
  readonly tag: string;
  readonly rules: readonly AclRule[];
  readonly applied_to: readonly { readonly sw_if_index: number; readonly direction: 'input' | 'output' }[];
}

/** NAT44-ED. */
export interface NatView {
  readonly enabled: boolean;
  readonly pool: readonly { readonly address: string; readonly vrf_id: number; readonly twice_nat: boolean }[];
  /** Inside/outside interfaces, and output-feature ones. */
  readonly features: readonly { readonly sw_if_index: number; readonly feature: 'inside' | 'outside' | 'inside+outside' | 'output' }[];
  readonly static_mappings: number;
}

/** Everything the demo shows. */
export interface DemoState {
  readonly interfaces: readonly InterfaceView[];
  readonly acls: readonly AclView[];
  readonly nat: NatView;
}

const { NAT_IS_INSIDE: INSIDE, NAT_IS_OUTSIDE: OUTSIDE } = NatConfigFlags;

/** Reads the state through dumps. */
export async function readState(client: DemoClient): Promise<DemoState> {
  const interfaces: InterfaceView[] = [];
  for (const i of await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()) {
    const addresses: string[] = [];
    for (const is_ipv6 of [false, true]) {
      for (const a of await client.dump('ip_address_dump', { sw_if_index: i.sw_if_index, is_ipv6 }).toArray()) addresses.push(a.prefix);
    }
    interfaces.push({ sw_if_index: i.sw_if_index, name: i.interface_name, type: i.interface_dev_type, admin_up: (i.flags & 1) !== 0, link_up: (i.flags & 2) !== 0, mac: i.l2_address, addresses, tag: i.tag });
  }

  const applied = await client.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray();
  const acls = (await client.dump('acl_dump', { acl_index: NONE }).toArray()).map((a) => ({
    index: a.acl_index,
    tag: a.tag,
    rules: a.r,
    applied_to: applied.flatMap((l) => l.acls.flatMap((acl, at) => (acl === a.acl_index ? [{ sw_if_index: l.sw_if_index, direction: at < l.n_input ? ('input' as const) : ('output' as const) }] : []))),
  }));

  const enabled = (await client.request('nat44_show_running_config')).sessions !== 0;
  const pool = (await client.dump('nat44_address_dump').toArray()).map((a) => ({ address: a.ip_address, vrf_id: a.vrf_id, twice_nat: (a.flags & 1) !== 0 }));
  const roles = (await client.dump('nat44_interface_dump').toArray()).map((n) => ({
    sw_if_index: n.sw_if_index,
    feature: n.flags & INSIDE && n.flags & OUTSIDE ? ('inside+outside' as const) : n.flags & INSIDE ? ('inside' as const) : ('outside' as const),
  }));
  const outputs = (await client.stream('nat44_ed_output_interface_get', {}).toArray()).map((o) => ({ sw_if_index: o.sw_if_index, feature: 'output' as const }));
  const static_mappings = (await client.dump('nat44_static_mapping_dump').toArray()).length;

  return { interfaces, acls, nat: { enabled, pool, features: [...roles, ...outputs], static_mappings } };
}
