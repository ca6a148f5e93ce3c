// Every SQL statement the run stores write with, written once with `?` placeholders for both engines.
import type { Dialect, Param, Stmt } from './dialect.js';
import { type AssetPatch, checkFromEvent, foldEvents, logFromEvent, TERMINAL } from './projection.js';
import type { CheckResult, LogLine, NewRun, RunEvent, RunStatus } from './types.js';

const TERMINAL_LIST = TERMINAL.map((s) => `'${s}'`).join(', ');

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

type Columns = ReadonlyArray<readonly [name: string, type: 'TEXT' | 'INTEGER' | 'BIGINT' | 'JSON']>;

/**
 * One statement over a batch of rows; `sql` gets the derived table (with the given columns) the rows
 * arrive as. PostgreSQL gets one parameter holding a JSON array of rows, so any batch is one round
 * trip and one fixed text, prepared once. SQLite runs the statement once per row over a SELECT of
 * placeholders: it is in-process, so there is no round trip to save, and binding beats parsing JSON.
 */
function batch(d: Dialect, columns: Columns, values: Param[][], sql: (rows: string) => string): Stmt {
  if (d.batchRows === 'each') {
    const select = columns.map(([name, type]) => `CAST(? AS ${type === 'JSON' ? 'TEXT' : type}) AS ${name}`);
    return { sql: sql(`(SELECT ${select.join(', ')})`), params: [], each: values };
  }
  const select = columns.map(([name, type], i) => {
    const value = `value ->> ${i}`;
    return `${type === 'JSON' ? d.toJson(value) : `CAST(${value} AS ${type})`} AS ${name}`;
  });
  return { sql: sql(`(SELECT ${select.join(', ')} FROM ${d.elements('?')})`), params: [JSON.stringify(values)] };
}

export function createRun(d: Dialect, run: NewRun): Stmt {
  return {
    sql: `INSERT INTO runs (id, pipeline, selection, partitions, resumed_from, started_at, launched_by, tags, status, heartbeat_at)
      VALUES (?, ?, ?, ${d.toJson('?')}, ?, ?, ?, ${d.toJson('?')}, 'running', ?) ON CONFLICT (id) DO NOTHING`,
    params: [
      run.id,
      run.pipeline ?? null,
      run.selection,
      json(run.partitions),
      run.resumedFrom ?? null,
      run.startedAt,
      run.launchedBy,
      json(run.tags),
      run.startedAt,
    ],
    mustChange: `run "${run.id}" already exists`,
  };
}

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

/**
 * The whole write for a batch of events: reserve each run's seq numbers (which also locks the run row,
 * so concurrent writers to one run queue up), insert the events, upsert the asset-run projection,
 * and record the check results and log lines the events carry.
 */
export function appendEvents(d: Dialect, events: readonly RunEvent[]): Stmt[] {
  const perRun = new Map<string, { count: number; lastAt: string }>();
  for (const e of events) {
    const r = perRun.get(e.runId);
    if (r === undefined) perRun.set(e.runId, { count: 1, lastAt: e.at });
    else {
      r.count += 1;
      if (e.at > r.lastAt) r.lastAt = e.at;
    }
  }
  const stmts: Stmt[] = [];
  for (const [runId, { count, lastAt }] of perRun) {
    stmts.push({
      // Events prove the run is alive, so they move the heartbeat forward (never back).
      sql: `UPDATE runs SET last_seq = last_seq + CAST(? AS INTEGER),
        heartbeat_at = CASE WHEN heartbeat_at < ? THEN ? ELSE heartbeat_at END WHERE id = ?`,
      params: [count, lastAt, lastAt, runId],
      mustChange: `cannot append events: run "${runId}" does not exist`,
    });
  }
  // seq = the run's new last_seq minus how many of its events in this batch come after this one.
  const remaining = new Map<string, number>();
  for (const [runId, { count }] of perRun) remaining.set(runId, count);
  const eventRows = events.map((e): Param[] => {
    const after = remaining.get(e.runId)! - 1;
    remaining.set(e.runId, after);
    const data = e.data === undefined ? null : JSON.stringify(e.data);
    return [e.runId, after, e.type, e.at, e.assetKey ?? null, e.partition ?? null, e.attempt ?? null, e.message ?? null, data];
  });
  stmts.push(
    batch(
      d,
      EVENT_COLUMNS,
      eventRows,
      (rows) => `INSERT INTO events (run_id, seq, type, at, asset_key, partition_key, attempt, message, data)
        SELECT e.run_id, r.last_seq - e.after, e.type, e.at, e.asset_key, e.partition_key, e.attempt, e.message, e.data
        FROM ${rows} e JOIN runs r ON r.id = e.run_id`,
    ),
  );
  const patches = foldEvents(events);
  if (patches.length > 0) stmts.push(...patchAssetRuns(d, patches));
  const checks = events.map(checkFromEvent).filter((c) => c !== undefined);
  const logs = events.map(logFromEvent).filter((l) => l !== undefined);
  return [...stmts, ...insertChecks(d, checks), ...insertLogs(d, logs)];
}

