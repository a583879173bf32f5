/**
 * The transport interface: what the client needs from a connection to VPP, and no more.
 *
 * The client encodes each message straight into the transport's writer and gets whole payloads
 * back. The Unix socket ({@link SocketTransport}) is one implementation; a test double or another
 * stream can be another.
 *
 * @module
 */
import type { Writer } from '../codec/buffers.js';

/** What a transport reports to its user. */
export interface TransportListener {
  /**
   * One whole payload (message id first), `buf[start..end)`, valid during the call: the transport
   * may read over these bytes afterwards, after telling each {@link Keeper} given to
   * {@link Transport.keep}. It
   * throws a `ProtocolError` for a message it cannot accept: the transport must then destroy
   * itself with that error as the cause.
   */
  message(buf: Buffer, start: number, end: number): void;
  /**
   * The connection is gone; called once. `cause` is the error that ended it, or undefined for an
   * orderly end (either side closed it).
   */
  closed(cause: Error | undefined): void;
}

/** Something that still reads a delivered payload's bytes after its delivery (a view). */
export interface Keeper {
  /** The transport is about to write over the bytes: copy what is still needed, now; never read them again. */
  detach(): void;
}

/** A message-level connection to VPP. */
export interface Transport {
  /**
   * Starts an outgoing message. Encode its payload into the returned writer at `pos`, then call
   * {@link commit} (or {@link cancel} if encoding failed). Messages committed in the same tick go
   * out in one write.
   */
  begin(): Writer;
  /** Queues the message begun last. */
  commit(): void;
  /** Forgets the message begun last. */
  cancel(): void;
  /**
   * The payload being delivered stays in use after {@link TransportListener.message} returns
   * (details read as views, `DetailsIterator.views()`): before its bytes change, the transport
   * calls `keeper.detach()`. Optional for a transport that never reuses the memory it delivers from.
   */
  keep?(keeper: Keeper): void;
  /** Stops delivering messages; unread bytes stay in the kernel's socket buffer. */
  pause(): void;
  /** Delivers messages again, starting with those held back. */
  resume(): void;
  /** Closes at once, discarding queued output; {@link TransportListener.closed} follows with `cause`. */
  destroy(cause?: Error): void;
}

/** Opens a transport that reports to `listener`. Rejects if the connection cannot be made. */
export type TransportFactory = (listener: TransportListener, options: { readonly maxFrameSize: number; readonly signal: AbortSignal }) => Promise<Transport>;
