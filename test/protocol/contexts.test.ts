/** The table of calls in flight by context: unique contexts, lookups, growth and wrap-around. */
import { describe, expect, it } from 'vitest';
import { ContextTable } from '../../src/protocol/contexts.js';

describe('ContextTable', () => {
  it('gives sequential non-zero contexts and finds each call under its own', () => {
    const t = new ContextTable<string>();
    const contexts = Array.from({ length: 1000 }, (_, i) => t.add(`call ${i}`));
    expect(contexts).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(t.size).toBe(1000);
    for (const [i, c] of contexts.entries()) expect(t.get(c)).toBe(`call ${i}`);
    expect(t.get(1001)).toBeUndefined();
    expect(t.slot(1001)).toBe(-1);
    expect(t.get(1 + 2048)).toBeUndefined(); // same slot as context 1, another context
    expect(t.slot(1 + 2048)).toBe(-1);
    expect(t.get(0)).toBeUndefined();
    expect(t.slot(0)).toBe(-1);
  });

  it('keeps each call’s numbers with it as the table grows', () => {
    const t = new ContextTable<string>();
    const contexts = Array.from({ length: 3000 }, (_, i) => {
      const c = t.add(`call ${i}`);
      const s = t.slot(c);
      t.deadline[s] = i + 0.5;
      t.prev[s] = i;
      t.next[s] = i + 2;
      t.list[s] = i % 7;
      t.tag[s] = i % 65536;
      return c;
    });
    for (const [i, c] of contexts.entries()) {
      const s = t.slot(c);
      expect([t.get(c), t.deadline[s], t.prev[s], t.next[s], t.list[s], t.tag[s]]).toEqual([`call ${i}`, i + 0.5, i, i + 2, i % 7, i % 65536]);
    }
  });

  it('skips contexts whose slot a call still holds, so no two calls in flight share one, also after wrapping', () => {
    const t = new ContextTable<string>();
    expect(t.add('stuck')).toBe(1); // context 1 stays in flight
    const seen = new Set<number>([1]);
    // Short calls one after another: the counter runs on, and each new context avoids the stuck call's slot.
    let last = 0;
    for (let i = 0; i < 3000; i++) {
      const c = t.add('short');
      expect(c).not.toBe(1);
      expect(t.get(1)).toBe('stuck');
      last = c;
      expect(t.delete(c)).toBe(true);
    }
    expect(last).toBeGreaterThan(3000); // slot 1 was skipped on every lap of the 256-slot table
    expect(t.size).toBe(1);
    for (let i = 0; i < 300; i++) {
      const c = t.add('more');
      expect(seen.has(c)).toBe(false);
      seen.add(c);
    }
  });

  it('wraps from 0xffffffff to 1, never 0', () => {
    const t = new ContextTable<string>();
    (t as unknown as { last: number }).last = 0xfffffffe;
    expect([t.add('a'), t.add('b')]).toEqual([0xffffffff, 1]);
    expect(t.get(0xffffffff)).toBe('a');
    expect(t.get(1)).toBe('b');
  });

  it('drops a call only under its own context, shrinks back when empty, and drains what is left', () => {
    const t = new ContextTable<string>();
    const a = t.add('a');
    expect(t.delete(a + 256)).toBe(false); // same slot, another context
    expect(t.delete(0)).toBe(false);
    expect(t.get(a)).toBe('a');
    const rest = Array.from({ length: 600 }, () => t.add('rest'));
    expect(t.drain()).toHaveLength(601);
    expect(t.size).toBe(0);
    expect(t.get(a)).toBeUndefined();
    expect(t.get(rest[599]!)).toBeUndefined();
    const grown = Array.from({ length: 600 }, () => t.add('again'));
    for (const c of grown) t.delete(c);
    expect((t as unknown as { entries: unknown[] }).entries).toHaveLength(256);
  });

  it('halves as calls end in about the order they started, keeping each call’s numbers', () => {
    const t = new ContextTable<string>();
    const contexts = Array.from({ length: 3000 }, (_, i) => {
      const c = t.add(`c${i}`);
      t.tag[t.slot(c)] = i;
      return c;
    });
    expect(t.deadline.length).toBe(4096);
    for (const c of contexts.slice(0, 1464)) t.delete(c);
    expect(t.deadline.length).toBe(4096); // 1,536 calls: 3/8 full
    t.delete(contexts[1464]!);
    expect(t.deadline.length).toBe(2048);
    for (const [i, c] of contexts.entries()) {
      if (i < 1465) expect(t.get(c)).toBeUndefined();
      else expect([t.get(c), t.tag[t.slot(c)]]).toEqual([`c${i}`, i]);
    }
    const more = t.add('more');
    expect(more).toBe(3001);
    expect(t.get(more)).toBe('more');
  });

  it('does not halve while a call from long before would meet another in one slot, and tries again at half as many calls', () => {
    const t = new ContextTable<string>();
    const stuck = t.add('stuck'); // slot 1 of every size
    const contexts = Array.from({ length: 2999 }, (_, i) => t.add(`c${i + 2}`)); // contexts 2..3000
    // Under 3/8 of 4,096 from 1,535 calls on, but a call in the upper half would meet `stuck` in slot 1.
    for (const c of contexts.slice(0, 1600)) t.delete(c);
    expect(t.deadline.length).toBe(4096);
    for (const c of contexts.slice(1600, 2100)) t.delete(c); // 900 left: the next try is under 767, half the calls at the last
    expect(t.deadline.length).toBe(4096);
    for (const c of contexts.slice(2100, 2400)) t.delete(c); // contexts 2402..3000 left with `stuck`: they fit 2,048 slots, then 1,024
    expect(t.deadline.length).toBe(1024);
    expect(t.get(stuck)).toBe('stuck');
    for (const c of contexts.slice(2400)) expect(t.get(c)).toBe(`c${c}`);
  });

  it('grows in place up to its most slots, then refuses a call with the limit', () => {
    const t = new ContextTable<string>(1024);
    expect(t.maxCalls).toBe(992);
    const contexts = Array.from({ length: 992 }, (_, i) => t.add(`c${i}`));
    for (const [i, c] of contexts.entries()) expect(t.get(c)).toBe(`c${i}`);
    expect(() => t.add('one too many')).toThrow(new RangeError('992 calls in flight on one connection already, the most it takes'));
    t.delete(contexts[0]!);
    expect(t.get(t.add('fits again'))).toBe('fits again');
  });
});
