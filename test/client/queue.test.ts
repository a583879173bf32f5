/** The one queue behind dumps, cursor streams and subscriptions, on its own. */
import { describe, expect, it } from 'vitest';
import { Queue, type QueueHooks } from '../../src/client/queue.js';

const DONE = { done: true, value: undefined };

/** A queue whose hooks record what they were told. */
function recorded(bound: number, policy: 'pause' | 'fail', extra: Partial<QueueHooks> = {}): { q: Queue<number>; log: string[] } {
  const log: string[] = [];
  const overflow: QueueHooks['overflow'] =
    policy === 'pause'
      ? { policy, pause: () => log.push('pause'), resume: () => log.push('resume') }
      : { policy, error: (n) => (log.push(`overflow ${n}`), new Error(`over ${n}`)) };
  const q = new Queue<number>(bound, { start: () => log.push('start'), stopped: () => void log.push('stopped'), overflow, ...extra });
  return { q, log };
}

describe('Queue', () => {
  it('starts its producer on the first next(), hands items over in order, then ends', async () => {
    const { q, log } = recorded(8, 'pause');
    expect(log).toEqual([]);
    const first = q.next();
    expect(log).toEqual(['start']);
    q.push(1);
    q.push(2);
    q.end();
    q.push(3); // after the end: not delivered
    expect(await first).toEqual({ done: false, value: 1 });
    expect(await q.toArray()).toEqual([2]);
    expect(await q.next()).toEqual(DONE);
    expect(log).toEqual(['start']);
  });

  it('pause: pauses its producer at the bound and resumes it once half is taken', async () => {
    const { q, log } = recorded(4, 'pause');
    for (let i = 0; i < 4; i++) q.push(i);
    expect(log).toEqual(['pause']);
    expect(q.buffered).toBe(4);
    await q.next();
    expect(log).toEqual(['pause', 'start']); // not resumed yet: 3 held
    await q.next();
    expect(log).toEqual(['pause', 'start', 'resume']);
  });

  it('pause: nothing is dropped past the bound (the producer is trusted to stop)', async () => {
    const { q } = recorded(2, 'pause');
    for (let i = 0; i < 5; i++) q.push(i);
    q.end();
    expect(await q.toArray()).toEqual([0, 1, 2, 3, 4]);
  });

  it('fail: one item past the bound fails the queue after the items held; later ones are dropped', async () => {
    const { q, log } = recorded(2, 'fail');
    for (let i = 0; i < 5; i++) q.push(i);
    expect(log).toEqual(['overflow 2']);
    expect(await q.next()).toEqual({ done: false, value: 0 });
    expect(await q.next()).toEqual({ done: false, value: 1 });
    await expect(q.next()).rejects.toThrow('over 2');
    expect(await q.next()).toEqual(DONE);
  });

  it('fail() rejects a waiting consumer at once, and the items held first otherwise', async () => {
    const a = recorded(4, 'pause').q;
    const waiting = a.next();
    a.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    const b = recorded(4, 'pause').q;
    b.push(1);
    b.fail(new Error('gone'));
    expect(await b.next()).toEqual({ done: false, value: 1 });
    await expect(b.next()).rejects.toThrow('gone');
  });

  it('return() (break) drops what is held, resumes a paused producer, tells it once, and ends waiting calls', async () => {
    const { q, log } = recorded(2, 'pause');
    q.push(1);
    q.push(2);
    for await (const _ of q) break;
    expect(log).toEqual(['pause', 'start', 'resume', 'stopped']);
    expect(q.buffered).toBe(0);
    expect(await q.return()).toEqual(DONE);
    expect(await q.next()).toEqual(DONE);
    expect(log.filter((l) => l === 'stopped')).toHaveLength(1);
  });

  it('a throw in the loop body stops the producer too', async () => {
    const { q, log } = recorded(2, 'fail');
    q.push(1);
    await expect((async () => {
      for await (const _ of q) throw new Error('body');
    })()).rejects.toThrow('body');
    expect(log).toEqual(['start', 'stopped']);
  });

  it('return() after the producer ended does not tell it to stop', async () => {
    const { q, log } = recorded(2, 'pause');
    q.push(1);
    q.end();
    await q.return();
    expect(log).toEqual([]);
  });

  it('a start that throws rejects the first next() and ends the queue', async () => {
    const q = new Queue<number>(2, {
      start: () => {
        throw new Error('cannot send');
      },
      overflow: { policy: 'fail', error: () => new Error('never') },
    });
    await expect(q.next()).rejects.toThrow('cannot send');
    expect(await q.next()).toEqual(DONE);
  });
});
