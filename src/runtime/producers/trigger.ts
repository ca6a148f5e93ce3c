// The `trigger` producer: start another pipeline's run as a child of this one, and wait for it (TriggerDagRunOperator).

import { NonRetriableError, SluiceError } from '../../definitions/errors.js';
import type { ProducerSpec } from '../../definitions/schema.js';
import type { PipelineRunner, StartedRun } from '../pipeline-runner.js';
import { LOGICAL_DATE_TAG } from '../sensor-runs.js';
import type { ProducerRunner, StepContext } from './types.js';

/** Tags a triggered run carries, so `sluice runs show` leads from a child back to its parent. */
const PARENT_RUN_TAG = 'parent_run_id';
const PARENT_ASSET_TAG = 'parent_asset';
/** The pipelines above a triggered run, outermost first, joined by ' > ': how a trigger cycle is caught. */
const TRIGGER_CHAIN_TAG = 'trigger_chain';

/**
 * A triggered run ended without succeeding. Retried like any failure (a retry triggers a new run);
 * `childRunId` is the run to look at.
 * @example new TriggeredRunFailedError('sys_kill_all_session_pg', '20250110T…-ab12cd', '2025-01-10', 'failed', 'boom')
 */
export class TriggeredRunFailedError extends SluiceError {
  readonly childRunId: string;
  constructor(pipeline: string, childRunId: string, partition: string | null, status: string, error: string | null) {
    const what = `triggered run ${childRunId} of pipeline ${pipeline}${partition ? ` for ${partition}` : ''}`;
    super(`${what} ${status}${error ? `: ${error}` : ''}; see \`sluice runs show ${childRunId}\``);
    this.name = 'TriggeredRunFailedError';
    this.childRunId = childRunId;
  }
}

type TriggerSpec = Extract<ProducerSpec, { type: 'trigger' }>;

/** The partition the child runs for: this step's, else the run's single partition, else its logical date tag. */
function childPartition(spec: TriggerSpec, ctx: StepContext, tags: Readonly<Record<string, string>>): string | null {
  if (!spec.samePartition) return null;
  if (ctx.partition) return ctx.partition.key;
  const { keys } = ctx.runPartitions;
  if (keys.length > 1) {
    throw new NonRetriableError(
      `trigger "${ctx.asset.key}" runs once for a run of ${keys.length} partitions, so there is no one partition to pass on; partition the asset so each partition triggers its own run, or set samePartition: false`,
    );
  }
  return keys[0] ?? tags[LOGICAL_DATE_TAG] ?? null;
}

async function startChild(runner: Pick<PipelineRunner, 'start'>, spec: TriggerSpec, ctx: StepContext): Promise<StartedRun> {
  const parent = await ctx.store.getRun(ctx.runId);
  const parentTags = parent?.tags ?? {};
  const chain = [...(parentTags[TRIGGER_CHAIN_TAG]?.split(' > ') ?? []), parent?.pipeline ?? `run ${ctx.runId}`];
  if (chain.includes(spec.pipeline)) {
    throw new NonRetriableError(`trigger "${ctx.asset.key}" would start a cycle: ${[...chain, spec.pipeline].join(' > ')}`);
  }
  const partition = childPartition(spec, ctx, parentTags);
  try {
    return runner.start({
      pipeline: spec.pipeline,
      partition,
      launchedBy: 'trigger',
      tags: { [PARENT_RUN_TAG]: ctx.runId, [PARENT_ASSET_TAG]: ctx.asset.key, [TRIGGER_CHAIN_TAG]: chain.join(' > ') },
      // A waiting trigger takes its child down with it (timeout, cancel); a fire-and-forget child lives on.
      signal: spec.waitForCompletion ? ctx.signal : undefined,
    });
  } catch (error) {
    // Planning failed: an unknown pipeline or partition will not be fixed by trying again.
    const message = `trigger "${ctx.asset.key}" cannot start pipeline ${spec.pipeline}: ${(error as Error).message}`;
    throw new NonRetriableError(message, { cause: error });
  }
}

/**
 * The runner for `trigger` producers, bound to a pipeline runner (which has the project's graph; the
 * executor has not). With waitForCompletion, a child that fails fails this attempt with the child's run
 * id in the message; without it the step succeeds once the child has started.
 * @example const producers = { trigger: triggerRunner(pipelineRunner({ plan: graphPlanner(graph), assets, store })) };
 */
export function triggerRunner(runner: Pick<PipelineRunner, 'start'>): ProducerRunner<'trigger'> {
  return async (spec, ctx) => {
    const child = await startChild(runner, spec, ctx);
    const partition = child.planned.partitioned ? (child.planned.plan.partitions[0] ?? null) : null;
    const where = partition ? ` for ${partition}` : '';
    ctx.log.info(`triggered run ${child.runId} of pipeline ${spec.pipeline}${where}`);
    const metadata = { childRunId: child.runId, pipeline: spec.pipeline, partition };
    if (!spec.waitForCompletion) {
      return { note: `started run ${child.runId} of ${spec.pipeline}`, metadata, value: { runId: child.runId } };
    }
    const result = await child.result;
    // Our own timeout or cancellation cancelled the child: report ours, which the retry policy understands.
    if (result.status === 'cancelled' && ctx.signal.aborted) throw ctx.signal.reason;
    if (result.status !== 'succeeded') {
      throw new TriggeredRunFailedError(spec.pipeline, child.runId, partition, result.status, result.error);
    }
    return {
      note: `run ${child.runId} of ${spec.pipeline} succeeded`,
      metadata: { ...metadata, status: result.status },
      value: { runId: child.runId },
    };
  };
}
