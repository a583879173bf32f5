/**
 * The code generator: `.api.json` definitions in, one TypeScript module per VPP module out.
 * `vppkit gen` and the package build both call {@link generate}; `vppkit gen --proto` calls
 * {@link generateProto} for protobuf schemas instead.
 *
 * @module vppkit/codegen
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadApiDir } from '../src/schema/load.js';
import type { ModuleDef } from '../src/schema/model.js';
import { emitProto } from './emit-proto.js';
import { emitModule, ident } from './emit-ts.js';

/** Options for {@link generate}. */
export interface GenerateOptions {
  /** A directory of `.api.json` files (searched recursively). */
  readonly apiDir: string;
  /** Modules to emit; their imports come along. All modules when absent. */
  readonly modules?: readonly string[];
  /** The output directory. */
  readonly out: string;
  /** Where generated code imports vppkit's schema from. Default `vppkit/schema`. */
  readonly runtimeImport?: string;
  /** A note for the header comment, e.g. `VPP 26.06`. */
  readonly source?: string;
  /** VPP's `errors.json`; when given, `errors.ts` is emitted with the return-code table. */
  readonly errorsJson?: string;
}

/** What {@link generate} wrote. */
export interface GenerateResult {
  /** The modules emitted, imports included, in dependency order. */
  readonly modules: readonly string[];
  /** The files written. */
  readonly files: readonly string[];
}

/** Picks `wanted` and everything they import, dependencies first. */
export function withImports(all: readonly ModuleDef[], wanted: readonly string[] | undefined): ModuleDef[] {
  const byName = new Map(all.map((m) => [m.name, m]));
  const order: ModuleDef[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from?: string): void => {
    if (seen.has(name)) return;
    const m = byName.get(name);
    if (!m) throw new Error(`unknown module "${name}"${from ? ` (imported by ${from})` : ''}; known: ${[...byName.keys()].sort().join(', ')}`);
    seen.add(name);
    for (const i of m.imports) visit(i, name);
    order.push(m);
  };
  for (const name of wanted ?? [...byName.keys()].sort()) visit(name);
  return order;
}

/** Generates typed bindings for `options.modules` (or all) from `options.apiDir` into `options.out`. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const modules = withImports(await loadApiDir(options.apiDir), options.modules);
  const runtimeImport = options.runtimeImport ?? 'vppkit/schema';
  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string): Promise<void> => {
    const path = join(options.out, name);
    await writeFile(path, text);
    files.push(path);
  };
  for (const m of modules) {
    await write(`${m.name}.ts`, emitModule(m, { runtimeImport, ...(options.source !== undefined && { source: options.source }) }));
  }
  await write('index.ts', emitIndex(modules, runtimeImport));
  if (options.errorsJson) await write('errors.ts', emitErrors(JSON.parse(await readFile(options.errorsJson, 'utf8')), options.source));
  return { modules: modules.map((m) => m.name), files };
}

/** Options for {@link generateProto}. */
export interface GenerateProtoOptions {
  /** A directory of `.api.json` files (searched recursively). */
  readonly apiDir: string;
  /** Modules to emit; their imports come along. All modules when absent. */
  readonly modules?: readonly string[];
  /** The output directory. */
  readonly out: string;
  /** The VPP version for the header comments, e.g. `VPP 26.06`. Default: from `apiDir/manifest.json`, when there is one. */
  readonly source?: string;
}

/**
 * Writes one proto3 file per module, `<module>.proto` with `package vpp.<module>`, for
 * `options.modules` (or all) and the modules they import. The mapping is in `docs/protobuf.md`.
 */
export async function generateProto(options: GenerateProtoOptions): Promise<GenerateResult> {
  const modules = withImports(await loadApiDir(options.apiDir), options.modules);
  const source = options.source ?? (await manifestSource(options.apiDir));
  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  for (const m of modules) {
    const path = join(options.out, `${m.name}.proto`);
    await writeFile(path, emitProto(m, source === undefined ? {} : { source }));
    files.push(path);
  }
  return { modules: modules.map((m) => m.name), files };
}

/** `VPP <version>` from the manifest `npm run sync` writes, if `apiDir` has one. */
async function manifestSource(apiDir: string): Promise<string | undefined> {
  const text = await readFile(join(apiDir, 'manifest.json'), 'utf8').catch(() => undefined);
  const vpp = text === undefined ? undefined : (JSON.parse(text) as { vpp?: unknown }).vpp;
  return typeof vpp === 'string' ? `VPP ${vpp}` : undefined;
}

function emitIndex(modules: readonly ModuleDef[], runtimeImport: string): string {
  const lines = [
    '// Generated by vppkit. Do not edit.',
    '/**',
    ` * All generated modules together: ${modules.map((m) => m.name).join(', ')}.`,
    // Inside vppkit (a relative runtime import), this is the package's `vppkit/bindings`.
    ` * @module${runtimeImport.startsWith('.') ? ' vppkit/bindings' : ''}`,
    ' */',
    `import type { ModuleDef } from '${runtimeImport}';`,
    ...modules.map((m) => `import * as ${ident(m.name)} from './${m.name}.js';`),
    '',
    '/** Every generated module\'s definition. */',
    `export const modules: readonly ModuleDef[] = [${modules.map((m) => `${ident(m.name)}.apiModule`).join(', ')}];`,
    '',
    '/** Every generated message, by name. */',
    `export type Messages = ${modules.map((m) => `${ident(m.name)}.Messages`).join(' & ') || '{}'};`,
    '',
    // The package's own bundled bindings type connect() by default; a user's generated set does not.
    ...(runtimeImport.startsWith('.')
      ? [
          `declare module '${runtimeImport.replace(/index\.js$/, 'typed.js')}' {`,
          // A line comment: a second doc comment would make typedoc pick one of the two.
          '  // Every message above: the default type map of connect().',
          '  interface BundledMessages extends Messages {}',
          '}',
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}

function emitErrors(table: unknown, source: string | undefined): string {
  if (!Array.isArray(table)) throw new Error('errors.json: expected an array of {code, name, description}');
  const rows = table.map((e: { code?: unknown; name?: unknown; description?: unknown }) => {
    if (typeof e.code !== 'number' || typeof e.name !== 'string' || typeof e.description !== 'string') throw new Error(`errors.json: bad entry ${JSON.stringify(e)}`);
    return `  { code: ${e.code}, name: ${JSON.stringify(e.name)}, description: ${JSON.stringify(e.description)} },`;
  });
  return [
    `// Generated by vppkit from VPP's errors.json${source ? ` (${source})` : ''}. Do not edit.`,
    '/**',
    ' * VPP\'s API return codes.',
    ' * @module',
    ' */',
    '',
    '/** Every return code VPP defines: `retval`, symbolic name, description. */',
    'export const vppErrors: readonly { readonly code: number; readonly name: string; readonly description: string }[] = [',
    ...rows,
    '];',
    '',
  ].join('\n');
}
