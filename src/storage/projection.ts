// Turns run events into the asset-run projection, check results and log lines — one rule set for every store.
import type { AssetRunRecord, AssetStatus, CheckResult, LogLine, RunEvent } from './types.js';

/**
 * What a batch of events changes for one run × asset × partition. Applied on top of the stored row
 * (or a fresh `planned` row with 0 attempts) by `applyPatch`, or by the same rules in SQL.
 */
export interface AssetPatch {
  runId: string;
  assetKey: string;
  partition: string;
  /** The last status the batch set; null keeps the stored one. */
  status: AssetStatus | null;
  /** How many attempts the batch started. */
  attemptsInc: number;
  /** The first start seen; the stored start wins, so a duration spans retries and their waits. */
  startedAt: string | null;
  endedAt: string | null;
  rowCount: number | null;
  /** Whether `error` replaces the stored error (null then clears it). */
  errorSet: boolean;
  error: string | null;
}

const STATUS_OF: Partial<Record<RunEvent['type'], AssetStatus>> = {
  asset_planned: 'planned',
  asset_waiting: 'waiting',
  asset_started: 'running',
  asset_retrying: 'retrying',
  asset_succeeded: 'succeeded',
  asset_failed: 'failed',
  asset_skipped: 'skipped',
  asset_upstream_failed: 'upstream_failed',
};

/** Statuses after which an asset run does not change again. */
export const TERMINAL: readonly AssetStatus[] = ['succeeded', 'failed', 'skipped', 'upstream_failed'];

/**
 * Folds events, in order, into one patch per run × asset × partition (in first-seen order).
 * Events without an asset key, and types that carry no state (logs, checks, sensor ticks), are ignored.
 * @example foldEvents([{ runId: 'r', type: 'asset_started', at, assetKey: 'a' }])[0].attemptsInc // 1
 */
export function foldEvents(events: readonly RunEvent[]): AssetPatch[] {
  const patches = new Map<string, AssetPatch>();
  for (const e of events) {
    if (e.assetKey === undefined) continue;
    const status = STATUS_OF[e.type];
    if (status === undefined && e.type !== 'attempt_failed') continue;
    const partition = e.partition ?? '';
    const id = `${e.runId}\u0000${e.assetKey}\u0000${partition}`;
    let p = patches.get(id);
    if (p === undefined) {
      p = {
        runId: e.runId,
        assetKey: e.assetKey,
        partition,
        status: null,
        attemptsInc: 0,
        startedAt: null,
        endedAt: null,
        rowCount: null,
        errorSet: false,
        error: null,
      };
      patches.set(id, p);
    }
    if (status !== undefined) p.status = status;
    switch (e.type) {
      case 'asset_started':
        p.attemptsInc += 1;
        p.startedAt ??= e.at;
        break;
      case 'attempt_failed':
        setError(p, e.message ?? `attempt ${e.attempt ?? '?'} failed`);
        break;
      case 'asset_succeeded': {
        p.endedAt = e.at;
        const rows = e.data?.rowCount;
        if (typeof rows === 'number' && Number.isSafeInteger(rows)) p.rowCount = rows;
        // A success makes earlier attempts' errors history; the events still hold them.
        setError(p, null);
        break;
      }
      case 'asset_failed':
      case 'asset_upstream_failed':
        p.endedAt = e.at;
        if (e.message !== undefined) setError(p, e.message);
        break;
      case 'asset_skipped':
        p.endedAt = e.at;
        break;
    }
  }
  return [...patches.values()];
}

function setError(p: AssetPatch, error: string | null): void {
  p.errorSet = true;
  p.error = error;
}

/**
 * The asset run after a patch; the in-memory twin of the SQL update in statements.ts.
 * @example applyPatch(undefined, patch).status // 'running' after an asset_started
 */
export function applyPatch(current: AssetRunRecord | undefined, p: AssetPatch): AssetRunRecord {
  const base = current ?? {
    runId: p.runId,
    assetKey: p.assetKey,
    partition: p.partition,
    status: 'planned' as const,
    attempts: 0,
    startedAt: null,
    endedAt: null,
    rowCount: null,
    error: null,
  };
  return {
    ...base,
    status: p.status ?? base.status,
    attempts: base.attempts + p.attemptsInc,
    startedAt: base.startedAt ?? p.startedAt,
    endedAt: p.endedAt ?? base.endedAt,
    rowCount: p.rowCount ?? base.rowCount,
    error: p.errorSet ? p.error : base.error,
  };
}

/**
 * The check result a `check_evaluated` event carries: `data: { name, passed, blocking? }` and the
 * message. Undefined when the event lacks them (it is then kept as an event only).
 */
export function checkFromEvent(e: RunEvent): CheckResult | undefined {
  const name = e.data?.name;
  const passed = e.data?.passed;
  if (e.type !== 'check_evaluated' || e.assetKey === undefined || typeof name !== 'string' || typeof passed !== 'boolean') {
    return undefined;
  }
  const blocking = e.data?.blocking === true;
  return {
    runId: e.runId,
    assetKey: e.assetKey,
    partition: e.partition ?? '',
    name,
    passed,
    blocking,
    message: e.message ?? '',
    at: e.at,
  };
}

/** The log line a `log` event carries: the message, with `data: { level?, stream? }` (info, sluice by default). */
export function logFromEvent(e: RunEvent): LogLine | undefined {
  if (e.type !== 'log') return undefined;
  const level = e.data?.level;
  const stream = e.data?.stream;
  return {
    runId: e.runId,
    assetKey: e.assetKey ?? null,
    partition: e.partition ?? '',
    at: e.at,
    level: level === 'warn' || level === 'error' ? level : 'info',
    stream: typeof stream === 'string' ? stream : 'sluice',
    message: e.message ?? '',
  };
}
