/**
 * Node's own floor for a big `acl_dump`: the C client's work done in Node with no library. One
 * socket, `onread` into one reused 4 MiB buffer, frames cut in place, each `acl_details`' rule
 * count summed; nothing is decoded or allocated per message. Whatever vppkit costs above this is
 * vppkit's; what this costs above the C client is Node's (its event loop and a JS call per read).
 */
import { type Socket, createConnection } from 'node:net';

const HEADER = 16;
const BUFFER_SIZE = 1 << 22;
const READ_SIZE = 64 * 1024;

/** A connected raw client: `dump()` runs one `acl_dump` + `control_ping` and resolves with its rule count. */
export interface RawDumper {
  dump(): Promise<number>;
  /** Says goodbye (`sockclnt_delete`) and waits for VPP to close the socket. */
  close(): Promise<void>;
}

/** One framed message: the 16-byte header (`q`, length, timestamp) and `payload`. */
function frame(payload: Buffer): Buffer {
  const f = Buffer.alloc(HEADER + payload.length);
  f.writeUInt32BE(payload.length, 8);
  payload.copy(f, HEADER);
  return f;
}

/** Connects to `path`, says hello (`sockclnt_create`, id 15) and finds the ids it needs. */
export async function rawDumper(path: string): Promise<RawDumper> {
  const buf = Buffer.allocUnsafe(BUFFER_SIZE);
  let have = 0;
  let pos = 0;
  let onMessage: (at: number) => void = () => {};
  const socket: Socket = createConnection({
    path,
    onread: {
      buffer: () => {
        if (BUFFER_SIZE - have < READ_SIZE) {
          buf.copy(buf, 0, pos, have);
          have -= pos;
          pos = 0;
        }
        return buf.subarray(have);
      },
      callback: (n) => {
        have += n;
        while (have - pos >= HEADER) {
          const len = buf.readUInt32BE(pos + 8);
          if (have - pos < HEADER + len) break;
          onMessage(pos + HEADER);
          pos += HEADER + len;
        }
        if (pos === have) pos = have = 0;
        return true;
      },
    },
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const hello = Buffer.alloc(70); // sockclnt_create: id, context, name[64]
  hello.writeUInt16BE(15);
  hello.write('raw-node', 6);
  const table = await new Promise<Buffer>((resolve) => {
    onMessage = (at) => resolve(Buffer.from(buf.subarray(at, at + buf.readUInt32BE(at - 8))));
    socket.write(frame(hello));
  });
  const client = table.readUInt32BE(14);
  const idOf = (name: string): number => {
    for (let i = 0, n = table.readUInt16BE(18); i < n; i++) {
      const at = 20 + 66 * i;
      const full = table.toString('latin1', at + 2, at + 66).replace(/\0.*/s, '');
      if (full.startsWith(`${name}_`) && !full.slice(name.length + 1).includes('_')) return table.readUInt16BE(at);
    }
    throw new Error(`bench: VPP has no ${name}`);
  };
  const [dumpId, detailsId, pingId, pongId, deleteId] = ['acl_dump', 'acl_details', 'control_ping', 'control_ping_reply', 'sockclnt_delete'].map(idOf) as [number, number, number, number, number];
  let context = 0;
  return {
    dump: () => new Promise((resolve) => {
      const c = ++context;
      let rules = 0;
      onMessage = (at) => {
        const id = buf.readUInt16BE(at);
        if (id === detailsId && buf.readUInt32BE(at + 2) === c) rules += buf.readUInt32BE(at + 74);
        else if (id === pongId && buf.readUInt32BE(at + 2) === c) resolve(rules);
      };
      const dump = Buffer.alloc(14);
      dump.writeUInt16BE(dumpId);
      dump.writeUInt32BE(client, 2);
      dump.writeUInt32BE(c, 6);
      dump.writeUInt32BE(0xffffffff, 10);
      const ping = Buffer.alloc(10);
      ping.writeUInt16BE(pingId);
      ping.writeUInt32BE(client, 2);
      ping.writeUInt32BE(c, 6);
      socket.write(Buffer.concat([frame(dump), frame(ping)]));
    }),
    close: () => new Promise((resolve) => {
      const bye = Buffer.alloc(14); // sockclnt_delete: client_index, context, index
      bye.writeUInt16BE(deleteId);
      bye.writeUInt32BE(client, 2);
      bye.writeUInt32BE(client, 10);
      socket.once('close', () => resolve());
      socket.end(frame(bye));
    }),
  };
}
