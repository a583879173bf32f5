/**
 * Prints every ACL with its rules, and where each is applied.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/dump-acls.ts
 */
import { connect } from 'vppkit/client';

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
try {
  const names = new Map<number, string>();
  for (const i of await client.dump('sw_interface_dump').toArray()) names.set(i.sw_if_index, i.interface_name);

  // ~0 asks for every ACL: acl_dump has no default for it.
  const acls = await client.dump('acl_dump', { acl_index: 0xffffffff }).toArray();
  const applied = await client.dump('acl_interface_list_dump', { sw_if_index: 0xffffffff }).toArray();
  console.log(`${acls.length} ACL(s)`);
  for (const acl of acls) {
    const where = applied.flatMap((a) => a.acls.flatMap((index, at) => (index === acl.acl_index ? [`${names.get(a.sw_if_index)} ${at < a.n_input ? 'in' : 'out'}`] : [])));
    console.log(`ACL ${acl.acl_index} "${acl.tag}" on ${where.join(', ') || 'no interface'}`);
    for (const r of acl.r) {
      const action = ['deny', 'permit', 'permit+reflect'][r.is_permit];
      console.log(`  ${action} proto ${r.proto} ${r.src_prefix} -> ${r.dst_prefix} dport ${r.dstport_or_icmpcode_first}-${r.dstport_or_icmpcode_last}`);
    }
  }
} finally {
  await client.close();
}
