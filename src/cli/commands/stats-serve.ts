/**
 * `vppkit stats serve --listen HOST:PORT`: an HTTP server whose `/metrics` is VPP's counters in
 * Prometheus' text format, read from the stats segment at each scrape.
 *
 * @module
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import type { StatsReader } from '../../stats/types.js';
import { CliError, EXIT, type Io } from '../command.js';
import { METRICS_CONTENT_TYPE, type Scrape, metricsText } from '../prometheus.js';
import { openStats } from '../stats-connection.js';

/** `HOST:PORT`, `[IPV6]:PORT`, or `:PORT` (every address). */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new CliError(`--listen takes HOST:PORT (127.0.0.1:9482, [::1]:9482, :9482), got ${JSON.stringify(text)}`);
  const host = m[1] ?? m[2];
  if (m[1] !== undefined && isIP(m[1]) !== 6) throw new CliError(`--listen: ${m[1]} in brackets is not an IPv6 address`);
  return { host: host === '' ? undefined : host, port };
}

/** One scrape. Node counters are optional: VPP publishes them only with `per-node-counters on`. */
async function scrape(stats: StatsReader): Promise<Scrape> {
  const [interfaces, errors, system] = [await stats.interfaces(), await stats.errors(), await stats.system()];
  const nodes = (await stats.ls('^/sys/node/names$')).length > 0 ? await stats.nodes() : undefined;
  return { interfaces, errors, nodes, system };
}

async function handle(req: IncomingMessage, res: ServerResponse, stats: StatsReader, io: Io): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET and HEAD\n');
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><a href="/metrics">metrics</a></body></html>\n');
    return;
  }
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: VPP\'s metrics are at /metrics\n');
    return;
  }
  try {
    const body = metricsText(await scrape(stats));
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    // VPP stopped or restarted mid-read: this scrape fails (Prometheus records it), the next may not.
    io.stderr.write(`vppkit stats serve: scrape failed: ${(err as Error).message}\n`);
    res.writeHead(503, { 'content-type': 'text/plain' }).end(`scrape failed: ${(err as Error).message}\n`);
  }
}

/**
 * Connects to the stats socket (failing at once if it cannot), listens, and serves until the
 * signal (Ctrl-C or SIGTERM); then closes the server and the reader.
 */
export async function serveMetrics({ listen, socket, io, signal }: { listen: string; socket: string; io: Io; signal: AbortSignal }): Promise<number> {
  const { host, port } = parseListen(listen);
  const stats = await openStats(socket, signal);
  const server = createServer((req, res) => void handle(req, res, stats, io));
  try {
    server.listen(port, host);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]).catch((err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use' : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? 'no such local address' : err.code === 'EACCES' ? 'permission denied (a port below 1024?)' : err.message;
      throw new CliError(`--listen ${listen}: ${why}`, EXIT.usage, { cause: err });
    });
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.stdout.write(`vppkit stats serve: http://${shown}:${address.port}/metrics (VPP's stats socket ${socket}); Ctrl-C stops it\n`);
    if (!signal.aborted) await once(signal, 'abort');
    return EXIT.ok;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    stats.close();
  }
}
