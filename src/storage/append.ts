// The event write: numbered events, the asset-run projection, and the checks and logs events carry.
import type { Dialect, Param, Stmt } from './dialect.js';
import { type AssetPatch, checkFromEvent, foldEvents, logFromEvent } from './projection.js';
import {
  type Columns,
  checkRows,
  checksInsert,
  KEY_COLUMNS,
  logRows,
  logsInsert,
  type Rows,
  rowsOf,
  withRows,
} from './statements.js';
import type { RunEvent } from './types.js';

/** Per run of a batch: how many events it has, the newest event's time, and its first-seen position. */
const RUN_COLUMNS: Columns = [
  ['run_id', 'TEXT'],
  ['n', 'INTEGER'],
  ['last_at', 'TEXT'],
  ['ord', 'INTEGER'],
];

const EVENT_COLUMNS: Columns = [
  ['run_id', 'TEXT'],
  ['after', 'INTEGER'],
  ['type', 'TEXT'],
  ['at', 'TEXT'],
  ['asset_key', 'TEXT'],
  ['partition_key', 'TEXT'],
  ['attempt', 'INTEGER'],
  ['message', 'TEXT'],
  ['data', 'JSON'],
];

const PATCH_COLUMNS: Columns = [
  ...KEY_COLUMNS,
  ['status', 'TEXT'],
  ['attempts_inc', 'INTEGER'],
  ['started_at', 'TEXT'],
  ['ended_at', 'TEXT'],
  ['row_count', 'BIGINT'],
  ['error_set', 'INTEGER'],
  ['error', 'TEXT'],
];

/**
 * Reserves seq numbers for the runs in relation `per_run` (which also locks their rows, so concurrent
 * writers to one run queue up). Events prove the run is alive, so they move the heartbeat forward
 * (never back).
 */
const BUMP_RUNS = `UPDATE runs SET last_seq = last_seq + per_run.n,
    heartbeat_at = CASE WHEN heartbeat_at < per_run.last_at THEN per_run.last_at ELSE heartbeat_at END
  FROM per_run WHERE runs.id = per_run.run_id`;

/**
 * Inserts the events of relation `e`; `seqs` holds (id, last_seq) of their runs after the bump, and
 * an event's seq is its run's new last_seq minus how many of the run's events in the batch follow it.
 */
function eventsInsert(seqs: string): string {
  return `INSERT INTO events (run_id, seq, type, at, asset_key, partition_key, attempt, message, data)
    SELECT e.run_id, s.last_seq - e.after, e.type, e.at, e.asset_key, e.partition_key, e.attempt, e.message, e.data
    FROM e JOIN ${seqs} s ON s.id = e.run_id`;
}

/** The patch of relation `p` for the asset run that conflicts (correlated, so it works in ON CONFLICT). */
const patchOf = (column: string) => `(SELECT q.${column} FROM p q WHERE q.run_id = excluded.run_id
    AND q.asset_key = excluded.asset_key AND q.partition_key = excluded.partition_key)`;

/**
 * Applies the patches of relation `p` when `guard` holds: the same rules as applyPatch in
 * projection.ts. A missing asset run is inserted as the patch applied to a fresh `planned` row with
 * 0 attempts; an existing one is updated. One upsert rather than insert-then-update, because within
 * one PostgreSQL statement an update does not see rows inserted by the same statement. The status
 * and error come from `p` itself on conflict: the inserted row cannot tell "keep" from its fresh value.
 * `WHERE` also keeps SQLite from reading ON CONFLICT as a join constraint.
 */
const assetRunsUpsert = (guard: string): string => `INSERT INTO asset_runs
    (run_id, asset_key, partition_key, status, attempts, started_at, ended_at, row_count, error)
  SELECT p.run_id, p.asset_key, p.partition_key, COALESCE(p.status, 'planned'), p.attempts_inc, p.started_at,
    p.ended_at, p.row_count, CASE WHEN p.error_set = 1 THEN p.error END
  FROM p WHERE ${guard}
  ON CONFLICT (run_id, asset_key, partition_key) DO UPDATE SET
    status = COALESCE(${patchOf('status')}, asset_runs.status),
    attempts = asset_runs.attempts + excluded.attempts,
    started_at = COALESCE(asset_runs.started_at, excluded.started_at),
    ended_at = COALESCE(excluded.ended_at, asset_runs.ended_at),
    row_count = COALESCE(excluded.row_count, asset_runs.row_count),
    error = CASE WHEN ${patchOf('error_set')} = 1 THEN excluded.error ELSE asset_runs.error END`;

/** What one appendEvents call writes, as rows for each part. Empty parts are left out. */
interface Parts {
  runs: Param[][];
  events: Rows;
  patches: Rows | undefined;
  checks: Rows | undefined;
  logs: Rows | undefined;
}

