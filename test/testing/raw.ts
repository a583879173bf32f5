/** A bare protocol client for testing the simulator without vppkit's client. */
import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { type Header, decodeRaw, encodeTo } from '../../src/codec/index.js';
import type { MessageDef } from '../../src/schema/model.js';
import { FrameReader, FrameWriter } from '../../src/transport/index.js';

export class RawClient {
  readonly received: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private readonly writer = new FrameWriter();
  closed = false;

  private constructor(readonly socket: Socket) {
    const reader = new FrameReader(1 << 26, (buf, start, end) => {
      this.received.push(Buffer.from(buf.subarray(start, end)));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = createConnection(path);
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** Encodes and writes one message at once. */
  send(def: MessageDef, value: unknown, header: Header): void {
    const w = this.writer.begin();
    encodeTo(w, def, value, header);
    this.writer.commit();
    this.socket.write(this.writer.take());
  }

  /** Waits until `n` messages have arrived in all (or the socket closed). */
  async until(n: number): Promise<Buffer[]> {
    while (this.received.length < n && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.received;
  }

  /** The message ids of everything received. */
  ids(): number[] {
    return this.received.map((b) => b.readUInt16BE(0));
  }

  /** Received message `i` as `def`, with its header: the context and client_index are what these tests check. */
  decodeAt(i: number, def: MessageDef): Record<string, unknown> {
    return decodeRaw(def, this.received[i]!);
  }

  close(): void {
    this.socket.destroy();
  }
}
