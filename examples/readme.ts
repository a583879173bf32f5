// The README's example: a reflective ACL on an interface's input, read back.
//   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/readme.ts
import { VppApiError, connect } from 'vppkit';
import { AclAction, type AclRuleInit } from 'vppkit/acl_types';

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
const rule: AclRuleInit = { // the pod may open TCP to port 80; REFLECT lets the replies back in
  is_permit: AclAction.ACL_ACTION_API_PERMIT_REFLECT, proto: 6, tcp_flags_mask: 0, tcp_flags_value: 0,
  src_prefix: '10.1.1.3/32', srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535,
  dst_prefix: '0.0.0.0/0', dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80,
};
try {
  const { acl_index } = await client.request('acl_add_replace', { acl_index: 0xffffffff, tag: 'pod', r: [rule] });
  await client.request('acl_interface_add_del', { is_add: true, is_input: true, sw_if_index: 1, acl_index });
  for await (const acl of client.dump('acl_dump', { acl_index })) console.log(`ACL ${acl.acl_index}: ${acl.tag}`);
} catch (err) {
  if (!(err instanceof VppApiError)) throw err;
  console.error(`VPP refused: ${err.message}`); // err.code -2, err.symbol 'INVALID_SW_IF_INDEX'
} finally {
  await client.close();
}
