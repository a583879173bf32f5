/**
 * The node agent (docs/guides/node-agent.md): an agent for one VPP fed from etcd, until its first
 * reconcile; prints the state it reached and each key that is not applied.
 *
 *   ETCD_URL=http://127.0.0.1:2379 VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-agent.ts
 */
import { startAgent } from 'vppkit/agent';

const etcdUrl = process.env.ETCD_URL ?? 'http://127.0.0.1:2379';

await using agent = await startAgent({
  socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock',
  etcd: etcdUrl,
  prefix: '/vnf-agent/node1/',
  onEvent: (e) => console.log(`${e.kind} r${e.revision}: ${e.message}`),
});

const deadline = Date.now() + 30_000; // etcd or VPP unreachable: say so rather than wait forever
while (agent.status().state === 'starting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const { state, keys } = agent.status();
console.log(`state: ${state}`);
for (const [key, k] of Object.entries(keys)) if (k.state !== 'applied') console.log(`${key}: ${k.state}: ${k.reason}`);
