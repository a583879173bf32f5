/**
 * Type-level tests, checked by TypeScript 6 and 7 (test/types/diagnostics.test.ts). A line
 * `// error: TEXT` says the next line fails with a diagnostic containing TEXT; every other line
 * must compile.
 */
import { encode } from '../../src/codec/index.js';
import * as acl from '../../src/gen/acl.js';
import * as aclTypes from '../../src/gen/acl_types.js';
import * as iface from '../../src/gen/interface.js';
import type { DetailsOf, EventOf, InputOf, ReplyOf } from '../../src/schema/index.js';

const rule: aclTypes.AclRuleInit = {
  is_permit: aclTypes.AclAction.ACL_ACTION_API_PERMIT_REFLECT,
  src_prefix: '10.1.1.3/32',
  dst_prefix: '0.0.0.0/0',
  proto: 6,
  srcport_or_icmptype_first: 0,
  srcport_or_icmptype_last: 65535,
  dstport_or_icmpcode_first: 80,
  dstport_or_icmpcode_last: 80,
  tcp_flags_mask: 0,
  tcp_flags_value: 0,
};

// Count fields may be left out; the header is not part of the value (the client sets it).
export const request: InputOf<typeof acl.acl_add_replace> = { acl_index: 0xffffffff, tag: 'pod', r: [rule] };

// error: 'acl_indx' does not exist in type 'AclAddReplaceInit'
export const misspelled: InputOf<typeof acl.acl_add_replace> = { acl_index: 1, tag: 'x', r: [], acl_indx: 2 };

// error: Type '7' is not assignable to type 'AclAction'
export const badAction: aclTypes.AclRuleInit = { ...rule, is_permit: 7 };

// Any IP protocol number: ip_proto is an open number space (IP-in-IP is 4).
export const ipInIp: aclTypes.AclRuleInit = { ...rule, proto: 4 };

// @ts-expect-error a field with no default may not be left out
export const noIsInput: InputOf<typeof acl.acl_interface_add_del> = { sw_if_index: 1, acl_index: 0 };

declare const reply: ReplyOf<typeof acl.acl_add_replace>;
export const index: number = reply.acl_index;
// error: Type 'AclAddReplaceReply' is missing the following properties from type 'AclDetails'
export const wrongReply: acl.AclDetails = reply;

declare const details: DetailsOf<typeof acl.acl_dump>;
export const rules: acl.AclDetails['r'] = details.r;

declare const event: EventOf<typeof iface.want_interface_events>;
export const deleted: boolean = event.deleted;

// 64-bit integers are bigint when decoded.
declare const counters: iface.SwInterfaceDetails;
export const mtu: number[] = counters.mtu;

// The raw address form is a tagged union: af picks the arm.
export const raw: iface.SwInterfaceAddDelAddressInit = {
  sw_if_index: 1,
  is_add: true,
  del_all: false,
  prefix: { address: { af: 1, un: { ip6: '2001:db8::1' } }, len: 64 },
};
// error: 'ip6' does not exist in type
export const mismatched: iface.SwInterfaceAddDelAddressInit = { ...raw, prefix: { address: { af: 0, un: { ip6: '::1' } }, len: 64 } };

export const bytes: Uint8Array = encode(acl.acl_add_replace, request);
