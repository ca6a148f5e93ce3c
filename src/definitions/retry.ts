// The one retry formula. The executor waits exactly this long, and every export target reproduces it.

import type { RetryPolicy } from './schema.js';

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based) before the next one:
 *
 * - fixed:       delay
 * - linear:      delay × attempt
 * - exponential: delay × 2^(attempt − 1)
 *
 * then capped at `maxDelay` when set. So 3 attempts, 60 s, exponential waits 60 s, then 120 s.
 * @example retryDelay({ maxAttempts: 3, delay: 60000, backoff: 'exponential', retryOn: ['any'] }, 2) // 120000
 */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  let ms: number;
  switch (policy.backoff) {
    case 'fixed':
      ms = policy.delay;
      break;
    case 'linear':
      ms = policy.delay * n;
      break;
    case 'exponential':
      ms = policy.delay * 2 ** (n - 1);
      break;
  }
  return policy.maxDelay === undefined ? ms : Math.min(ms, policy.maxDelay);
}

/** Every wait a policy can cause, in order: one per failed attempt that is followed by another. */
export function retrySchedule(policy: RetryPolicy): number[] {
  const waits: number[] = [];
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) waits.push(retryDelay(policy, attempt));
  return waits;
}
