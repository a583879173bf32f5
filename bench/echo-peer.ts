/**
 * The reference peer: a minimal VPP stand-in that answers `control_ping` with as little work as
 * possible, so the client's own cost can be measured apart from VPP's and the simulator's.
 *
 * - It does the `sockclnt_create` handshake with a message table of memclnt's 28 messages (ids 1-28,
 *   as VPP numbers them), built once.
 * - Each `control_ping` frame is answered by copying a prebuilt `control_ping_reply` frame and
 *   patching the request's context into it; every reply for one read goes out in one write.
 * - `sockclnt_delete` is answered (`response = 1`) and the socket closed, as VPP does. Anything
 *   else is dropped.
 *
 * It runs in a process of its own ({@link startEchoPeer} forks this file with `--serve`), so the
 * client being measured has its core to itself. {@link RawPinger} gives the peer's own round-trip
 * floor: a client written straight against the socket (no vppkit) doing one ping at a time.
 *
 * Nothing here uses vppkit except memclnt's names and CRCs, read from the generated bindings.
 */
import { type Socket, createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { forkPeer } from './peer-process.js';
import { apiModule as memclnt } from '../src/gen/memclnt.js';

const HEADER = 16;
const SOCKCLNT_CREATE = 15;
const SOCKCLNT_CREATE_REPLY = 16;
const SOCKCLNT_DELETE = 17;
const SOCKCLNT_DELETE_REPLY = 18;
const CONTROL_PING = 23;
const CONTROL_PING_REPLY = 24;
const CLIENT_INDEX = 0x80000001;
/** control_ping: {u16 id, u32 client_index, u32 context}. */
const PING_PAYLOAD = 10;
const PING_FRAME = HEADER + PING_PAYLOAD;
/** control_ping_reply: {u16 id, u32 context, i32 retval, u32 client_index, u32 vpe_pid}. */
const PONG_PAYLOAD = 18;
const PONG_FRAME = HEADER + PONG_PAYLOAD;

/** A frame: 16-byte header (u64 q = 0, u32 BE length, u32 timestamp = 0), then `payload` bytes. */
function frame(payload: number): Buffer {
  const b = Buffer.alloc(HEADER + payload);
  b.writeUInt32BE(payload, 8);
  return b;
}

/** memclnt's messages as VPP numbers them (1-28, in definition order), as table entries. */
function messageTable(): { index: number; name: string }[] {
  const table = memclnt.messages.map((m, i) => ({ index: i + 1, name: `${m.name}_${m.crc.replace(/^0x/, '')}` }));
  // The peer relies on these ids; check them against the bindings once.
  const want: Record<number, string> = { [SOCKCLNT_CREATE]: 'sockclnt_create', [SOCKCLNT_DELETE]: 'sockclnt_delete', [CONTROL_PING]: 'control_ping', [CONTROL_PING_REPLY]: 'control_ping_reply' };
  for (const [id, name] of Object.entries(want)) if (!table[Number(id) - 1]!.name.startsWith(`${name}_`)) throw new Error(`echo peer: memclnt id ${id} is not ${name}`);
  return table;
}

/** sockclnt_create_reply: {u16 id, u32 client_index, u32 context, i32 response, u32 index, u16 count, {u16 index, char name[64]}[count]}. */
function handshakeReply(): Buffer {
  const table = messageTable();
  const b = frame(2 + 4 + 4 + 4 + 4 + 2 + table.length * 66);
  let o = HEADER;
  b.writeUInt16BE(SOCKCLNT_CREATE_REPLY, o);
  o += 2 + 4 + 4 + 4; // client_index 0, context (patched per connection), response 0
  b.writeUInt32BE(CLIENT_INDEX, o);
  b.writeUInt16BE(table.length, o + 4);
  o += 6;
  for (const e of table) {
    b.writeUInt16BE(e.index, o);
    b.write(e.name, o + 2, 63, 'latin1');
    o += 66;
  }
  return b;
}

/** Serves on `path` until killed. */
function serve(path: string, onListening: () => void): void {
  const hello = handshakeReply();
  const pong = frame(PONG_PAYLOAD);
  pong.writeUInt16BE(CONTROL_PING_REPLY, HEADER);
  pong.writeUInt32BE(CLIENT_INDEX, HEADER + 10);
  pong.writeUInt32BE(process.pid, HEADER + 14);
  const bye = frame(2 + 4 + 4);
  bye.writeUInt16BE(SOCKCLNT_DELETE_REPLY, HEADER);
  bye.writeInt32BE(1, HEADER + 6);

  const server = createServer((socket) => {
    let rest: Buffer | null = null;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      const buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
      rest = null;
      // At most one reply per 26 bytes read: size the batch once, write it once.
      const out = Buffer.allocUnsafe(Math.ceil(buf.length / PING_FRAME) * PONG_FRAME);
      let n = 0;
      let pos = 0;
      while (pos + HEADER <= buf.length) {
        const len = buf.readUInt32BE(pos + 8);
        const end = pos + HEADER + len;
        if (end > buf.length) break;
        const p = pos + HEADER;
        const id = len >= 2 ? buf.readUInt16BE(p) : 0;
        if (id === CONTROL_PING && len >= PING_PAYLOAD) {
          pong.copy(out, n);
          // context: bytes 6-9 of the request's payload, bytes 2-5 of the reply's.
          buf.copy(out, n + HEADER + 2, p + 6, p + 10);
          n += PONG_FRAME;
        } else if (id === SOCKCLNT_CREATE && len >= 6) {
          if (n > 0) socket.write(out.subarray(0, n));
          n = 0;
          const reply = Buffer.from(hello);
          buf.copy(reply, HEADER + 6, p + 2, p + 6);
          socket.write(reply);
        } else if (id === SOCKCLNT_DELETE && len >= 10) {
          if (n > 0) socket.write(out.subarray(0, n));
          n = 0;
          const reply = Buffer.from(bye);
          buf.copy(reply, HEADER + 2, p + 6, p + 10);
          socket.end(reply);
          return;
        }
        pos = end;
      }
      if (pos < buf.length) rest = Buffer.from(buf.subarray(pos));
      if (n > 0) socket.write(out.subarray(0, n));
    });
  });
  server.listen(path, onListening);
}

