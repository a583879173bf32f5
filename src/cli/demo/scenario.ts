/**
 * The demo's scenario, Contiv-VPP's pod egress path, scripted through the public client only:
 * a pod behind a tap or a memif with a reflective ingress ACL, an uplink with a global egress ACL, and
 * NAT44-ED translating the pod to the node's IP on the uplink's output.
 *
 * Every step looks first (dumps, tags) and changes only what differs, so a second run replaces
 * rather than duplicates; {@link cleanupScenario} removes what the steps made.
 *
 * @module
 */
import { type Client, VppApiError } from '../../client/index.js';
import { AclAction, type AclRuleInit } from '../../gen/acl_types.js';
import type { Messages } from '../../gen/index.js';
import { IfStatusFlags } from '../../gen/interface_types.js';
import { MemifMode, MemifRole } from '../../gen/memif.js';
import { NatConfigFlags } from '../../gen/nat_types.js';
import { U32_NONE as NONE } from '../../schema/model.js';
import { CliError, EXIT } from '../command.js';

/** The addresses, ports and tags of the scenario. */
export const SCENARIO = {
  podIp: '10.1.1.3',
  /** VPP's side of the pod's link: the pod's gateway. */
  podGateway: '10.1.1.1/24',
  nodeIp: '192.168.16.1',
  /** The node's address on the uplink. */
  nodeAddress: '192.168.16.1/24',
  server: '31.134.97.51',
  serverPort: 80,
  /** The pod's memif socket; relative, so VPP puts it in its runtime directory (/run/vpp). */
  memifSocket: 'vppkit-demo-pod.sock',
  tags: {
    /** The pod's interface, tap or memif. */
    pod: 'vppkit-demo-pod',
    uplink: 'vppkit-demo-uplink',
    podAcl: 'vppkit-demo-pod-ingress',
    uplinkAcl: 'vppkit-demo-uplink-egress',
  },
} as const;

const ADMIN_UP = IfStatusFlags.IF_STATUS_API_FLAG_ADMIN_UP;

/** A client typed with the bundled bindings. */
export type DemoClient = Client<Messages>;

/** How the pod connects to VPP; Contiv-VPP uses either. */
export type PodInterface = 'tap' | 'memif';

/** Options of {@link runScenario} and {@link cleanupScenario}. */
export interface ScenarioOptions {
  /** The kind of interface {@link runScenario} creates for the pod. Default `tap`. */
  readonly podInterface?: PodInterface | undefined;
  /** The uplink's name. Default: the first GigabitEthernet interface, else a loopback the demo makes. */
  readonly uplink?: string | undefined;
}

/** The interfaces the scenario works on. */
interface Interfaces {
  readonly pod: { readonly swIfIndex: number; readonly name: string } | undefined;
  readonly uplink: { readonly swIfIndex: number; readonly name: string; readonly ours: boolean } | undefined;
}

/** The rules of the pod's ingress ACL: whatever the pod opens is permitted and its replies let back in. */
function podRules(): AclRuleInit[] {
  return [{
    is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT,
    src_prefix: `${SCENARIO.podIp}/32`,
    dst_prefix: '0.0.0.0/0',
    proto: 0,
    srcport_or_icmptype_first: 0,
    srcport_or_icmptype_last: 65535,
    dstport_or_icmpcode_first: 0,
    dstport_or_icmpcode_last: 65535,
    tcp_flags_mask: 0,
    tcp_flags_value: 0,
  }];
}

/** The uplink's global egress ACL: TCP to the server's port. (VPP ACLs end in an implicit deny.) */
function uplinkRules(): AclRuleInit[] {
  return [{
    is_permit: AclAction.ACL_ACTION_API_PERMIT,
    src_prefix: '0.0.0.0/0',
    dst_prefix: `${SCENARIO.server}/32`,
    proto: 6,
    srcport_or_icmptype_first: 0,
    srcport_or_icmptype_last: 65535,
    dstport_or_icmpcode_first: SCENARIO.serverPort,
    dstport_or_icmpcode_last: SCENARIO.serverPort,
    tcp_flags_mask: 0,
    tcp_flags_value: 0,
  }];
}

