/**
 * What the online commands print: messages in the stable JSON form, and lines to stdout in
 * batches that wait for a slow reader and stop when the reader goes away (`| head`).
 *
 * @module
 */
import { toJson } from '../codec/index.js';
import type { Io } from './command.js';

/**
 * The JSON form of a decoded message, as `decode` prints it. The header (`_vl_msg_id`,
 * `client_index`, `context`) is there only when the value carries it: under `--raw`.
 */
export function messageJson(value: unknown): Record<string, unknown> {
  return toJson(value) as Record<string, unknown>;
}

/** Batches lines to stdout; {@link flush} waits while the pipe is full. */
export class LineOutput {
  private pending = '';
  private readerGone = false;
  private wake: (() => void) | undefined;

  constructor(private readonly out: Io['stdout']) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      // The reader closed the pipe: nobody wants more. Anything else is a real failure.
      if (err.code !== 'EPIPE') throw err;
      this.readerGone = true;
      this.wake?.();
    });
  }

  /** True once the reader has closed the pipe: the command should stop. */
  get gone(): boolean {
    return this.readerGone;
  }

  /** Bytes waiting for {@link flush}. */
  get size(): number {
    return this.pending.length;
  }

  /** Adds a line (without its newline). */
  line(text: string): void {
    this.pending += `${text}\n`;
  }

  /** Writes what is batched, and resolves once the pipe can take more (or the reader is gone). */
  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (!text || this.readerGone || this.out.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.out.once('drain', done);
    });
  }
}