/** A running echo peer in its own process. */
export interface EchoPeer {
  readonly socketPath: string;
  readonly pid: number;
  close(): Promise<void>;
}

/** Forks this file as the echo peer and resolves once it listens. */
export async function startEchoPeer(): Promise<EchoPeer> {
  const peer = await forkPeer(fileURLToPath(import.meta.url), 'echo');
  return { socketPath: peer.socketPath, pid: peer.child.pid!, close: peer.close };
}

/**
 * The echo peer's own round-trip floor: a client with no vppkit, written straight against the
 * socket, that sends one `control_ping` (a prebuilt frame, context patched) from inside the `data`
 * handler as soon as the last reply is in. Open it with {@link RawPinger.open}; {@link run} it
 * as often as needed (the bench interleaves its runs with vppkit's, so both see the same machine).
 */
export class RawPinger {
  private context = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly ping: Buffer,
  ) {}

  /** Connects and does the handshake, reading the ping's id and the client index from the table. */
  static async open(socketPath: string): Promise<RawPinger> {
    const socket: Socket = createConnection(socketPath);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    // sockclnt_create {u16 id, u32 context, char name[64]}
    const create = frame(2 + 4 + 64);
    create.writeUInt16BE(SOCKCLNT_CREATE, HEADER);
    create.write('raw-floor', HEADER + 6, 'latin1');
    const hello = await new Promise<Buffer>((resolve) => {
      let acc = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        acc = Buffer.concat([acc, chunk]);
        if (acc.length >= HEADER && acc.length >= HEADER + acc.readUInt32BE(8)) {
          socket.off('data', onData);
          resolve(acc.subarray(HEADER, HEADER + acc.readUInt32BE(8)));
        }
      };
      socket.on('data', onData);
      socket.write(create);
    });
    const clientIndex = hello.readUInt32BE(14);
    const entries = hello.readUInt16BE(18);
    const want = `control_ping_${memclnt.messages[CONTROL_PING - 1]!.crc.slice(2)}`;
    let pingId = -1;
    for (let i = 0, o = 20; i < entries; i++, o += 66) {
      if (hello.toString('latin1', o + 2, o + 2 + 64).replace(/\0.*$/s, '') === want) pingId = hello.readUInt16BE(o);
    }
    if (pingId < 0) throw new Error('raw floor client: no control_ping in the table');
    const ping = frame(PING_PAYLOAD);
    ping.writeUInt16BE(pingId, HEADER);
    ping.writeUInt32BE(clientIndex, HEADER + 2);
    return new RawPinger(socket, ping);
  }

  /**
   * `n` pings, one at a time. Resolves with the rate (round trips/s); pushes each round trip's
   * latency in µs to `latencies` when given.
   */
  run(n: number, latencies?: number[]): Promise<number> {
    const { socket, ping } = this;
    return new Promise((resolve) => {
      let got = 0;
      let pending = 0; // bytes of the reply frame still to come
      let sentAt = 0;
      const start = performance.now();
      const send = (): void => {
        ping.writeUInt32BE(++this.context >>> 0, HEADER + 6);
        pending = PONG_FRAME;
        sentAt = performance.now();
        socket.write(ping);
      };
      const onData = (chunk: Buffer): void => {
        pending -= chunk.length;
        if (pending > 0) return;
        const now = performance.now();
        latencies?.push((now - sentAt) * 1000);
        if (++got === n) {
          socket.off('data', onData);
          resolve(n / ((now - start) / 1000));
        } else send();
      };
      socket.on('data', onData);
      send();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

if (process.argv[2] === '--serve' && process.argv[1] === fileURLToPath(import.meta.url)) {
  serve(process.argv[3]!, () => process.send?.('listening'));
  process.on('disconnect', () => process.exit(0));
}
