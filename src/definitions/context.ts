// What an `fn` producer receives while it runs; the executor builds it, definitions only name its shape.

/** The time window a partitioned run covers. `start` is inclusive, `end` exclusive. */
export interface PartitionWindow {
  /** e.g. '2025-01-10' (daily), '2025-01-10-06:00' (hourly), '2025-01-01' (monthly). */
  key: string;
  start: Date;
  end: Date;
}

/** Logs go to the run's stored log, with secrets redacted. */
export interface ProducerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A SQL connection handed to producers by name, e.g. `ctx.resource('warehouse')`. */
export interface SqlResource {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** The argument of an `fn` producer. */
export interface ProducerContext {
  readonly assetKey: string;
  readonly runId: string;
  readonly attempt: number;
  readonly partition: PartitionWindow | undefined;
  /** Aborted when the asset's timeout passes or the run is cancelled; pass it on to anything that waits. */
  readonly signal: AbortSignal;
  readonly log: ProducerLogger;
  /** The values returned by upstream `value` assets of this run, by key. */
  readonly upstream: Readonly<Record<string, unknown>>;
  resource(name: string): Promise<SqlResource>;
}

/** The body of an `fn` producer. What it returns is kept as the asset's value for downstream assets. */
export type ProducerFn = (ctx: ProducerContext) => unknown | Promise<unknown>;

/** What a producer may report back, e.g. `{ rowCount: 42 }`, shown in run history. */
export interface MaterializeResult {
  rowCount?: number;
  metadata?: Record<string, unknown>;
  value?: unknown;
}
