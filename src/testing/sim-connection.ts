/**
 * One client's connection to the simulator: requests decoded and handed over in order, answers
 * encoded out. Framing and write batching are the client's own: a {@link SocketTransport} on the
 * accepted socket.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { type Header, decode, encodeTo, readHeader } from '../codec/index.js';
import { ProtocolError } from '../errors/index.js';
import type { MessageDef } from '../schema/model.js';
import { SocketTransport } from '../transport/socket.js';
import type { Fields } from './handler-types.js';

/** What a connection needs from the simulator that accepted it. */
export interface ConnectionHost {
  /** The largest frame accepted from a client. */
  readonly maxFrameSize: number;
  /** The definition of message `name`. */
  definition(name: string): MessageDef;
  /** The id the current table gives `name`. */
  idOf(name: string): number;
  /** The definition the current table gives `id`. */
  definitionAt(id: number): MessageDef | undefined;
  /** The `want_*` requests whose events include `name`. */
  subscriptionsFor(name: string): ReadonlySet<string>;
  /** Runs the handler of one request; returns a promise when it must be waited for. */
  dispatch(conn: SimConnection, def: MessageDef, value: Fields, header: Header): Promise<void> | undefined;
  /** Something went wrong with no one to answer. */
  report(err: Error): void;
  /** Streaming details had to wait for `conn` to read. */
  backpressure(conn: SimConnection): void;
  /** `conn`'s socket closed. */
  disconnected(conn: SimConnection): void;
}

/** One client's connection to the simulator. */
export class SimConnection {
  /** The handle given to the client (`0x80000000 | n`), checked on every request as VPP does. */
  readonly index: number;
  /** The name the client gave in `sockclnt_create`. */
  name = '';
  /** Active `want_*` subscriptions: request name to the pid the client sent. */
  readonly subscriptions = new Map<string, number>();
  /** Whether the socket has closed. */
  closed = false;
  private readonly transport: SocketTransport;
  private readonly queue: ([MessageDef, Fields, Header] | undefined)[] = [];
  private queueHead = 0;
  private busy = false;

  /** @internal */
  constructor(
    private readonly sim: ConnectionHost,
    readonly socket: Socket,
    n: number,
  ) {
    this.index = (0x80000000 | n) >>> 0;
    const listener = { message: (buf: Buffer, start: number, end: number) => this.frame(buf, start, end), closed: (cause: Error | undefined) => this.ended(cause) };
    this.transport = new SocketTransport(socket, listener, sim.maxFrameSize, 'the client');
  }

  /** The socket closed. A frame VPP would not accept (a `ProtocolError`) closes it too: VPP drops such a client. */
  private ended(cause: Error | undefined): void {
    this.closed = true;
    if (cause instanceof ProtocolError) this.sim.report(cause);
    this.sim.disconnected(this);
  }

  /** Sends message `name` with `fields` and the given header (`context`, …). */
  sendMessage(name: string, fields: Fields, header: Header = {}): void {
    this.send(this.sim.definition(name), fields, header);
  }

  /** @internal Encodes `value` as `def` with this simulator's id for it, in the next write. */
  send(def: MessageDef, value: Fields, header: Header): void {
    if (this.closed) return;
    const id = this.sim.idOf(def.name);
    const w = this.transport.begin();
    try {
      // Handlers answer with the fields they care about; VPP's answers carry zeros for the rest.
      encodeTo(w, def, value, { ...header, _vl_msg_id: id }, { zeroFill: true });
    } catch (err) {
      this.transport.cancel();
      this.sim.report(err as Error);
      return;
    }
    this.transport.commit();
  }

  /**
   * Sends event `name` to this client, with its `client_index` and the pid of the client's
   * subscription filled in unless given.
   */
  event(name: string, fields: Fields): void {
    const def = this.sim.definition(name);
    const pid = [...this.sim.subscriptionsFor(name)].map((want) => this.subscriptions.get(want)).find((p) => p !== undefined);
    this.send(def, { pid: pid ?? 0, ...fields }, { client_index: this.index });
  }

  /** Writes raw bytes, as they are (for malformed frames). */
  sendRaw(bytes: Uint8Array): void {
    if (!this.closed) this.transport.writeRaw(bytes);
  }

  /** Bytes encoded and not yet written. */
  get pendingBytes(): number {
    return this.transport.pendingBytes;
  }

  /** @internal Writes what is batched; false when the socket's buffer is full. */
  flush(): boolean {
    if (this.closed) return true;
    const ok = this.transport.flush();
    if (!ok) this.sim.backpressure(this);
    return ok;
  }

  /** @internal Resolves when the socket's buffer has drained, or the socket closed. */
  drained(): Promise<void> {
    return this.transport.drained();
  }

  /** Closes the connection at once, as a crashing VPP would (after writing what it has sent). */
  destroy(): void {
    this.flush();
    this.transport.destroy();
  }

  /** Writes what is batched, then closes (as `sockclnt_delete` does). */
  end(): void {
    if (!this.closed) this.transport.end();
  }

  private frame(buf: Buffer, start: number, end: number): void {
    const id = buf.readUInt16BE(start);
    const def = this.sim.definitionAt(id);
    // Unknown ids and short messages get no answer from VPP: it logs and drops them.
    if (!def) return;
    let value: Fields;
    let header: Header;
    try {
      header = readHeader(def, buf, start, end);
      value = decode(def, buf, start, end) as Fields;
    } catch {
      return;
    }
    if (header.client_index !== undefined && header.client_index !== this.index) return;
    this.queue.push([def, value, header]);
    this.pump();
  }

  /** Handles queued requests in order; an async handler holds the rest until it settles. */
  private pump(): void {
    while (!this.busy && this.queueHead < this.queue.length && !this.closed) {
      const [def, value, header] = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined;
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      const pending = this.sim.dispatch(this, def, value, header);
      if (pending) {
        this.busy = true;
        void pending.then(() => {
          this.busy = false;
          this.pump();
        });
      }
    }
  }
}
