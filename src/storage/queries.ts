// Every SQL query the run stores read with, written once with `?` placeholders for both engines.
import type { Dialect, Param, Query } from './dialect.js';
import type { ListRunsOptions, SensorTicksOptions } from './types.js';

export const getRun = (runId: string): Query => ({ sql: 'SELECT * FROM runs WHERE id = ?', params: [runId] });

/** The runs matching the options, newest first, as a query (also used as the drive view's run filter). */
export function listRuns(d: Dialect, o: ListRunsOptions = {}, columns = '*'): Query {
  const where: string[] = [];
  const params: Param[] = [];
  if (o.pipeline !== undefined) {
    where.push('pipeline = ?');
    params.push(o.pipeline);
  }
  if (o.status !== undefined) {
    where.push('status = ?');
    params.push(o.status);
  }
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  params.push(limit(d, o.limit), count(o.offset) ?? 0);
  return { sql: `SELECT ${columns} FROM runs${filter} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`, params };
}

// Limits are bound, not inlined, so each query keeps one text (and one prepared statement).
const count = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.max(0, Math.trunc(n)));
const limit = (d: Dialect, n: number | undefined): Param => count(n) ?? d.noLimit;

/** Ticks newest first, optionally of one pipeline. */
export function ticks(pipeline?: string, limit = 100): Query {
  return {
    sql: `SELECT * FROM ticks${pipeline === undefined ? '' : ' WHERE pipeline = ?'} ORDER BY tick_at DESC, pipeline LIMIT ?`,
    params: pipeline === undefined ? [limit] : [pipeline, limit],
  };
}

/** Sensor ticks newest first, filtered by the options given. */
export function sensorTicks(d: Dialect, o: SensorTicksOptions = {}): Query {
  const where: string[] = [];
  const params: Param[] = [];
  for (const [column, value] of [
    ['pipeline', o.pipeline],
    ['sensor', o.sensor],
    ['status', o.status],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  params.push(limit(d, o.limit ?? 100));
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT * FROM sensor_ticks${filter} ORDER BY evaluated_at DESC, id DESC LIMIT ?`, params };
}

export function drive(d: Dialect, o: ListRunsOptions = {}): Query {
  const runs = listRuns(d, o, 'id');
  return {
    sql: `SELECT * FROM drive WHERE run_id IN (${runs.sql})
      ORDER BY run_started_at DESC, run_id DESC, asset_key, partition_key`,
    params: runs.params,
  };
}

export const assetRuns = (runId: string): Query => ({
  sql: 'SELECT * FROM asset_runs WHERE run_id = ? ORDER BY asset_key, partition_key',
  params: [runId],
});

export const events = (runId: string, afterSeq: number): Query => ({
  sql: 'SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq',
  params: [runId, afterSeq],
});

/** The `newest` most recent lines (all when undefined), in chronological order. */
export function logs(runId: string, assetKey?: string, newest?: number): Query {
  const params: Param[] = [runId];
  let where = 'run_id = ?';
  if (assetKey !== undefined) {
    where += ' AND asset_key = ?';
    params.push(assetKey);
  }
  const inner = `SELECT * FROM logs WHERE ${where}`;
  if (newest === undefined) return { sql: `${inner} ORDER BY at, id`, params };
  params.push(count(newest)!);
  return { sql: `SELECT * FROM (${inner} ORDER BY at DESC, id DESC LIMIT ?) t ORDER BY at, id`, params };
}

export const checkResults = (runId: string): Query => ({
  sql: 'SELECT * FROM check_results WHERE run_id = ? ORDER BY at, id',
  params: [runId],
});

/** Newest finished row per asset × partition, optionally only for some assets. */
export function latestMaterializations(d: Dialect, assetKeys?: readonly string[]): Query {
  const filter = assetKeys === undefined ? '' : ` AND asset_key IN (SELECT value FROM ${d.textElements('?')})`;
  return {
    sql: `SELECT asset_key, partition_key, status, run_id, ended_at FROM (
        SELECT asset_key, partition_key, status, run_id, ended_at, ROW_NUMBER() OVER (
          PARTITION BY asset_key, partition_key ORDER BY ended_at DESC, run_id DESC) AS newest
        FROM asset_runs WHERE status IN ('succeeded', 'failed') AND ended_at IS NOT NULL${filter}) t
      WHERE newest = 1 ORDER BY asset_key, partition_key`,
    params: assetKeys === undefined ? [] : [JSON.stringify(assetKeys)],
  };
}
