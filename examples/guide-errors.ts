/**
 * Errors, timeouts and cancellation (docs/guides/errors.md): one failure of each kind, and how to
 * tell them apart.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-errors.ts
 */
import { AbortError, CompatibilityError, ConnectionClosedError, TimeoutError, ValidationError, VppApiError, connect, describeRetval } from 'vppkit';

const socket = process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock';

/** One line per kind of failure. */
function explain(err: unknown): string {
  if (err instanceof VppApiError) return `VPP refused ${err.messageName}: ${err.code} ${err.symbol} (${err.description})`;
  if (err instanceof ValidationError) return `not sent, bad value: ${err.message}`;
  if (err instanceof CompatibilityError) return `not sent, ${err.messageName} is ${err.reason} in this VPP`;
  if (err instanceof TimeoutError) return `no answer to ${err.messageName} within ${err.timeout} ms`;
  if (err instanceof AbortError) return `gave up on ${err.messageName}: its signal aborted`;
  if (err instanceof ConnectionClosedError) return `no connection: ${err.message}`;
  throw err;
}

// Connecting: a socket that is not there.
await connect({ socket: '/nonexistent/api.sock' }).catch((err) => console.log(explain(err)));

const client = await connect({ socket, callTimeout: 10_000 }); // the default time limit of every call
try {
  // VPP answers retval != 0: -6 NO_SUCH_ENTRY.
  await client.request('acl_del', { acl_index: 4242 }).catch((err) => console.log(explain(err)));

  // A value that cannot be encoded fails before anything is sent.
  await client.request('sw_interface_add_del_address', { sw_if_index: 1, is_add: true, prefix: '10.1.1.1' })
    .catch((err) => console.log(explain(err)));

  // A message this VPP lacks (its plugin is not loaded) is never sent either.
  await client.request('nat44_show_running_config').then(
    (config) => console.log(`NAT44-ED sessions: ${config.sessions}`),
    (err) => console.log(explain(err)),
  );

  // A time limit for one call.
  await client.request('show_version', {}, { timeout: 500 }).then(
    (v) => console.log(`VPP ${v.version}`),
    (err) => console.log(explain(err)),
  );

  // Cancellation: an AbortSignal, here aborted at once.
  const controller = new AbortController();
  const pending = client.request('cli_inband', { cmd: 'show runtime' }, { signal: controller.signal });
  controller.abort('not needed any more');
  await pending.catch((err) => console.log(explain(err)));

  // Any return code by its name: what VPP's errors.json says.
  const { name, description } = describeRetval(-81);
  console.log(`-81 is ${name}: ${description}`);
} finally {
  await client.close();
}
