/** A VPP model and a client connected to it, closed after each test; retval helpers. */
import { afterEach } from 'vitest';
import { type Client, VppApiError, connect } from '../../src/client/index.js';
import type { Messages } from '../../src/gen/index.js';
import { type VppModel, type VppModelOptions, startVppModel } from '../../src/testing/index.js';

const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** ~0. */
export const NONE = 0xffffffff;

/** Starts a model and connects a client to it. */
export async function model(options: VppModelOptions = {}): Promise<{ vpp: VppModel; c: Client<Messages> }> {
  const vpp = await startVppModel(options);
  const c = await connect<Messages>({ socket: vpp.socketPath });
  open.push(c, vpp);
  return { vpp, c };
}

/** Connects another client to `vpp`. */
export async function another(vpp: VppModel): Promise<Client<Messages>> {
  const c = await connect<Messages>({ socket: vpp.socketPath });
  open.unshift(c);
  return c;
}

/** The retval a call ends with: 0, or the code of the VppApiError it rejects with. */
export async function rv(call: Promise<unknown>): Promise<number> {
  try {
    const reply = (await call) as { retval?: number };
    return reply.retval ?? 0;
  } catch (err) {
    if (err instanceof VppApiError) return err.code;
    throw err;
  }
}

/** `sw_interface_dump` of every interface. */
export const ALL = { name_filter_valid: false, name_filter: '' } as const;

/** An ACL rule with every port, from `src` to `dst`. */
export function rule(src: string, dst: string, extra: Record<string, number> = {}) {
  return { is_permit: 1, src_prefix: src, dst_prefix: dst, proto: 6, srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 0, dstport_or_icmpcode_last: 65535, tcp_flags_mask: 0, tcp_flags_value: 0, ...extra } as const;
}

/** Resolves after pending events have been delivered (a round trip behind them). */
export async function settle(c: Client<Messages>): Promise<void> {
  await c.request('control_ping');
}
