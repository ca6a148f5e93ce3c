// Sorting errors into the kinds retry policies name, and deciding whether an attempt is retried.

import { NonRetriableError, RetryAfterError } from '../definitions/errors.js';
import { retryDelay } from '../definitions/retry.js';
import type { RetryPolicy } from '../definitions/schema.js';
import { AttemptTimeoutError, CheckFailedError, RunCancelledError } from './errors.js';

/** What went wrong in an attempt, as retry policies see it. */
export type FailureKind = 'timeout' | 'network' | 'validation' | 'cancelled' | 'other';

// Socket and DNS failures that usually heal by themselves; undici (fetch) uses its own UND_ERR_ codes.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function* chain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
}

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Classifies an attempt's error, looking through `cause` chains: our timeout → 'timeout', a failed
 * blocking check → 'validation', `kind: 'network'` or a socket/DNS error code → 'network',
 * `kind: 'timeout'` (e.g. a warehouse statement timeout) → 'timeout', anything else → 'other'.
 * @example classifyError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })) // 'network'
 */
export function classifyError(error: unknown): FailureKind {
  for (const e of chain(error)) {
    if (e instanceof RunCancelledError) return 'cancelled';
    if (e instanceof AttemptTimeoutError) return 'timeout';
    if (e instanceof CheckFailedError) return 'validation';
    const kind = field(e, 'kind');
    if (kind === 'network') return 'network';
    if (kind === 'timeout') return 'timeout';
    const code = field(e, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  }
  return 'other';
}

/**
 * The policy used when neither the asset nor the pipeline has one: a single attempt.
 * @example decideRetry(NO_RETRY, new Error('x'), 1).retry // false
 */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, delay: 0, backoff: 'fixed', retryOn: ['any'] };

/** Whether and when to try again after failed attempt `attempt`. */
export type RetryDecision = { retry: true; delayMs: number; reason: 'policy' | 'retry_after' } | { retry: false; reason: string };

/**
 * Decides the next step after a failed attempt. `NonRetriableError` (anywhere in the cause chain)
 * and cancellation never retry; attempts stop at `maxAttempts`; `RetryAfterError` waits its own
 * delay whatever the error kinds; otherwise the kind must be in `retryOn` (or `retryOn` has 'any')
 * and the wait is `retryDelay(policy, attempt)` — the one formula.
 * @example decideRetry({ maxAttempts: 3, delay: 1000, backoff: 'fixed', retryOn: ['network'] }, new Error('x'), 1)
 * // { retry: false, reason: "error kind 'other' is not in retryOn [network]" }
 */
export function decideRetry(policy: RetryPolicy, error: unknown, attempt: number): RetryDecision {
  const kind = classifyError(error);
  for (const e of chain(error)) {
    if (e instanceof NonRetriableError) return { retry: false, reason: 'NonRetriableError' };
  }
  if (kind === 'cancelled') return { retry: false, reason: 'run cancelled' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `attempt ${attempt} of ${policy.maxAttempts}` };
  for (const e of chain(error)) {
    if (e instanceof RetryAfterError) return { retry: true, delayMs: Math.max(0, e.retryAfterMs), reason: 'retry_after' };
  }
  if (!policy.retryOn.includes('any') && !policy.retryOn.includes(kind as never)) {
    return { retry: false, reason: `error kind '${kind}' is not in retryOn [${policy.retryOn.join(', ')}]` };
  }
  return { retry: true, delayMs: retryDelay(policy, attempt), reason: 'policy' };
}

/**
 * The message to store for an error: its own text, plus its cause's when that adds something (the driver's detail).
 * @example errorText(new Error('load failed', { cause: new Error('ECONNRESET') })) // 'load failed: ECONNRESET'
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}
