// The RunStore over any SQL engine: statements.ts and append.ts say what to send, a driver says how.
import { appendEvents } from './append.js';
import type { Dialect, Query, Stmt } from './dialect.js';
import * as read from './queries.js';
import * as sql from './statements.js';
import type {
  AssetRunRecord,
  AssetStatus,
  CheckResult,
  DriveRow,
  ListRunsOptions,
  LogLine,
  Materialization,
  NewRun,
  RunEvent,
  RunRecord,
  RunStatus,
  RunStore,
  SensorTickRecord,
  SensorTicksOptions,
  StoredRunEvent,
  TickRecord,
} from './types.js';

export type Row = Record<string, unknown>;

/** How one engine runs statements. Writes are one transaction each; reads need none. */
export interface SqlDriver {
  readonly dialect: Dialect;
  readonly describe: string;
  all(query: Query): Promise<Row[]>;
  /** Runs the statements in one write transaction and returns each one's rows (for RETURNING). */
  write(stmts: Stmt[]): Promise<Row[][]>;
  close(): Promise<void>;
}

/** A RunStore on a SQL driver; SQLite and PostgreSQL differ only in their driver. */
export class SqlRunStore implements RunStore {
  readonly describe: string;
  readonly #db: SqlDriver;
  readonly #d: Dialect;

  constructor(driver: SqlDriver) {
    this.#db = driver;
    this.#d = driver.dialect;
    this.describe = driver.describe;
  }

  async createRun(run: NewRun): Promise<RunRecord> {
    await this.#db.write([sql.createRun(this.#d, run)]);
    return (await this.getRun(run.id))!;
  }

  async appendEvents(events: RunEvent[]): Promise<void> {
    if (events.length > 0) await this.#db.write(appendEvents(this.#d, events));
  }

  async appendLogs(lines: LogLine[]): Promise<void> {
    if (lines.length > 0) await this.#db.write(sql.insertLogs(this.#d, lines));
  }

  async appendCheckResults(results: CheckResult[]): Promise<void> {
    if (results.length > 0) await this.#db.write(sql.insertChecks(this.#d, results));
  }

  async heartbeat(runId: string, at: string): Promise<void> {
    await this.#db.write([sql.heartbeat(runId, at)]);
  }

  async finishRun(runId: string, status: RunStatus, at: string, error: string | null = null): Promise<void> {
    await this.#db.write(sql.finishRun(runId, status, at, error));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const [row] = await this.#db.all(read.getRun(runId));
    return row === undefined ? undefined : toRun(row);
  }

  async listRuns(options?: ListRunsOptions): Promise<RunRecord[]> {
    return (await this.#db.all(read.listRuns(this.#d, options))).map(toRun);
  }

  async assetRuns(runId: string): Promise<AssetRunRecord[]> {
    return (await this.#db.all(read.assetRuns(runId))).map(toAssetRun);
  }

  async events(runId: string, afterSeq = 0): Promise<StoredRunEvent[]> {
    return (await this.#db.all(read.events(runId, afterSeq))).map(toEvent);
  }

  async logs(runId: string, assetKey?: string, limit?: number): Promise<LogLine[]> {
    return (await this.#db.all(read.logs(runId, assetKey, limit))).map(toLog);
  }

  async checkResults(runId: string): Promise<CheckResult[]> {
    return (await this.#db.all(read.checkResults(runId))).map(toCheck);
  }

  async drive(options?: ListRunsOptions): Promise<DriveRow[]> {
    return (await this.#db.all(read.drive(this.#d, options))).map(toDrive);
  }

  async latestMaterializations(assetKeys?: string[]): Promise<Materialization[]> {
    return (await this.#db.all(read.latestMaterializations(this.#d, assetKeys))).map((r) => ({
      assetKey: str(r.asset_key),
      partition: str(r.partition_key),
      status: str(r.status) as AssetStatus,
      runId: str(r.run_id),
      endedAt: strOrNull(r.ended_at),
    }));
  }

  async failStaleRuns(before: string, at: string): Promise<string[]> {
    const [failed = []] = await this.#db.write(sql.failStaleRuns(before, at));
    return failed.map((r) => str(r.id)).sort();
  }

  async recordTick(tick: TickRecord): Promise<boolean> {
    const [inserted = []] = await this.#db.write([sql.recordTick(tick)]);
    return inserted.length === 1;
  }

  async lastTick(pipeline: string): Promise<TickRecord | undefined> {
    return (await this.ticks({ pipeline, limit: 1 }))[0];
  }

  async ticks(options: { pipeline?: string; limit?: number } = {}): Promise<TickRecord[]> {
    return (await this.#db.all(read.ticks(options.pipeline, options.limit))).map((r) => ({
      pipeline: str(r.pipeline),
      tickAt: str(r.tick_at),
      status: str(r.status) as TickRecord['status'],
      reason: str(r.reason),
      runId: strOrNull(r.run_id),
      evaluatedAt: str(r.evaluated_at),
    }));
  }

  async recordSensorTick(tick: SensorTickRecord): Promise<boolean> {
    const [inserted = []] = await this.#db.write([sql.recordSensorTick(tick)]);
    return inserted.length === 1;
  }

  async sensorTicks(options: SensorTicksOptions = {}): Promise<SensorTickRecord[]> {
    return (await this.#db.all(read.sensorTicks(this.#d, options))).map((r) => ({
      pipeline: str(r.pipeline),
      sensor: str(r.sensor),
      evaluatedAt: str(r.evaluated_at),
      status: str(r.status) as SensorTickRecord['status'],
      reason: str(r.reason),
      runKey: strOrNull(r.run_key),
      partition: strOrNull(r.partition_key),
      runId: strOrNull(r.run_id),
    }));
  }

