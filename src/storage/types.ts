// The RunStore contract: what the executor, CLI, server and daemon may ask of run storage.

/** A run's life. `running` runs whose heartbeat stops are turned `failed` (stale) by the next run. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The executor's state machine for one asset × partition within a run. */
export type AssetStatus = 'planned' | 'waiting' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'skipped' | 'upstream_failed';

export type RunEventType =
  | 'run_started'
  | 'run_finished'
  | 'asset_planned'
  | 'asset_waiting'
  | 'asset_started'
  | 'attempt_failed'
  | 'asset_retrying'
  | 'asset_succeeded'
  | 'asset_failed'
  | 'asset_skipped'
  | 'asset_upstream_failed'
  | 'check_evaluated'
  | 'sensor_tick'
  | 'log';

/** One state change. `partition` is '' for unpartitioned assets; `at` is an ISO-8601 UTC timestamp. */
export interface RunEvent {
  runId: string;
  type: RunEventType;
  at: string;
  assetKey?: string | undefined;
  partition?: string | undefined;
  attempt?: number | undefined;
  message?: string | undefined;
  /** Small JSON payload: row counts, check results, delays, window bounds. Never secrets. */
  data?: Record<string, unknown> | undefined;
}

/** A stored event; `seq` orders events of one run and lets a reader resume (Server-Sent Events). */
export interface StoredRunEvent extends RunEvent {
  seq: number;
}

/**
 * The `data` the stores read from events (other fields are kept as given). `asset_succeeded`:
 * `rowCount` becomes the asset run's row count. Added for the storage layer; additive.
 * @example { runId, type: 'asset_succeeded', at, assetKey: 'a.b', data: { rowCount: 42 } }
 */
export interface SucceededEventData {
  rowCount?: number;
}

/**
 * `check_evaluated` events with this `data` (and the event's message) are stored as a CheckResult,
 * once even if the same result also arrives through appendCheckResults.
 * @example { runId, type: 'check_evaluated', at, assetKey: 'a.b', message: '0 rows', data: { name: 'rowCount', passed: false, blocking: true } }
 */
export interface CheckEventData {
  name: string;
  passed: boolean;
  blocking?: boolean;
}

/**
 * `log` events are stored as a LogLine too: the event's message, level `info` and stream `sluice`
 * unless `data` says otherwise.
 * @example { runId, type: 'log', at, assetKey: 'a.b', message: 'loaded 42 rows', data: { stream: 'user' } }
 */
export interface LogEventData {
  level?: 'info' | 'warn' | 'error';
  stream?: string;
}

export interface NewRun {
  id: string;
  pipeline?: string | undefined;
  /** The selection expression as the user gave it. */
  selection: string;
  /** Partition keys the run covers; [] when unpartitioned. */
  partitions: string[];
  /** The run this one resumes, if any. */
  resumedFrom?: string | undefined;
  startedAt: string;
  /** Who launched it: 'cli', 'daemon', 'server', 'trigger'. */
  launchedBy: string;
  tags?: Record<string, string> | undefined;
}

export interface RunRecord extends NewRun {
  status: RunStatus;
  endedAt: string | null;
  heartbeatAt: string;
  error: string | null;
}

/** The current state of one asset × partition of a run (a projection of its events). */
export interface AssetRunRecord {
  runId: string;
  assetKey: string;
  partition: string;
  status: AssetStatus;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  rowCount: number | null;
  error: string | null;
}

export interface CheckResult {
  runId: string;
  assetKey: string;
  partition: string;
  name: string;
  passed: boolean;
  blocking: boolean;
  message: string;
  at: string;
}

export interface LogLine {
  runId: string;
  assetKey: string | null;
  partition: string;
  at: string;
  level: 'info' | 'warn' | 'error';
  /** 'stdout' | 'stderr' | 'sluice' | 'user' */
  stream: string;
  message: string;
}

/** One row of the drive view: run × asset × partition, as seed 004's drive table has it. */
export interface DriveRow {
  runId: string;
  pipeline: string | null;
  runStatus: RunStatus;
  resumedFrom: string | null;
  assetKey: string;
  partition: string;
  status: AssetStatus;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  rowCount: number | null;
  error: string | null;
}

/** The newest finished materialization of an asset (per partition when partitioned). */
export interface Materialization {
  assetKey: string;
  partition: string;
  status: AssetStatus;
  runId: string;
  endedAt: string | null;
}

