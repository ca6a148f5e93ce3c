// Driving one step through its states: slot and lock, attempts with retries, the outcome, the release.

import type { AssetStatus } from '../storage/types.js';
import { runAttempt } from './attempt.js';
import { classifyError, decideRetry, errorText, type FailureKind } from './classify.js';
import { LockedError } from './errors.js';
import { findLockHolder, lockName } from './locks.js';
import type { ProducerOutcome, ProducerRunner, StepContext } from './producers/types.js';
import type { RunContext, StepInfo } from './run-context.js';
import { observeSource } from './sensors.js';
import { stepContext } from './step-context.js';

const EVENT_OF: Partial<Record<AssetStatus, 'asset_failed' | 'asset_skipped'>> = {
  failed: 'asset_failed',
  skipped: 'asset_skipped',
};

/** Ends a step that did not succeed: status, event, and (for real failures) its own notification. */
function end(rc: RunContext, s: StepInfo, status: 'failed' | 'skipped', message: string, kind: FailureKind | null): void {
  rc.states.move(s.index, status);
  if (status === 'failed') {
    s.error = message;
    s.kind = kind;
  } else {
    s.reason = message;
  }
  const partition = s.step.partition ?? '';
  rc.sink.emit({
    type: EVENT_OF[status] as 'asset_failed' | 'asset_skipped',
    assetKey: s.step.key,
    partition,
    attempt: s.attempts,
    message,
    data: kind ? { kind, attempts: s.attempts } : { attempts: s.attempts },
  });
  const targets = s.asset.spec.notify;
  if (status === 'failed' && kind !== 'cancelled' && targets.length > 0) {
    const failed = {
      assetKey: s.step.key,
      partition: s.step.partition,
      attempts: s.attempts,
      kind: kind ?? 'other',
      error: message,
    };
    rc.notify({
      scope: 'asset',
      pipeline: rc.pipelineName,
      runId: rc.runId,
      partitions: rc.partitions,
      targets: [...targets],
      failed: [failed],
      upstreamFailed: [],
      summary: `asset ${s.step.id} failed (run ${rc.runId}) after ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}: ${message}`,
    });
  }
}

/**
 * Takes the asset's lock before a run slot, so polling a held lock never occupies a slot and lock
 * round trips to the store overlap with other steps' producers. False when the step ended instead.
 */
async function lockAsset(rc: RunContext, s: StepInfo): Promise<boolean> {
  const name = lockName(s.step.key, s.step.partition);
  let waited = 0;
  for (;;) {
    if (await rc.store.tryLock(name, rc.runId)) return true;
    const holder = await findLockHolder(rc.store, s.step.key, s.step.partition, rc.runId);
    if (rc.onLocked === 'fail' || waited >= rc.lockWaitTimeoutMs) {
      s.locked = true;
      end(rc, s, 'failed', new LockedError(s.step.key, s.step.partition, holder).message, 'other');
      return false;
    }
    if (waited === 0) {
      const who = holder ? `run ${holder}` : 'another run';
      rc.sink.emit({
        type: 'asset_waiting',
        assetKey: s.step.key,
        partition: s.step.partition ?? '',
        message: `waiting for ${who} to release the lock`,
      });
    }
    try {
      await rc.clock.sleep(rc.lockPollMs, rc.runSignal);
    } catch {
      end(rc, s, 'skipped', 'run cancelled while waiting for a lock', null);
      return false;
    }
    waited += rc.lockPollMs;
  }
}

function work(rc: RunContext, s: StepInfo): (ctx: StepContext) => Promise<ProducerOutcome> {
  const producer = s.asset.spec.producer;
  return async (ctx) => {
    let outcome: ProducerOutcome;
    if (s.step.action === 'wait' || !producer) {
      outcome = await observeSource(ctx);
    } else {
      const runner = rc.producers[producer.type] as ProducerRunner;
      outcome = await runner(producer, ctx);
    }
    if (!outcome.verified && s.asset.spec.checks.length > 0) {
      const resource = (producer && 'resource' in producer && producer.resource) || s.asset.spec.resource || 'warehouse';
      const warehouse = await rc.resources.warehouse(resource);
      await ctx.verify(ctx.table(warehouse.dialect), warehouse);
    }
    return outcome;
  };
}

/** A value small enough to keep in the succeeded event, so a resumed run can hand it downstream. */
function storableValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= 4096 ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function succeed(rc: RunContext, s: StepInfo, outcome: ProducerOutcome, startedAt: number): void {
  rc.states.move(s.index, 'succeeded');
  s.rowCount = outcome.rowCount ?? null;
  s.value = outcome.value;
  const data: Record<string, unknown> = { durationMs: rc.clock.now() - startedAt };
  if (outcome.rowCount !== undefined) data.rowCount = outcome.rowCount;
  if (outcome.metadata !== undefined) data.metadata = outcome.metadata;
  const value = storableValue(outcome.value);
  if (value !== undefined) data.value = value;
  rc.sink.emit({
    type: 'asset_succeeded',
    assetKey: s.step.key,
    partition: s.step.partition ?? '',
    attempt: s.attempts,
    message: outcome.note,
    data,
  });
}

