// The run's heartbeat: proof of life in the store, so a killed run can be told from a slow one.

import type { RunStore } from '../storage/types.js';
import type { Clock } from './clock.js';

/**
 * Writes `store.heartbeat` every `intervalMs` of the clock until stopped. A failed write is reported
 * through `onError` and the beat goes on: one lost heartbeat must not fail the run.
 * @example const beat = startHeartbeat(store, runId, clock, 10_000, () => {}); ...; beat.stop();
 */
export function startHeartbeat(
  store: RunStore,
  runId: string,
  clock: Clock,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): void } {
  const controller = new AbortController();
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        await clock.sleep(intervalMs, controller.signal);
      } catch {
        return;
      }
      try {
        await store.heartbeat(runId, new Date(clock.now()).toISOString());
      } catch (error) {
        if (!controller.signal.aborted) onError(error);
      }
    }
  })();
  return { stop: () => controller.abort() };
}
