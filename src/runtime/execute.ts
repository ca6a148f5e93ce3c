// execute(): runs a plan — the ready queue over the DAG, trigger conditions, resume, and the run record.

import { setMaxListeners } from 'node:events';
import type { PartitionWindow } from '../definitions/context.js';
import { SluiceError } from '../definitions/errors.js';
import { partitionWindow } from '../definitions/partitions.js';
import type { AssetSpec } from '../definitions/schema.js';
import { errorText, NO_RETRY } from './classify.js';
import { realClock } from './clock.js';
import { RunCancelledError } from './errors.js';
import { EventSink } from './events.js';
import { startHeartbeat } from './heartbeat.js';
import { type FailureNotification, RecordingNotifier } from './notify.js';
import type { ExecuteOptions, RunResult } from './options.js';
import { PartitionGate } from './partition-gate.js';
import { defaultProducers } from './producers/index.js';
import type { ProducerRegistry } from './producers/types.js';
import { makeRedactor } from './redact.js';
import { staticResources } from './resources.js';
import { finishRun } from './result.js';
import { loadResumePoint, type ResumePoint, resumeKey } from './resume.js';
import type { RunContext, StepInfo } from './run-context.js';
import { newRunId } from './run-id.js';
import { Slots } from './scheduler.js';
import { StepStates } from './state.js';
import { driveStep } from './step.js';
import { decideTrigger, type UpstreamOutcome } from './triggers.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The window of a step: from the asset's partitions, else guessed from a daily or hourly key (sources). */
function windowFor(spec: AssetSpec, partition: string | null): PartitionWindow | undefined {
  if (partition === null) return undefined;
  if (spec.partitions) return partitionWindow(spec.partitions, partition);
  const granularity = partition.length > 10 ? 'hourly' : 'daily';
  return partitionWindow({ type: 'time', granularity, start: '1970-01-01', timezone: 'UTC', endOffset: 0 }, partition);
}

function stepInfos(options: ExecuteOptions): StepInfo[] {
  const steps = options.plan.levels.flat();
  const indexOf = new Map(steps.map((s, i) => [s.id, i]));
  return steps.map((step, index) => {
    const asset = options.assets.get(step.key);
    if (!asset) {
      throw new SluiceError(`plan step "${step.id}" needs asset "${step.key}", which is not among the assets given to execute()`);
    }
    const upstream = step.after.map((id) => {
      const i = indexOf.get(id);
      if (i === undefined) throw new SluiceError(`plan step "${step.id}" waits for "${id}", which is not in the plan`);
      return i;
    });
    return {
      index,
      step,
      asset,
      window: windowFor(asset.spec, step.partition),
      pool: asset.spec.pool,
      retry: asset.spec.retry ?? options.pipeline?.retry ?? NO_RETRY,
      timeoutMs: asset.spec.timeout ?? options.pipeline?.timeout,
      upstream,
      attempts: 0,
      rowCount: null,
      value: undefined,
      error: null,
      kind: null,
      reason: null,
      reusedFrom: null,
      locked: false,
    };
  });
}

function outcomeOf(rc: RunContext, i: number): UpstreamOutcome {
  const s = rc.steps[i] as StepInfo;
  const status = rc.states.get(i);
  if (status === 'succeeded' || s.reusedFrom !== null) return 'success';
  return status === 'failed' || status === 'upstream_failed' ? 'failed' : 'skipped';
}

const noop = () => undefined;

