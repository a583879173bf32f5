/**
 * VPP's return codes: their names and descriptions, and {@link VppApiError}. Apart from the rest
 * of the errors because it reads VPP's error table, which is generated (`src/gen/errors.ts`).
 *
 * @module
 */
import { vppErrors } from '../gen/errors.js';
import { VppkitError } from './index.js';

let errorTable: Map<number, { readonly name: string; readonly description: string }> | undefined;

/** @internal VPP's "stopped to yield, ask again from the cursor" (VNET_API_ERROR_EAGAIN), in cursor streams. */
export const EAGAIN = -165;
/** @internal VNET_API_ERROR_INVALID_VALUE: what a cursor stream over an empty table may answer. */
export const INVALID_VALUE = -7;

/** VPP's symbolic name and description for a return code, from its errors.json. */
export function describeRetval(code: number): { readonly name: string; readonly description: string } {
  errorTable ??= new Map(vppErrors.map((e) => [e.code, e]));
  return errorTable.get(code) ?? { name: 'UNKNOWN', description: `return code ${code} is not one VPP defines` };
}

/**
 * VPP answered with `retval != 0`. The message reads
 * `sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)`.
 */
export class VppApiError extends VppkitError {
  override name = 'VppApiError';
  /** VPP's symbolic name for the code, e.g. `NO_SUCH_ENTRY`; `UNKNOWN` for a code VPP does not define. */
  readonly symbol: string;
  /** VPP's description of the code, e.g. `No such entry`. */
  readonly description: string;

  /** Creates the error for request `messageName` answered by `reply` with return code `code`. */
  constructor(
    /** The request VPP refused. */
    readonly messageName: string,
    /** The return code (`retval`), negative. */
    readonly code: number,
    /** The decoded reply, which may carry more detail. */
    readonly reply?: unknown,
  ) {
    const { name, description } = describeRetval(code);
    super(`${messageName}: VPP returned ${code} ${name} (${description})`);
    this.symbol = name;
    this.description = description;
  }
}
