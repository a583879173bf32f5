/**
 * The bundled bindings (`src/gen/`, build output): an optional set of modules the core never
 * imports statically. They are loaded here, when wanted, by specifiers the compiler does not
 * follow, so the core type-checks and runs without them (test/architecture/fresh-clone checks
 * the first). Their message map reaches the types through `BundledMessages`, which the
 * generated `src/gen/index.ts` fills in.
 *
 * @module
 */
import { SchemaError } from '../errors/index.js';
import { type RetvalInfo, useRetvalTable } from '../errors/retval.js';
import type { ModuleDef } from '../schema/model.js';

// Variables, not literals: tsc resolves only literal specifiers.
const BINDINGS: string = '../gen/index.js';
const ERROR_TABLE: string = '../gen/errors.js';

/** The module at `specifier`, or undefined when it is not built. */
async function optional<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * Every bundled module: what `definitions` defaults to.
 * @throws (as a rejection) {@link SchemaError} when the bundled bindings are not built.
 */
export async function bundledModules(): Promise<readonly ModuleDef[]> {
  const bindings = await optional<{ modules: readonly ModuleDef[] }>(BINDINGS);
  if (bindings === undefined) throw new SchemaError('src/gen/index.ts', undefined, 'the bundled bindings are not built (npm run gen makes them); pass definitions instead');
  return bindings.modules;
}

let errorTable: Promise<void> | undefined;

/**
 * Gives `VppApiError` and `describeRetval` VPP's table of return codes, from the bundled
 * `errors.ts`, once. VPP's codes do not depend on the messages in use, so every client loads it,
 * whatever its definitions; without it, codes are described as `UNKNOWN`.
 */
export function loadErrorTable(): Promise<void> {
  errorTable ??= optional<{ vppErrors: readonly RetvalInfo[] }>(ERROR_TABLE).then((m) => {
    if (m !== undefined) useRetvalTable(m.vppErrors);
  });
  return errorTable;
}
