/**
 * Codec throughput: encode and decode of representative messages, through the generated bindings
 * and through definitions loaded at run time, each against protobufjs on the same values (the
 * schema from `vppkit gen --proto`, values through vppkit's proto export): `fromObject` +
 * `encode` against vppkit's encode, `decode` + `toObject` against vppkit's decode. The two are
 * measured run by run in turn and the ratio is the median of the per-pair ratios, since on a
 * shared machine the load changes between one figure and the next.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCProfiler } from 'node:v8';
import protobuf from 'protobufjs';
import { generateProto } from '../codegen/generate.js';
import { decode, encode, Reader, Writer, encodeTo, decodeFrom } from '../src/codec/index.js';
import * as acl from '../src/gen/acl.js';
import * as iface from '../src/gen/interface.js';
import * as memclnt from '../src/gen/memclnt.js';
import * as nat from '../src/gen/nat44_ed.js';
import { toProtoObject } from '../src/proto/index.js';
import { protoFullName } from '../src/proto/mapping.js';
import { loadApiDir, messagesByName } from '../src/schema/index.js';
import type { MessageDef } from '../src/schema/index.js';
import { type Figure, pairedRates } from './measure.js';

/**
 * `n` ACL rules as read from a configuration file (JSON): an object and prefix strings of its
 * own per rule, the prefixes drawn from a few dozen (rules repeat prefixes), ports varying.
 */
export function rules(n: number): unknown[] {
  return JSON.parse(JSON.stringify(Array.from({ length: n }, (_, i) => ({
    is_permit: (i % 3) as 0 | 1 | 2, src_prefix: `10.${i % 7}.${i % 5}.0/24`, dst_prefix: `192.168.${i % 11}.${i % 4}/32`, proto: 6 as const,
    srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80 + (i % 100), dstport_or_icmpcode_last: 80 + (i % 100),
    tcp_flags_mask: 0, tcp_flags_value: 0,
  })))) as unknown[];
}

/** `value` with every field it leaves out given as zero. */
function withZeros(def: MessageDef, value: object): unknown {
  return decode(def, encode(def, value, undefined, { zeroFill: true }));
}

/** The messages measured, with a value for each; `target` marks the targets. */
function cases(): { name: string; def: MessageDef; value: unknown; target?: boolean }[] {
  return [
    { name: 'control_ping', def: memclnt.control_ping, value: {} },
    { name: 'acl_add_replace (1 rule)', def: acl.acl_add_replace, value: { acl_index: 0xffffffff, tag: 'bench', r: rules(1) } },
    { name: 'acl_add_replace (100 rules)', def: acl.acl_add_replace, value: { acl_index: 0xffffffff, tag: 'bench', r: rules(100) }, target: true },
    { name: 'acl_details (1,000 rules)', def: acl.acl_details, value: { acl_index: 7, tag: 'bench', r: rules(1000) }, target: true },
    {
      // Every field, as VPP sends it: the fields not listed are zeros.
      name: 'sw_interface_details', def: iface.sw_interface_details,
      value: withZeros(iface.sw_interface_details, { sw_if_index: 1, sup_sw_if_index: 1, l2_address: '02:fe:16:3f:5f:0f', flags: 3, type: 0, link_duplex: 2, link_speed: 10000, link_mtu: 9000, mtu: [9000, 0, 0, 0], interface_name: 'GigabitEthernet0/8/0', interface_dev_type: 'dpdk', tag: 'uplink' }),
    },
    {
      name: 'nat44_add_del_static_mapping_v2', def: nat.nat44_add_del_static_mapping_v2,
      value: { is_add: true, match_pool: false, flags: 0, pool_ip_address: '0.0.0.0', local_ip_address: '10.1.1.3', external_ip_address: '192.168.16.1', protocol: 6, local_port: 8080, external_port: 80, external_sw_if_index: 0xffffffff, vrf_id: 0, tag: 'pod' },
    },
  ];
}

