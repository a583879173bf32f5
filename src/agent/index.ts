/**
 * `vppkit/agent`: a node agent that keeps one VPP at the desired state a controller writes into
 * etcd, in Ligato vpp-agent's key layout and JSON models (`/vnf-agent/<label>/config/vpp/v2/interfaces/<name>`,
 * `…/config/vpp/acls/v2/acl/<name>`, the NAT44 keys). It reconciles with `vppkit/desired`'s
 * `apply` on every change and periodically, and writes its status under `<prefix>vppkit/status/`.
 * Needs the `etcd3` package (an optional peer dependency).
 *
 * ```ts
 * import { startAgent } from 'vppkit/agent';
 *
 * await using agent = await startAgent({ socket: '/run/vpp/api.sock', etcd: 'http://127.0.0.1:2379', prefix: '/vnf-agent/node1/' });
 * console.log(agent.status().state); // 'starting', then 'in-sync' or 'failed'
 * ```
 *
 * @module vppkit/agent
 */
export { AgentError } from '../errors/index.js';
export { STATUS_PREFIX, startAgent } from './agent.js';
export type { Agent, AgentEvent, AgentOptions, AgentStatus, KeyStatus } from './agent.js';
export { KEY_LAYOUT } from './translate.js';
