/**
 * Codec throughput: encode and decode of representative messages, through the generated
 * bindings and through definitions loaded at run time, each against copying the same bytes.
 */
import { decode, encode, Reader, Writer, encodeTo, decodeFrom } from '../src/codec/index.js';
import * as acl from '../src/gen/acl.js';
import * as iface from '../src/gen/interface.js';
import * as memclnt from '../src/gen/memclnt.js';
import * as nat from '../src/gen/nat44_ed.js';
import { loadApiDir, messagesByName } from '../src/schema/index.js';
import type { MessageDef } from '../src/schema/index.js';
import { type Figure, opsPerSecond } from './measure.js';

const rule = {
  is_permit: 2 as const, src_prefix: '10.1.1.3/32', dst_prefix: '31.134.97.51/32', proto: 6 as const,
  srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80, dstport_or_icmpcode_last: 80,
  tcp_flags_mask: 0, tcp_flags_value: 0,
};
const aclWith = (n: number) => ({ acl_index: 0xffffffff, tag: 'bench', r: Array.from({ length: n }, () => rule) });

/** `value` with every field it leaves out given as zero. */
function withZeros(def: MessageDef, value: object): unknown {
  return decode(def, encode(def, value, undefined, { zeroFill: true }));
}

/** The messages measured, with a value for each. */
function cases(): { name: string; def: MessageDef; value: unknown }[] {
  return [
    { name: 'control_ping', def: memclnt.control_ping, value: {} },
    { name: 'acl_add_replace (1 rule)', def: acl.acl_add_replace, value: aclWith(1) },
    { name: 'acl_add_replace (100 rules)', def: acl.acl_add_replace, value: aclWith(100) },
    { name: 'acl_add_replace (1,000 rules)', def: acl.acl_add_replace, value: aclWith(1000) },
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

/** Measures every case: encode, decode, and `Buffer.copy` of the same bytes as the baseline. */
export async function codecBench(apiDir: string): Promise<Figure[]> {
  const runtime = messagesByName(await loadApiDir(apiDir));
  const figures: Figure[] = [];
  const w = new Writer(1 << 20);
  const r = new Reader(new Uint8Array(0));
  const BATCH = 64;
  for (const c of cases()) {
    const bytes = Buffer.from(encode(c.def, c.value));
    const dst = Buffer.allocUnsafe(bytes.length);
    const copy = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) bytes.copy(dst);
    }, BATCH);
    figures.push({ suite: 'codec', name: `${c.name}: Buffer.copy baseline`, opsPerSec: copy, bytesPerSec: copy * bytes.length, ratio: 1 });
    for (const [path, def] of [['generated', c.def], ['runtime-loaded', runtime.get(c.def.name)!]] as const) {
      const enc = opsPerSecond(() => {
        for (let i = 0; i < BATCH; i++) {
          w.pos = 0;
          encodeTo(w, def, c.value);
        }
      }, BATCH);
      const dec = opsPerSecond(() => {
        for (let i = 0; i < BATCH; i++) {
          r.reset(bytes, 0, bytes.length);
          decodeFrom(r, def);
        }
      }, BATCH);
      const both = 1 / (1 / enc + 1 / dec);
      figures.push({ suite: 'codec', name: `${c.name}: encode (${path})`, opsPerSec: enc, bytesPerSec: enc * bytes.length, ratio: copy / enc });
      figures.push({ suite: 'codec', name: `${c.name}: decode (${path})`, opsPerSec: dec, bytesPerSec: dec * bytes.length, ratio: copy / dec });
      const ratio = copy / both;
      // The target: decode + encode of acl_add_replace with 100 rules within 10× copying its bytes.
      const target = c.name === 'acl_add_replace (100 rules)' ? `${ratio <= 10 ? '✓' : '✗'} ≤ 10× Buffer.copy (${ratio.toFixed(0)}×)` : undefined;
      figures.push({ suite: 'codec', name: `${c.name}: decode + encode (${path})`, opsPerSec: both, ratio, ...(target && { target }) });
    }
    // Keep the decoded value observable so nothing is optimised away.
    if ((decode(c.def, bytes) as { _vl_msg_id?: number })._vl_msg_id !== 0) throw new Error('unexpected decode');
  }
  return figures;
}
