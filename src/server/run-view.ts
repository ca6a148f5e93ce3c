// /api/runs/:id: a run with each asset's state, attempts and timings, its check results and its log tail.

import type { RunRecord, RunStore, StoredRunEvent } from '../storage/types.js';
import { ApiError } from './errors.js';

/** One attempt of one asset, from its events: when it started and ended, and how. */
export interface AttemptView {
  attempt: number;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  error: string | null;
}

const LOG_TAIL = 500;

const stepId = (assetKey: string | undefined, partition: string | undefined) => `${assetKey}@${partition ?? ''}`;

/** The run, or a 404 naming it. */
export async function requireRun(store: RunStore, runId: string): Promise<RunRecord> {
  const run = await store.getRun(runId);
  if (!run) throw new ApiError(404, 'not_found', `no run "${runId}"`);
  return run;
}

/** Attempts per `assetKey@partition`, read from the run's events. */
function attemptsOf(events: readonly StoredRunEvent[]): Map<string, AttemptView[]> {
  const out = new Map<string, AttemptView[]>();
  for (const e of events) {
    if (e.assetKey === undefined) continue;
    const id = stepId(e.assetKey, e.partition);
    const list = out.get(id) ?? [];
    if (e.type === 'asset_started') {
      list.push({ attempt: e.attempt ?? list.length + 1, startedAt: e.at, endedAt: null, status: 'running', error: null });
      out.set(id, list);
      continue;
    }
    const open = list.at(-1);
    if (!open || open.endedAt !== null) continue;
    if (e.type === 'asset_succeeded') Object.assign(open, { endedAt: e.at, status: 'succeeded' });
    else if (e.type === 'attempt_failed' || e.type === 'asset_failed') {
      Object.assign(open, { endedAt: e.at, status: 'failed', error: e.message ?? null });
    }
  }
  return out;
}

/**
 * The run page's data. `lastSeq` is where the page's live event stream should continue from.
 * @example await runDetail(store, '20250110T060000000Z-3f9a1c')
 */
export async function runDetail(store: RunStore, runId: string): Promise<Record<string, unknown>> {
  const run = await requireRun(store, runId);
  const [assets, events, checks, logs] = await Promise.all([
    store.assetRuns(runId),
    store.events(runId),
    store.checkResults(runId),
    store.logs(runId, undefined, LOG_TAIL),
  ]);
  const attempts = attemptsOf(events);
  // Plan order (level by level, as asset_planned events came), not key order: the timeline reads top-down.
  const planned = new Map<string, number>();
  for (const e of events) if (e.type === 'asset_planned') planned.set(stepId(e.assetKey, e.partition), planned.size);
  const position = (a: { assetKey: string; partition: string }) => planned.get(stepId(a.assetKey, a.partition)) ?? planned.size;
  const ordered = [...assets].sort((a, b) => position(a) - position(b));
  return {
    run: publicRun(run),
    assets: ordered.map((a) => ({
      ...a,
      durationMs: a.startedAt && a.endedAt ? Date.parse(a.endedAt) - Date.parse(a.startedAt) : null,
      attemptList: attempts.get(stepId(a.assetKey, a.partition)) ?? [],
    })),
    checks,
    logs,
    lastSeq: events.at(-1)?.seq ?? 0,
  };
}

/** A run record with its duration, for lists. */
export function publicRun(run: RunRecord): RunRecord & { durationMs: number | null } {
  return { ...run, durationMs: run.endedAt ? Date.parse(run.endedAt) - Date.parse(run.startedAt) : null };
}
