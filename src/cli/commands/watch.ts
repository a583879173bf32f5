/**
 * `vppkit watch`: subscribe to VPP's events and print them as JSON lines until interrupted.
 *
 * @module
 */
import type { Subscription } from '../../client/index.js';
import type { MessageDef } from '../../schema/model.js';
import { type Command, CliError, EXIT } from '../command.js';
import { withVpp } from '../connection.js';
import type { Definitions } from '../definitions.js';
import { LineOutput, messageJson } from '../output.js';

/**
 * The `want_*` requests to send for `names` (event names, or `want_*` names for all their events),
 * with the event each one gives.
 */
function subscriptionsFor(defs: Definitions, names: readonly string[]): Map<MessageDef, string> {
  const wants = [...defs.messages.values()].filter((m) => m.service?.kind === 'events');
  const plan = new Map<MessageDef, string>();
  for (const name of names) {
    const def = defs.message(name);
    const want =
      def.service?.kind === 'events' ? def : (wants.find((w) => !w.options.deprecated && eventsOf(w).includes(name)) ?? wants.find((w) => eventsOf(w).includes(name)));
    if (!want) throw new CliError(`${name} is not an event any want_* request subscribes to (vppkit messages --json | jq 'select(.kind == "subscription")' lists those)`);
    const events = eventsOf(want);
    // A subscription's events carry no name of their own; VPP 26.06 has no want_* with several.
    if (events.length !== 1) throw new CliError(`${want.name} subscribes to ${events.length} events (${events.join(', ')}): vppkit watch cannot tell them apart`);
    plan.set(want, events[0]!);
  }
  return plan;
}

function eventsOf(want: MessageDef): string[] {
  return want.service?.kind === 'events' ? want.service.events.map((e) => e.name) : [];
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
      /** Prints `sub`'s events until `count` in all; its iteration fails when VPP goes away. */
      const print = async (sub: Subscription, name: string): Promise<void> => {
        for await (const event of sub) {
          out.line(JSON.stringify({ message: name, fields: messageJson(event) }));
          void out.flush().then(() => out.gone && stop());
          if (++seen >= count) break;
        }
      };
      const subscriptions: Subscription[] = [];
      const printing: Promise<void>[] = [];
      try {
        for (const [want, name] of plan) {
          const sub = await client.subscribe(want, {}, { signal });
          subscriptions.push(sub);
          printing.push(print(sub, name).then(stop, (err: Error) => void ((failure ??= err), stop())));
        }
        if (io.stderr.isTTY) io.stderr.write(`watching ${[...plan.values()].join(', ')}; Ctrl-C to stop\n`);
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
      await Promise.all(printing);
      return EXIT.ok;
    });
  },
};
