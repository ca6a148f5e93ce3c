// Time as the executor sees it: an injectable clock, so tests never sleep and e2e runs can be sped up.

/**
 * The executor's only source of time. Every wait (retry delays, timeouts, sensor pokes, lock polls,
 * heartbeats) goes through `sleep`, every timestamp through `now`.
 * @example const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => setTimeout(ms, undefined, { signal }) };
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Reads `SLUICE_TIME_SCALE` (e.g. `0.01`): the factor every wait of the real clock is multiplied by.
 * End-to-end tests set it so a 60 s retry delay takes 0.6 s; timestamps (`now`) are never scaled.
 * Missing, empty or invalid values mean 1.
 * @example SLUICE_TIME_SCALE=0.01 sluice materialize analytics.mau_summary
 */
export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SLUICE_TIME_SCALE;
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  return Number.isFinite(scale) && scale >= 0 ? scale : 1;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The wall clock. Waits are multiplied by `scale`, which defaults to `SLUICE_TIME_SCALE` (see
 * {@link timeScale}); timers are unref'd so a forgotten wait never keeps the process alive.
 * @example await realClock().sleep(60_000); // 0.6 s when SLUICE_TIME_SCALE=0.01
 */
export function realClock(scale: number = timeScale()): Clock {
  return {
    now: () => Date.now(),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const wait = Math.max(0, ms * scale);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(abortReason(signal as AbortSignal));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, wait);
        timer.unref?.();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
