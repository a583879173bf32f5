/**
 * VPP's return codes: their names and descriptions, and {@link VppApiError}. The table is VPP's
 * data (its errors.json): it is not part of vppkit's own code, but comes with the bundled
 * bindings (`src/gen/errors.ts`), which the client hands over when it connects.
 *
 * @module
 */
import { VppkitError } from './index.js';

/** One of VPP's return codes, as its errors.json lists it. */
export interface RetvalInfo {
  readonly code: number;
  readonly name: string;
  readonly description: string;
}

let errorTable: ReadonlyMap<number, RetvalInfo> | undefined;

/** @internal Sets VPP's table of return codes; the client does, from the bundled bindings. */
export function useRetvalTable(entries: readonly RetvalInfo[]): void {
  errorTable = new Map(entries.map((e) => [e.code, e]));
}

/**
 * VPP's symbolic name and description for a return code, from its errors.json. The table comes
 * with the bundled bindings, loaded when a client connects; a code it lacks (or any code,
 * before the table is loaded or when the bindings are not built) is `UNKNOWN`.
 */
export function describeRetval(code: number): { readonly name: string; readonly description: string } {
  const known = errorTable?.get(code);
  if (known) return { name: known.name, description: known.description };
  const why = errorTable ? 'is not one VPP defines' : 'cannot be named: no table of VPP return codes is loaded';
  return { name: 'UNKNOWN', description: `return code ${code} ${why}` };
}

/**
 * VPP answered with `retval != 0`. The message reads
 * `sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)`.
 */
export class VppApiError extends VppkitError {
  override name = 'VppApiError';
  /** VPP's symbolic name for the code, e.g. `NO_SUCH_ENTRY`; `UNKNOWN` for a code VPP does not define, or with no table loaded. */
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
