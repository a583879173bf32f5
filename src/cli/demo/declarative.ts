/**
 * The demo's scenario as desired state (`vppkit demo --declarative`): the same pod egress path,
 * built by `apply` from what VPP should hold instead of step by step.
 *
 * @module
 */
import { ApplyError, type ApplyResult, type DesiredState, type InterfaceSpec, apply, formatApplyResult } from '../../desired/index.js';
import { CliError, EXIT } from '../command.js';
import { type DemoClient, SCENARIO, type ScenarioOptions } from './scenario.js';

/** The names the desired state gives the demo's objects (tagged `vppkit:<name>` in VPP). */
const NAMES = { pod: 'demo-pod', uplink: 'demo-uplink', podAcl: 'demo-pod-ingress', uplinkAcl: 'demo-uplink-egress' } as const;

/** The scenario as a desired state, on `uplink` (VPP's name of a NIC, or undefined for a loopback the demo owns). */
export function demoDesiredState(podInterface: 'tap' | 'memif', uplink: string | undefined): DesiredState {
  const pod: InterfaceSpec =
    podInterface === 'tap'
      ? { name: NAMES.pod, type: 'tap', enabled: true, ipAddresses: [SCENARIO.podGateway] }
      : { name: NAMES.pod, type: 'memif', enabled: true, ipAddresses: [SCENARIO.podGateway], memif: { id: 1, master: true } };
  const uplinkName = uplink ?? NAMES.uplink;
  const up: InterfaceSpec = { name: uplinkName, type: uplink === undefined ? 'loopback' : 'physical', enabled: true, ipAddresses: [SCENARIO.nodeAddress] };
  return {
    interfaces: [pod, up],
    acls: [
      { name: NAMES.podAcl, rules: [{ action: 'reflect', sourceNetwork: `${SCENARIO.podIp}/32` }], interfaces: { ingress: [NAMES.pod] } },
      {
        name: NAMES.uplinkAcl,
        rules: [{ action: 'permit', destinationNetwork: `${SCENARIO.server}/32`, protocol: 'tcp', destinationPort: { first: SCENARIO.serverPort, last: SCENARIO.serverPort } }],
        interfaces: { egress: [uplinkName] },
      },
    ],
    nat44: { enabled: true, interfaces: [{ name: uplinkName, outputFeature: true }], addressPool: [{ firstIp: SCENARIO.nodeIp }] },
  };
}

/** The uplink: `--uplink`, else the first GigabitEthernet interface, else none (a loopback). */
async function uplinkName(client: DemoClient, options: ScenarioOptions): Promise<string | undefined> {
  const all = await client.dump('sw_interface_dump', { name_filter_valid: false, name_filter: '' }).toArray();
  if (options.uplink !== undefined) {
    if (!all.some((i) => i.interface_name === options.uplink)) throw new CliError(`--uplink: VPP has no interface named "${options.uplink}" (it has ${all.map((i) => i.interface_name).join(', ')})`, EXIT.usage);
    return options.uplink;
  }
  return all.find((i) => i.interface_name.startsWith('GigabitEthernet'))?.interface_name;
}

/** One line per call an apply ran. */
function lines(result: ApplyResult): string[] {
  return result.outcomes.map((o) => `${o.status === 'done' ? '' : `${o.status}: `}${o.call.key}: ${o.call.summary}`);
}

function failed(result: ApplyResult): CliError {
  const tap = result.outcomes.some((o) => o.status === 'failed' && o.call.message === 'tap_create_v3');
  const hint = tap ? '\nVPP could not create the tap, most likely because it cannot open /dev/vhost-net; --pod-interface memif connects the pod without it.' : '';
  return new CliError(`apply failed:\n${formatApplyResult(result)}${hint}`, EXIT.vppError, { cause: result.error });
}

/** Applies the scenario's desired state; the calls it ran, or "no changes". */
export async function runDeclarative(client: DemoClient, options: ScenarioOptions): Promise<string[]> {
  const result = await apply(client, demoDesiredState(options.podInterface ?? 'tap', await uplinkName(client, options)));
  if (!result.ok) throw failed(result);
  return result.outcomes.length ? lines(result) : ['no changes: VPP already holds the desired state'];
}

/**
 * Removes what the desired state made: an apply of nothing, with NAT44-ED disabled, or, when
 * foreign NAT44 configuration is left, enabled with an empty pool.
 */
export async function cleanupDeclarative(client: DemoClient): Promise<string[]> {
  let result: ApplyResult;
  let note: string;
  try {
    result = await apply(client, { nat44: { enabled: false } });
    note = 'NAT44-ED disabled';
  } catch (err) {
    if (!(err instanceof ApplyError)) throw err;
    result = await apply(client, { nat44: { enabled: true } });
    note = 'left NAT44-ED enabled: other configuration uses it';
  }
  if (!result.ok) throw failed(result);
  return [...lines(result), note];
}
