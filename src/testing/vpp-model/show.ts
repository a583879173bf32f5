/**
 * `cli_inband` for the common `show` commands, answered from the model's state in VPP 26.06's
 * text format (the layouts were read off a running 26.06). Any other command gets the model's
 * unmodelled answer (-9 by default).
 *
 * @module
 */
import type { Messages } from '../../gen/index.js';
import type { CliInband } from '../../gen/vlib.js';
import { AclAction } from '../../gen/acl_types.js';
import { NatConfigFlags } from '../../gen/nat_types.js';
import type { Fields } from '../handler-types.js';
import type { SimCall } from '../sim-call.js';
import type { VppSimulator } from '../simulator.js';
import type { AclState } from './acl.js';
import { on } from './handle.js';
import type { InterfaceTable, SwInterface } from './interfaces.js';
import type { Nat44State } from './nat44.js';
import { NONE } from './retvals.js';

/** The state the answers come from. */
export interface ShowState {
  readonly interfaces: InterfaceTable;
  readonly acl: AclState;
  readonly nat44: Nat44State;
}

/** A command's text, or undefined when the model does not answer it. */
type Show = (state: ShowState, args: readonly string[]) => string | undefined;

/** VPP's `%=Ns`: centred, the odd space on the left. */
function centre(text: string, width: number): string {
  const pad = Math.max(0, width - text.length);
  return ' '.repeat(Math.ceil(pad / 2)) + text + ' '.repeat(Math.floor(pad / 2));
}

/** The interfaces named in `args`, or all of them; undefined if a name is unknown. */
function pick(state: ShowState, args: readonly string[]): SwInterface[] | undefined {
  if (args.length === 0) return state.interfaces.list();
  const found = args.map((n) => state.interfaces.byName(n));
  return found.every((i) => i !== undefined) ? (found as SwInterface[]) : undefined;
}

/** `show interface [NAME…]`, without counters: the model counts no packets. */
const showInterface: Show = (state, args) => {
  const list = pick(state, args);
  if (!list) return undefined;
  const header = centre('Name', 32) + centre('Idx', 5) + centre('State', 10) + centre('MTU (L3/IP4/IP6/MPLS)', 21) + centre('Counter', 16) + centre('Count', 16);
  const rows = list.map((i) => i.name.padEnd(32) + centre(String(i.swIfIndex), 5) + centre(i.adminUp ? 'up' : 'down', 10) + centre(i.mtu.join('/'), 21));
  return [header, ...rows].map((l) => `${l}\n`).join('');
};

/** `show interface address [NAME…]`: IPv4 addresses, then IPv6, each in the order added. */
const showInterfaceAddress: Show = (state, args) => {
  const list = pick(state, args);
  if (!list) return undefined;
  return list
    .flatMap((i) => [`${i.name} (${i.adminUp ? 'up' : 'dn'}):`, ...[4, 6].flatMap((af) => i.addresses.filter((a) => a.af === af).map((a) => `  L3 ${a.text}`))])
    .map((l) => `${l}\n`)
    .join('');
};

const ACTION: Record<number, string> = { [AclAction.ACL_ACTION_API_DENY]: 'deny', [AclAction.ACL_ACTION_API_PERMIT]: 'permit', [AclAction.ACL_ACTION_API_PERMIT_REFLECT]: 'permit+reflect' };
const range = (first: number, last: number): string => (first === last ? String(first) : `${first}-${last}`);

/**
 * Interfaces with ACLs, input then output per interface in sw_if_index order: VPP's lookup
 * contexts. VPP numbers them in the order they were first used; the model in this order, which
 * is the same when ACLs are applied interface by interface.
 */
function lookupContexts(acl: AclState): { swIfIndex: number; acls: readonly number[] }[] {
  return [...acl.applied.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([swIfIndex, l]) => [l.input, l.output].filter((list) => list.length > 0).map((acls) => ({ swIfIndex, acls })));
}

