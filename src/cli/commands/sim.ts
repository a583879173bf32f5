/**
 * `vppkit sim`: serves the VPP model (or the bare simulator) on a socket until Ctrl-C, so every
 * other command can be tried with no VPP.
 *
 * @module
 */
import { once } from 'node:events';
import { StatsUnavailableError } from '../../stats/errors.js';
import { type VppModel, type VppModelOptions, VppSimulator, startVppModel } from '../../testing/index.js';
import { type Command, CliError, EXIT } from '../command.js';

const MODELLED = [
  'interfaces: local0 and GigabitEthernet0/8/0 at start; loopbacks, taps, admin state, MTU, tags, IP addresses, events',
  'ACL plugin: ACLs, their application to interfaces (acl_* and acl_interface_*)',
  'NAT44-ED: plugin enable, pool addresses, inside/outside and output interfaces, static mappings',
  'cli_inband: show interface, show interface address, show acl-plugin acl, show acl-plugin interface, show nat44 addresses, show nat44 interfaces, show nat44 static mappings, show version',
  'anything else: -9 UNIMPLEMENTED, as VPP answers an unsupported request',
];

/** The model with its stats segment; without one, saying why, where the native addon is unavailable. */
async function startModel(options: VppModelOptions & { socket?: string }): Promise<VppModel | (VppModel & { statsUnavailable: string })> {
  try {
    return await startVppModel(options);
  } catch (err) {
    if (!(err instanceof StatsUnavailableError)) throw err;
    return Object.assign(await startVppModel({ ...options, stats: false }), { statsUnavailable: err.message });
  }
}

function statsLines(vpp: VppModel | (VppModel & { statsUnavailable: string })): string[] {
  if ('statsUnavailable' in vpp) return [`stats: none (${vpp.statsUnavailable})`];
  return [`stats socket: ${vpp.statsSocket} (try: vppkit stats interfaces --socket ${vpp.statsSocket})`];
}

/** `vppkit sim [--socket PATH] [--stats-socket PATH] [--model|--bare]`. */
export const simCommand: Command = {
  name: 'sim',
  summary: 'serve the VPP model on a socket until Ctrl-C, to try the other commands with no VPP',
  usage: [
    'sim [--socket PATH] [--model|--bare]',
    '',
    '  --socket PATH  where to listen (default: api.sock in a new temporary directory)',
    '  --model        the stateful VPP 26.06 model (the default)',
    "  --bare         the simulator alone: replies of zeros to every request, no state",
  ].join('\n'),
  examples: [
    'vppkit sim --socket /tmp/vpp.sock --stats-socket /tmp/stats.sock &   # then, in another shell:',
    'vppkit dump sw_interface_dump --socket /tmp/vpp.sock --table',
    'vppkit stats interfaces --socket /tmp/stats.sock',
    'vppkit sim --bare --socket /tmp/vpp.sock',
  ],
  options: { model: { type: 'boolean' }, bare: { type: 'boolean' }, 'stats-socket': { type: 'string' } },
  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new CliError(`sim takes no arguments; unexpected ${positionals.join(' ')}`);
    if (values.model && values.bare) throw new CliError('--model and --bare exclude each other');
    // The global --socket defaults to $VPP_API_SOCKET, a real VPP's: serve there only when asked.
    const socket = values.socket as string | undefined;
    if (values.bare && values['stats-socket']) throw new CliError('--stats-socket goes with the model, not --bare');
    const statsSocket = values['stats-socket'] as string | undefined;
    const server = values.bare ? await VppSimulator.start({ ...(socket && { socket }) }) : await startModel({ ...(socket && { socket }), stats: statsSocket ? { socket: statsSocket } : true });
    try {
      const what = values.bare ? ['the bare simulator: every request answered with zeros (retval 0), dumps empty'] : ['the VPP 26.06 model:', ...MODELLED.map((m) => `  ${m}`)];
      const stats = 'statsSocket' in server ? statsLines(server) : [];
      io.stdout.write(`vppkit sim: listening on ${server.socketPath}\n${[...what, ...stats].join('\n')}\ntry: vppkit dump sw_interface_dump --socket ${server.socketPath} --table\nCtrl-C stops it.\n`);
      if (!signal.aborted) await once(signal, 'abort');
      return EXIT.ok;
    } finally {
      await server.close();
    }
  },
};
