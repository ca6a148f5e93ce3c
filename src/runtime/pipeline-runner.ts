// "Run pipeline X for partition P": planning a pipeline by name and executing it, shared by triggers, the CLI and the daemon.

import { SelectionError } from '../definitions/errors.js';
import type { PipelineSpec } from '../definitions/schema.js';
import type { LineageGraph } from '../graph/lineage-graph.js';
import { plan } from '../graph/plan.js';
import type { Plan } from '../graph/plan-types.js';
import type { RunEvent, RunStore } from '../storage/types.js';
import type { Clock } from './clock.js';
import { realClock } from './clock.js';
import { execute } from './execute.js';
import type { Notifier } from './notify.js';
import type { RunnableAsset, RunResult } from './options.js';
import { triggerRunner } from './producers/trigger.js';
import type { ProducerRegistry } from './producers/types.js';
import type { Resources } from './resources.js';
import { newRunId } from './run-id.js';
import { LOGICAL_DATE_TAG } from './sensor-runs.js';

/** A pipeline planned for one run: the plan, the pipeline's policies, and whether it has partitioned assets. */
export interface PlannedPipeline {
  plan: Plan;
  pipeline: PipelineSpec;
  partitioned: boolean;
}

/**
 * Plans pipeline `name` for `partition` (null: unpartitioned). Throws SelectionError for an unknown
 * pipeline, a partitioned pipeline without a partition, or a key outside its partition set.
 */
export type PipelinePlanner = (name: string, partition: string | null) => PlannedPipeline;

/**
 * A planner over a lineage graph. A pipeline without partitioned assets ignores the partition (its run
 * is tagged with it as the logical date instead), so a daily parent may trigger an unpartitioned child.
 * @example const planner = graphPlanner(graph); planner('sys_kill_all_session_pg', '2025-01-10').plan.partitions // ['2025-01-10']
 */
export function graphPlanner(graph: LineageGraph, now: () => Date = () => new Date()): PipelinePlanner {
  return (name, partition) => {
    const pipeline = graph.pipeline(name);
    const partitioned = graph.pipelineAssets(name).some((key) => graph.asset(key).partitions !== undefined);
    if (partitioned && partition === null) {
      throw new SelectionError(`pipeline "${name}" is partitioned: start it for a partition (trigger it with samePartition)`);
    }
    const options = partitioned ? { partition: partition as string, now: now() } : {};
    return { plan: plan(graph, `pipeline:${name}`, options), pipeline, partitioned };
  };
}

/** What to run: a pipeline, for a partition or none, on whose behalf. */
export interface PipelineRunRequest {
  pipeline: string;
  /** The partition key (or, for an unpartitioned pipeline, the logical date it stands for); null for none. */
  partition: string | null;
  /** 'trigger', 'daemon', 'cli', 'server'. */
  launchedBy: string;
  /** The new run's id when the caller must know it first (the daemon records it with the tick it claims). */
  runId?: string | undefined;
  tags?: Readonly<Record<string, string>> | undefined;
  /** Cancels the run (a waiting trigger's own attempt signal). */
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

/** A run that has been planned and started: its id at once, its result when it ends. */
export interface StartedRun {
  runId: string;
  planned: PlannedPipeline;
  result: Promise<RunResult>;
}

/** Everything every run started through the runner shares. */
export interface PipelineRunnerOptions {
  plan: PipelinePlanner;
  /** Every asset any pipeline may name, by key. */
  assets: ReadonlyMap<string, RunnableAsset>;
  store: RunStore;
  resources?: Resources | undefined;
  notifier?: Notifier | undefined;
  /** Default: the real clock (SLUICE_TIME_SCALE applies). */
  clock?: Clock | undefined;
  secrets?: readonly string[] | undefined;
  concurrency?: number | undefined;
  pools?: Readonly<Record<string, number>> | undefined;
  staleAfterMs?: number | undefined;
  heartbeatMs?: number | undefined;
  /** Producer runners for every run; the runner's own trigger runner is added on top. */
  producers?: Partial<ProducerRegistry> | undefined;
}

/** Starts pipeline runs in this process through execute(); see {@link pipelineRunner}. */
export interface PipelineRunner {
  /** Plans (throwing SelectionError when it cannot) and starts the run. */
  start(request: PipelineRunRequest): StartedRun;
  /** Starts the run and waits for its result. */
  run(request: PipelineRunRequest): Promise<RunResult>;
  /** The runners to give execute() so `trigger` producers start runs through this runner. */
  readonly producers: Partial<ProducerRegistry>;
  /** Resolves once every run started here has ended, fire-and-forget triggers included; call before closing the store. */
  idle(): Promise<void>;
}

/**
 * Runs pipelines by name with shared store, resources, notifier and clock. A triggered run is an
 * ordinary run in the store (launchedBy 'trigger', tagged with its parent), so `sluice runs show`
 * follows it; it may trigger further pipelines through the same runner.
 * @example
 * const runner = pipelineRunner({ plan: graphPlanner(graph), assets, store, resources, notifier });
 * const result = await execute({ plan: p, assets, store, producers: runner.producers });
 * await runner.idle();
 */
export function pipelineRunner(options: PipelineRunnerOptions): PipelineRunner {
  const clock = options.clock ?? realClock();
  const inFlight = new Set<Promise<unknown>>();
  // Filled below: the trigger runner needs the runner it belongs to.
  const producers: Partial<ProducerRegistry> = {};
  const runner: PipelineRunner = {
    producers,
    start(request) {
      const planned = options.plan(request.pipeline, request.partition);
      const tags: Record<string, string> = { ...request.tags };
      if (!planned.partitioned && request.partition !== null) tags[LOGICAL_DATE_TAG] = request.partition;
      const runId = request.runId ?? newRunId(clock.now());
      const result = execute({
        plan: planned.plan,
        assets: options.assets,
        store: options.store,
        pipeline: planned.pipeline,
        resources: options.resources,
        notifier: options.notifier,
        clock,
        secrets: options.secrets,
        concurrency: options.concurrency,
        pools: options.pools,
        staleAfterMs: options.staleAfterMs,
        heartbeatMs: options.heartbeatMs,
        producers: { ...options.producers, ...producers },
        runId,
        launchedBy: request.launchedBy,
        tags,
        signal: request.signal,
        onEvent: request.onEvent,
      });
      const tracked = result.catch(() => undefined).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return { runId, planned, result };
    },
    run(request) {
      return runner.start(request).result;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
  producers.trigger = triggerRunner(runner);
  return runner;
}
