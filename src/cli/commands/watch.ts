/**
 * `vppkit watch`: subscribe to VPP's events and print them as JSON lines until interrupted.
 *
 * @module
 */
import type { Client, Subscription } from '../../client/index.js';
import { ConnectionClosedError } from '../../client/index.js';
import type { MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT } from '../command.js';
import { withVpp } from '../connection.js';
import type { Definitions } from '../definitions.js';
import { LineOutput, messageJson } from '../output.js';

/**
 * The `want_*` requests to send for `names` (event names, or `want_*` names for all their events),
 * with the events each one is wanted for.
 */
function subscriptionsFor(defs: Definitions, names: readonly string[]): Map<MessageDef, Set<string>> {
  const wants = [...defs.messages.values()].filter((m) => m.service?.kind === 'events');
  const plan = new Map<MessageDef, Set<string>>();
  const add = (want: MessageDef, event: string): void => {
    const events = plan.get(want) ?? new Set();
    plan.set(want, events.add(event));
  };
  for (const name of names) {
    const def = defs.message(name);
    if (def.service?.kind === 'events') {
      for (const e of def.service.events) add(def, e.name);
      continue;
    }
    const listing = wants.filter((w) => w.service?.kind === 'events' && w.service.events.some((e) => e.name === name));
    const want = listing.find((w) => !w.options.deprecated) ?? listing[0];
    if (!want) throw new CliError(`${name} is not an event any want_* request subscribes to (vppkit messages --json | jq 'select(.kind == "subscription")' lists those)`);
    add(want, name);
  }
  return plan;
}

/** Listens to VPP's event `name` (the client's emitter is typed for the bundled events only). */
function listen(client: Client, name: string, fn: (event: unknown) => void): void {
  (client.on as (name: string, fn: (event: unknown) => void) => unknown).call(client, name, fn);
}

function parseCount(value: unknown): number {
  if (value === undefined) return Infinity;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`--count must be a positive whole number, got ${String(value)}`);
  return n;
}

/** `vppkit watch EVENT... [--count N]`. */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'subscribe to events and print them as JSON lines until Ctrl-C (then unsubscribe)',
  usage: 'watch EVENT|WANT_REQUEST... [--count N]',
  examples: [
    'vppkit watch sw_interface_event   # a {"message", "fields"} line per event; Ctrl-C unsubscribes',
    'vppkit watch want_interface_events   # every event it subscribes to',
    `vppkit watch sw_interface_event --count 1 | jq .fields.sw_if_index   # wait for the next one`,
  ],
  options: { count: { type: 'string' } },
  async run({ positionals, values, global, io, signal }) {
    if (positionals.length === 0) throw new CliError('watch needs one or more event names, e.g. vppkit watch sw_interface_event');
    const count = parseCount(values.count);
    return withVpp({ command: 'watch', global, io, signal, definitions: 'bootstrap' }, async ({ client, defs }) => {
      const plan = subscriptionsFor(defs, positionals);
      const out = new LineOutput(io.stdout);
      let seen = 0;
      let failure: Error | undefined;
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      // Events are listened to before subscribing, so none sent right after the reply is missed.
      for (const name of new Set([...plan.values()].flatMap((events) => [...events]))) {
        listen(client, name, (event) => {
          if (seen >= count) return;
          out.line(JSON.stringify({ message: name, fields: messageJson(event) }));
          void out.flush().then(() => out.gone && stop());
          if (++seen >= count) stop();
        });
      }
      client.once('closed', (err) => {
        failure = err ?? new ConnectionClosedError('VPP closed the connection');
        stop();
      });
      const subscriptions: Subscription[] = [];
      try {
        for (const want of plan.keys()) subscriptions.push(await client.subscribe(want, {}, { signal }));
        if (io.stderr.isTTY) io.stderr.write(`watching ${[...plan.values()].flatMap((e) => [...e]).join(', ')}; Ctrl-C to stop\n`);
        signal.addEventListener('abort', () => stop(), { once: true });
        if (signal.aborted) stop();
        await stopped;
        if (failure) throw failure;
      } catch (err) {
        await Promise.allSettled(subscriptions.map((sub) => sub.unsubscribe()));
        throw err;
      }
      // Ctrl-C ends the watch, not the unsubscribing: it runs without the signal.
      for (const sub of subscriptions) await sub.unsubscribe();
      return EXIT.ok;
    });
  },
};
