/** ApiConnection.goodbye closes the socket whatever happens to the goodbye itself. */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiConnection, type ConnectionOwner, type Waiting } from '../../src/protocol/connection.js';
import { VppSimulator } from '../../src/testing/index.js';
import { connectSocket } from '../../src/transport/index.js';

let sim: VppSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('ApiConnection.goodbye', () => {
  it('closes the socket, failing what waits, even when the context table refuses the goodbye', async () => {
    sim = await VppSimulator.start();
    const path = sim.socketPath;
    let failed: readonly Waiting[] = [];
    const owner: ConnectionOwner = {
      event: () => undefined,
      reply: () => undefined,
      closed: (_error, waiting) => {
        failed = waiting;
      },
    };
    const conn = await ApiConnection.open(owner, { transport: (l, o) => connectSocket(path, l, o), name: 'full', maxFrameSize: 1 << 20, signal: new AbortController().signal });
    const call = (): void => undefined;
    conn.expect(call);
    conn.calls.add = () => {
      throw new RangeError('full');
    };
    await conn.goodbye(new AbortController().signal);
    expect(conn.state).toBe('closed');
    expect(failed).toEqual([call]);
  });
});
