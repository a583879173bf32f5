/**
 * Testing your control plane (docs/guides/testing.md): a function that configures VPP, tested
 * against the stateful VPP model and the protocol simulator, with faults. Needs no VPP.
 *
 *   node --import tsx examples/guide-testing.ts
 */
import assert from 'node:assert/strict';
import { type Client, TimeoutError, VppApiError, connect } from 'vppkit';
import { AclAction, type AclRuleInit } from 'vppkit/acl_types';
import { VppSimulator, startVppModel } from 'vppkit/testing';

/** The code under test: makes sure the ACL tagged `tag` exists with `rules`; returns its index. */
async function ensureAcl(client: Client, tag: string, rules: AclRuleInit[]): Promise<number> {
  const acls = await client.dump('acl_dump', { acl_index: 0xffffffff }).toArray();
  const existing = acls.find((a) => a.tag === tag);
  const { acl_index } = await client.request('acl_add_replace', { acl_index: existing?.acl_index ?? 0xffffffff, tag, r: rules });
  return acl_index;
}

const web: AclRuleInit = {
  is_permit: AclAction.ACL_ACTION_API_PERMIT, src_prefix: '0.0.0.0/0', dst_prefix: '31.134.97.51/32', proto: 6,
  srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80,
  tcp_flags_mask: 0, tcp_flags_value: 0,
};

// The model: VPP 26.06's interfaces, ACL plugin and NAT44-ED, with their state and return codes.
const vpp = await startVppModel();
const client = await connect({ socket: vpp.socketPath });
const first = await ensureAcl(client, 'web', [web]);
assert.equal(await ensureAcl(client, 'web', [web, web]), first); // replaced, not duplicated
assert.equal(vpp.acl.acls.size, 1);
assert.equal(vpp.acl.acls.get(first)?.rules.length, 2);
await assert.rejects(ensureAcl(client, 'bad', [{ ...web, dst_prefix: '31.134.97.51/24' }]), (err) => err instanceof VppApiError && err.symbol === 'INVALID_DST_ADDRESS');
await client.close();
await vpp.close();

// The simulator: every answer is yours to script, and faults are one call each.
const sim = await VppSimulator.start();
sim.handle('acl_dump', () => [{ acl_index: 7, tag: 'web', r: [] }]);
sim.handle('acl_add_replace', (req) => ({ acl_index: req.acl_index }));
const c = await connect({ socket: sim.socketPath, callTimeout: 200 });
assert.equal(await ensureAcl(c, 'web', [web]), 7);
assert.equal(sim.count('acl_add_replace'), 1);

sim.dropNext('acl_add_replace'); // VPP never answers it
await assert.rejects(ensureAcl(c, 'web', [web]), TimeoutError);

sim.handle('acl_add_replace', () => -6); // a retval
await assert.rejects(ensureAcl(c, 'web', [web]), VppApiError);
await c.close();
await sim.close();
console.log('ensureAcl: all checks passed');
