/** The table of calls in flight by context: unique contexts, lookups, growth and wrap-around. */
import { describe, expect, it } from 'vitest';
import { ContextTable } from '../../src/protocol/contexts.js';

const call = () => ({ context: 0 });

describe('ContextTable', () => {
  it('gives sequential non-zero contexts and finds each call under its own', () => {
    const t = new ContextTable<{ context: number }>();
    const calls = Array.from({ length: 1000 }, call);
    for (const c of calls) t.add(c);
    expect(calls.map((c) => c.context)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(t.size).toBe(1000);
    for (const c of calls) expect(t.get(c.context)).toBe(c);
    expect(t.get(1001)).toBeUndefined();
    expect(t.get(1 + 1024)).toBeUndefined(); // same slot as context 1, another context
  });

  it('skips contexts whose slot a call still holds, so no two calls in flight share one, also after wrapping', () => {
    const t = new ContextTable<{ context: number }>();
    const stuck = call();
    t.add(stuck); // context 1 stays in flight
    const seen = new Set<number>([1]);
    // Short calls one after another: the counter runs on, and each new context avoids the stuck call's slot.
    let last = 0;
    for (let i = 0; i < 3000; i++) {
      const c = call();
      t.add(c);
      expect(c.context).not.toBe(1);
      expect(t.get(1)).toBe(stuck);
      last = c.context;
      t.delete(c);
    }
    expect(last).toBeGreaterThan(3000); // slot 1 was skipped on every lap of the 256-slot table
    expect(t.size).toBe(1);
    for (const c of Array.from({ length: 300 }, call)) {
      t.add(c);
      expect(seen.has(c.context)).toBe(false);
      seen.add(c.context);
    }
  });

  it('wraps from 0xffffffff to 1, never 0', () => {
    const t = new ContextTable<{ context: number }>();
    (t as unknown as { last: number }).last = 0xfffffffe;
    const a = call();
    const b = call();
    t.add(a);
    t.add(b);
    expect([a.context, b.context]).toEqual([0xffffffff, 1]);
    expect(t.get(0xffffffff)).toBe(a);
    expect(t.get(1)).toBe(b);
  });

  it('drops a call only if it is the one under its context, and drains what is left', () => {
    const t = new ContextTable<{ context: number }>();
    const a = call();
    t.add(a);
    t.delete({ context: a.context });
    expect(t.get(a.context)).toBe(a);
    const rest = Array.from({ length: 600 }, call);
    for (const c of rest) t.add(c);
    expect(t.drain()).toHaveLength(601);
    expect(t.size).toBe(0);
    expect(t.get(a.context)).toBeUndefined();
  });
});
