/**
 * Registering the model's handlers with their requests' decoded types.
 *
 * @module
 */
import type { Messages } from '../../gen/index.js';
import type { SimCall } from '../sim-call.js';
import type { VppSimulator } from '../simulator.js';

/**
 * Registers `fn` for request `name`, its request typed as the generated decoded interface `T`.
 * (The simulator's own typing gives request descriptors' values as loose fields.)
 */
export function on<T>(sim: VppSimulator<Messages>, name: keyof Messages & string, fn: (request: T, call: SimCall) => unknown): void {
  sim.handle(name, fn as never);
}
