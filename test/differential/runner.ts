/**
 * The differential scenario runner: plays one scripted scenario against a VPP (the model or a
 * real one) through a {@link Side}, which records every reply and a dump of the touched tables
 * after each step, normalised (./normalise.ts) so that two sides' records compare with `toEqual`.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Client, type Subscription, VppApiError } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type Handles, inPoolOrder, normalise } from './normalise.js';

/** ~0. */
export const NONE = 0xffffffff;

/** Tables a scenario touches; each is dumped after every step. */
export type Table = 'interfaces' | 'addresses' | 'acls' | 'acl_interfaces' | 'nat';

/** One step as recorded: the reply (or error) and the touched tables after it, normalised. */
export interface StepRecord {
  readonly label: string;
  readonly reply: unknown;
  readonly tables: Record<string, unknown>;
  readonly events?: unknown[];
}

/** A scripted scenario: `run` makes its calls through the side; the runner undoes what it created. */
export interface Scenario {
  readonly name: string;
  readonly tables: readonly Table[];
  /** What it leaves in VPP that no API call undoes: it then runs only on a VPP the suite started. */
  readonly leaves?: string;
  run(s: Side): Promise<void>;
}

/** First loopback instance the scenarios use: fixed names (loop4000…) on both sides, and the sweep finds leftovers by them. */
export const FIRST_INSTANCE = 4000;
/** Every ACL a scenario creates has a tag starting so; the sweep removes leftovers by it. */
export const ACL_TAG = 'vppkit-diff';

type Any = Record<string, unknown>;

/** One scenario on one VPP: calls by name, symbolic handles, records. */
export class Side {
  readonly records: StepRecord[] = [];
  private readonly handles: Handles = { interfaces: new Map(), acls: new Map(), anyInstance: new Set() };
  private nextInstance = FIRST_INSTANCE;
  private natTouched = false;
  /** `want_interface_events`, once a step subscribed: its events are recorded with each step after. */
  private sub: Subscription<object> | undefined;
  private readonly undos: [string, Any][] = [];

  constructor(
    private readonly c: Client<Messages>,
    private readonly tables: readonly Table[],
    /** How long to wait for events after each step, once subscribed. */
    private readonly eventWaitMs: number,
  ) {}

  /** The sw_if_index of interface handle `h`. */
  if(h: string): number {
    const v = this.handles.interfaces.get(h);
    if (v === undefined) throw new Error(`no interface handle ${h}`);
    return v;
  }

  /** The index of ACL handle `h`. */
  acl(h: string): number {
    const v = this.handles.acls.get(h);
    if (v === undefined) throw new Error(`no ACL handle ${h}`);
    return v;
  }

  /** Creates loopback `h` with the next fixed instance (loop4000, loop4001… within a scenario). */
  loopback(h: string, mac = '00:00:00:00:00:00'): Promise<Any> {
    return this.call('create_loopback_instance', { mac_address: mac, is_specified: true, user_instance: this.nextInstance++ }, { as: h });
  }

  /**
   * A request, recorded as one step: its reply with retval (a refusal is a reply too, not an
   * error). `as` names the interface or ACL it creates.
   */
  async call(name: string, args: Any = {}, opts: { as?: string; label?: string } = {}): Promise<Any> {
    if (name.startsWith('nat44')) this.natTouched = true;
    const reply = await replyOf(this.c.request(name as 'control_ping', args as never));
    if (opts.as && reply.retval === 0) this.remember(name, args, opts.as, reply);
    await this.record(opts.label ?? name, reply);
    return reply;
  }

  /** A dump, recorded as one step: its details in order. */
  async dump(name: string, args: Any = {}, label = name): Promise<Any[]> {
    const rows = (await this.c.dump(name as 'sw_interface_dump', args as never).toArray()) as unknown as Any[];
    await this.record(label, rows, name);
    return rows;
  }

  /** A cursor stream, recorded as one step: its details and how it ended. */
  async stream(name: string, args: Any = {}, label = name): Promise<void> {
    await this.record(label, await this.readStream(name, args));
  }

  /**
   * Subscribes to `sw_interface_event`, recorded as one step (`label`); once one is active, later
   * steps record the events they caused.
   */
  async subscribe(label = 'want_interface_events'): Promise<void> {
    const reply = await replyOf(
      this.c.subscribe('want_interface_events').then((sub) => {
        this.sub ??= sub;
        return sub.reply;
      }),
    );
    await this.record(label, reply);
  }