function parts(d: Dialect, events: readonly RunEvent[]): Parts {
  const perRun = new Map<string, { count: number; lastAt: string }>();
  for (const e of events) {
    const r = perRun.get(e.runId);
    if (r === undefined) perRun.set(e.runId, { count: 1, lastAt: e.at });
    else {
      r.count += 1;
      if (e.at > r.lastAt) r.lastAt = e.at;
    }
  }
  const runs = [...perRun].map(([runId, { count, lastAt }], ord): Param[] => [runId, count, lastAt, ord]);
  const remaining = new Map<string, number>();
  for (const [runId, { count }] of perRun) remaining.set(runId, count);
  const eventRows = events.map((e): Param[] => {
    const after = remaining.get(e.runId)! - 1;
    remaining.set(e.runId, after);
    const data = e.data === undefined ? null : JSON.stringify(e.data);
    return [e.runId, after, e.type, e.at, e.assetKey ?? null, e.partition ?? null, e.attempt ?? null, e.message ?? null, data];
  });
  const patches = foldEvents(events);
  const checks = events.map(checkFromEvent).filter((c) => c !== undefined);
  const logs = events.map(logFromEvent).filter((l) => l !== undefined);
  return {
    runs,
    events: rowsOf(d, EVENT_COLUMNS, eventRows),
    patches: patches.length > 0 ? rowsOf(d, PATCH_COLUMNS, patches.map(patchRow)) : undefined,
    checks: checks.length > 0 ? checkRows(d, checks) : undefined,
    logs: logs.length > 0 ? logRows(d, logs) : undefined,
  };
}

const patchRow = (p: AssetPatch): Param[] => [
  p.runId,
  p.assetKey,
  p.partition,
  p.status,
  p.attemptsInc,
  p.startedAt,
  p.endedAt,
  p.rowCount,
  p.errorSet ? 1 : 0,
  p.error,
];

/**
 * The whole write for a batch of events, atomically: bump each run's seq and heartbeat, insert the
 * events, upsert the asset-run projection, and record the check results and log lines they carry.
 * A batch naming a run that does not exist is refused and nothing of it is kept.
 */
export function appendEvents(d: Dialect, events: readonly RunEvent[]): Stmt[] {
  const p = parts(d, events);
  return d.batchRows === 'json' ? [oneStatement(d, p)] : inOrder(d, p);
}

/** SQLite: the parts in order within the driver's transaction; in-process, so statements cost no round trip. */
function inOrder(d: Dialect, p: Parts): Stmt[] {
  const stmts: Stmt[] = p.runs.map((run) => {
    // One statement per run, bound directly, so a missing run is caught by the rows it changed.
    const { sql } = withRows(rowsOf(d, RUN_COLUMNS, [run]), 'per_run', BUMP_RUNS);
    return { sql, params: run, mustChange: missingRun(String(run[0])) };
  });
  // The bumps above checked every run exists, so the other parts need no guard.
  stmts.push(withRows(p.events, 'e', eventsInsert('runs')));
  if (p.patches) stmts.push(withRows(p.patches, 'p', assetRunsUpsert('true')));
  if (p.checks) stmts.push(withRows(p.checks, 'c', checksInsert('true')));
  if (p.logs) stmts.push(withRows(p.logs, 'l', logsInsert('true')));
  return stmts;
}

const missingRun = (runId: string) => `cannot append events: run "${runId}" does not exist`;

/**
 * PostgreSQL: every part as a data-modifying CTE of one statement — one round trip, atomic without
 * BEGIN/COMMIT. The bump writes only when every run exists, and the other parts only when the bump
 * wrote, so a refused batch keeps nothing; the statement then returns the first missing run
 * instead of raising (runs are never deleted, so a run the snapshot holds is one the bump finds).
 * Every CTE sees the snapshot the statement started with, so the events take their seq from the
 * bump's RETURNING, never from a re-read of runs.
 */
function oneStatement(d: Dialect, p: Parts): Stmt {
  const runs = rowsOf(d, RUN_COLUMNS, p.runs);
  const ctes = [
    `per_run AS ${runs.sql}`,
    'missing AS (SELECT run_id, ord FROM per_run WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.id = per_run.run_id))',
    `seqs AS (${BUMP_RUNS} AND NOT EXISTS (SELECT 1 FROM missing) RETURNING runs.id, runs.last_seq)`,
    `e AS ${p.events.sql}`,
    `events_w AS (${eventsInsert('seqs')})`,
  ];
  const params = [...runs.params, ...p.events.params];
  // count(*) rather than EXISTS: reading every row of the bump takes every run's row lock before the
  // upsert runs, so concurrent writers apply their projection in the order of their seqs.
  const wrote = '(SELECT count(*) FROM seqs) > 0';
  for (const [name, rows, insert] of [
    ['p', p.patches, assetRunsUpsert],
    ['c', p.checks, checksInsert],
    ['l', p.logs, logsInsert],
  ] as const) {
    if (rows === undefined) continue;
    ctes.push(`${name} AS ${rows.sql}`, `${name}_w AS (${insert(wrote)})`);
    params.push(...rows.params);
  }
  return {
    sql: `WITH ${ctes.join(',\n')}
      SELECT run_id AS refused FROM missing ORDER BY ord LIMIT 1`,
    params,
    refused: missingRun,
  };
}