/** The protobufjs types for the measured messages, from `.proto` files generated into a temp dir. */
export async function protobufTypes(apiDir: string, defs: MessageDef[]): Promise<(def: MessageDef) => protobuf.Type> {
  const dir = await mkdtemp(join(tmpdir(), 'vppkit-bench-proto-'));
  try {
    const { files } = await generateProto({ apiDir, out: dir, modules: [...new Set(defs.map((d) => d.module))] });
    const root = new protobuf.Root().loadSync([...files], { keepCase: true });
    root.resolveAll();
    return (def) => root.lookupType(protoFullName(def));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const tick = (ok: boolean, what: string): string => `${ok ? '✓' : '✗'} ${what}`;

/**
 * A decoder of its own for `def`, for values the bench keeps while it converts them. V8
 * pretenures the objects of a decoder (allocates them in old space, from then on) once a
 * scavenge finds most of those it made alive; a measured decoder whose values die at once then
 * runs at a fraction of its speed (docs/performance.md). Under another name the decoder's source
 * differs, so V8 shares none of its feedback with the measured ones.
 */
function setupDecoder(def: MessageDef): MessageDef {
  return { ...def, name: `${def.name}_setup` };
}

/**
 * `measure()`'s result and how many mark-compacts V8 ran meanwhile: a few at most, unless the
 * decoder's objects went to old space, which costs one every 60-130 ms (docs/performance.md).
 */
function withMarkCompacts<T>(measure: () => T): { result: T; markCompacts: number } {
  const gc = new GCProfiler();
  gc.start();
  const result = measure();
  return { result, markCompacts: gc.stop().statistics.filter((s) => s.gcType === 'MarkSweepCompact').length };
}

/** Measures every case: protobufjs, then vppkit's generated and runtime-loaded codecs. */
export async function codecBench(apiDir: string): Promise<Figure[]> {
  const runtime = messagesByName(await loadApiDir(apiDir));
  const all = cases();
  const protoType = await protobufTypes(apiDir, all.map((c) => c.def));
  const figures: Figure[] = [];
  const w = new Writer(1 << 20);
  const r = new Reader(new Uint8Array(0));
  for (const c of all) {
    const bytes = Buffer.from(encode(c.def, c.value));
    const batch = Math.max(1, Math.round(20_000 / bytes.length));
    const type = protoType(c.def);
    // protobufjs's plain object for the same value, as vppkit's proto export makes it.
    const object = toProtoObject(c.def, decode(setupDecoder(c.def), bytes));
    const wire = type.encode(type.fromObject(object)).finish();
    const pbEnc = () => {
      for (let i = 0; i < batch; i++) type.encode(type.fromObject(object)).finish();
    };
    const pbDec = () => {
      for (let i = 0; i < batch; i++) type.toObject(type.decode(wire));
    };
    for (const [path, def] of [['generated', c.def], ['runtime-loaded', runtime.get(c.def.name)!]] as const) {
      const enc = pairedRates(pbEnc, () => {
        for (let i = 0; i < batch; i++) {
          w.pos = 0;
          encodeTo(w, def, c.value);
        }
      }, batch);
      const { result: dec, markCompacts } = withMarkCompacts(() => pairedRates(pbDec, () => {
        for (let i = 0; i < batch; i++) {
          r.reset(bytes, 0, bytes.length);
          decodeFrom(r, def);
        }
      }, batch));
      for (const [op, m] of [['encode', enc], ['decode', dec]] as const) {
        figures.push({ suite: 'codec', name: `${c.name}: ${op} (protobufjs, paired with ${path})`, opsPerSec: m.a, bytesPerSec: m.a * wire.length, ratio: 1 });
        figures.push({
          suite: 'codec', name: `${c.name}: ${op} (${path})`, opsPerSec: m.b, bytesPerSec: m.b * bytes.length, ratio: m.ratio,
          ...(c.target && { target: tick(m.ratio >= 3, `≥ 3× protobufjs (${m.ratio.toFixed(2)}×)`) }),
          // Over both sides' runs: the slow state shows as dozens.
          ...(op === 'decode' && { extra: { mark_compacts: markCompacts } }),
        });
      }
    }
    // Keep the decoded value observable so nothing is optimised away.
    if (typeof decode(c.def, bytes) !== 'object') throw new Error('unexpected decode');
  }
  return figures;
}
