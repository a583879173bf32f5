/**
 * The trace file: payloads in the exported protobuf schema, damaged files read up to the damage,
 * redaction of key fields.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/index.js';
import { decode, encode } from '../../src/codec/index.js';
import { protoFullName } from '../../src/proto/mapping.js';
import { withImports } from '../../codegen/generate.js';
import { VppSimulator, startVppModel } from '../../src/testing/index.js';
import { KEY_FIELDS, PayloadSchemas, type TraceEntry, TraceError, type TraceRecord, readTrace } from '../../src/trace/index.js';
import { struct } from '../helpers/arbitrary.js';
import { allMessages, allModules } from '../helpers/reference.js';
import { generatedProtos, load } from '../proto/protos.js';
import { scenario } from './scenario.js';

const work = mkdtempSync(join(tmpdir(), 'vppkit-trace-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

/** Reads `source` to the end: the entries before any error, and the error. */
async function readAll(source: string | Uint8Array, options = {}): Promise<{ entries: TraceEntry[]; error: unknown }> {
  const entries: TraceEntry[] = [];
  try {
    for await (const e of readTrace(source, options)) entries.push(e);
  } catch (error) {
    return { entries, error };
  }
  return { entries, error: undefined };
}

let recorded: Promise<string> | undefined;
/** The scenario's trace, recorded once. */
function scenarioTrace(): Promise<string> {
  recorded ??= (async () => {
    const vpp = await startVppModel();
    const file = join(work, 'scenario.trace');
    const client = await connect({ socket: vpp.socketPath, trace: { file } });
    await scenario(client);
    await client.close();
    await vpp.close();
    return file;
  })();
  return recorded;
}

describe('payloads', () => {
  it('encode as the .proto files of vppkit gen --proto do, for random values of every message', async () => {
    const root = load((await generatedProtos()).files);
    const schemas = new PayloadSchemas();
    const messages = [...(await allMessages()).values()];
    for (const def of messages) {
      fc.assert(
        fc.property(struct(def), (value) => {
          const decoded = decode(def, encode(def, value));
          const ours = schemas.encode(def, decoded);
          const type = root.lookupType(protoFullName(def));
          const theirs = type.encode(type.fromObject(type.toObject(type.decode(ours), { longs: String }))).finish();
          expect(Buffer.from(ours).toString('hex'), def.name).toBe(Buffer.from(theirs).toString('hex'));
          // Protobuf leaves zeros out: the value read back is encoded as protobuf means it.
          expect(encode(def, schemas.decode(def, ours), undefined, { zeroFill: true })).toEqual(encode(def, value));
        }),
        { numRuns: 3 },
      );
    }
    expect(messages.length).toBe(2095);
  }, 120_000); // 2,095 messages through two codecs and protobufjs: near the default limit on a busy machine

  it('decode with the generated schemas to the recorded messages', async () => {
    const root = load((await generatedProtos()).files);
    const { entries } = await readAll(await scenarioTrace());
    const records = entries.filter((e): e is TraceRecord => e.kind === 'record');
    expect(records.length).toBeGreaterThan(20);
    for (const r of records) {
      const type = root.lookupType(`vpp.${r.module}.${r.name.split('_').map((p) => p[0]!.toUpperCase() + p.slice(1)).join('')}`);
      expect(type.toObject(type.decode(r.payload), { longs: String })).toBeTypeOf('object');
      expect(r.message).toBeDefined();
    }
  });
});

