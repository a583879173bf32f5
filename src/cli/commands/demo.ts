/**
 * `vppkit demo`: scripts Contiv-VPP's pod egress path (pod tap or memif with a reflective ACL, uplink with
 * a global ACL, NAT44-ED on the uplink's output) against the built-in VPP model, or a real VPP
 * with --socket, then prints what VPP reports.
 *
 * @module
 */
import { type VppModel, startVppModel } from '../../testing/index.js';
import { type Command, CliError, EXIT } from '../command.js';
import { withVpp } from '../connection.js';
import { cleanupDeclarative, runDeclarative } from '../demo/declarative.js';
import { type PodInterface, cleanupScenario, runScenario } from '../demo/scenario.js';
import { readState } from '../demo/state.js';
import { renderState } from '../demo/tables.js';

const POD_INTERFACES: readonly PodInterface[] = ['tap', 'memif'];

/** `vppkit demo [--pod-interface tap|memif] [--uplink NAME] [--cleanup]`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: "script a pod's egress path (tap or memif + reflective ACL, uplink ACL, NAT44-ED) and print the state",
  usage: [
    'demo [--socket PATH] [--pod-interface tap|memif] [--uplink NAME] [--declarative] [--cleanup] [--json]',
    '',
    'Without --socket (even with $VPP_API_SOCKET set) it runs against the built-in VPP 26.06 model;',
    'with --socket PATH it changes the real VPP there. A second run replaces rather than duplicates.',
    '  --pod-interface tap|memif  how the pod connects (default tap). A tap needs /dev/vhost-net, which',
    '                 containers and VMs often lack; a memif (socket vppkit-demo-pod.sock in VPP\'s runtime dir) does not',
    '  --uplink NAME  the uplink on a real VPP (default: the first GigabitEthernet interface, else a',
    '                 loopback the demo creates and tags vppkit-demo-uplink)',
    '  --declarative  build the same path as a desired state through apply (vppkit/desired): one',
    '                 call per difference, objects tagged vppkit:demo-…; the memif is on VPP\'s default socket',
    '  --cleanup      afterwards, remove what the demo made (this run or earlier ones, tap or memif) and print what is left',
  ].join('\n'),
  examples: ['vppkit demo', 'vppkit demo --json | jq .state.nat', 'sudo vppkit demo --socket /run/vpp/api.sock --uplink GigabitEthernet0/8/0', 'sudo vppkit demo --socket /run/vpp/api.sock --pod-interface memif', 'sudo vppkit demo --socket /run/vpp/api.sock --cleanup', 'vppkit demo --declarative --pod-interface memif'],
  options: { uplink: { type: 'string' }, cleanup: { type: 'boolean' }, 'pod-interface': { type: 'string' }, declarative: { type: 'boolean' } },
  async run({ values, global, io, signal }) {
    // The global --socket has a default; the demo touches a real VPP only when asked explicitly.
    const real = values.socket !== undefined;
    const podInterface = (values['pod-interface'] as string | undefined) ?? 'tap';
    if (!POD_INTERFACES.includes(podInterface as PodInterface)) throw new CliError(`--pod-interface must be tap or memif, got "${podInterface}"`);
    const options = { uplink: values.uplink as string | undefined, podInterface: podInterface as PodInterface };
    let model: VppModel | undefined;
    try {
      if (!real) model = await startVppModel();
      const socket = model?.socketPath ?? global.socket;
      const target = real ? { kind: 'vpp', socket } : { kind: 'simulator' };
      const result = await withVpp({ command: 'demo', global: { ...global, socket }, io, signal, definitions: 'local' }, async ({ client }) => {
        const declarative = values.declarative === true;
        const actions = declarative ? await runDeclarative(client, options) : await runScenario(client, options);
        const state = await readState(client);
        const cleanup = values.cleanup ? { actions: declarative ? await cleanupDeclarative(client) : await cleanupScenario(client, options), state: await readState(client) } : undefined;
        return { target, actions, state, ...(cleanup && { cleanup }) };
      });
      if (global.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const where = real ? `VPP at ${socket}` : 'the built-in VPP 26.06 model (no --socket given)';
        const parts = [`vppkit demo: pod 10.1.1.3 egress via NAT44-ED, against ${where}`, '', 'Steps:', ...result.actions.map((a) => `  - ${a}`), '', renderState(result.state)];
        if (result.cleanup) parts.push('', 'Cleanup:', ...result.cleanup.actions.map((a) => `  - ${a}`), '', renderState(result.cleanup.state));
        io.stdout.write(`${parts.join('\n')}\n`);
      }
      return EXIT.ok;
    } finally {
      await model?.close();
    }
  },
};
