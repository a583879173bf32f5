/**
 * IP addresses and prefixes as numbers, for the checks VPP makes: overlap, host bits, lengths.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An address or prefix as VPP holds it: family, value and length (host bits kept). */
export interface IpPrefix {
  readonly af: 4 | 6;
  readonly address: bigint;
  readonly len: number;
  /** As the codec gives it, e.g. `10.1.1.1/24`. */
  readonly text: string;
}

function ip4(text: string): bigint {
  return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function ip6(text: string): bigint {
  let groups = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ip4(v4[1]!);
    groups = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = groups.includes('::') ? groups.split('::') : [groups, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses `a.b.c.d` or an IPv6 address; undefined if it is neither. */
export function parseAddress(text: string): { af: 4 | 6; address: bigint } | undefined {
  if (isIPv4(text)) return { af: 4, address: ip4(text) };
  if (isIPv6(text)) return { af: 6, address: ip6(text) };
  return undefined;
}

/** Parses `address/len` as the codec gives prefixes; undefined if malformed. */
export function parsePrefix(text: string): IpPrefix | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const a = parseAddress(text.slice(0, slash));
  const len = Number(text.slice(slash + 1));
  if (!a || !Number.isInteger(len) || len < 0) return undefined;
  return { ...a, len, text };
}

/** Bits of an address of family `af`. */
export function maxLen(af: 4 | 6): number {
  return af === 4 ? 32 : 128;
}

function mask(af: 4 | 6, len: number): bigint {
  const bits = BigInt(maxLen(af));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(len))) - 1n);
}

/**
 * Whether VPP accepts `p` as a prefix (`ip4/6_prefix_validate`): length within the family's
 * and no host bits set beyond it.
 */
export function isValidPrefix(p: IpPrefix): boolean {
  return p.len <= maxLen(p.af) && (p.address & ~mask(p.af, p.len)) === 0n;
}

/** Whether `route` covers `address` (`ip4_destination_matches_route`). */
export function covers(route: IpPrefix, address: bigint): boolean {
  const m = mask(route.af, Math.min(route.len, maxLen(route.af)));
  return (route.address & m) === (address & m);
}

/** `n` as a dotted IPv4 address. */
export function ip4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

/** A dotted IPv4 address as a number. */
export function ip4Number(text: string): number {
  return Number(ip4(text));
}

/** Whether an IPv6 address is link-local unicast (fe80::/10). */
export function isLinkLocal(address: bigint): boolean {
  return address >> 118n === 0x3fan;
}

/** The link-local address VPP derives from a MAC when IPv6 comes up on an interface: fe80:: with its EUI-64. */
export function linkLocalFromMac(mac: string): IpPrefix {
  const b = mac.split(':').map((x) => BigInt(parseInt(x, 16)));
  const eui = [b[0]! ^ 2n, b[1]!, b[2]!, 0xffn, 0xfen, b[3]!, b[4]!, b[5]!].reduce((n, x) => (n << 8n) | x, 0n);
  return { af: 6, address: (0xfe80n << 112n) | eui, len: 128, text: '' };
}
