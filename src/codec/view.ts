/**
 * Message views: a message read in place, each field decoded when it is read.
 *
 * A view keeps the received bytes and decodes nothing up front. A field at a fixed offset with a
 * fixed size (scalars, fixed strings before any variable-length field) is decoded
 * from its own bytes on each read. The other fields (variable-length arrays and what follows
 * them) are decoded together, once, on the first read of any of them, by the message's ordinary
 * decoder. So every field reads as the same value as in the decoded object.
 *
 * For big dumps where only some fields are read: a view costs one small object per message, and
 * an array of 1,000 ACL rules is never built unless `r` is read.
 *
 * @module
 */
import { type MessageDef, headerFields, headerSize } from '../schema/model.js';
import type { DecodeError } from '../errors/index.js';
import { Reader } from './buffers.js';
import { type TypeCodec, compile, compileField, fieldSize } from './compile.js';
import { rt } from './runtime.js';

/**
 * What every view holds: the message's bytes `$buf[$start..$end)` and, once read, its variable part.
 * Detached (the transport reuses its buffer), the bytes are held as latin1 text in `$copy`
 * instead: a copy inside V8's heap, which dies young with the view and so costs no full GC, unlike
 * new memory outside it. A field read after that is decoded from the text copied into one
 * shared scratch buffer (decoded values never share the bytes they come from).
 */
interface ViewState {
  // Named with a `$`, which no VPP field name has: a view's own properties would hide its fields.
  $buf: Buffer | null;
  $start: number;
  $end: number;
  $rest: Record<string, unknown> | undefined;
  $copy: string | undefined;
}

type ViewClass = new (buf: Buffer, start: number, end: number) => object;

const classes = new WeakMap<MessageDef, ViewClass>();
const reader = new Reader(Buffer.alloc(0));
let scratch = Buffer.allocUnsafe(4096);
/** The view's own methods: a field of the same name would hide one. */
const METHODS = new Set(['toJSON', 'detach']);

/**
 * A view of message `def` over `bytes[start..end)`, without copying them: they must not change
 * while the view is used, until its `detach()` method copies them. Reading a field of a malformed
 * message throws a {@link DecodeError} naming the message; `JSON.stringify` and `toJSON()` give
 * the decoded message.
 */
export function viewOf(def: MessageDef, bytes: Uint8Array, start = 0, end = bytes.byteLength): object {
  let View = classes.get(def);
  if (!View) classes.set(def, (View = viewClass(def)));
  return new View(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), start, end);
}

/**
 * The shared reader over bytes `[from, from + size)` of the view: where they were received, or,
 * once detached, copied from its text to the start of the shared scratch buffer.
 */
function readerAt(v: ViewState, from: number, size: number): Reader {
  if (v.$buf !== null) {
    reader.reset(v.$buf, from, from + size);
    return reader;
  }
  const copy = v.$copy!;
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 2 * scratch.length));
  scratch.write(size === copy.length ? copy : copy.slice(from, from + size), 0, 'latin1');
  reader.reset(scratch, 0, size);
  return reader;
}

function viewClass(def: MessageDef): ViewClass {
  class View implements ViewState {
    $rest: Record<string, unknown> | undefined = undefined;
    $copy: string | undefined = undefined;
    constructor(
      public $buf: Buffer | null,
      public $start: number,
      public $end: number,
    ) {}

    /** The decoded message, as `decode` gives it: for `JSON.stringify` and for keeping. */
    toJSON(): Record<string, unknown> {
      return Object.fromEntries(fields.map((f) => [f.name, (this as unknown as Record<string, unknown>)[f.name]]));
    }

    /** Copies the bytes out of the buffer they were read into, which may then be reused. */
    detach(): void {
      if (this.$buf === null) return;
      this.$copy = this.$buf.toString('latin1', this.$start, this.$end);
      this.$buf = null;
      this.$end -= this.$start;
      this.$start = 0;
    }
  }
  // The header is left out, as `decode` leaves it out; it still counts for the offsets.
  const header = headerFields(def);
  const fields = def.fields.slice(header.length);
  let at: number | undefined = headerSize(header);
  for (const f of fields) {
    if (METHODS.has(f.name)) throw new TypeError(`cannot view ${def.name}: its field ${f.name} has the name of a view method`);
    const size = fieldSize(f);
    const get = at !== undefined && size !== undefined ? fixedField(def, compileField(f, `${def.name}_${f.name}`), at, size) : restField(def, f.name);
    Object.defineProperty(View.prototype, f.name, { get, enumerable: true });
    at = at === undefined || size === undefined ? undefined : at + size;
  }
  return View;
}

/** A getter decoding a fixed-size field from its own bytes at `at`. */
function fixedField(def: MessageDef, codec: TypeCodec, at: number, size: number): (this: ViewState) => unknown {
  return function (this: ViewState) {
    const from = this.$start + at;
    if (from + size > this.$end) throw rt.decodeError(def.name, rt.short(from, size, this.$end));
    return codec.dec(readerAt(this, from, size));
  };
}

/** A getter for a field of the variable part, decoded with the whole message on first read. */
function restField(def: MessageDef, name: string): (this: ViewState) => unknown {
  return function (this: ViewState) {
    if (this.$rest === undefined) {
      const r = readerAt(this, this.$start, this.$end - this.$start);
      try {
        this.$rest = compile(def).dec(r) as Record<string, unknown>;
      } catch (err) {
        throw rt.decodeError(def.name, err);
      }
    }
    return this.$rest[name];
  };
}
