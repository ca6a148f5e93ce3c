// The contract between the executor and each producer type: what a runner gets, what it returns.

import type { PartitionWindow, ProducerFn, ProducerLogger } from '../../definitions/context.js';
import type { AssetSpec, PartitionsSpec, ProducerSpec } from '../../definitions/schema.js';
import type { PlanStep } from '../../graph/plan-types.js';
import type { TableName, Warehouse, WarehouseDialect } from '../../resources/warehouse/types.js';
import type { RunStore } from '../../storage/types.js';
import type { Clock } from '../clock.js';
import type { Resources } from '../resources.js';

/** Everything one attempt of one step may use. */
export interface StepContext {
  readonly asset: AssetSpec;
  /** The function of an `fn` producer. */
  readonly run: ProducerFn | undefined;
  readonly step: PlanStep;
  readonly runId: string;
  readonly attempt: number;
  readonly partition: PartitionWindow | undefined;
  /** Aborted on timeout (reason: AttemptTimeoutError) or run cancellation (reason: RunCancelledError). */
  readonly signal: AbortSignal;
  /** Stored with the run, secrets redacted. */
  readonly log: ProducerLogger;
  /** Values of this run's upstream steps, by asset key. */
  readonly upstream: Readonly<Record<string, unknown>>;
  readonly resources: Resources;
  readonly clock: Clock;
  /** The asset's own table (its key read as schema.name) as the given dialect names it; see tableOf. */
  table(dialect?: WarehouseDialect): TableName;
  /** Fills `{{ ds }}`-style placeholders (see renderTemplate). */
  render(text: string, extra?: Record<string, string>): string;
  /**
   * Evaluates the asset's checks on `table`, records them, and throws CheckFailedError when a blocking
   * one fails. The executor calls it on the asset's table after the runner, unless the runner says it
   * already did (`verified`), as a staging `ctas` does before its swap.
   */
  verify(table: TableName, warehouse: Warehouse): Promise<void>;
  /** Records a sensor poke: the n-th poke, whether the condition held. */
  tick(poke: number, satisfied: boolean, message?: string): void;
  /** The run store: sensors read other runs and materializations; the trigger producer records child runs. */
  readonly store: RunStore;
  /**
   * The partitions the whole run covers ([] when unpartitioned) and the set they belong to (the first
   * partitioned step's), so a step without its own partition (a source's sensor, an unpartitioned
   * trigger) can still do partition math.
   */
  readonly runPartitions: { readonly keys: readonly string[]; readonly spec: PartitionsSpec | undefined };
}

/** What a runner reports back. */
export interface ProducerOutcome {
  rowCount?: number | undefined;
  metadata?: Record<string, unknown> | undefined;
  value?: unknown;
  /** The asset's checks were already evaluated (and passed) by the runner. */
  verified?: boolean;
  /** A short human note for the succeeded event, e.g. 'observed'. */
  note?: string;
}

/**
 * Runs one producer type. A runner throws to fail the attempt; the error's kind decides retries.
 * @example const runSql: ProducerRunner<'sql'> = async (spec, ctx) => { await (await ctx.resources.warehouse(spec.resource)).execute(ctx.render(spec.sql), ctx.signal); return {}; };
 */
export type ProducerRunner<T extends ProducerSpec['type'] = ProducerSpec['type']> = (
  spec: Extract<ProducerSpec, { type: T }>,
  ctx: StepContext,
) => Promise<ProducerOutcome>;

/** One runner per producer type; later issues replace the placeholders. */
export type ProducerRegistry = { [T in ProducerSpec['type']]: ProducerRunner<T> };
