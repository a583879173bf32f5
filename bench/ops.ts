/**
 * Runs N encodes or decodes of `acl_details` with 1,000 rules and does nothing else, for counting
 * instructions where wall-clock rates wobble too much (see docs/performance.md):
 *
 *   valgrind --tool=callgrind --smc-check=all-non-file node --single-threaded --import tsx bench/ops.ts OP N
 *
 * OP: `encode` or `decode` with vppkit's generated codec, `encode-runtime` or `decode-runtime`
 * with definitions loaded at run time, `encode-protobufjs` or `decode-protobufjs`. The count per
 * operation is the difference between two runs with different N, divided by the difference in N.
 */
import { join } from 'node:path';
import { decode, decodeFrom, encode, encodeTo, Reader, Writer } from '../src/codec/index.js';
import * as acl from '../src/gen/acl.js';
import { toProtoObject } from '../src/proto/index.js';
import { loadApiDir, messagesByName } from '../src/schema/index.js';
import { protobufTypes, rules } from './codec.js';

const [op = '', count = ''] = process.argv.slice(2);
const n = Number(count);
if (!/^(encode|decode)(-runtime|-protobufjs)?$/.test(op) || !Number.isInteger(n) || n < 0) {
  console.error('usage: ops.ts encode|decode[-runtime|-protobufjs] N');
  process.exit(2);
}
const apiDir = join(import.meta.dirname, '..', 'api-json');
const value = { acl_index: 7, tag: 'bench', r: rules(1000) };
const bytes = Buffer.from(encode(acl.acl_details, value));
let run: () => void;
if (op.endsWith('-protobufjs')) {
  const type = (await protobufTypes(apiDir, [acl.acl_details]))(acl.acl_details);
  const object = toProtoObject(acl.acl_details, decode(acl.acl_details, bytes));
  const wire = type.encode(type.fromObject(object)).finish();
  run = op.startsWith('encode') ? () => void type.encode(type.fromObject(object)).finish() : () => void type.toObject(type.decode(wire));
} else {
  const def = op.endsWith('-runtime') ? messagesByName(await loadApiDir(apiDir)).get('acl_details')! : acl.acl_details;
  const w = new Writer(1 << 20);
  const r = new Reader(bytes);
  run = op.startsWith('encode')
    ? () => {
      w.pos = 0;
      encodeTo(w, def, value);
    }
    : () => {
      r.reset(bytes, 0, bytes.length);
      decodeFrom(r, def);
    };
}
for (let i = 0; i < n; i++) run();