async function findInterfaces(client: DemoClient, options: ScenarioOptions): Promise<Interfaces> {
  const all = await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
  const found = all.find((i) => i.tag === SCENARIO.tags.pod);
  const pod = found && { swIfIndex: found.sw_if_index, name: found.interface_name };
  let uplink: Interfaces['uplink'];
  if (options.uplink !== undefined) {
    const named = all.find((i) => i.interface_name === options.uplink);
    if (!named) throw new CliError(`--uplink: VPP has no interface named "${options.uplink}" (it has ${all.map((i) => i.interface_name).join(', ')})`, EXIT.usage);
    uplink = { swIfIndex: named.sw_if_index, name: named.interface_name, ours: named.tag === SCENARIO.tags.uplink };
  } else {
    const found = all.find((i) => i.interface_name.startsWith('GigabitEthernet')) ?? all.find((i) => i.tag === SCENARIO.tags.uplink);
    if (found) uplink = { swIfIndex: found.sw_if_index, name: found.interface_name, ours: found.tag === SCENARIO.tags.uplink };
  }
  return { pod, uplink };
}

async function hasAddress(client: DemoClient, swIfIndex: number, prefix: string): Promise<boolean> {
  const addresses = await client.dump('ip_address_dump', { sw_if_index: swIfIndex, is_ipv6: false }).toArray();
  return addresses.some((a) => a.prefix === prefix);
}

async function aclsByTag(client: DemoClient): Promise<Map<string, number>> {
  const acls = await client.dump('acl_dump', { acl_index: NONE }).toArray();
  return new Map(acls.map((a) => [a.tag, a.acl_index]));
}

async function natEnabled(client: DemoClient): Promise<boolean> {
  // The running config has no "enabled" field; sessions is 0 exactly while NAT44-ED is disabled.
  return (await client.request('nat44_show_running_config')).sessions !== 0;
}

async function isOutputInterface(client: DemoClient, swIfIndex: number): Promise<boolean> {
  const outputs = await client.stream('nat44_ed_output_interface_get', {}).toArray();
  return outputs.some((o) => o.sw_if_index === swIfIndex);
}

/** A tap for the pod, tagged; VPP's -11 (it could not open /dev/vhost-net) becomes an error that says so. */
async function createPodTap(client: DemoClient): Promise<number> {
  try {
    const tap = await client.request('tap_create_v3', {
      id: NONE, use_random_mac: true, mac_address: '00:00:00:00:00:00',
      host_mtu_set: false, host_mtu_size: 0, host_mac_addr_set: false, host_mac_addr: '00:00:00:00:00:00',
      host_ip4_prefix_set: false, host_ip4_prefix: '0.0.0.0/0', host_ip6_prefix_set: false, host_ip6_prefix: '::/0',
      host_ip4_gw_set: false, host_ip4_gw: '0.0.0.0', host_ip6_gw_set: false, host_ip6_gw: '::',
      tap_flags: 0, host_namespace_set: false, host_namespace: '', host_if_name_set: false, host_if_name: '',
      host_bridge_set: false, host_bridge: '', tag: SCENARIO.tags.pod,
    });
    return tap.sw_if_index;
  } catch (err) {
    if (!(err instanceof VppApiError) || err.symbol !== 'SYSCALL_ERROR_1') throw err;
    throw new CliError(
      `${err.message}: VPP could not create the tap, most likely because it cannot open /dev/vhost-net (common in containers and VMs; ` +
        'in Docker, start VPP\'s container with --device /dev/vhost-net). --pod-interface memif connects the pod without it.',
      EXIT.vppError,
      { cause: err },
    );
  }
}

/** The id of the demo's memif socket, added unless an earlier run left it. */
async function podMemifSocket(client: DemoClient): Promise<number> {
  const sockets = await client.dump('memif_socket_filename_dump').toArray();
  const ours = sockets.find((s) => s.socket_filename.endsWith(`/${SCENARIO.memifSocket}`));
  if (ours) return ours.socket_id;
  return (await client.request('memif_socket_filename_add_del_v2', { is_add: true, socket_id: NONE, socket_filename: SCENARIO.memifSocket })).socket_id;
}

/** A memif for the pod, VPP the master (the pod connects to its socket), tagged. */
async function createPodMemif(client: DemoClient): Promise<number> {
  const socket_id = await podMemifSocket(client);
  const { sw_if_index } = await client.request('memif_create', {
    role: MemifRole.MEMIF_ROLE_API_MASTER, mode: MemifMode.MEMIF_MODE_API_ETHERNET, rx_queues: 1, tx_queues: 1, id: 0, socket_id,
    ring_size: 0, buffer_size: 0, no_zero_copy: false, hw_addr: '00:00:00:00:00:00', secret: '',
  });
  await client.request('sw_interface_tag_add_del', { is_add: true, sw_if_index, tag: SCENARIO.tags.pod });
  return sw_if_index;
}

