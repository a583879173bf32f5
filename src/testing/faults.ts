/**
 * The faults a test can inject into the simulator: answers dropped, held back or delayed,
 * connections closed in the middle of a dump, and frames no VPP would send.
 *
 * @module
 */
import type { Header } from '../codec/index.js';
import type { MessageDef } from '../schema/model.js';
import { FRAME_HEADER_SIZE, writeFrameHeader } from '../transport/framing.js';
import type { Fields } from './handler-types.js';

/** A request whose answer is held back; see `VppSimulator.holdNext`. */
export interface HeldReply {
  /** Resolves when the request has arrived (and its handler has run). */
  readonly arrived: Promise<void>;
  /** Sends what the handler answered. */
  release(): void;
}

/** Where held answers go once released: the connection they were meant for. */
export interface AnswerSink {
  send(def: MessageDef, value: Fields, header: Header): void;
}

/** One fault, waiting for the next request of its message. */
export type Fault =
  | { readonly kind: 'drop' }
  | { readonly kind: 'hold'; readonly held: Held }
  | { readonly kind: 'close'; readonly afterDetails: number };

/** The answers to one request, kept until {@link release}. */
export class Held implements HeldReply {
  readonly arrived: Promise<void>;
  arrive!: () => void;
  frames: [AnswerSink, MessageDef, Fields, Header][] | null = [];

  constructor() {
    this.arrived = new Promise((resolve) => (this.arrive = resolve));
  }

  release(): void {
    const frames = this.frames;
    this.frames = null;
    for (const [conn, def, value, header] of frames ?? []) conn.send(def, value, header);
  }
}

/** Faults by message name, each taken by the next request of that message, in order. */
export class Faults {
  private readonly byName = new Map<string, Fault[]>();

  add(name: string, fault: Fault): void {
    let list = this.byName.get(name);
    if (!list) this.byName.set(name, (list = []));
    list.push(fault);
  }

  take(name: string): Fault | undefined {
    const list = this.byName.get(name);
    return list && list.length > 0 ? list.shift() : undefined;
  }
}

/** A frame too short to hold a message id. */
export function garbageFrame(): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_SIZE + 1);
  writeFrameHeader(frame, 0, 1);
  return frame;
}

/** The header of a frame announcing `bytes` bytes, followed by `send` of them (at most `bytes`). */
export function oversizedFrame(bytes: number, send: number): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_SIZE + Math.min(send, bytes));
  writeFrameHeader(frame, 0, bytes);
  return frame;
}
