/**
 * The desired-state reconciler at scale: plan and apply for 1,000 loopbacks (each with an
 * address, admin up), 1,000 ACLs of 10 rules (each on one interface's input) and 10,000 NAT44
 * static mappings, from empty and as a 1% change (one in a hundred of each changed), against the
 * VPP model and a real VPP. `--quick` uses 50 / 50 / 200.
 *
 * Each figure is one run (building the state takes seconds on a real VPP): the time, and the calls
 * (or, for a plan, the objects compared) per second.
 */
import { type Client, connect } from '../src/client/index.js';
import { type DesiredState, apply, plan } from '../src/desired/index.js';
import type { Messages } from '../src/gen/index.js';
import { startVppModel } from '../src/testing/index.js';
import { realVpp } from './client.js';
import { type Figure, quick } from './measure.js';

const SIZE = quick ? { interfaces: 50, acls: 50, mappings: 200 } : { interfaces: 1000, acls: 1000, mappings: 10_000 };

/** The state at scale; `changed` alters one in a hundred of each kind (an address, a rule, a local port). */
function state(changed: boolean): DesiredState {
  const hit = (i: number) => changed && i % 100 === 0;
  return {
    interfaces: Array.from({ length: SIZE.interfaces }, (_, i) => ({
      name: `if-${i}`, type: 'loopback', enabled: true, ipAddresses: [`10.${100 + (i >> 8)}.${i & 255}.${hit(i) ? 2 : 1}/24`],
    })),
    acls: Array.from({ length: SIZE.acls }, (_, i) => ({
      name: `acl-${i}`,
      rules: Array.from({ length: 10 }, (_, r) => ({ action: 'permit', sourceNetwork: `10.${r}.0.0/16`, protocol: 'tcp', destinationPort: { first: 80 + r, last: hit(i) ? 90 + r : 80 + r } })),
      interfaces: { ingress: [`if-${i % SIZE.interfaces}`] },
    })),
    nat44: {
      enabled: true,
      addressPool: [{ firstIp: '198.51.100.1' }],
      staticMappings: Array.from({ length: SIZE.mappings }, (_, i) => ({
        name: `sm-${i}`, externalIp: '198.51.100.1', externalPort: 1024 + i, localIp: `10.200.${i >> 8}.${i & 255}`, localPort: hit(i) ? 8080 : 80, protocol: 'tcp',
      })),
    },
  } as DesiredState;
}

const objects = SIZE.interfaces + SIZE.acls + SIZE.mappings;
const what = `${SIZE.interfaces.toLocaleString('en')} interfaces, ${SIZE.acls.toLocaleString('en')} ACLs × 10 rules, ${SIZE.mappings.toLocaleString('en')} static mappings`;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** The four steps on one VPP: plan and apply from empty, then for the 1% change; and the no-op plan after. */
async function steps(client: Client<Messages>, suite: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  const row = (name: string, ms: number, count: number, unit: string) =>
    figures.push({ suite, name: `desired state, ${what}: ${name}`, opsPerSec: count / (ms / 1000), extra: { ms: Math.round(ms), [unit]: count } });
  const full = state(false);
  const changed = state(true);
  const p0 = await timed(() => plan(client, full));
  row('plan from empty', p0.ms, objects, 'objects');
  const a0 = await timed(() => apply(client, full));
  if (!a0.value.ok) throw new Error(`bench: apply from empty failed: ${a0.value.error?.message}`);
  row('apply from empty', a0.ms, a0.value.outcomes.length, 'calls');
  const p1 = await timed(() => plan(client, changed));
  row('plan of a 1% change', p1.ms, objects, 'objects');
  const a1 = await timed(() => apply(client, changed));
  if (!a1.value.ok) throw new Error(`bench: apply of the change failed: ${a1.value.error?.message}`);
  row('apply of a 1% change', a1.ms, a1.value.outcomes.length, 'calls');
  const p2 = await timed(() => plan(client, changed));
  if (p2.value.calls.length) throw new Error(`bench: ${p2.value.calls.length} calls planned after apply`);
  row('plan when VPP matches (no calls)', p2.ms, objects, 'objects');
  return figures;
}

/** The figures against the model (in this process) and against a real VPP when there is one. */
export async function desiredBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const model = await startVppModel();
  try {
    const client = await connect({ socket: model.socketPath, name: 'vppkit-bench' });
    try {
      figures.push(...(await steps(client, 'model')));
    } finally {
      await client.close();
    }
  } finally {
    await model.close();
  }
  const vpp = await realVpp();
  if (!vpp) {
    console.log('bench: no VPP; skipping the real-VPP desired-state figures');
    return figures;
  }
  const client = await connect({ socket: vpp.socket, name: 'vppkit-bench' });
  const natWasOn = (await client.request('nat44_show_running_config')).sessions !== 0;
  try {
    figures.push(...(await steps(client, 'vpp')));
  } finally {
    // Everything the bench made goes; NAT44-ED is left as it was found.
    await apply(client, natWasOn ? {} : { nat44: { enabled: false } });
    await client.close();
    await vpp.stop();
  }
  return figures;
}
