// The one retry formula, which the executor and every exporter share.
import { describe, expect, it } from 'vitest';
import { retryDelay, retrySchedule } from '../../src/index.js';

describe('retryDelay', () => {
  const base = { maxAttempts: 4, delay: 60_000, retryOn: ['any' as const] };
  it('doubles per attempt for exponential backoff, as the seed pipeline expects', () => {
    expect(retrySchedule({ ...base, backoff: 'exponential' })).toEqual([60_000, 120_000, 240_000]);
  });
  it('grows linearly and stays fixed', () => {
    expect(retrySchedule({ ...base, backoff: 'linear' })).toEqual([60_000, 120_000, 180_000]);
    expect(retrySchedule({ ...base, backoff: 'fixed' })).toEqual([60_000, 60_000, 60_000]);
  });
  it('caps at maxDelay', () => {
    expect(retryDelay({ ...base, backoff: 'exponential', maxDelay: 100_000 }, 3)).toBe(100_000);
  });
});