/** Sets up the scenario; returns what it did, one line per step. */
export async function runScenario(client: DemoClient, options: ScenarioOptions = {}): Promise<string[]> {
  const done: string[] = [];
  const found = await findInterfaces(client, options);
  const pod = found.pod;
  let uplink = found.uplink;

  let podIndex: number;
  if (pod === undefined) {
    const kind = options.podInterface ?? 'tap';
    podIndex = kind === 'memif' ? await createPodMemif(client) : await createPodTap(client);
    done.push(`created the pod's ${kind} (sw_if_index ${podIndex})`);
  } else {
    podIndex = pod.swIfIndex;
    done.push(`kept the pod's ${pod.name.startsWith('memif') ? 'memif' : 'tap'} (sw_if_index ${podIndex})`);
  }

  if (!uplink) {
    const loop = await client.request('create_loopback', { mac_address: '00:00:00:00:00:00' });
    await client.request('sw_interface_tag_add_del', { is_add: true, sw_if_index: loop.sw_if_index, tag: SCENARIO.tags.uplink });
    uplink = { swIfIndex: loop.sw_if_index, name: `sw_if_index ${loop.sw_if_index}`, ours: true };
    done.push(`no GigabitEthernet interface: created a loopback as the uplink (sw_if_index ${loop.sw_if_index})`);
  } else done.push(`uplink: ${uplink.name} (sw_if_index ${uplink.swIfIndex})`);

  for (const [swIfIndex, prefix] of [[podIndex, SCENARIO.podGateway], [uplink.swIfIndex, SCENARIO.nodeAddress]] as const) {
    await client.request('sw_interface_set_flags', { sw_if_index: swIfIndex, flags: ADMIN_UP });
    if (await hasAddress(client, swIfIndex, prefix)) done.push(`kept ${prefix} on sw_if_index ${swIfIndex}`);
    else {
      await client.request('sw_interface_add_del_address', { sw_if_index: swIfIndex, is_add: true, del_all: false, prefix });
      done.push(`added ${prefix} to sw_if_index ${swIfIndex}`);
    }
  }

  const tags = await aclsByTag(client);
  for (const [tag, rules, swIfIndex, isInput] of [
    [SCENARIO.tags.podAcl, podRules(), podIndex, true],
    [SCENARIO.tags.uplinkAcl, uplinkRules(), uplink.swIfIndex, false],
  ] as const) {
    const existing = tags.get(tag);
    const { acl_index } = await client.request('acl_add_replace', { acl_index: existing ?? NONE, tag, r: rules });
    done.push(`${existing === undefined ? 'created' : 'replaced'} ACL ${acl_index} "${tag}"`);
    const [applied] = await client.dump('acl_interface_list_dump', { sw_if_index: swIfIndex }).toArray();
    const list = isInput ? applied?.acls.slice(0, applied.n_input) : applied?.acls.slice(applied.n_input);
    const direction = isInput ? 'input' : 'output';
    if (list?.includes(acl_index)) done.push(`kept ACL ${acl_index} on sw_if_index ${swIfIndex} ${direction}`);
    else {
      await client.request('acl_interface_add_del', { is_add: true, is_input: isInput, sw_if_index: swIfIndex, acl_index });
      done.push(`applied ACL ${acl_index} to sw_if_index ${swIfIndex} ${direction}`);
    }
  }

  if (await natEnabled(client)) done.push('kept NAT44-ED enabled');
  else {
    await client.request('nat44_ed_plugin_enable_disable', { enable: true, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
    done.push('enabled NAT44-ED');
  }
  const pool = await client.dump('nat44_address_dump').toArray();
  if (pool.some((a) => a.ip_address === SCENARIO.nodeIp && !(a.flags & NatConfigFlags.NAT_IS_TWICE_NAT))) done.push(`kept ${SCENARIO.nodeIp} in the NAT pool`);
  else {
    await client.request('nat44_add_del_address_range', { first_ip_address: SCENARIO.nodeIp, last_ip_address: SCENARIO.nodeIp, vrf_id: NONE, is_add: true, flags: 0 });
    done.push(`added ${SCENARIO.nodeIp} to the NAT pool`);
  }
  if (await isOutputInterface(client, uplink.swIfIndex)) done.push(`kept the NAT output feature on sw_if_index ${uplink.swIfIndex}`);
  else {
    await client.request('nat44_ed_add_del_output_interface', { is_add: true, sw_if_index: uplink.swIfIndex });
    done.push(`enabled the NAT output feature on sw_if_index ${uplink.swIfIndex}`);
  }
  return done;
}

/**
 * Removes what {@link runScenario} made (on this run or an earlier one): NAT output feature and
 * pool address (and NAT itself when nothing else is left in it), the ACLs wherever applied, the
 * pod's tap or memif (and the memif's socket), and the uplink's address, or the uplink itself if the demo made it.
 */
export async function cleanupScenario(client: DemoClient, options: ScenarioOptions = {}): Promise<string[]> {
  const done: string[] = [];
  const { pod, uplink } = await findInterfaces(client, options);

  if (await natEnabled(client)) {
    if (uplink && (await isOutputInterface(client, uplink.swIfIndex))) {
      await client.request('nat44_ed_add_del_output_interface', { is_add: false, sw_if_index: uplink.swIfIndex });
      done.push(`removed the NAT output feature from sw_if_index ${uplink.swIfIndex}`);
    }
    const pool = await client.dump('nat44_address_dump').toArray();
    if (pool.some((a) => a.ip_address === SCENARIO.nodeIp && !(a.flags & NatConfigFlags.NAT_IS_TWICE_NAT))) {
      await client.request('nat44_add_del_address_range', { first_ip_address: SCENARIO.nodeIp, last_ip_address: SCENARIO.nodeIp, vrf_id: NONE, is_add: false, flags: 0 });
      done.push(`removed ${SCENARIO.nodeIp} from the NAT pool`);
    }
    const left = [
      ...(await client.dump('nat44_address_dump').toArray()),
      ...(await client.dump('nat44_interface_dump').toArray()),
      ...(await client.stream('nat44_ed_output_interface_get', {}).toArray()),
      ...(await client.dump('nat44_static_mapping_dump').toArray()),
    ];
    // NAT44-ED is off after VPP starts: with nothing else configured, the demo enabled it.
    if (left.length === 0) {
      await client.request('nat44_ed_plugin_enable_disable', { enable: false, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 });
      done.push('disabled NAT44-ED (nothing else used it)');
    } else done.push('left NAT44-ED enabled: other configuration uses it');
  }

  const tags = await aclsByTag(client);
  const applied = await client.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray();
  for (const tag of [SCENARIO.tags.podAcl, SCENARIO.tags.uplinkAcl]) {
    const acl = tags.get(tag);
    if (acl === undefined) continue;
    for (const a of applied) {
      for (const [at, index] of a.acls.entries()) {
        if (index !== acl) continue;
        await client.request('acl_interface_add_del', { is_add: false, is_input: at < a.n_input, sw_if_index: a.sw_if_index, acl_index: acl });
      }
    }
    await client.request('acl_del', { acl_index: acl });
    done.push(`deleted ACL ${acl} "${tag}"`);
  }

  if (pod?.name.startsWith('memif')) {
    await client.request('memif_delete', { sw_if_index: pod.swIfIndex });
    done.push(`deleted the pod's memif (sw_if_index ${pod.swIfIndex})`);
  } else if (pod !== undefined) {
    await client.request('tap_delete_v2', { sw_if_index: pod.swIfIndex });
    done.push(`deleted the pod's tap (sw_if_index ${pod.swIfIndex})`);
  }
  for (const s of await client.dump('memif_socket_filename_dump').toArray()) {
    if (!s.socket_filename.endsWith(`/${SCENARIO.memifSocket}`)) continue;
    await client.request('memif_socket_filename_add_del_v2', { is_add: false, socket_id: s.socket_id, socket_filename: '' });
    done.push(`deleted the pod's memif socket ${s.socket_filename} (socket_id ${s.socket_id})`);
  }
  if (uplink?.ours) {
    await client.request('delete_loopback', { sw_if_index: uplink.swIfIndex });
    done.push(`deleted the demo's uplink loopback (sw_if_index ${uplink.swIfIndex})`);
  } else if (uplink && (await hasAddress(client, uplink.swIfIndex, SCENARIO.nodeAddress))) {
    await client.request('sw_interface_add_del_address', { sw_if_index: uplink.swIfIndex, is_add: false, del_all: false, prefix: SCENARIO.nodeAddress });
    done.push(`removed ${SCENARIO.nodeAddress} from ${uplink.name} (its admin state is left as it is)`);
  }
  return done;
}
