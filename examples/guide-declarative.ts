/**
 * Declarative configuration (docs/guides/declarative-configuration.md): the pod egress path as a
 * desired state, planned, applied, checked for drift and repaired.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-declarative.ts
 */
import { connect } from 'vppkit';
import { type DesiredState, apply, formatApplyResult, formatPlan, plan } from 'vppkit/desired';

const client = await connect({ socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock' });
try {
  // The pod egress path: the pod behind a memif, the node's NIC as uplink, NAT44-ED on its output.
  const desired: DesiredState = {
    interfaces: [
      { name: 'pod', type: 'memif', enabled: true, ipAddresses: ['10.1.1.1/24'], memif: { id: 1, master: true } },
      { name: 'GigabitEthernet0/8/0', type: 'physical', enabled: true, ipAddresses: ['192.168.16.1/24'] },
    ],
    acls: [
      { name: 'pod-ingress', rules: [{ action: 'reflect', sourceNetwork: '10.1.1.3/32' }], interfaces: { ingress: ['pod'] } },
      {
        name: 'uplink-egress',
        rules: [{ action: 'permit', destinationNetwork: '31.134.97.51/32', protocol: 'tcp', destinationPort: { first: 80, last: 80 } }],
        interfaces: { egress: ['GigabitEthernet0/8/0'] },
      },
    ],
    nat44: {
      enabled: true,
      interfaces: [{ name: 'GigabitEthernet0/8/0', outputFeature: true }],
      addressPool: [{ firstIp: '192.168.16.1' }],
    },
  };

  const planned = await plan(client, desired);
  console.log(`${planned.calls.length} calls planned`);
  process.stderr.write(formatPlan(planned)); // the terraform-like printout

  const result = await apply(client, desired);
  if (!result.ok) throw new Error(formatApplyResult(result));
  console.log(`applied; then ${(await plan(client, desired)).calls.length} calls planned`);

  // Someone takes the pod's interface down by hand (vppctl set interface state … down).
  const [pod] = (await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray()).filter((i) => i.tag === 'vppkit:pod');
  await client.request('sw_interface_set_flags', { sw_if_index: pod!.sw_if_index, flags: 0 });
  const drift = await plan(client, desired);
  console.log(`drift: ${drift.calls.map((c) => `${c.key}: ${c.summary}`).join('; ')}`);
  await apply(client, desired); // repairs it

  // An empty desired state removes what the reconciler owns; the NIC is released, NAT44 left as
  // it is (no nat44: nothing claimed). rollback: on a failure, undo what was done before it.
  const outcome = await apply(client, {}, { rollback: true });
  console.log(`removed what it owned: ${outcome.ok}, ${outcome.outcomes.length} calls`);
} finally {
  await client.close();
}