/**
 * Runs step `s` from `waiting` to an end state. Never throws: an attempt's error is the step's
 * failure; a store failure is reported through `rc.fatal`, which ends the run.
 * @example void driveStep(rc, rc.steps[0]).then(() => completed(0));
 */
export async function driveStep(rc: RunContext, s: StepInfo): Promise<void> {
  const produce = s.step.action === 'produce';
  let slot = false;
  let lock = false;
  // The flush that makes the step's end durable, issued after this turn and not awaited: steps that start
  // or end in the same turn share its write (group commit), and the lock is released only after it.
  let durable: Promise<void> | undefined;
  try {
    if (produce) {
      try {
        await rc.lockers.acquire(s.index, undefined);
      } catch {
        end(rc, s, 'skipped', 'run cancelled before the step started', null);
        return;
      }
      try {
        if (!(await lockAsset(rc, s))) return;
      } finally {
        rc.lockers.release(undefined);
      }
      lock = true;
      try {
        await rc.slots.acquire(s.index, s.pool);
      } catch {
        end(rc, s, 'skipped', 'run cancelled before the step started', null);
        return;
      }
      slot = true;
    }
    const run = work(rc, s);
    for (;;) {
      s.attempts++;
      const attempt = s.attempts;
      rc.states.move(s.index, 'running');
      const startedAt = rc.clock.now();
      rc.sink.emit({ type: 'asset_started', assetKey: s.step.key, partition: s.step.partition ?? '', attempt });
      // Durable before the producer starts: a crash mid-producer still shows the attempt.
      await rc.sink.flush();
      let outcome: ProducerOutcome | undefined;
      let error: unknown;
      try {
        outcome = await runAttempt({
          clock: rc.clock,
          assetKey: s.step.key,
          timeoutMs: produce ? s.timeoutMs : undefined,
          runSignal: rc.runSignal,
          context: (signal) => stepContext(rc, s, attempt, signal),
          work: run,
        });
      } catch (e) {
        error = e ?? new Error('producer failed without an error');
      }
      if (slot) {
        rc.slots.release(s.pool);
        slot = false;
      }
      if (outcome) {
        succeed(rc, s, outcome, startedAt);
        durable = rc.sink.flushSoon();
        return;
      }
      const kind = classifyError(error);
      const message = rc.redact(errorText(error));
      const decision = decideRetry(s.retry, error, attempt);
      const partition = s.step.partition ?? '';
      rc.sink.emit({
        type: 'attempt_failed',
        assetKey: s.step.key,
        partition,
        attempt,
        message,
        data: decision.retry ? { kind, retry: true, delayMs: decision.delayMs } : { kind, retry: false, why: decision.reason },
      });
      if (!decision.retry) {
        end(rc, s, 'failed', message, kind);
        durable = rc.sink.flushSoon();
        return;
      }
      rc.states.move(s.index, 'retrying');
      rc.sink.emit({
        type: 'asset_retrying',
        assetKey: s.step.key,
        partition,
        attempt: attempt + 1,
        message: `attempt ${attempt + 1} in ${decision.delayMs}ms`,
        data: { delayMs: decision.delayMs, reason: decision.reason },
      });
      try {
        await rc.clock.sleep(decision.delayMs, rc.runSignal);
        rc.states.move(s.index, 'waiting');
        if (produce) {
          await rc.slots.acquire(s.index, s.pool);
          slot = true;
        }
      } catch {
        end(rc, s, 'failed', `${message} (run cancelled before the retry)`, 'cancelled');
        return;
      }
    }
  } catch (error) {
    rc.fatal(error);
    const status = rc.states.get(s.index);
    if (status === 'running' || status === 'waiting' || status === 'retrying') {
      end(rc, s, 'failed', rc.redact(`run storage failed: ${errorText(error)}`), 'other');
    }
  } finally {
    if (slot) rc.slots.release(s.pool);
    rc.track(settle(rc, s, durable, lock));
  }
}

/** After a step ended: its end is stored, then its lock is released (another run may then take it). */
async function settle(rc: RunContext, s: StepInfo, durable: Promise<void> | undefined, lock: boolean): Promise<void> {
  try {
    await durable;
  } catch (error) {
    rc.fatal(error);
    return;
  }
  if (lock) {
    await rc.store.unlock(lockName(s.step.key, s.step.partition), rc.runId).catch(() => {
      // Locks of finished runs are free anyway (see RunStore.tryLock).
    });
  }
}
