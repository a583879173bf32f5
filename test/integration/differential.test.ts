/**
 * The VPP model, proven differentially: every scenario is played on the model and on the real
 * VPP, and every step's reply and touched tables must be equal after normalisation, or be a
 * documented difference (test/differential/normalise.ts). Prints one figure.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, connect } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, startVppModel } from '../../src/testing/index.js';
import { KNOWN_DIFFERENCES, RULES } from '../differential/normalise.js';
import { differences, play, sweep } from '../differential/runner.js';
import { scenarios } from '../differential/scenarios/index.js';
import { connectVpp, socket, vppIsOurs } from './vpp.js';

/** The plugins the scenarios need, each with a message that shows it is loaded. */
const PLUGINS = { 'acl_plugin.so': 'acl_add_replace', 'nat_plugin.so': 'nat44_ed_plugin_enable_disable' };

/** Time for VPP's link-state process to send the events of a step; the model sends them at once. */
const VPP_EVENT_WAIT_MS = 100;

describe.skipIf(!socket)('differential: the model against VPP', () => {
  let vpp: Client<Messages>;
  let model: VppModel;
  let modelClient: Client<Messages>;
  const seen = new Set<(typeof KNOWN_DIFFERENCES)[number]>();
  let steps = 0;
  let identical = 0;
  let played = 0;
  let ready = false;

  beforeAll(async () => {
    vpp = await connectVpp();
    const lacking = Object.entries(PLUGINS).filter(([, msg]) => vpp.compatibility.missing.includes(msg));
    if (lacking.length) throw new Error(`differential: this VPP lacks ${lacking.map(([p, msg]) => `${p} (no ${msg})`).join(', ')}; the scenarios need it loaded`);
    await sweep(vpp);
    ready = true;
    model = await startVppModel();
    modelClient = await connect<Messages>({ socket: model.socketPath });
    await sweep(modelClient);
  });
  afterAll(async () => {
    if (ready) await sweep(vpp);
    await vpp?.close();
    await modelClient?.close();
    await model?.close();
    console.log(`differential: ${played} scenarios, ${steps} steps, ${identical} identical (${seen.size} documented differences)`);
  });

  for (const scenario of scenarios) {
    // Against a VPP someone else runs, a scenario that leaves a trace is skipped, and its name says why.
    const skip = scenario.leaves !== undefined && !vppIsOurs;
    it.skipIf(skip)(skip ? `${scenario.name} (skipped: it would leave ${scenario.leaves}, and this VPP is not the suite's)` : scenario.name, async () => {
      const onModel = await play(modelClient, scenario, 0);
      const onVpp = await play(vpp, scenario, VPP_EVENT_WAIT_MS);
      played++;
      expect(onVpp.map((r) => r.label)).toEqual(onModel.map((r) => r.label));
      const unexpected: string[] = [];
      onModel.forEach((m, i) => {
        steps++;
        const r = onVpp[i]!;
        if (isDeepStrictEqual(m, r)) return void identical++;
        const known = KNOWN_DIFFERENCES.find((k) => k.scenario === scenario.name && k.step === m.label);
        const left = differences(m, r).filter((d) => !known?.fields.some((f) => d.startsWith(`${f}:`) || d.startsWith(`${f}.`)));
        if (known && left.length === 0) seen.add(known);
        unexpected.push(...left.map((d) => `step ${i} "${m.label}"${d}`));
      });
      expect(unexpected, `differences left after the rules (${RULES.map((r) => r.name).join(', ')}) and not documented in test/differential/normalise.ts`).toEqual([]);
    });
  }

  it('shows every documented difference, so none outlives its cause', () => {
    expect(KNOWN_DIFFERENCES.filter((k) => !seen.has(k))).toEqual([]);
  });
});