  /** Unsubscribes (`want_interface_events` with enable_disable 0), recorded as one step: retval 0, or VPP's refusal. */
  async unsubscribe(label = 'unsubscribe'): Promise<void> {
    const sub = this.sub;
    if (!sub) throw new Error('not subscribed');
    this.sub = undefined;
    await this.record(label, await replyOf(sub.unsubscribe().then(() => ({ retval: 0 }))));
  }

  /** Makes {@link undo} send `name` with `args` at its end (for what it cannot know was created). */
  undoWith(name: string, args: Any): void {
    this.undos.push([name, args]);
  }

  /** Undoes what the scenario created: NAT off, ACL lists cleared, ACLs and loopbacks deleted, then `undoWith`'s. Errors ignored. */
  async undo(): Promise<void> {
    const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
    if (this.sub) await quiet(this.sub.unsubscribe());
    if (this.natTouched) await quiet(this.c.request('nat44_ed_plugin_enable_disable', { enable: false, inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 }));
    const ifs = [...new Set(this.handles.interfaces.values())];
    for (const sw_if_index of ifs) await quiet(this.c.request('acl_interface_set_acl_list', { sw_if_index, n_input: 0, acls: [] }));
    for (const acl_index of new Set(this.handles.acls.values())) await quiet(this.c.request('acl_del', { acl_index }));
    for (const sw_if_index of ifs) await quiet(this.c.request('delete_loopback', { sw_if_index }));
    for (const [name, args] of this.undos.reverse()) await quiet(this.c.request(name as 'control_ping', args as never));
  }

  private remember(name: string, args: Any, h: string, reply: Any): void {
    if (typeof reply.acl_index === 'number') this.handles.acls.set(h, reply.acl_index);
    else if (typeof reply.sw_if_index === 'number') {
      this.handles.interfaces.set(h, reply.sw_if_index);
      if (name === 'create_loopback' || (name === 'create_loopback_instance' && !args.is_specified)) this.handles.anyInstance.add(h);
    } else throw new Error(`${name}: nothing in the reply to name ${h}`);
  }

  private async readStream(name: string, args: Any): Promise<Any> {
    try {
      return { retval: 0, details: await this.c.stream(name as 'nat44_ed_output_interface_get', args as never).toArray() };
    } catch (err) {
      if (!(err instanceof VppApiError)) throw err;
      return { retval: err.code };
    }
  }

  private async record(label: string, reply: unknown, dump?: string): Promise<void> {
    const tables: Record<string, unknown> = {};
    for (const t of this.tables) Object.assign(tables, await this.dumpTable(t));
    let events: Any[] | undefined;
    if (this.sub) {
      await this.c.request('control_ping');
      await new Promise((r) => setTimeout(r, this.eventWaitMs));
      events = [];
      while (this.sub.buffered > 0) events.push((await this.sub.next()).value as Any);
      events = events.filter((e) => e.sw_if_index === 0 || this.isOurs(e.sw_if_index as number));
    }
    const record = normalise({ label, reply, tables, ...(events ? { events } : {}) }, this.handles) as { reply: unknown; tables: Record<string, unknown> };
    for (const t of Object.keys(record.tables)) record.tables[t] = inPoolOrder(t, record.tables[t]);
    if (dump) record.reply = inPoolOrder(dump, record.reply);
    this.records.push(record as unknown as StepRecord);
  }

  private isOurs(swIfIndex: number): boolean {
    return [...this.handles.interfaces.values()].includes(swIfIndex);
  }

  private async dumpTable(t: Table): Promise<Record<string, unknown>> {
    const c = this.c;
    const ours = <T extends Any>(rows: T[]) => rows.filter((r) => this.isOurs(r.sw_if_index as number));
    switch (t) {
      case 'interfaces':
        return { interfaces: ours((await c.dump('sw_interface_dump', { sw_if_index: NONE, name_filter_valid: false, name_filter: '' }).toArray()) as unknown as Any[]) };
      case 'addresses': {
        const out: Any[] = [];
        const alive = new Set(((await c.dump('sw_interface_dump', { sw_if_index: NONE, name_filter_valid: false, name_filter: '' }).toArray()) as unknown as Any[]).map((i) => i.sw_if_index));
        for (const sw_if_index of new Set(this.handles.interfaces.values())) {
          if (!alive.has(sw_if_index)) continue;
          for (const is_ipv6 of [false, true]) out.push(...((await c.dump('ip_address_dump', { sw_if_index, is_ipv6 }).toArray()) as unknown as Any[]));
        }
        return { addresses: out };
      }
      case 'acls': {
        const mine = new Set(this.handles.acls.values());
        return { acls: ((await c.dump('acl_dump', { acl_index: NONE }).toArray()) as unknown as Any[]).filter((a) => mine.has(a.acl_index as number)) };
      }
      case 'acl_interfaces':
        return { acl_interfaces: ours((await c.dump('acl_interface_list_dump', { sw_if_index: NONE }).toArray()) as unknown as Any[]) };
      case 'nat':
        return {
          nat_config: await c.request('nat44_show_running_config'),
          nat_addresses: await c.dump('nat44_address_dump').toArray(),
          nat_interfaces: await c.dump('nat44_interface_dump').toArray(),
          nat_output: await this.readStream('nat44_ed_output_interface_get', {}),
          nat_static: await c.dump('nat44_static_mapping_dump').toArray(),
        };
    }
  }
}

