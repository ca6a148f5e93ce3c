// Ending a run: its status, the once-per-failed-run notification, the final events, the RunResult.

import type { NotificationSpec } from '../definitions/schema.js';
import type { RunStatus } from '../storage/types.js';
import { errorText } from './classify.js';
import { type FailedAsset, summarize } from './notify.js';
import type { RunResult, StepResult } from './options.js';
import type { RunContext, StepInfo } from './run-context.js';

export interface FinishInput {
  startedAt: number;
  resumedFrom: string | null;
  staleRunsFailed: string[];
  cancelled: boolean;
  /** The store failure that ended the run, if any (read after background work settled). */
  fatal: () => { error: unknown } | undefined;
  onFailure: NotificationSpec[];
  /** Notifications still being sent. */
  pending: Promise<void>[];
}

function stepResult(rc: RunContext, s: StepInfo): StepResult {
  return {
    id: s.step.id,
    assetKey: s.step.key,
    partition: s.step.partition,
    status: rc.states.get(s.index),
    attempts: s.attempts,
    rowCount: s.rowCount,
    error: s.error,
    kind: s.kind,
    reason: s.reason,
    reusedFrom: s.reusedFrom,
  };
}

/**
 * Decides the run's status (failed if any step failed or is upstream_failed, or the store broke;
 * cancelled if asked to; steps skipped by trigger conditions do not fail it), sends the run's failure
 * notification, stores run_finished and the run record, and builds the result. Rethrows a store failure.
 */
export async function finishRun(rc: RunContext, input: FinishInput): Promise<RunResult> {
  // Step releases first: a store write failing there still fails the run.
  await Promise.allSettled(input.pending);
  const fatal = input.fatal();
  const steps = rc.steps.map((s) => stepResult(rc, s));
  const failedSteps = rc.steps.filter((s) => rc.states.get(s.index) === 'failed');
  const upstreamFailed = steps.filter((s) => s.status === 'upstream_failed').map((s) => s.id);
  const failed: FailedAsset[] = failedSteps.map((s) => ({
    assetKey: s.step.key,
    partition: s.step.partition,
    attempts: s.attempts,
    kind: s.kind ?? 'other',
    error: s.error ?? 'failed',
  }));
  let status: RunStatus = 'succeeded';
  if (fatal) status = 'failed';
  else if (input.cancelled) status = 'cancelled';
  else if (failed.length > 0 || upstreamFailed.length > 0) status = 'failed';

  let error: string | null = null;
  if (fatal) error = rc.redact(`run storage failed: ${errorText(fatal.error)}`);
  else if (status === 'failed') error = summarize(rc.pipelineName, rc.runId, failed);
  else if (status === 'cancelled') error = 'run cancelled';

  if (status === 'failed') {
    rc.notify({
      scope: 'run',
      pipeline: rc.pipelineName,
      runId: rc.runId,
      partitions: rc.partitions,
      targets: [...input.onFailure],
      failed,
      upstreamFailed,
      summary: error ?? 'run failed',
    });
  }
  // Notifications may log their own failures, so they finish before the sink closes.
  await Promise.allSettled(input.pending);
  const endedAt = rc.clock.now();
  let storeError: unknown = fatal?.error;
  try {
    rc.sink.emit({
      type: 'run_finished',
      message: error ?? undefined,
      data: { status, failed: failed.length, upstreamFailed: upstreamFailed.length, durationMs: endedAt - input.startedAt },
    });
    await rc.sink.close();
  } catch (e) {
    storeError ??= e;
  }
  try {
    await rc.store.finishRun(rc.runId, storeError ? 'failed' : status, new Date(endedAt).toISOString(), error);
  } catch (e) {
    storeError ??= e;
  }
  if (storeError !== undefined) throw storeError;

  // Exit 2 when nothing failed on its own: every failure is a lock another run holds (and what it blocked).
  const onlyLocks = !fatal && failedSteps.length > 0 && failedSteps.every((s) => s.locked);
  return {
    runId: rc.runId,
    status,
    exitCode: status === 'succeeded' ? 0 : onlyLocks ? 2 : 1,
    startedAt: new Date(input.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    resumedFrom: input.resumedFrom,
    steps,
    failed,
    error,
    staleRunsFailed: input.staleRunsFailed,
    maxInFlight: rc.slots.maxInFlight,
  };
}