/** `show acl-plugin acl [index N]`. */
const showAcl: Show = (state, args) => {
  let only: number | undefined;
  if (args.length > 0) {
    if (args.length !== 2 || args[0] !== 'index' || !/^\d+$/.test(args[1]!)) return undefined;
    only = Number(args[1]);
  }
  const applied = [...state.acl.applied.entries()].sort(([a], [b]) => a - b);
  const on = (dir: 'input' | 'output', i: number): number[] => applied.filter(([, l]) => l[dir].includes(i)).map(([s]) => s);
  // VPP keeps the interfaces per ACL in a vector grown to the highest ACL index applied in that
  // direction: ACLs up to it get the line, even empty; those past it do not.
  const top = (dir: 'input' | 'output'): number => Math.max(-1, ...applied.flatMap(([, l]) => l[dir]));
  const contexts = lookupContexts(state.acl);
  const lines: string[] = [];
  for (const [i, a] of state.acl.acls.entries()) {
    if (only !== undefined && i !== only) continue;
    lines.push(`acl-index ${i} count ${a.rules.length} tag {${a.tag}}`);
    a.rules.forEach((r, j) => {
      const family = r.src_prefix.includes(':') ? 'ipv6' : 'ipv4';
      const flags = r.tcp_flags_mask !== 0 || r.tcp_flags_value !== 0 ? ` tcpflags ${r.tcp_flags_value} mask ${r.tcp_flags_mask}` : '';
      const ports = `sport ${range(r.srcport_or_icmptype_first, r.srcport_or_icmptype_last)} dport ${range(r.dstport_or_icmpcode_first, r.dstport_or_icmpcode_last)}`;
      lines.push(`${String(j).padStart(11)}: ${family} ${ACTION[r.is_permit] ?? r.is_permit} src ${r.src_prefix} dst ${r.dst_prefix} proto ${r.proto} ${ports}${flags}`);
    });
    if (i <= top('input')) lines.push(`  applied inbound on sw_if_index: ${on('input', i).join(', ')}`);
    if (i <= top('output')) lines.push(`  applied outbound on sw_if_index: ${on('output', i).join(', ')}`);
    const used = contexts.flatMap((c, n) => (c.acls.includes(i) ? [n] : []));
    if (used.length > 0) lines.push(`  used in lookup context index: ${used.join(', ')}`);
  }
  return lines.map((l) => `${l}\n`).join('');
};

/** `show acl-plugin interface`: every sw_if_index up to the highest with ACLs. */
const showAclInterface: Show = (state, args) => {
  if (args.length > 0) return undefined;
  const withAcls = [...state.acl.applied.entries()].filter(([, l]) => l.input.length + l.output.length > 0);
  const top = Math.max(-1, ...withAcls.map(([s]) => s));
  const lines: string[] = [];
  for (let s = 0; s <= top; s++) {
    const l = state.acl.lists(s);
    lines.push(`sw_if_index ${s}:`);
    if (l.input.length > 0) lines.push(`  input acl(s): ${l.input.join(', ')}`);
    if (l.output.length > 0) lines.push(`  output acl(s): ${l.output.join(', ')}`);
  }
  return lines.map((l) => `${l}\n`).join('');
};

/** `show nat44 addresses`: the pool, then the twice-NAT pool. */
const showNatAddresses: Show = (state, args) => {
  if (args.length > 0 || !state.nat44.enabled) return undefined;
  const pool = (list: Nat44State['addresses']): string[] => list.flatMap((a) => [a.address, a.vrfId === NONE ? '  tenant VRF independent' : `  tenant VRF: ${a.vrfId}`]);
  return ['NAT44 pool addresses:', ...pool(state.nat44.addresses), 'NAT44 twice-nat pool addresses:', ...pool(state.nat44.twiceNatAddresses)].map((l) => `${l}\n`).join('');
};

