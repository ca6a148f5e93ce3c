// The ready queue: steps start when their own upstream is done, within concurrency and pool limits.
import { describe, expect, it } from 'vitest';
import { asset, fn } from '../../src/index.js';
import { Slots } from '../../src/runtime/scheduler.js';
import { deferred, run, trace } from './support/harness.js';

describe('the ready queue', () => {
  it('starts a fast branch while a slow sibling of the same level still runs', async () => {
    const slow = deferred();
    const root = asset('r.root', { produce: fn(() => 1) });
    const slowA = asset('r.slow', { deps: [root], produce: fn(() => slow.promise) });
    const fastB = asset('r.fast', { deps: [root], produce: fn(() => 1) });
    const afterFast = asset('r.after_fast', { deps: [fastB], produce: fn(() => 1) });
    const afterFast2 = asset('r.after_fast2', { deps: [afterFast], produce: fn(() => slow.resolve()) });
    const { result, seen } = await run([root, slowA, fastB, afterFast, afterFast2]);
    expect(result.status).toBe('succeeded');
    // r.after_fast (level 2) and its child (level 3) started while level 1's r.slow was still running:
    // r.slow only ends because r.after_fast2 releases it.
    const order = trace(seen, ['asset_started', 'asset_succeeded']);
    expect(order.slice(0, 7)).toEqual([
      'asset_started r.root',
      'asset_succeeded r.root',
      'asset_started r.fast',
      'asset_started r.slow',
      'asset_succeeded r.fast',
      'asset_started r.after_fast',
      'asset_succeeded r.after_fast',
    ]);
    expect(order.indexOf('asset_started r.after_fast2')).toBeLessThan(order.indexOf('asset_succeeded r.slow'));
  });

  it('never exceeds concurrency, and starts ties in plan order', async () => {
    let inFlight = 0;
    let max = 0;
    const started: string[] = [];
    const leaf = (i: number) =>
      asset(`w.leaf_${String(i).padStart(2, '0')}`, {
        produce: fn(async (ctx) => {
          started.push(ctx.assetKey);
          inFlight++;
          max = Math.max(max, inFlight);
          for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
          inFlight--;
        }),
      });
    const defs = Array.from({ length: 20 }, (_, i) => leaf(19 - i));
    const { result } = await run(defs, { concurrency: 3 });
    expect(result.status).toBe('succeeded');
    expect(max).toBe(3);
    expect(result.maxInFlight).toBe(3);
    expect(started).toEqual([...started].sort());
  });

  it('never exceeds a pool, while other steps use the free slots', async () => {
    const inPool = { now: 0, max: 0 };
    const all = { now: 0, max: 0 };
    const body = (pooled: boolean) =>
      fn(async () => {
        all.now++;
        all.max = Math.max(all.max, all.now);
        if (pooled) inPool.max = Math.max(inPool.max, ++inPool.now);
        for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
        if (pooled) inPool.now--;
        all.now--;
      });
    const defs = [
      ...Array.from({ length: 6 }, (_, i) => asset(`p.db_${i}`, { pool: 'db', produce: body(true) })),
      ...Array.from({ length: 6 }, (_, i) => asset(`p.free_${i}`, { produce: body(false) })),
    ];
    const { result } = await run(defs, { concurrency: 4, pools: { db: 2 } });
    expect(result.status).toBe('succeeded');
    expect(inPool.max).toBe(2);
    expect(all.max).toBe(4);
  });
});

describe('Slots', () => {
  it('grants in plan order across pools and skips a full pool', async () => {
    const slots = new Slots(2, { db: 1 });
    const granted: number[] = [];
    await slots.acquire(0, 'db');
    await slots.acquire(1, undefined);
    const waiting = [slots.acquire(5, undefined), slots.acquire(2, 'db'), slots.acquire(3, undefined)].map((p, i) =>
      p.then(() => granted.push([5, 2, 3][i] as number)),
    );
    slots.release(undefined); // frees a global slot; 2 waits for the db pool, so 3 goes first
    await Promise.resolve();
    await Promise.resolve();
    expect(granted).toEqual([3]);
    slots.release('db');
    slots.release(undefined);
    await Promise.all(waiting.slice(0, 2));
    expect(granted).toEqual([3, 2, 5]);
  });

  it('rejects bad sizes with a clear message', () => {
    expect(() => new Slots(0)).toThrow('concurrency must be a whole number of at least 1, not 0');
    expect(() => new Slots(2, { db: 0 })).toThrow('pool "db" must have at least 1 slot, not 0');
  });
});