/** Plays `scenario` on the VPP behind `c` and undoes it, even when it fails. */
export async function play(c: Client<Messages>, scenario: Scenario, eventWaitMs: number): Promise<StepRecord[]> {
  const side = new Side(c, scenario.tables, eventWaitMs);
  try {
    await scenario.run(side);
  } finally {
    await side.undo();
  }
  return side.records;
}

/**
 * The IP tables scenarios create. 4243 is NAT44-ED's inside table in one scenario, so it stays
 * in VPP for good once that scenario ran (docs/guides/testing.md): no scenario may expect it
 * absent; 4242 serves the "missing table" checks.
 */
export const SCENARIO_TABLES = [4242, 4243];

/**
 * Removes what an earlier run that crashed may have left: loopbacks from instance 4000, ACLs
 * tagged `vppkit-diff…`, NAT44-ED enabled, the scenarios' IP tables. Run on both sides, it also
 * gives them the same NAT44-ED history: disabled after one enable with the defaults.
 */
export async function sweep(c: Client<Messages>): Promise<void> {
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  for (const i of await c.dump('sw_interface_dump', { sw_if_index: NONE, name_filter_valid: true, name_filter: 'loop' }).toArray()) {
    const n = /^loop(\d+)$/.exec(i.interface_name);
    if (n && Number(n[1]) >= FIRST_INSTANCE && Number(n[1]) < FIRST_INSTANCE + 100) await quiet(c.request('delete_loopback', { sw_if_index: i.sw_if_index }));
  }
  for (const a of await c.dump('acl_dump', { acl_index: NONE }).toArray()) if (a.tag.startsWith(ACL_TAG)) await quiet(c.request('acl_del', { acl_index: a.acl_index }));
  // Enabled once with the defaults, then disabled: VPP keeps the last enable's translation_buckets.
  const nat = { inside_vrf: 0, outside_vrf: 0, sessions: 0, session_memory: 0, flags: 0 };
  await quiet(c.request('nat44_ed_plugin_enable_disable', { enable: true, ...nat }));
  await c.request('nat44_ed_plugin_enable_disable', { enable: false, ...nat });
  for (const table_id of SCENARIO_TABLES) for (const is_ip6 of [false, true]) await quiet(c.request('ip_table_add_del', { is_add: false, table: { table_id, is_ip6, name: '' } }));
}

/** Where `model` and `vpp` differ, one line per leaf: `path: model … vpp …`. */
export function differences(model: unknown, vpp: unknown, path = ''): string[] {
  if (isDeepStrictEqual(model, vpp)) return [];
  const bothObjects = typeof model === 'object' && typeof vpp === 'object' && model !== null && vpp !== null && Array.isArray(model) === Array.isArray(vpp);
  if (!bothObjects) return [`${path}: model ${JSON.stringify(model)}, vpp ${JSON.stringify(vpp)}`];
  const m = model as Record<string, unknown>;
  const v = vpp as Record<string, unknown>;
  const shown = (o: Record<string, unknown>, k: string) => (k in o ? JSON.stringify(o[k]) : 'absent');
  return [...new Set([...Object.keys(m), ...Object.keys(v)])].flatMap((k) =>
    (k in m) === (k in v) ? differences(m[k], v[k], `${path}.${k}`) : [`${path}.${k}: model ${shown(m, k)}, vpp ${shown(v, k)}`],
  );
}

/** A call's reply; VPP's refusal is a reply too (its reply, or its retval), not an error. */
async function replyOf(call: Promise<unknown>): Promise<Any> {
  try {
    return (await call) as Any;
  } catch (err) {
    if (!(err instanceof VppApiError)) throw err;
    return (err.reply ?? { retval: err.code }) as Any;
  }
}
