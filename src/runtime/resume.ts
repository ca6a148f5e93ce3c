// Resuming a run: which asset × partition already succeeded in it or in the runs it resumed.

import type { RunRecord, RunStore } from '../storage/types.js';
import { ResumeError } from './errors.js';

/** What a new run takes over from the run it resumes. */
export interface ResumePoint {
  run: RunRecord;
  /** The resumed run, then the run it resumed, and so on. */
  chain: string[];
  /** `${assetKey}@${partition}` (partition '' when unpartitioned) → the run it succeeded in. */
  succeeded: Map<string, string>;
  /** Values returned by succeeded `fn` producers, by the same keys, when they were stored. */
  values: Map<string, unknown>;
}

export interface ResumeCheckOptions {
  /** Now, in ms since the epoch. */
  now: number;
  /** A `running` run whose heartbeat is younger than this is alive and may not be resumed. */
  staleAfterMs: number;
}

/**
 * The key {@link ResumePoint.succeeded} uses.
 * @example resumeKey('a.b', null) // 'a.b@'
 */
export function resumeKey(assetKey: string, partition: string | null | undefined): string {
  return `${assetKey}@${partition ?? ''}`;
}

/**
 * The run to resume, after checking it may be: it must exist and must not be alive. The CLI calls
 * this first to re-plan with the run's `selection` and `partitions`, then passes `resumeFrom`.
 * @example const old = await resumableRun(store, id, { now: Date.now(), staleAfterMs: 60_000 }); plan(graph, old.selection, old.partitions)
 */
export async function resumableRun(store: RunStore, runId: string, options: ResumeCheckOptions): Promise<RunRecord> {
  const run = await store.getRun(runId);
  if (!run)
    throw new ResumeError(`cannot resume run "${runId}": no such run in ${store.describe}; list runs with \`sluice runs\``);
  if (run.status === 'running') {
    const age = options.now - Date.parse(run.heartbeatAt);
    if (age < options.staleAfterMs) {
      throw new ResumeError(
        `cannot resume run "${runId}": it is still running (last heartbeat ${Math.max(0, Math.round(age / 1000))}s ago); wait for it to finish or cancel it`,
      );
    }
  }
  return run;
}

/**
 * Loads what a resumed run may skip: every asset × partition that succeeded in `runId` or in any
 * run it resumed from, following `resumedFrom` back to the first run.
 * @example const point = await loadResumePoint(store, id, { now, staleAfterMs }); point.succeeded.has('a.b@') // true
 */
export async function loadResumePoint(store: RunStore, runId: string, options: ResumeCheckOptions): Promise<ResumePoint> {
  const run = await resumableRun(store, runId, options);
  const chain: string[] = [];
  const succeeded = new Map<string, string>();
  const values = new Map<string, unknown>();
  for (let id: string | undefined = runId; id !== undefined && !chain.includes(id); ) {
    chain.push(id);
    const record: RunRecord | undefined = id === runId ? run : await store.getRun(id);
    if (!record) break;
    // Newer runs come first, so the newest success of an asset wins.
    for (const a of await store.assetRuns(id)) {
      const key = resumeKey(a.assetKey, a.partition);
      if (a.status === 'succeeded' && !succeeded.has(key)) succeeded.set(key, id);
    }
    for (const e of await store.events(id)) {
      if (e.type !== 'asset_succeeded' || !e.assetKey || !e.data || !('value' in e.data)) continue;
      const key = resumeKey(e.assetKey, e.partition);
      if (succeeded.get(key) === id && !values.has(key)) values.set(key, e.data.value);
    }
    id = record.resumedFrom ?? undefined;
  }
  return { run, chain, succeeded, values };
}
