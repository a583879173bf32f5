/**
 * The demo's state as readable text tables.
 *
 * @module
 */
import type { AclRule } from '../../gen/acl_types.js';
import { U32_NONE } from '../../schema/model.js';
import type { DemoState } from './state.js';

/** Column-aligned text: a title, a header row, and rows (or "(none)"). */
export function table(title: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const body = rows.length > 0 ? rows.map(line) : ['(none)'];
  return [title, line(headers), line(widths.map((w) => '-'.repeat(w))), ...body].join('\n');
}

const ACTIONS = ['deny', 'permit', 'permit+reflect'];
const PROTOCOLS: Record<number, string> = { 0: 'any', 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmp6' };

function ports(first: number, last: number): string {
  if (first === 0 && last === 65535) return '';
  return first === last ? `:${first}` : `:${first}-${last}`;
}

/** One rule as `permit tcp 0.0.0.0/0 -> 31.134.97.51/32:80`. */
export function ruleText(r: AclRule): string {
  const action = ACTIONS[r.is_permit] ?? `action ${r.is_permit}`;
  const proto = PROTOCOLS[r.proto] ?? `proto ${r.proto}`;
  const l4 = r.proto === 6 || r.proto === 17;
  const src = `${r.src_prefix}${l4 ? ports(r.srcport_or_icmptype_first, r.srcport_or_icmptype_last) : ''}`;
  const dst = `${r.dst_prefix}${l4 ? ports(r.dstport_or_icmpcode_first, r.dstport_or_icmpcode_last) : ''}`;
  return `${action} ${proto} ${src} -> ${dst}`;
}

/** Every table of the demo's state. */
export function renderState(state: DemoState): string {
  const name = (sw_if_index: number) => state.interfaces.find((i) => i.sw_if_index === sw_if_index)?.name ?? `sw_if_index ${sw_if_index}`;
  const interfaces = table(
    'Interfaces',
    ['idx', 'name', 'type', 'admin', 'link', 'mac', 'addresses', 'tag'],
    state.interfaces.map((i) => [String(i.sw_if_index), i.name, i.type, i.admin_up ? 'up' : 'down', i.link_up ? 'up' : 'down', i.mac, i.addresses.join(', ') || '-', i.tag || '-']),
  );
  const acls = table(
    'ACLs',
    ['acl', 'tag', 'rule', 'applied to'],
    state.acls.flatMap((a) => {
      const where = a.applied_to.map((w) => `${name(w.sw_if_index)} ${w.direction}`).join(', ') || '-';
      const rules = a.rules.length > 0 ? a.rules.map(ruleText) : ['(no rules)'];
      return rules.map((rule, n) => (n === 0 ? [String(a.index), a.tag || '-', `${n + 1}. ${rule}`, where] : ['', '', `${n + 1}. ${rule}`, '']));
    }),
  );
  const perInterface = table(
    'ACLs per interface',
    ['interface', 'direction', 'acls (in order)'],
    state.interfaces.flatMap((i) =>
      (['input', 'output'] as const).flatMap((direction) => {
        const list = state.acls.filter((a) => a.applied_to.some((w) => w.sw_if_index === i.sw_if_index && w.direction === direction));
        return list.length > 0 ? [[i.name, direction, list.map((a) => `${a.index} ${a.tag}`).join(', ')]] : [];
      }),
    ),
  );
  const nat = state.nat;
  const natPool = table('NAT44-ED pool', ['address', 'vrf', 'kind'], nat.pool.map((p) => [p.address, p.vrf_id === U32_NONE ? 'any' : String(p.vrf_id), p.twice_nat ? 'twice-nat' : 'normal']));
  const natFeatures = table('NAT44-ED interfaces', ['interface', 'feature'], nat.features.map((f) => [name(f.sw_if_index), f.feature]));
  const natLine = `NAT44-ED: ${nat.enabled ? 'enabled' : 'disabled'}, ${nat.static_mappings} static mapping${nat.static_mappings === 1 ? '' : 's'}`;
  return [interfaces, acls, perInterface, natLine, natPool, natFeatures].join('\n\n');
}
