/**
 * `vppkit launch`: starts a local VPP binary with `launchVpp` (its own startup.conf, sockets and
 * shared-memory prefix in a temporary folder), prints its sockets, and runs until Ctrl-C.
 *
 * @module
 */
import { DEFAULT_VPP_PLUGINS, launchVpp } from '../../testing/launch.js';
import { type Command, CliError, EXIT } from '../command.js';

/** `vppkit launch [--bin PATH] [--plugin-path DIR] [--plugins LIST]`. */
export const launchCommand: Command = {
  name: 'launch',
  summary: 'start a local VPP binary with its own sockets in a temporary folder; print them; stop it on Ctrl-C',
  usage: [
    'launch [--bin PATH] [--plugin-path DIR] [--plugins NAME,...]',
    '',
    '  --bin PATH         the vpp binary (default $VPP_BIN)',
    '  --plugin-path DIR  its plugins (default $VPP_PLUGIN_PATH, else ../lib/vpp_plugins beside the binary\'s folder)',
    `  --plugins LIST     plugins to load, comma-separated (default ${DEFAULT_VPP_PLUGINS.join(',')})`,
    '',
    'Prints VPP_API_SOCKET=..., VPP_CLI_SOCKET=..., VPP_STATS_SOCKET=... and VPP_LOG=... lines (with --json, one',
    'object), then runs until Ctrl-C or SIGTERM, which stop VPP and remove its folder, sockets and /dev/shm files.',
  ].join('\n'),
  examples: [
    'vppkit launch --bin /opt/vpp/bin/vpp   # then, in another shell: VPP_API_SOCKET=... vppkit version',
    'VPP_BIN=../shared/vpp/26.06/bin/vpp vppkit launch --plugins acl,nat',
  ],
  options: { bin: { type: 'string' }, 'plugin-path': { type: 'string' }, plugins: { type: 'string' } },
  async run({ values, global, io, signal }) {
    const list = values.plugins as string | undefined;
    const plugins = list?.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (plugins?.length === 0) throw new CliError('--plugins needs at least one plugin name, e.g. --plugins acl,nat');
    let vpp;
    try {
      vpp = await launchVpp({ bin: values.bin as string | undefined, pluginPath: values['plugin-path'] as string | undefined, plugins, env: io.env });
    } catch (err) {
      throw new CliError((err as Error).message.replace(/^launchVpp: /, ''), EXIT.connection);
    }
    try {
      if (global.json) {
        io.stdout.write(`${JSON.stringify({ socket: vpp.socket, cliSocket: vpp.cliSocket, statsSocket: vpp.statsSocket, log: vpp.logPath, pid: vpp.pid, dir: vpp.dir })}\n`);
      } else {
        io.stdout.write(`VPP_API_SOCKET=${vpp.socket}\nVPP_CLI_SOCKET=${vpp.cliSocket}\nVPP_STATS_SOCKET=${vpp.statsSocket}\nVPP_LOG=${vpp.logPath}\n`);
        io.stderr.write(`vppkit launch: VPP is up (pid ${vpp.pid}); Ctrl-C stops it and removes ${vpp.dir}\n`);
      }
      await new Promise((resolve) => {
        signal.addEventListener('abort', resolve, { once: true });
        if (signal.aborted) resolve(undefined);
      });
      return EXIT.interrupted;
    } finally {
      await vpp.stop();
    }
  },
};
