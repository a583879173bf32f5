/**
 * What the model answers to messages it does not model: a clear refusal, never silence.
 *
 * @module
 */
import type { Fields, Handler } from '../handler-types.js';
import type { SimCall } from '../sim-call.js';
import { NONE, RV } from './retvals.js';

/**
 * How to answer a message the model does not model:
 * - `'unimplemented'`: requests and cursor streams get retval -9 (UNIMPLEMENTED), dumps no details
 *   (their `control_ping` still ends them);
 * - a handler: answers as a simulator handler would.
 */
export type UnmodelledPolicy = 'unimplemented' | Handler;

/** The handler that answers per `policy`, after telling `record` the message's name. */
export function unmodelledHandler(policy: UnmodelledPolicy, record: (name: string, request: Fields) => void): (request: Fields, call: SimCall) => unknown {
  return (request, call) => {
    record(call.name, request);
    if (policy !== 'unimplemented') return policy(request as never, call);
    switch (call.def.service?.kind) {
      case 'dump':
        return [];
      case 'stream':
        return { retval: RV.UNIMPLEMENTED, cursor: NONE };
      default:
        return RV.UNIMPLEMENTED;
    }
  };
}
