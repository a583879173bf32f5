/** A simulator and clients connected to it, all closed after each test. */
import { afterEach } from 'vitest';
import { type Client, type ConnectOptions, connect } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type SimulatorOptions, VppSimulator } from '../../src/testing/index.js';

const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  // Clients first, so they say goodbye to a simulator that is still there.
  for (const c of open.splice(0).reverse()) await c.close();
});

/** Starts a simulator, closed after the test. */
export async function simulator(options: SimulatorOptions = {}): Promise<VppSimulator> {
  const sim = await VppSimulator.start(options);
  open.unshift(sim);
  return sim;
}

/** Connects a client to `sim`, closed after the test. */
export async function client<M extends object = Messages>(sim: VppSimulator, options: ConnectOptions = {}): Promise<Client<M>> {
  const c = await connect<M>({ socket: sim.socketPath, ...options });
  open.push(c);
  return c;
}

/** A simulator and a client connected to it. */
export async function pair(simOptions: SimulatorOptions = {}, clientOptions: ConnectOptions = {}): Promise<{ sim: VppSimulator; client: Client }> {
  const sim = await simulator(simOptions);
  return { sim, client: await client(sim, clientOptions) };
}

/** Resolves with the next `name` event of `emitter`. */
export function next<T = unknown>(emitter: { once(name: never, fn: never): unknown }, name: string): Promise<T> {
  return new Promise((resolve) => (emitter.once as (name: string, fn: (v: T) => void) => unknown).call(emitter, name, resolve));
}

/** `sw_interface_dump` of every interface. */
export const ALL = { name_filter_valid: false, name_filter: '' } as const;