describe('a damaged trace', () => {
  it('cut mid-record: every record before it, then a TraceError naming the record and its byte offset', async () => {
    const bytes = readFileSync(await scenarioTrace());
    const { entries: whole } = await readAll(bytes);
    const seventh = whole[7] as TraceRecord;
    const cut = bytes.subarray(0, seventh.offset + 10);
    const { entries, error } = await readAll(cut);
    expect(entries).toEqual(whole.slice(0, 7));
    expect(error).toBeInstanceOf(TraceError);
    expect(error).toMatchObject({ record: 7, offset: seventh.offset });
    expect((error as Error).message).toMatch(new RegExp(`^trace record 7 at byte ${seventh.offset} is cut short: it needs \\d+ bytes after its 1-byte length, the file has 9`));
  });

  it('bytes flipped inside a record: the records before it, then a TraceError at it', async () => {
    const bytes = Buffer.from(readFileSync(await scenarioTrace()));
    const { entries: whole } = await readAll(bytes);
    const twelfth = whole[12] as TraceRecord;
    bytes[twelfth.offset + 6]! ^= 0x5a;
    bytes[twelfth.offset + 7]! ^= 0xff;
    const { entries, error } = await readAll(bytes);
    expect(entries).toEqual(whole.slice(0, 12));
    expect(error).toMatchObject({ name: 'TraceError', record: 12, offset: twelfth.offset });
    expect((error as Error).message).toMatch(/^trace record 12 at byte \d+ is damaged: its checksum does not match/);
  });

  it('a damaged length prefix, a file that is not a trace, an empty file', async () => {
    const bytes = Buffer.from(readFileSync(await scenarioTrace()));
    const { entries: whole } = await readAll(bytes);
    const third = whole[3] as TraceRecord;
    bytes[third.offset] = 0xff; // the length now runs past the next record
    const { entries, error } = await readAll(bytes);
    expect(entries).toHaveLength(3);
    expect(error).toMatchObject({ record: 3, offset: third.offset });
    expect((await readAll(Buffer.from('{"not": "a trace"}\n'))).error).toMatchObject({ record: 0, offset: 0 });
    const notOurs = await readAll(Buffer.from([3, 0x0a, 1, 0x41]));
    expect((notOurs.error as Error).message).toMatch(/^trace header at byte 0 is damaged|^not a vppkit trace/);
    expect((await readAll(new Uint8Array(0))).error).toMatchObject({ message: 'not a vppkit trace: the file is empty', record: 0 });
  });
});

describe('redaction', () => {
  it('zeroes the named fields at any depth, keeping sizes, and lists them in the record', async () => {
    const modules = withImports(await allModules(), ['wireguard', 'ipsec']);
    const sim = await VppSimulator.start<Record<string, any>>({ modules });
    open.unshift(sim);
    sim.handle('wireguard_interface_create', () => ({ sw_if_index: 5 }));
    sim.handle('ipsec_sad_entry_add', () => ({ stat_index: 1 }));
    const file = join(work, 'redacted.trace');
    const client = await connect<Record<string, any>>({ socket: sim.socketPath, definitions: modules, trace: { file, redact: KEY_FIELDS } });
    open.push(client);
    const privateKey = new Uint8Array(32).fill(0xab);
    const cryptoKey = new Uint8Array(128).fill(0xcd);
    await client.request('wireguard_interface_create', { interface: { user_instance: 0, sw_if_index: 0, private_key: privateKey, public_key: new Uint8Array(32).fill(0x11), port: 51820, src_ip: '10.0.0.1' }, generate_key: false });
    await client.request('ipsec_sad_entry_add', { entry: { sad_id: 1, spi: 1000, protocol: 50, crypto_algorithm: 1, crypto_key: { length: 16, data: cryptoKey }, integrity_algorithm: 0, integrity_key: { length: 0, data: new Uint8Array(128) }, flags: 0, tunnel: { src: '10.0.0.1', dst: '10.0.0.2' }, salt: 0, udp_src_port: 0, udp_dst_port: 0 } }, { zeroFill: true });
    await client.close();

    const { entries, error } = await readAll(file, { definitions: modules });
    expect(error).toBeUndefined();
    const sent = entries.filter((e): e is TraceRecord => e.kind === 'record' && e.direction === 'sent');
    const wg = sent.find((r) => r.name === 'wireguard_interface_create')!;
    expect(wg.redacted).toEqual(['interface.private_key']);
    const wgInterface = wg.message?.interface as Record<string, unknown>;
    expect(wgInterface.private_key).toEqual(new Uint8Array(32));
    expect(wgInterface.public_key).toEqual(new Uint8Array(32).fill(0x11));
    expect(wgInterface.port).toBe(51820);
    const sa = sent.find((r) => r.name === 'ipsec_sad_entry_add')!;
    expect(sa.redacted).toEqual(['entry.crypto_key', 'entry.integrity_key']);
    expect((sa.message?.entry as Record<string, unknown>).crypto_key).toEqual({ length: 0, data: new Uint8Array(128) });
    expect((sa.message?.entry as Record<string, unknown>).spi).toBe(1000);
    // The keys are nowhere in the file; the call itself sent them.
    const text = readFileSync(file);
    expect(text.includes(Buffer.from(privateKey))).toBe(false);
    expect(text.includes(Buffer.from(cryptoKey.subarray(0, 16)))).toBe(false);
    expect(sim.count('wireguard_interface_create')).toBe(1);
  });
});