/** Walks the DAG: a step is decided the moment its last upstream step ends, not when its level does. */
function schedule(rc: RunContext, resume: ResumePoint | undefined): Promise<void> {
  const n = rc.steps.length;
  const remaining = rc.steps.map((s) => s.upstream.length);
  const dependents: number[][] = rc.steps.map(() => []);
  for (const s of rc.steps) for (const u of s.upstream) (dependents[u] as number[]).push(s.index);
  let done = 0;
  const queue: number[] = [];
  let head = 0;
  let draining = false;
  return new Promise<void>((resolve) => {
    const completed = (i: number) => {
      done++;
      rc.partitionGate?.stepDone((rc.steps[i] as StepInfo).step.partition);
      for (const d of dependents[i] as number[]) if (--(remaining[d] as number) === 0) queue.push(d);
      if (done === n) resolve();
      drain();
    };
    const skip = (s: StepInfo, status: 'skipped' | 'upstream_failed', reason: string, data?: Record<string, unknown>) => {
      rc.states.move(s.index, status);
      s.reason = reason;
      const type = status === 'skipped' ? 'asset_skipped' : 'asset_upstream_failed';
      rc.sink.emit({ type, assetKey: s.step.key, partition: s.step.partition ?? '', message: reason, data });
      completed(s.index);
    };
    const decide = (i: number) => {
      const s = rc.steps[i] as StepInfo;
      const reused = resume?.succeeded.get(resumeKey(s.step.key, s.step.partition));
      if (reused !== undefined) {
        s.reusedFrom = reused;
        s.value = resume?.values.get(resumeKey(s.step.key, s.step.partition));
        return skip(s, 'skipped', `already succeeded in run ${reused}; not run again`, {
          reason: 'resumed',
          succeededIn: reused,
        });
      }
      if (rc.runSignal.aborted) return skip(s, 'skipped', 'run cancelled before the step started');
      const decision = decideTrigger(
        s.asset.spec.trigger,
        s.upstream.map((u) => ({ id: (rc.steps[u] as StepInfo).step.id, outcome: outcomeOf(rc, u) })),
      );
      if (!decision.run) return skip(s, decision.status, decision.reason);
      rc.states.move(i, 'waiting');
      // A refused entry means the run was cancelled; driveStep then ends the step as not started.
      const gate = rc.partitionGate;
      (gate
        ? gate
            .enter(s.step.partition)
            .catch(noop)
            .then(() => driveStep(rc, s))
        : driveStep(rc, s)
      )
        .then(() => completed(i))
        .catch((error) => rc.fatal(error));
    };
    // An explicit work list instead of recursion: skips cascading down a 10,000-step chain must not overflow the stack.
    const drain = () => {
      if (draining) return;
      draining = true;
      while (head < queue.length) decide(queue[head++] as number);
      queue.length = 0;
      head = 0;
      draining = false;
    };
    if (n === 0) resolve();
    for (let i = 0; i < n; i++) if (remaining[i] === 0) queue.push(i);
    drain();
  });
}

/**
 * Materializes a plan: starts each step once the steps in its `after` are done, within
 * `concurrency` and pool slots (ties by plan order); retries per policy; checks; trigger
 * conditions; one lock per asset × partition; heartbeat; resume; batched, redacted events.
 * Throws (exit 2) only for what prevents a run from starting: an asset missing from `assets`,
 * an unknown or still-running `resumeFrom`, bad concurrency or pool sizes; also rethrows a run
 * store failure after marking the run failed. A failing asset makes a failed RunResult, not an error.
 * @example
 * const result = await execute({ plan, assets: new Map(defs.map((d) => [d.key, d])), store, resources });
 * process.exitCode = result.exitCode;
 */
export async function execute(options: ExecuteOptions): Promise<RunResult> {
  // The clock's timers are unref'd so a forgotten wait never holds a process open; while a run is in
  // progress something must, or a retry wait with nothing else pending ends the CLI mid-run (exit 13).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  try {
    return await executeRun(options);
  } finally {
    clearInterval(keepAlive);
  }
}

