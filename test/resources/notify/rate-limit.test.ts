// The token bucket on a fake clock: burst, steady rate, refill cap, order, bad settings.

import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/resources/notify/index.js';
import { FakeClock, flush } from './support.js';

// Starts `count` takes and records the fake time at which each is granted.
function takeMany(
  bucket: TokenBucket,
  clock: FakeClock,
  count: number,
): { granted: number[]; order: number[]; all: Promise<unknown> } {
  const granted: number[] = [];
  const order: number[] = [];
  const all = Promise.all(
    Array.from({ length: count }, (_, i) =>
      bucket.take().then(() => {
        granted.push(clock.now());
        order.push(i);
      }),
    ),
  );
  return { granted, order, all };
}

describe('TokenBucket', () => {
  it('lets a burst of 5 through at once, then one per second, first come first served', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ perSecond: 1, burst: 5, clock });
    const { granted, order, all } = takeMany(bucket, clock, 8);
    await flush();
    expect(granted).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(999);
    expect(granted).toHaveLength(5);
    await clock.advance(1);
    expect(granted).toEqual([0, 0, 0, 0, 0, 1000]);
    await clock.advance(2000);
    await all;
    expect(granted).toEqual([0, 0, 0, 0, 0, 1000, 2000, 3000]);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(clock.sleeps.every((ms) => ms === 1000)).toBe(true);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ clock });
    await takeMany(bucket, clock, 5).all;
    expect(bucket.available).toBe(0);
    await clock.advance(2500);
    expect(bucket.available).toBe(2.5);
    await clock.advance(60_000);
    expect(bucket.available).toBe(5);
    const { granted } = takeMany(bucket, clock, 7);
    await flush();
    expect(granted).toHaveLength(5);
  });

  it('waits only for the missing fraction of a token', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ perSecond: 4, burst: 1, clock });
    await bucket.take();
    await clock.advance(100);
    const next = bucket.take();
    await flush();
    expect(clock.sleeps).toEqual([150]);
    await clock.advance(150);
    await next;
    expect(clock.now()).toBe(250);
  });

  it('rejects settings that could never grant a token', () => {
    expect(() => new TokenBucket({ perSecond: 0 })).toThrow('token bucket needs perSecond > 0 and burst >= 1 (got 0, 5)');
    expect(() => new TokenBucket({ burst: 0.5 })).toThrow(RangeError);
  });
});
