/**
 * Neutral defaults: for fields VPP's `.api.json` gives no default, the value VPP's own handler
 * treats as "not given" (a `_set`/`_valid` flag off and the value it guards, a zero MAC that makes
 * VPP pick one, ~0 for "no interface"). The parser makes each the field's `default`, so a common
 * call can leave them out and the generated input types mark them optional. A field with no
 * default and no neutral value must still be given: leaving it out is an error, never a silent 0.
 *
 * @module
 */
import { U32_NONE } from './model.js';

const ZERO_MAC = '00:00:00:00:00:00';

/** Per message, per field: the neutral value, in the form the codec takes. Why, in each comment. */
export const NEUTRAL_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // The name filter is read only when name_filter_valid is set.
  sw_interface_dump: { name_filter_valid: false, name_filter: '' },
  // A zero MAC makes VPP assign one (de:ad:00:00:00:NN).
  create_loopback: { mac_address: ZERO_MAC },
  // Likewise; user_instance is read only when is_specified is set.
  create_loopback_instance: { mac_address: ZERO_MAC, is_specified: false, user_instance: 0 },
  // del_all removes every address first; false only adds or deletes the one given.
  sw_interface_add_del_address: { del_all: false },
  // mac_address is read only when use_random_mac is off (its default is on); each host_* value
  // only when its host_*_set flag is; no tap_flags is a plain tap; the tag is only a label.
  tap_create_v3: {
    mac_address: ZERO_MAC,
    host_mtu_set: false,
    host_mtu_size: 0,
    host_mac_addr_set: false,
    host_mac_addr: ZERO_MAC,
    host_ip4_prefix_set: false,
    host_ip4_prefix: '0.0.0.0/0',
    host_ip6_prefix_set: false,
    host_ip6_prefix: '::/0',
    host_ip4_gw_set: false,
    host_ip4_gw: '0.0.0.0',
    host_ip6_gw_set: false,
    host_ip6_gw: '::',
    tap_flags: 0,
    host_namespace_set: false,
    host_namespace: '',
    host_if_name_set: false,
    host_if_name: '',
    host_bridge_set: false,
    host_bridge: '',
    tag: '',
  },
  // Zero sessions and session memory take NAT44-ED's own defaults; VRF 0 is the default table.
  nat44_ed_plugin_enable_disable: { inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 },
  // ~0: the external address is given as an address, not taken from an interface; the pool
  // address is read only when match_pool is set.
  nat44_add_del_static_mapping: { external_sw_if_index: U32_NONE, tag: '' },
  nat44_add_del_static_mapping_v2: { external_sw_if_index: U32_NONE, match_pool: false, pool_ip_address: '0.0.0.0', tag: '' },
};

/** The neutral default of `field` of `message`, if it has one. */
export function neutralDefault(message: string, field: string): unknown {
  return NEUTRAL_DEFAULTS[message]?.[field];
}