/**
 * One schedule tick the daemon evaluated. (pipeline, tickAt) is unique: recording it is how a daemon
 * claims a tick, so a restarted daemon, or a second one, never launches the same tick twice.
 */
export interface TickRecord {
  pipeline: string;
  /** The scheduled instant (ISO-8601 UTC). */
  tickAt: string;
  status: 'launched' | 'skipped';
  /** Why: 'due', 'catchup is off: a newer tick was due', … */
  reason: string;
  /** The run launched for it; null when skipped. */
  runId: string | null;
  evaluatedAt: string;
}

/**
 * One evaluation of a pipeline sensor by the daemon. A launched tick carries the run key — what the
 * sensor saw that identifies new data — and (pipeline, sensor, runKey) is unique among them: recording
 * it claims the key, so the same upstream change never launches two runs, across restarts and daemons.
 */
export interface SensorTickRecord {
  pipeline: string;
  /** The sensor's name within its pipeline. */
  sensor: string;
  evaluatedAt: string;
  /** skipped: nothing new, or not now (reason says which); failed: the evaluation itself threw. */
  status: 'launched' | 'skipped' | 'failed';
  reason: string;
  /** Set on launched ticks only. */
  runKey: string | null;
  /** The partition the launched run covers; null when unpartitioned or nothing launched. */
  partition: string | null;
  runId: string | null;
}

export interface SensorTicksOptions {
  pipeline?: string;
  sensor?: string;
  status?: SensorTickRecord['status'];
  limit?: number;
}

export interface ListRunsOptions {
  limit?: number;
  offset?: number;
  pipeline?: string;
  status?: RunStatus;
}

/**
 * Run storage. Two implementations share one schema: SQLite (embedded default) and PostgreSQL.
 * Writes are batched by the caller where it can (appendEvents takes many), because per-asset
 * overhead is a budget (< 5 ms per asset with storage).
 */
export interface RunStore {
  /** Human-readable location with any password removed, e.g. 'sqlite:.sluice/runs.db'. */
  readonly describe: string;
  createRun(run: NewRun): Promise<RunRecord>;
  /** Appends events and updates the asset-run projection, check results and logs they carry, atomically. */
  appendEvents(events: RunEvent[]): Promise<void>;
  appendLogs(lines: LogLine[]): Promise<void>;
  appendCheckResults(results: CheckResult[]): Promise<void>;
  heartbeat(runId: string, at: string): Promise<void>;
  finishRun(runId: string, status: RunStatus, at: string, error?: string | null): Promise<void>;

  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  assetRuns(runId: string): Promise<AssetRunRecord[]>;
  events(runId: string, afterSeq?: number): Promise<StoredRunEvent[]>;
  logs(runId: string, assetKey?: string, limit?: number): Promise<LogLine[]>;
  checkResults(runId: string): Promise<CheckResult[]>;
  drive(options?: ListRunsOptions): Promise<DriveRow[]>;
  /** Newest finished (succeeded or failed) materialization per asset × partition; all assets when keys is omitted. */
  latestMaterializations(assetKeys?: string[]): Promise<Materialization[]>;

  /** Records a tick unless one with the same pipeline and tickAt exists; true when this call recorded it. */
  recordTick(tick: TickRecord): Promise<boolean>;
  /** The newest recorded tick of a pipeline (launched or skipped). */
  lastTick(pipeline: string): Promise<TickRecord | undefined>;
  /** Recorded ticks, newest first. */
  ticks(options?: { pipeline?: string; limit?: number }): Promise<TickRecord[]>;

  /** Records a sensor evaluation; false (nothing written) when a launched tick already holds its run key. */
  recordSensorTick(tick: SensorTickRecord): Promise<boolean>;
  /** Sensor evaluations, newest first. */
  sensorTicks(options?: SensorTicksOptions): Promise<SensorTickRecord[]>;
  /** Deletes skipped and failed sensor ticks evaluated before `before`; launched ones hold run keys and stay. */
  pruneSensorTicks(before: string): Promise<number>;

  /** Marks `running` runs whose heartbeat is older than `before` as failed (stale); returns their ids. */
  failStaleRuns(before: string, at: string): Promise<string[]>;

  /**
   * Takes a named lock for `owner` (a run id); false when another live owner holds it. Locks of runs
   * that are no longer `running` are free, so a crashed run never blocks the next one forever.
   */
  tryLock(name: string, owner: string): Promise<boolean>;
  unlock(name: string, owner: string): Promise<void>;

  close(): Promise<void>;
}
