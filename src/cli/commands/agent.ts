/**
 * `vppkit agent`: the node agent (`vppkit/agent`) on the command line, logging what it does as
 * one line per event until SIGINT or SIGTERM, then stopping cleanly.
 *
 * @module
 */
import { type AgentEvent, startAgent } from '../../agent/index.js';
import { type Command, CliError, EXIT } from '../command.js';

function parseInterval(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`--resync must be a positive whole number of milliseconds, got ${String(value)}`);
  return n;
}

/** `vppkit agent --etcd URL --prefix /vnf-agent/LABEL/ [--resync MS]`. */
export const agentCommand: Command = {
  name: 'agent',
  summary: 'keep VPP at the desired state in etcd (vpp-agent keys under a prefix) until Ctrl-C or SIGTERM',
  usage: [
    'agent --etcd URL[,URL...] --prefix /vnf-agent/LABEL/ [--resync MS] [--socket PATH] [--json]',
    '',
    '  --etcd URL     etcd client URLs, comma-separated (http://127.0.0.1:2379)',
    "  --prefix P     the node's prefix; the agent reads P/config/... and writes P/vppkit/status/...",
    '  --resync MS    reconcile this often with no change, repairing drift (default 30000)',
    '  --json         log JSON lines ({"at","kind","revision","message"}) instead of text',
  ].join('\n'),
  examples: [
    'vppkit agent --etcd http://127.0.0.1:2379 --prefix /vnf-agent/node1/ --socket /run/vpp/api.sock',
    "etcdctl put /vnf-agent/node1/config/vpp/v2/interfaces/lo1 '{\"name\":\"lo1\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true}'",
    'etcdctl get /vnf-agent/node1/vppkit/status/agent --print-value-only | jq .',
  ],
  options: { etcd: { type: 'string' }, prefix: { type: 'string' }, resync: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    if (positionals.length > 0) throw new CliError(`agent takes no arguments; unexpected ${positionals.join(' ')}`);
    if (typeof values.etcd !== 'string' || typeof values.prefix !== 'string') throw new CliError('agent needs --etcd URL and --prefix /vnf-agent/LABEL/');
    const log = (e: AgentEvent) =>
      io.stdout.write(global.json ? `${JSON.stringify({ at: new Date().toISOString(), ...e })}\n` : `${new Date().toISOString()} ${e.kind} r${e.revision} ${e.message}\n`);
    // SIGTERM (a service manager's stop) ends it as cleanly as Ctrl-C does.
    const stop = new AbortController();
    const onTerm = () => stop.abort();
    process.once('SIGTERM', onTerm);
    try {
      const agent = await startAgent({ socket: global.socket, etcd: values.etcd.split(','), prefix: values.prefix, resyncInterval: parseInterval(values.resync), onEvent: log });
      await new Promise<void>((res) => {
        if (signal.aborted || stop.signal.aborted) return res();
        signal.addEventListener('abort', () => res(), { once: true });
        stop.signal.addEventListener('abort', () => res(), { once: true });
      });
      await agent.stop();
      io.stdout.write(global.json ? `${JSON.stringify({ at: new Date().toISOString(), kind: 'stopped', revision: agent.status().revision, message: 'stopped' })}\n` : 'agent stopped\n');
      return EXIT.ok;
    } finally {
      process.off('SIGTERM', onTerm);
    }
  },
};
