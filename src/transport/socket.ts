/**
 * The Unix socket transport: VPP's API socket (`/run/vpp/api.sock`), framed. Both ends use it:
 * the client on the socket it connects, the simulator on each socket it accepts.
 *
 * @module
 */
import { type OnReadOpts, type Socket, createConnection } from 'node:net';
import type { Writer } from '../codec/buffers.js';
import { AbortError, ConnectionClosedError } from '../errors/index.js';
import { FrameReader, FrameWriter } from './framing.js';
import type { Keeper, Transport, TransportListener } from './transport.js';

/**
 * A {@link Transport} over a connected stream socket. Outgoing frames committed in one tick are
 * written with one `socket.write` (or sooner, with {@link flush}); incoming chunks are cut into
 * payloads in place, and a payload split between two chunks that follow each other in memory is
 * not copied either.
 */
export class SocketTransport implements Transport {
  private readonly reader: FrameReader;
  private readonly writer = new FrameWriter();
  private flushScheduled = false;
  private cause: Error | undefined;
  private done = false;

  /**
   * Wraps `socket` (already connected) and reports to `listener`. Frames over `maxFrameSize` from
   * `peer` (named in the error) end the connection.
   */
  constructor(
    private readonly socket: Socket,
    private readonly listener: TransportListener,
    maxFrameSize: number,
    peer = 'VPP',
    /** The buffer `onread` reads into, when it is reused (told of each message kept); without it, each read is a chunk of its own. */
    private readonly reads?: { keep(keeper: Keeper): void },
  ) {
    this.reader = new FrameReader(maxFrameSize, (buf, start, end) => listener.message(buf, start, end), peer);
    socket.on('data', this.received);
    socket.on('error', (err) => {
      this.cause ??= err;
    });
    socket.on('close', () => this.finish());
  }

  /** @internal Takes a chunk read from the socket: `buf[start..end)` (`onread`'s callback), or all of `buf` (its `data` events). */
  readonly received = (buf: Buffer, start?: number, end?: number): void => {
    try {
      this.reader.push(buf, start, end);
    } catch (err) {
      this.destroy(err as Error);
    }
  };

  /** @internal Moves the reader's unfinished frame to the start of `into`: see {@link FrameReader.moveTail}. */
  moveTail(into: Buffer, max: number): number {
    return this.reader.moveTail(into, max);
  }

  keep(keeper: Keeper): void {
    this.reads?.keep(keeper);
  }

  begin(): Writer {
    return this.writer.begin();
  }

  commit(): void {
    this.writer.commit();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the current tick's synchronous code and promise callbacks, before any I/O: one
      // write per tick, without setImmediate's extra trip round the event loop.
      process.nextTick(this.flush);
    }
  }

  cancel(): void {
    this.writer.cancel();
  }

  pause(): void {
    this.reader.pause();
    this.socket.pause();
  }

  resume(): void {
    try {
      this.reader.resume();
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (!this.reader.paused) this.socket.resume();
  }

  destroy(cause?: Error): void {
    this.cause ??= cause;
    this.reader.stop();
    this.socket.destroy();
  }

  /** Bytes committed and not yet written. */
  get pendingBytes(): number {
    return this.writer.size;
  }

  /**
   * Writes every frame committed since the last flush, in one write, now. Returns false when the
   * socket's buffer is full: wait for {@link drained} before writing much more.
   */
  readonly flush = (): boolean => {
    this.flushScheduled = false;
    if (this.writer.size === 0 || this.socket.destroyed) return true;
    return this.socket.write(this.writer.take());
  };

  /** Resolves when the socket's buffer has drained, or the socket closed. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Writes `bytes` as they are, after the frames committed before them (for malformed frames). */
  writeRaw(bytes: Uint8Array): void {
    this.flush();
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Writes what is committed, then closes the socket's sending side. */
  end(): void {
    this.flush();
    this.socket.end();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.reader.stop();
    this.listener.closed(this.cause);
  }
}

/** The least room a socket read is given. */
const READ_SIZE = 64 * 1024;
/** The buffer socket reads go into, one after another. */
const SLAB_SIZE = 256 * 1024;

/**
 * Reads for `net.connect`'s `onread`: each into the rest of one 256 KiB buffer, after the last, so
 * that a message split between two reads lies in one piece and {@link FrameReader} hands it over
 * without a copy. When less than 64 KiB is left, each message still kept in the buffer
 * ({@link SocketTransport.keep}, a view) copies itself out, the unfinished message at the end
 * moves to the start, and reading goes on after it. Reusing the one buffer matters: a big dump
 * through fresh buffers (2.4 MB for 50 ACLs × 1,000 rules) made V8 run a full GC every few dumps
 * for the memory outside its heap, which cost views more than the copies do.
 */
class SlabReads implements OnReadOpts {
  private slab = Buffer.allocUnsafe(SLAB_SIZE);
  private used = 0;
  /** Messages read into the slab and still in use after their delivery. */
  private keepers: Keeper[] = [];

  constructor(private readonly transport: () => SocketTransport) {}

  readonly buffer = (): Buffer => {
    if (SLAB_SIZE - this.used < READ_SIZE) {
      for (const k of this.keepers) k.detach();
      this.keepers = [];
      const moved = this.transport().moveTail(this.slab, SLAB_SIZE - READ_SIZE);
      // A tail that cannot move (held back while paused, or too big) stays where it is: reading goes on in a new buffer.
      if (moved < 0) this.slab = Buffer.allocUnsafe(SLAB_SIZE);
      this.used = Math.max(moved, 0);
    }
    return this.slab.subarray(this.used);
  };

  readonly callback = (n: number): boolean => {
    const start = this.used;
    this.used += n;
    this.transport().received(this.slab, start, this.used);
    return true; // keep reading: pausing goes through socket.pause()
  };

  keep(keeper: Keeper): void {
    this.keepers.push(keeper);
  }
}

/**
 * Connects to the Unix socket at `path`.
 * @throws {@link ConnectionClosedError} when the socket cannot be reached (cause: the system error),
 * {@link AbortError} when `signal` aborts first.
 */
export function connectSocket(
  path: string,
  listener: TransportListener,
  options: { readonly maxFrameSize: number; readonly signal: AbortSignal },
): Promise<SocketTransport> {
  const { signal, maxFrameSize } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AbortError('connect', signal.reason));
      return;
    }
    let transport: SocketTransport | undefined;
    // Nothing is read before 'connect', when the transport exists.
    const reads = new SlabReads(() => transport!);
    const socket = createConnection({ path, onread: reads });
    const onAbort = (): void => {
      socket.destroy();
      reject(new AbortError('connect', signal.reason));
    };
    const onError = (err: Error): void => {
      signal.removeEventListener('abort', onAbort);
      reject(new ConnectionClosedError(`cannot connect to VPP's API socket ${path}: ${err.message}`, err));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      transport = new SocketTransport(socket, listener, maxFrameSize, 'VPP', reads);
      resolve(transport);
    });
  });
}
