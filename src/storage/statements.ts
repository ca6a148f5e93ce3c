// Every SQL statement the run stores write with, written once with `?` placeholders for both engines.
import type { Dialect, Param, Stmt } from './dialect.js';
import { TERMINAL } from './projection.js';
import type { CheckResult, LogLine, NewRun, RunStatus, SensorTickRecord, TickRecord } from './types.js';

const TERMINAL_LIST = TERMINAL.map((s) => `'${s}'`).join(', ');

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export type Columns = ReadonlyArray<readonly [name: string, type: 'TEXT' | 'INTEGER' | 'BIGINT' | 'JSON']>;

/** A batch of rows as a derived table `(SELECT …)` with the given columns, and what to bind for it. */
export interface Rows {
  sql: string;
  params: Param[];
  /** SQLite only: the statement using `sql` runs once per entry, bound to it. */
  each?: Param[][];
}

/**
 * How a batch of rows reaches a statement. PostgreSQL gets one parameter holding a JSON array of
 * rows, so any batch is one round trip and one fixed text, prepared once. SQLite runs the statement
 * once per row over a SELECT of placeholders: it is in-process, so there is no round trip to save,
 * and binding beats parsing JSON.
 */
export function rowsOf(d: Dialect, columns: Columns, values: Param[][]): Rows {
  if (d.batchRows === 'each') {
    const select = columns.map(([name, type]) => `CAST(? AS ${type === 'JSON' ? 'TEXT' : type}) AS ${name}`);
    return { sql: `(SELECT ${select.join(', ')})`, params: [], each: values };
  }
  const select = columns.map(([name, type], i) => {
    const value = `value ->> ${i}`;
    return `${type === 'JSON' ? d.toJson(value) : `CAST(${value} AS ${type})`} AS ${name}`;
  });
  return { sql: `(SELECT ${select.join(', ')} FROM ${d.elements('?')})`, params: [JSON.stringify(values)] };
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

export const KEY_COLUMNS: Columns = [
  ['run_id', 'TEXT'],
  ['asset_key', 'TEXT'],
  ['partition_key', 'TEXT'],
];

const CHECK_COLUMNS: Columns = [
  ...KEY_COLUMNS,
  ['name', 'TEXT'],
  ['passed', 'INTEGER'],
  ['blocking', 'INTEGER'],
  ['message', 'TEXT'],
  ['at', 'TEXT'],
];

export const checkRows = (d: Dialect, results: readonly CheckResult[]): Rows =>
  rowsOf(
    d,
    CHECK_COLUMNS,
    results.map((c): Param[] => [
      c.runId,
      c.assetKey,
      c.partition,
      c.name,
      c.passed ? 1 : 0,
      c.blocking ? 1 : 0,
      c.message,
      c.at,
    ]),
  );

/**
 * Stores the check results of relation `c` (CHECK_COLUMNS) when `guard` holds. `= 1` rather than a
 * cast: SQLite keeps 0/1, PostgreSQL gets real booleans.
 */
export const checksInsert = (guard: string): string => `INSERT INTO check_results
    (run_id, asset_key, partition_key, name, passed, blocking, message, at)
  SELECT c.run_id, c.asset_key, c.partition_key, c.name, c.passed = 1, c.blocking = 1, c.message, c.at FROM c WHERE ${guard}
  ON CONFLICT (run_id, asset_key, partition_key, name, at) DO NOTHING`;

export function insertChecks(d: Dialect, results: readonly CheckResult[]): Stmt[] {
  return results.length === 0 ? [] : [withRows(checkRows(d, results), 'c', checksInsert('true'))];
}

const LOG_COLUMNS: Columns = [...KEY_COLUMNS, ['at', 'TEXT'], ['level', 'TEXT'], ['stream', 'TEXT'], ['message', 'TEXT']];

export const logRows = (d: Dialect, lines: readonly LogLine[]): Rows =>
  rowsOf(
    d,
    LOG_COLUMNS,
    lines.map((l): Param[] => [l.runId, l.assetKey, l.partition, l.at, l.level, l.stream, l.message]),
  );

/** Stores the log lines of relation `l` (LOG_COLUMNS) when `guard` holds. */
export const logsInsert = (
  guard: string,
): string => `INSERT INTO logs (run_id, asset_key, partition_key, at, level, stream, message)
  SELECT l.run_id, l.asset_key, l.partition_key, l.at, l.level, l.stream, l.message FROM l WHERE ${guard}`;

export function insertLogs(d: Dialect, lines: readonly LogLine[]): Stmt[] {
  return lines.length === 0 ? [] : [withRows(logRows(d, lines), 'l', logsInsert('true'))];
}

/** A statement over rows that it names `name` (a CTE, so the same text also works as part of a bigger WITH). */
export function withRows(rows: Rows, name: string, sql: string): Stmt {
  return { sql: `WITH ${name} AS ${rows.sql} ${sql}`, params: rows.params, ...(rows.each && { each: rows.each }) };
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

/** Claims a tick: inserts it unless (pipeline, tick_at) exists; returns the row only when inserted. */
export function recordTick(t: TickRecord): Stmt {
  return {
    sql: `INSERT INTO ticks (pipeline, tick_at, status, reason, run_id, evaluated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (pipeline, tick_at) DO NOTHING RETURNING pipeline`,
    params: [t.pipeline, t.tickAt, t.status, t.reason, t.runId, t.evaluatedAt],
  };
}

/** Records a sensor tick unless a launched one holds its run key; returns the row only when inserted. */
export function recordSensorTick(t: SensorTickRecord): Stmt {
  return {
    sql: `INSERT INTO sensor_ticks (pipeline, sensor, evaluated_at, status, reason, run_key, partition_key, run_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, sensor, run_key) DO NOTHING RETURNING id`,
    params: [t.pipeline, t.sensor, t.evaluatedAt, t.status, t.reason, t.runKey, t.partition, t.runId],
  };
}

export function pruneSensorTicks(before: string): Stmt {
  return {
    sql: "DELETE FROM sensor_ticks WHERE evaluated_at < ? AND status <> 'launched' RETURNING id",
    params: [before],
  };
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