  async pruneSensorTicks(before: string): Promise<number> {
    const [deleted = []] = await this.#db.write([sql.pruneSensorTicks(before)]);
    return deleted.length;
  }

  async tryLock(name: string, owner: string): Promise<boolean> {
    const [taken = []] = await this.#db.write([sql.tryLock(name, owner, new Date().toISOString())]);
    return taken.length === 1;
  }

  async unlock(name: string, owner: string): Promise<void> {
    await this.#db.write([sql.unlock(name, owner)]);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

// Row mapping. PostgreSQL hands BIGINT and computed numbers back as strings and JSON already parsed;
// SQLite hands JSON back as text and booleans as 0/1. These helpers make both look the same.
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toRun(r: Row): RunRecord {
  const run: RunRecord = {
    id: str(r.id),
    selection: str(r.selection),
    partitions: parsed(r.partitions) as string[],
    startedAt: str(r.started_at),
    launchedBy: str(r.launched_by),
    status: str(r.status) as RunStatus,
    endedAt: strOrNull(r.ended_at),
    heartbeatAt: str(r.heartbeat_at),
    error: strOrNull(r.error),
  };
  // Optional fields are left out when unset, exactly as a NewRun without them.
  if (r.pipeline !== null) run.pipeline = str(r.pipeline);
  if (r.resumed_from !== null) run.resumedFrom = str(r.resumed_from);
  if (r.tags !== null) run.tags = parsed(r.tags) as Record<string, string>;
  return run;
}

function toAssetRun(r: Row): AssetRunRecord {
  return {
    runId: str(r.run_id),
    assetKey: str(r.asset_key),
    partition: str(r.partition_key),
    status: str(r.status) as AssetStatus,
    attempts: num(r.attempts),
    startedAt: strOrNull(r.started_at),
    endedAt: strOrNull(r.ended_at),
    rowCount: numOrNull(r.row_count),
    error: strOrNull(r.error),
  };
}

function toEvent(r: Row): StoredRunEvent {
  const e: StoredRunEvent = { runId: str(r.run_id), seq: num(r.seq), type: str(r.type) as RunEvent['type'], at: str(r.at) };
  if (r.asset_key !== null) e.assetKey = str(r.asset_key);
  if (r.partition_key !== null) e.partition = str(r.partition_key);
  if (r.attempt !== null) e.attempt = num(r.attempt);
  if (r.message !== null) e.message = str(r.message);
  if (r.data !== null) e.data = parsed(r.data) as Record<string, unknown>;
  return e;
}

function toLog(r: Row): LogLine {
  return {
    runId: str(r.run_id),
    assetKey: strOrNull(r.asset_key),
    partition: str(r.partition_key),
    at: str(r.at),
    level: str(r.level) as LogLine['level'],
    stream: str(r.stream),
    message: str(r.message),
  };
}

function toCheck(r: Row): CheckResult {
  return {
    runId: str(r.run_id),
    assetKey: str(r.asset_key),
    partition: str(r.partition_key),
    name: str(r.name),
    passed: Boolean(r.passed),
    blocking: Boolean(r.blocking),
    message: str(r.message),
    at: str(r.at),
  };
}

function toDrive(r: Row): DriveRow {
  return {
    runId: str(r.run_id),
    pipeline: strOrNull(r.pipeline),
    runStatus: str(r.run_status) as RunStatus,
    resumedFrom: strOrNull(r.resumed_from),
    assetKey: str(r.asset_key),
    partition: str(r.partition_key),
    status: str(r.status) as AssetStatus,
    attempts: num(r.attempts),
    startedAt: strOrNull(r.started_at),
    endedAt: strOrNull(r.ended_at),
    durationMs: numOrNull(r.duration_ms),
    rowCount: numOrNull(r.row_count),
    error: strOrNull(r.error),
  };
}