async function executeRun(options: ExecuteOptions): Promise<RunResult> {
  const { store } = options;
  const clock = options.clock ?? realClock();
  const redact = makeRedactor(options.secrets);
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const steps = stepInfos(options);
  const slots = new Slots(options.concurrency ?? 4, options.pools ?? {});
  const lockers = new Slots(options.concurrency ?? 4);
  const partitionGate =
    options.maxPartitions === undefined
      ? undefined
      : new PartitionGate(
          options.maxPartitions,
          steps.map((s) => s.step.partition),
        );
  const startedAt = clock.now();
  const runId = options.runId ?? newRunId(startedAt);
  const staleRunsFailed = await store.failStaleRuns(iso(startedAt - staleAfterMs), iso(startedAt));
  const resume = options.resumeFrom
    ? await loadResumePoint(store, options.resumeFrom, { now: startedAt, staleAfterMs })
    : undefined;
  const pipelineName = options.pipeline?.name ?? null;
  await store.createRun({
    id: runId,
    pipeline: pipelineName ?? undefined,
    selection: options.plan.selection,
    partitions: options.plan.partitions,
    resumedFrom: options.resumeFrom,
    startedAt: iso(startedAt),
    launchedBy: options.launchedBy ?? 'cli',
    tags: options.tags,
  });

  const sink = new EventSink({
    store,
    runId,
    clock,
    redact,
    onEvent: options.onEvent,
    maxBatch: options.flush?.maxBatch,
    flushMs: options.flush?.intervalMs,
  });
  const runCtl = new AbortController();
  // Every running attempt, retry wait and sensor listens on the run's signal; that is not a leak.
  setMaxListeners(0, runCtl.signal);
  const cancel = () => runCtl.abort(new RunCancelledError());
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  runCtl.signal.addEventListener(
    'abort',
    () => {
      slots.close(runCtl.signal.reason);
      lockers.close(runCtl.signal.reason);
      partitionGate?.close(runCtl.signal.reason);
    },
    { once: true },
  );
  const sluiceLog = (message: string) => sink.log({ assetKey: null, partition: '', level: 'warn', stream: 'sluice', message });
  const notifier = options.notifier ?? new RecordingNotifier();
  const pending: Promise<void>[] = [];
  let fatal: { error: unknown } | undefined;
  const rc: RunContext = {
    runId,
    runStartedAt: startedAt,
    pipelineName,
    partitions: options.plan.partitions,
    store,
    clock,
    sink,
    slots,
    lockers,
    partitionGate,
    states: new StepStates(steps.length),
    steps,
    redact,
    resources: options.resources ?? staticResources(),
    producers: { ...defaultProducers, ...options.producers } as ProducerRegistry,
    runSignal: runCtl.signal,
    onLocked: options.onLocked ?? 'fail',
    lockPollMs: options.lockPollMs ?? 5_000,
    lockWaitTimeoutMs: options.lockWaitTimeoutMs ?? 3_600_000,
    track(work: Promise<void>) {
      pending.push(work);
    },
    notify(notification: FailureNotification) {
      pending.push(notifier.notify(notification).catch((e) => sluiceLog(`notification failed: ${errorText(e)}`)));
    },
    fatal(error: unknown) {
      fatal ??= { error };
      cancel();
    },
  };
  const beat = startHeartbeat(store, runId, clock, options.heartbeatMs ?? 10_000, (e) =>
    sluiceLog(`heartbeat failed: ${errorText(e)}`),
  );
  try {
    sink.emit({
      type: 'run_started',
      message: resume ? `resuming run ${resume.run.id}` : undefined,
      data: { steps: steps.length, concurrency: options.concurrency ?? 4, resumedFrom: resume?.run.id ?? null, staleRunsFailed },
    });
    for (const s of steps) {
      sink.emit({
        type: 'asset_planned',
        assetKey: s.step.key,
        partition: s.step.partition ?? '',
        data: { level: s.step.level },
      });
    }
    await sink.flush();
    await schedule(rc, resume);
  } catch (error) {
    rc.fatal(error);
  } finally {
    beat.stop();
    options.signal?.removeEventListener('abort', cancel);
  }
  return finishRun(rc, {
    startedAt,
    resumedFrom: resume?.run.id ?? null,
    staleRunsFailed,
    cancelled: options.signal?.aborted === true,
    fatal: () => fatal,
    onFailure: options.pipeline?.onFailure ?? [],
    pending,
  });
}