/** `show nat44 interfaces`: inside/outside ones, then output-feature ones (which 26.06 prints as "in out"). */
const showNatInterfaces: Show = (state, args) => {
  if (args.length > 0 || !state.nat44.enabled) return undefined;
  const name = (s: number): string => state.interfaces.get(s)?.name ?? `sw_if_index ${s}`;
  const roles = (flags: number): string => [flags & NatConfigFlags.NAT_IS_INSIDE ? 'in' : '', flags & NatConfigFlags.NAT_IS_OUTSIDE ? 'out' : ''].filter(Boolean).join(' ');
  const lines = ['NAT44 interfaces:'];
  for (const [, r] of state.nat44.interfaces.entries()) lines.push(` ${name(r.swIfIndex)} ${roles(r.flags)}`);
  for (const [, s] of state.nat44.outputInterfaces.entries()) lines.push(` ${name(s)} output-feature in out`);
  return lines.map((l) => `${l}\n`).join('');
};

const PROTOCOL: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

/** `show nat44 static mappings`. */
const showNatStatic: Show = (state, args) => {
  if (args.length > 0 || !state.nat44.enabled) return undefined;
  const F = NatConfigFlags;
  const lines = ['NAT44 static mappings:'];
  for (const [, m] of state.nat44.staticMappings.entries()) {
    const twice = m.flags & F.NAT_IS_TWICE_NAT ? 'twice-nat' : m.flags & F.NAT_IS_SELF_TWICE_NAT ? 'self-twice-nat' : '';
    const only = m.flags & F.NAT_IS_OUT2IN_ONLY ? 'out2in-only' : '';
    const ends = m.flags & F.NAT_IS_ADDR_ONLY ? `local ${m.localAddress} external ${m.externalAddress}` : `${PROTOCOL[m.protocol] ?? m.protocol} local ${m.localAddress}:${m.localPort} external ${m.externalAddress}:${m.externalPort}`;
    lines.push(` ${ends} vrf ${m.vrfId} ${twice} ${only}`);
  }
  return lines.map((l) => `${l}\n`).join('');
};

/** The commands, longest first so `show interface address` wins over `show interface`. */
const COMMANDS: readonly (readonly [readonly string[], Show])[] = [
  [['show', 'interface', 'address'], showInterfaceAddress],
  [['show', 'interface'], showInterface],
  [['show', 'acl-plugin', 'acl'], showAcl],
  [['show', 'acl-plugin', 'interface'], showAclInterface],
  [['show', 'nat44', 'addresses'], showNatAddresses],
  [['show', 'nat44', 'interfaces'], showNatInterfaces],
  [['show', 'nat44', 'static', 'mappings'], showNatStatic],
];

/** Shortest abbreviations VPP's core CLI takes (`sh int addr`); the plugins' words must be whole. */
const ABBREVIATIONS: Readonly<Record<string, number>> = { show: 2, interface: 3, address: 4 };

function matches(word: string | undefined, keyword: string): boolean {
  if (word === undefined) return false;
  const min = ABBREVIATIONS[keyword];
  return min === undefined ? word === keyword : word.length >= min && keyword.startsWith(word);
}

/** The model's answer to command `cmd`: its text, or undefined when not modelled. */
export function showText(state: ShowState, cmd: string): string | undefined {
  const words = cmd.trim().split(/\s+/);
  for (const [keywords, show] of COMMANDS) {
    if (keywords.every((k, i) => matches(words[i], k))) return show(state, words.slice(keywords.length));
  }
  return undefined;
}

/** Answers `cli_inband` from the model's state, and anything else with `unmodelled`. */
export function installShow(sim: VppSimulator<Messages>, state: ShowState, unmodelled: (request: Fields, call: SimCall) => unknown): void {
  on<CliInband>(sim, 'cli_inband', (req, call) => {
    const reply = showText(state, req.cmd);
    return reply === undefined ? unmodelled(req as unknown as Fields, call) : { reply };
  });
}
