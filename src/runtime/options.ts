// What `execute` takes and returns.

import type { ProducerFn } from '../definitions/context.js';
import type { AssetSpec, NotificationSpec, RetryPolicy } from '../definitions/schema.js';
import type { Plan } from '../graph/plan-types.js';
import type { AssetStatus, RunEvent, RunStatus, RunStore } from '../storage/types.js';
import type { FailureKind } from './classify.js';
import type { Clock } from './clock.js';
import type { FailedAsset, Notifier } from './notify.js';
import type { ProducerRegistry } from './producers/types.js';
import type { Resources } from './resources.js';

/** An asset as the executor needs it: its spec and, for `fn` producers, the function (an AssetDefinition fits). */
export interface RunnableAsset {
  readonly spec: AssetSpec;
  readonly run?: ProducerFn | undefined;
}

/** The parts of a pipeline the executor uses (a PipelineSpec fits). */
export interface RunPipeline {
  name?: string | undefined;
  /** Default retry policy for assets without one. */
  retry?: RetryPolicy | undefined;
  /** Default timeout (ms) for assets without one. */
  timeout?: number | undefined;
  /** Where the once-per-failed-run notification goes. */
  onFailure?: NotificationSpec[] | undefined;
}

export interface ExecuteOptions {
  plan: Plan;
  /** Every asset the plan names, by key. */
  assets: ReadonlyMap<string, RunnableAsset>;
  store: RunStore;
  pipeline?: RunPipeline | undefined;
  resources?: Resources | undefined;
  /** Steps running at once (source observations do not count). Default 4. */
  concurrency?: number | undefined;
  /**
   * At most this many of the run's partitions in flight at once, oldest first (a backfill's bound, as
   * Airflow's max_active_runs bounds a backfill's dag runs). Default: bounded by `concurrency` only.
   */
  maxPartitions?: number | undefined;
  /** Slots per pool name (`spec.pool`); pools not listed are bounded by `concurrency` only. */
  pools?: Readonly<Record<string, number>> | undefined;
  /** Default: the real clock, scaled by SLUICE_TIME_SCALE. */
  clock?: Clock | undefined;
  /** Default: a RecordingNotifier nobody reads. */
  notifier?: Notifier | undefined;
  /** Every event as it happens (redacted), before it is stored: the CLI's progress view. */
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Default: newRunId(). */
  runId?: string | undefined;
  /** Resume this run: skip what succeeded in it (or the runs it resumed). Plan with its selection and partitions. */
  resumeFrom?: string | undefined;
  /** Values masked as '***' in everything stored, logged, notified or returned. */
  secrets?: Iterable<string> | undefined;
  /** 'cli' (default), 'daemon', 'server', 'trigger'. */
  launchedBy?: string | undefined;
  tags?: Record<string, string> | undefined;
  /** When another run holds an asset's lock: fail that asset (default) or poll until it is free. */
  onLocked?: 'fail' | 'wait' | undefined;
  /** How often to poll a held lock. Default 5 s. */
  lockPollMs?: number | undefined;
  /** Give up waiting for a lock after this long. Default 1 h. */
  lockWaitTimeoutMs?: number | undefined;
  /** Heartbeat interval. Default 10 s. */
  heartbeatMs?: number | undefined;
  /** Running runs with an older heartbeat are failed at start, and may be resumed. Default 60 s. */
  staleAfterMs?: number | undefined;
  /** Cancels the run: nothing new starts, running producers see their signal abort. */
  signal?: AbortSignal | undefined;
  /** Runners for producer types, replacing the defaults (later issues plug shell/http/copy/trigger in here). */
  producers?: Partial<ProducerRegistry> | undefined;
  /** Event batching: flush at `maxBatch` records (default 100) or `intervalMs` (default 20) after the first. */
  flush?: { maxBatch?: number; intervalMs?: number } | undefined;
}

/** How one step ended. */
export interface StepResult {
  id: string;
  assetKey: string;
  partition: string | null;
  status: AssetStatus;
  attempts: number;
  rowCount: number | null;
  /** The last error, redacted; null unless failed. */
  error: string | null;
  kind: FailureKind | null;
  /** Why it was skipped or upstream_failed. */
  reason: string | null;
  /** Set when resume reused it: the run it succeeded in. */
  reusedFrom: string | null;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  /** 0 succeeded; 2 when every failure was a lock held by another run; 1 otherwise. */
  exitCode: 0 | 1 | 2;
  startedAt: string;
  endedAt: string;
  resumedFrom: string | null;
  /** In plan order. */
  steps: StepResult[];
  failed: FailedAsset[];
  /** A one-line summary of what failed (redacted), or null. */
  error: string | null;
  /** Runs found dead at start (stale heartbeat) and marked failed. */
  staleRunsFailed: string[];
  /** The most producers that ran at once. */
  maxInFlight: number;
}
