// One attempt of one step: the producer (or sensor), then the checks, raced against timeout and cancel.

import type { Clock } from './clock.js';
import { AttemptTimeoutError } from './errors.js';
import type { ProducerOutcome, StepContext } from './producers/types.js';

export interface AttemptInput {
  clock: Clock;
  assetKey: string;
  timeoutMs: number | undefined;
  /** The run's signal: aborted when the run is cancelled. */
  runSignal: AbortSignal;
  /** Builds the step context around the attempt's signal. */
  context: (signal: AbortSignal) => StepContext;
  /** Runs the producer and, unless it verified itself, the checks. */
  work: (ctx: StepContext) => Promise<ProducerOutcome>;
}

/**
 * Runs one attempt. With a timeout, the producer's signal is aborted when it passes and the attempt
 * fails with AttemptTimeoutError at once, even if the producer ignores its signal (it is left to
 * finish in the background, and its result is dropped).
 * @example await runAttempt({ clock, assetKey: 'a', timeoutMs: 30_000, runSignal, context, work });
 */
export async function runAttempt(input: AttemptInput): Promise<ProducerOutcome> {
  const { clock, assetKey, timeoutMs, runSignal } = input;
  let signal = runSignal;
  let stopTimer: AbortController | undefined;
  if (timeoutMs !== undefined) {
    // Only timed steps pay for their own controller: 10,000 no-op steps should cost microseconds each.
    const attempt = new AbortController();
    stopTimer = new AbortController();
    signal = AbortSignal.any([runSignal, attempt.signal]);
    clock.sleep(timeoutMs, stopTimer.signal).then(
      () => attempt.abort(new AttemptTimeoutError(assetKey, timeoutMs)),
      () => {},
    );
  }
  if (signal.aborted) throw signal.reason;
  const work = input.work(input.context(signal));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Whichever loses the race must not surface as an unhandled rejection.
  work.catch(() => {});
  aborted.catch(() => {});
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    stopTimer?.abort();
  }
}
