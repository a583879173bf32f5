/**
 * One request the simulator is answering, and the ways a handler answers it.
 *
 * @module
 */
import type { Header } from '../codec/index.js';
import type { MessageDef } from '../schema/model.js';
import type { Fault } from './faults.js';
import type { Fields } from './handler-types.js';
import type { SimConnection } from './sim-connection.js';

/** Writes are batched up to this many bytes while streaming details. */
const FLUSH_BYTES = 64 * 1024;

/**
 * One request being answered: its decoded value, its context, and the ways to answer it.
 */
export class SimCall {
  /** The details sent so far. */
  detailsSent = 0;
  private answered = false;

  /** @internal */
  constructor(
    /** The client's connection. */
    readonly connection: SimConnection,
    /** The request's definition. */
    readonly def: MessageDef,
    /** The decoded request. */
    readonly request: Fields,
    /** The request's header: `_vl_msg_id`, `client_index`, `context`. */
    readonly header: Header,
    private readonly fault: Fault | undefined,
  ) {}

  /** The request's message name. */
  get name(): string {
    return this.def.name;
  }

  /** The request's context, which every answer carries. */
  get context(): number {
    return this.header.context ?? 0;
  }

  /** Whether an answer was sent (or deferred). */
  get replied(): boolean {
    return this.answered;
  }

  /** Sends the request's reply (`retval` 0 unless given) with its context. */
  reply(fields: Fields = {}): void {
    const s = this.def.service;
    if (s?.kind !== 'unary' && s?.kind !== 'events' && s?.kind !== 'stream') throw new TypeError(`${this.def.name} has no reply`);
    this.answered = true;
    this.send(s.reply, s.reply.fields.some((f) => f.name === 'retval') ? { retval: 0, ...fields } : fields);
  }

  /** Replies with `retval`, VPP's way of refusing. */
  fail(retval: number): void {
    this.reply({ retval });
  }

  /** Sends one detail of a dump or stream with the request's context. */
  details(fields: Fields): void {
    const s = this.def.service;
    if (s?.kind !== 'dump' && s?.kind !== 'stream') throw new TypeError(`${this.def.name} has no details`);
    this.send(s.details, fields);
    this.detailsSent++;
    if (this.fault?.kind === 'close' && this.detailsSent >= this.fault.afterDetails) this.connection.destroy();
  }

  /**
   * Sends many details, waiting whenever the client's socket buffer is full, so memory stays
   * bounded on both sides. Resolves when all are written (or the connection closed).
   */
  async sendDetails(rows: Iterable<Fields> | AsyncIterable<Fields>): Promise<void> {
    for await (const row of rows) {
      if (this.connection.closed) return;
      this.details(row);
      if (this.connection.pendingBytes >= FLUSH_BYTES && !this.connection.flush()) await this.connection.drained();
    }
  }

  /** Sends event `name` to this client: see {@link SimConnection.event}. */
  event(name: string, fields: Fields): void {
    this.connection.event(name, fields);
  }

  /** Takes over the answer: nothing is sent for the handler's result; call {@link reply} later. */
  defer(): void {
    this.answered = true;
  }

  private send(def: MessageDef, value: Fields): void {
    const header: Header = { context: this.context };
    if (this.fault?.kind === 'hold' && this.fault.held.frames) this.fault.held.frames.push([this.connection, def, value, header]);
    else this.connection.send(def, value, header);
  }
}