const KEY_COLUMNS: Columns = [
  ['run_id', 'TEXT'],
  ['asset_key', 'TEXT'],
  ['partition_key', 'TEXT'],
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

/** Creates missing asset runs as `planned` with 0 attempts, then applies the patches to them. */
function patchAssetRuns(d: Dialect, patches: AssetPatch[]): Stmt[] {
  const keys = patches.map((p): Param[] => [p.runId, p.assetKey, p.partition]);
  const values = patches.map((p): Param[] => [
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
  ]);
  return [
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
    batch(
      d,
      KEY_COLUMNS,
      keys,
      (rows) => `INSERT INTO asset_runs (run_id, asset_key, partition_key, status, attempts)
        SELECT p.run_id, p.asset_key, p.partition_key, 'planned', 0 FROM ${rows} p WHERE true
        ON CONFLICT (run_id, asset_key, partition_key) DO NOTHING`,
    ),
    // The same rules as applyPatch in projection.ts.
    batch(
      d,
      PATCH_COLUMNS,
      values,
      (rows) => `WITH p AS ${rows}
        UPDATE asset_runs SET
          status = COALESCE(p.status, asset_runs.status),
          attempts = asset_runs.attempts + p.attempts_inc,
          started_at = COALESCE(asset_runs.started_at, p.started_at),
          ended_at = COALESCE(p.ended_at, asset_runs.ended_at),
          row_count = COALESCE(p.row_count, asset_runs.row_count),
          error = CASE WHEN p.error_set = 1 THEN p.error ELSE asset_runs.error END
        FROM p WHERE asset_runs.run_id = p.run_id AND asset_runs.asset_key = p.asset_key
          AND asset_runs.partition_key = p.partition_key`,
    ),
  ];
}

const CHECK_COLUMNS: Columns = [
  ...KEY_COLUMNS,
  ['name', 'TEXT'],
  ['passed', 'INTEGER'],
  ['blocking', 'INTEGER'],
  ['message', 'TEXT'],
  ['at', 'TEXT'],
];

export function insertChecks(d: Dialect, results: readonly CheckResult[]): Stmt[] {
  if (results.length === 0) return [];
  const values = results.map((c): Param[] => [
    c.runId,
    c.assetKey,
    c.partition,
    c.name,
    c.passed ? 1 : 0,
    c.blocking ? 1 : 0,
    c.message,
    c.at,
  ]);
  // `= 1` rather than a cast: SQLite keeps 0/1, PostgreSQL gets real booleans.
  const sql = (rows: string) => `INSERT INTO check_results (run_id, asset_key, partition_key, name, passed, blocking, message, at)
    SELECT c.run_id, c.asset_key, c.partition_key, c.name, c.passed = 1, c.blocking = 1, c.message, c.at FROM ${rows} c WHERE true
    ON CONFLICT (run_id, asset_key, partition_key, name, at) DO NOTHING`;
  return [batch(d, CHECK_COLUMNS, values, sql)];
}

const LOG_COLUMNS: Columns = [
  ['run_id', 'TEXT'],
  ['asset_key', 'TEXT'],
  ['partition_key', 'TEXT'],
  ['at', 'TEXT'],
  ['level', 'TEXT'],
  ['stream', 'TEXT'],
  ['message', 'TEXT'],
];

export function insertLogs(d: Dialect, lines: readonly LogLine[]): Stmt[] {
  if (lines.length === 0) return [];
  const values = lines.map((l): Param[] => [l.runId, l.assetKey, l.partition, l.at, l.level, l.stream, l.message]);
  const sql = (rows: string) => `INSERT INTO logs (run_id, asset_key, partition_key, at, level, stream, message)
    SELECT l.run_id, l.asset_key, l.partition_key, l.at, l.level, l.stream, l.message FROM ${rows} l`;
  return [batch(d, LOG_COLUMNS, values, sql)];
}

export function heartbeat(runId: string, at: string): Stmt {
  return { sql: 'UPDATE runs SET heartbeat_at = ? WHERE id = ?', params: [at, runId] };
}

export function finishRun(runId: string, status: RunStatus, at: string, error: string | null): Stmt[] {
  return [
    {
      sql: 'UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?',
      params: [status, at, error, runId],
      mustChange: `cannot finish run "${runId}": it does not exist`,
    },
    // A finished run's locks are free anyway; removing them keeps the table small.
    { sql: 'DELETE FROM locks WHERE owner = ?', params: [runId] },
  ];
}

/** Marks stale runs failed (RETURNING their ids), then fails their unfinished asset runs with the run's error. */
export function failStaleRuns(before: string, at: string): Stmt[] {
  return [
    {
      sql: `UPDATE runs SET status = 'failed', ended_at = ?, error = 'stale: no heartbeat since ' || heartbeat_at
        WHERE status = 'running' AND heartbeat_at < ? RETURNING id`,
      params: [at, before],
    },
    {
      sql: `UPDATE asset_runs SET status = 'failed', ended_at = ?,
          error = (SELECT r.error FROM runs r WHERE r.id = asset_runs.run_id)
        WHERE status NOT IN (${TERMINAL_LIST}) AND run_id IN
          (SELECT id FROM runs WHERE status = 'failed' AND ended_at = ? AND error LIKE 'stale: %')`,
      params: [at, at],
    },
  ];
}

/** Takes the lock when it is free, already ours, or held by a run that is no longer running (RETURNING a row then). */
export function tryLock(name: string, owner: string, at: string): Stmt {
  return {
    sql: `INSERT INTO locks (name, owner, acquired_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,
        acquired_at = CASE WHEN locks.owner = excluded.owner THEN locks.acquired_at ELSE excluded.acquired_at END
      WHERE locks.owner = excluded.owner
        OR NOT EXISTS (SELECT 1 FROM runs WHERE runs.id = locks.owner AND runs.status = 'running')
      RETURNING owner`,
    params: [name, owner, at],
  };
}

export function unlock(name: string, owner: string): Stmt {
  return { sql: 'DELETE FROM locks WHERE name = ? AND owner = ?', params: [name, owner] };
}
