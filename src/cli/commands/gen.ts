/**
 * `vppkit gen`: the code generator.
 *
 * @module
 */
import { generate, generateProto } from '../../../codegen/generate.js';
import { type Command, CliError, EXIT } from '../command.js';

/** `vppkit gen --api-dir DIR [--modules a,b] --out DIR`. */
export const genCommand: Command = {
  name: 'gen',
  summary: 'generate typed TypeScript bindings (or --proto schemas) from .api.json definitions',
  usage: 'gen --api-dir DIR --out DIR [--modules a,b] [--import-from vppkit/schema] [--proto]',
  examples: [
    'vppkit gen --api-dir /usr/share/vpp/api --modules acl,nat44_ed --out src/vpp',
    'vppkit gen --api-dir ./api --out gen   # all modules',
    'vppkit gen --proto --api-dir /usr/share/vpp/api --out proto   # one .proto per module',
  ],
  options: {
    out: { type: 'string' },
    modules: { type: 'string' },
    'import-from': { type: 'string' },
    proto: { type: 'boolean' },
  },
  async run({ values, global, io }) {
    const out = values.out as string | undefined;
    if (!global.apiDir) throw new CliError('gen needs --api-dir DIR (a directory of .api.json files, e.g. /usr/share/vpp/api)');
    if (!out) throw new CliError('gen needs --out DIR');
    const modules = typeof values.modules === 'string' ? values.modules.split(',').map((m) => m.trim()).filter(Boolean) : undefined;
    let result;
    try {
      result = values.proto
        ? await generateProto({ apiDir: global.apiDir, out, ...(modules && { modules }) })
        : await generate({ apiDir: global.apiDir, out, ...(modules && { modules }), runtimeImport: (values['import-from'] as string | undefined) ?? 'vppkit/schema' });
    } catch (err) {
      throw new CliError(`gen: ${(err as Error).message}`, EXIT.usage, { cause: err });
    }
    if (global.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(`wrote ${result.files.length} files (${result.modules.join(', ')}) to ${out}\n`);
    return EXIT.ok;
  },
};
