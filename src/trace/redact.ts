/**
 * Redaction: fields named in a list are zeroed, at any depth, before a message is recorded. The
 * zero keeps the field's type and size, so the record still encodes.
 *
 * @module
 */
import { Reader } from '../codec/buffers.js';
import { compile } from '../codec/compile.js';
import { protoField } from '../proto/mapping.js';
import type { FieldDef, MessageDef, StructDef } from '../schema/model.js';

/**
 * The key fields of VPP 26.06's ipsec, wireguard and ikev2 messages: `crypto_key` and
 * `integrity_key` (ipsec SAs), `private_key` and `preshared_key` (wireguard), `keys` (ikev2 SA
 * keys). A suggestion for {@link TraceOptions.redact}; nothing is redacted unless asked.
 */
export const KEY_FIELDS: readonly string[] = ['crypto_key', 'integrity_key', 'private_key', 'preshared_key', 'keys'];

type Obj = Record<string, unknown>;

/**
 * Zeroes, in `value` (a decoded message or type `def`, changed in place), every field whose name
 * is in `names`, and returns their paths (`entry.crypto_key`).
 */
export function redact(def: MessageDef | StructDef, value: Obj, names: ReadonlySet<string>, path = '', found: string[] = []): string[] {
  for (const f of def.fields) {
    const x = value[f.name];
    if (x === undefined) continue;
    if (names.has(f.name)) {
      value[f.name] = zeroField(f, x);
      found.push(path + f.name);
      continue;
    }
    const shape = protoField(f).shape;
    if (shape.kind !== 'message') continue;
    for (const el of Array.isArray(x) ? x : [x]) redact(shape.def, el as Obj, names, `${path}${f.name}.`, found);
  }
  return found;
}

/** The zero of field `f` with `x`'s shape: same array lengths, same byte sizes. */
function zeroField(f: FieldDef, x: unknown): unknown {
  const pf = protoField(f);
  const one = (v: unknown): unknown => {
    const s = pf.shape;
    if (s.kind === 'message') return zeroStruct(s.def, v as Obj);
    // Text (an address) has no empty form: the zero bytes read as the type.
    if (s.kind === 'text') {
      const codec = compile(s.def);
      return codec.dec(new Reader(new Uint8Array(codec.size ?? 0)));
    }
    return zeroScalar(v);
  };
  return pf.repeated && Array.isArray(x) ? x.map(one) : one(x);
}

function zeroStruct(def: StructDef, v: Obj): Obj {
  const out: Obj = {};
  for (const f of def.fields) if (v[f.name] !== undefined) out[f.name] = zeroField(f, v[f.name]);
  return out;
}

function zeroScalar(v: unknown): unknown {
  if (typeof v === 'number') return 0;
  if (typeof v === 'bigint') return 0n;
  if (typeof v === 'boolean') return false;
  if (typeof v === 'string') return '';
  if (v instanceof Uint8Array) return new Uint8Array(v.length);
  if (Array.isArray(v)) return v.map(zeroScalar);
  return v;
}
