/** The Prometheus text that `vppkit stats serve` writes, checked by a strict parser of the format (which is itself checked here). */
import { describe, expect, it } from 'vitest';
import { type Scrape, metricsText } from '../../src/cli/prometheus.js';
import { parseExposition } from '../helpers/exposition.js';

const zero = { packets: 0n, bytes: 0n };
const scrape: Scrape = {
  interfaces: [
    { swIfIndex: 1, name: 'we"ird\\name\nx', rx: { packets: 2n, bytes: 3n }, tx: zero, drops: 0n, rxErrors: 0n, txErrors: 0n, counters: {}, perThread: { rx: [{ packets: 2n, bytes: 3n }], drops: [18446744073709551615n] } },
  ],
  errors: [{ path: '/err/ip4-input/ttl "expired"', node: 'ip4-input', reason: 'ttl "expired"', value: 1n, perThread: [1n] }],
  nodes: undefined,
  system: { vectorRate: 0n, inputRate: 0n, workerThreads: 0n, vectorRatePerThread: [0n], loopsPerThread: [0n], heartbeat: 1n, boottime: 1n, lastUpdate: 0n, lastStatsClear: 0n, heaps: [], bufferPools: [] },
};

describe('metricsText', () => {
  it('escapes label values, keeps 64-bit counters exact, and leaves out families with no samples', () => {
    const text = metricsText(scrape);
    expect(text).toContain('vpp_interface_rx_packets_total{interface="we\\"ird\\\\name\\nx",sw_if_index="1",thread="0"} 2\n');
    expect(text).toContain('vpp_interface_drops_packets_total{interface="we\\"ird\\\\name\\nx",sw_if_index="1",thread="0"} 18446744073709551615\n');
    const families = parseExposition(text);
    expect(families.get('vpp_interface_rx_bytes_total')!.samples[0]!.labels.interface).toBe('we"ird\\name\nx');
    expect(families.get('vpp_node_errors_total')!.samples[0]!.labels).toEqual({ node: 'ip4-input', error: 'ttl "expired"', thread: '0' });
    expect(families.has('vpp_node_calls_total')).toBe(false);
    expect(families.has('vpp_memory_heap_size_bytes')).toBe(false);
  });
});

describe('the strict exposition parser', () => {
  const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 1\n';
  it('accepts good text and rejects each kind of mistake', () => {
    expect(parseExposition(ok).get('a_total')!.samples).toHaveLength(1);
    const bad: [string, RegExp][] = [
      ['# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 1', /does not end with a newline/],
      ['a_total 1\n', /without its HELP and TYPE/],
      ['# HELP a A.\n# TYPE a counter\na 1\n', /does not end in _total/],
      [`${ok}a_total{x="1"} 2\n`, /twice/],
      [`${ok}# HELP b B.\n# TYPE b gauge\nb 1\na_total{x="2"} 1\n`, /without its HELP and TYPE/],
      ['# HELP a_total A.\n# TYPE a_total counter\na_total{x="\\q"} 1\n', /unknown escape/],
      ['# HELP a_total A.\n# TYPE a_total counter\na_total{x=1} 1\n', /not in double quotes/],
      ['# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} one\n', /bad value/],
      ['# HELP a-b A.\n# TYPE a-b gauge\n', /bad metric name/],
      ['# HELP a_total A.\n# TYPE a_total summary\n', /type summary/],
    ];
    for (const [text, why] of bad) expect(() => parseExposition(text), text).toThrow(why);
  });
});
