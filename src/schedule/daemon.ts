// The daemon's tick: for each scheduled pipeline, claim the ticks that are due and launch their runs.

import type { LineageGraph } from '../graph/lineage-graph.js';
import type { PipelinePlanner, PipelineRunner, StartedRun } from '../runtime/pipeline-runner.js';
import { newRunId } from '../runtime/run-id.js';
import type { RunStore, TickRecord } from '../storage/types.js';
import { dueTicks, nextTicks, tickPartition } from './ticks.js';

export interface DaemonTickOptions {
  graph: LineageGraph;
  store: RunStore;
  runner: PipelineRunner;
  planner: PipelinePlanner;
  now: Date;
  /** Cancels the runs launched by this tick (SIGTERM). */
  signal?: AbortSignal | undefined;
}

export interface DaemonTickResult {
  /** Every tick recorded by this evaluation, launched or skipped. */
  recorded: TickRecord[];
  launched: StartedRun[];
  /** Due ticks left for a later evaluation, with the reason (e.g. max active runs). */
  deferred: { pipeline: string; tickAt: string; reason: string }[];
}

/** At most this many skipped ticks are recorded per pipeline and evaluation, however long the daemon was away. */
const MAX_SKIPPED_RECORDED = 100;

/**
 * Evaluates every schedule once. A due tick is claimed by recording it (with the id of the run it
 * will start) before that run starts, so a restarted daemon — or a second one on the same store —
 * never launches it again; at worst a crash between claim and start loses that one tick, which the
 * record shows. Without catchup, missed ticks are recorded as skipped and only the newest runs.
 * @example const { launched } = await daemonTick({ graph, store, runner, planner, now: new Date() });
 */
export async function daemonTick(options: DaemonTickOptions): Promise<DaemonTickResult> {
  const { graph, store, runner, planner, now } = options;
  const result: DaemonTickResult = { recorded: [], launched: [], deferred: [] };
  const evaluatedAt = now.toISOString();
  const record = async (tick: TickRecord): Promise<boolean> => {
    const claimed = await store.recordTick(tick);
    if (claimed) result.recorded.push(tick);
    return claimed;
  };
  for (const pipeline of graph.pipelines()) {
    const schedule = pipeline.schedule;
    if (!schedule) continue;
    const last = await store.lastTick(pipeline.name);
    const lastAt = last ? new Date(last.tickAt) : null;
    const { due, skipped } = dueTicks(schedule, lastAt, now);
    if (skipped > 0 && lastAt) {
      for (const missed of nextTicks(schedule, lastAt, Math.min(skipped, MAX_SKIPPED_RECORDED))) {
        const reason = 'catchup is off: a newer tick was due';
        await record({
          pipeline: pipeline.name,
          tickAt: missed.toISOString(),
          status: 'skipped',
          reason,
          runId: null,
          evaluatedAt,
        });
      }
    }
    let active = (await store.listRuns({ pipeline: pipeline.name, status: 'running', limit: schedule.maxActiveRuns + 1 })).length;
    const partitions = graph
      .pipelineAssets(pipeline.name)
      .map((key) => graph.asset(key).partitions)
      .find((p) => p !== undefined);
    for (const tick of due) {
      const tickAt = tick.toISOString();
      if (active >= schedule.maxActiveRuns) {
        result.deferred.push({ pipeline: pipeline.name, tickAt, reason: `max active runs (${schedule.maxActiveRuns}) reached` });
        break;
      }
      const partition = partitions ? (tickPartition(partitions, tick) ?? null) : null;
      const skip = (reason: string) =>
        record({ pipeline: pipeline.name, tickAt, status: 'skipped', reason, runId: null, evaluatedAt });
      if (partitions && partition === null) {
        await skip('no partition window is complete at this tick');
        continue;
      }
      try {
        planner(pipeline.name, partition);
      } catch (error) {
        await skip(`cannot plan: ${(error as Error).message}`);
        continue;
      }
      const runId = newRunId(now.getTime());
      const claimed = await record({ pipeline: pipeline.name, tickAt, status: 'launched', reason: 'due', runId, evaluatedAt });
      if (!claimed) continue; // another daemon claimed it first
      result.launched.push(
        runner.start({
          pipeline: pipeline.name,
          partition,
          launchedBy: 'daemon',
          runId,
          tags: { tick: tickAt },
          signal: options.signal,
        }),
      );
      active++;
    }
  }
  return result;
}
