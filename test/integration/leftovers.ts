/**
 * What lets each integration file run again and again against the same VPP: it tags what it makes
 * (`vppkit-it-<file>-…`), removes what an earlier run that crashed left under its tags before it
 * starts, and leaves NAT44-ED as it found it.
 */
import type { Client } from '../../src/client/index.js';

const NONE = 0xffffffff;

/** Deletes the loopbacks whose tag starts with `prefix`; returns how many. */
export async function deleteTaggedLoopbacks(vpp: Client, prefix: string): Promise<number> {
  const all = await vpp.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
  const ours = all.filter((i) => i.tag.startsWith(prefix) && i.interface_name.startsWith('loop'));
  for (const i of ours) await vpp.request('delete_loopback', { sw_if_index: i.sw_if_index });
  return ours.length;
}

/** Creates a loopback tagged `tag`; returns its sw_if_index. */
export async function createTaggedLoopback(vpp: Client, tag: string, mac = '00:00:00:00:00:00'): Promise<number> {
  const { sw_if_index } = await vpp.request('create_loopback', { mac_address: mac });
  await vpp.request('sw_interface_tag_add_del', { is_add: true, sw_if_index, tag });
  return sw_if_index;
}

/** Takes the ACLs whose tag starts with `prefix` off every interface and deletes them; returns how many. */
export async function deleteTaggedAcls(vpp: Client, prefix: string): Promise<number> {
  const ours = (await vpp.dump('acl_dump', { acl_index: NONE }).toArray()).filter((a) => a.tag.startsWith(prefix)).map((a) => a.acl_index);
  if (ours.length === 0) return 0;
  for (const list of await vpp.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray()) {
    for (const [at, acl_index] of list.acls.entries()) {
      if (ours.includes(acl_index)) await vpp.request('acl_interface_add_del', { is_add: false, is_input: at < list.n_input, sw_if_index: list.sw_if_index, acl_index });
    }
  }
  for (const acl_index of ours) await vpp.request('acl_del', { acl_index });
  return ours.length;
}

/** Whether NAT44-ED is enabled: its running config's `sessions` is 0 exactly while it is not. */
export async function natEnabled(vpp: Client): Promise<boolean> {
  return (await vpp.request('nat44_show_running_config', {})).sessions !== 0;
}

const NAT_OFF = { inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 } as const;

/**
 * Enables NAT44-ED unless it is on already; returns whether it did. A file that enabled it
 * disables it afterwards (which clears every NAT44-ED setting); one that found it on removes
 * only what it added, and first what an earlier run of it left.
 */
export async function enableNat(vpp: Client): Promise<boolean> {
  if (await natEnabled(vpp)) return false;
  await vpp.request('nat44_ed_plugin_enable_disable', { enable: true, ...NAT_OFF });
  return true;
}

/** Disables NAT44-ED. */
export async function disableNat(vpp: Client): Promise<void> {
  await vpp.request('nat44_ed_plugin_enable_disable', { enable: false, ...NAT_OFF });
}

/** Adds (or removes) `ip` to NAT44-ED's pool, unless it is there (or absent) already. */
export async function setNatAddress(vpp: Client, ip: string, present: boolean): Promise<void> {
  const there = (await vpp.dump('nat44_address_dump', {}).toArray()).some((a) => a.ip_address === ip);
  if (there !== present) await vpp.request('nat44_add_del_address_range', { first_ip_address: ip, last_ip_address: ip, vrf_id: NONE, is_add: present, flags: 0 });
}

/** Turns NAT44-ED's output feature on (or off) on `sw_if_index`, unless it is so already. */
export async function setNatOutput(vpp: Client, sw_if_index: number, present: boolean): Promise<void> {
  const there = (await vpp.stream('nat44_ed_output_interface_get', {}).toArray()).some((o) => o.sw_if_index === sw_if_index);
  if (there !== present) await vpp.request('nat44_ed_add_del_output_interface', { is_add: present, sw_if_index });
}

/** Deletes the static mappings whose tag starts with `prefix`. */
export async function deleteTaggedStaticMappings(vpp: Client, prefix: string): Promise<void> {
  for (const m of await vpp.dump('nat44_static_mapping_dump', {}).toArray()) {
    if (!m.tag.startsWith(prefix)) continue;
    await vpp.request('nat44_add_del_static_mapping_v2', {
      is_add: false, match_pool: false, flags: m.flags, pool_ip_address: '0.0.0.0', local_ip_address: m.local_ip_address, external_ip_address: m.external_ip_address,
      protocol: m.protocol, local_port: m.local_port, external_port: m.external_port, external_sw_if_index: m.external_sw_if_index, vrf_id: m.vrf_id, tag: m.tag,
    });
  }
}
