// The daemon's tick: for each scheduled pipeline, claim the ticks that are due and launch their runs;
// for each pipeline sensor that is due, evaluate it and launch a run when it holds on something new.

import type { PartitionsSpec, PipelineSpec } from '../definitions/schema.js';
import type { LineageGraph } from '../graph/lineage-graph.js';
import type { PipelinePlanner, PipelineRunner, StartedRun } from '../runtime/pipeline-runner.js';
import type { Resources } from '../runtime/resources.js';
import { newRunId } from '../runtime/run-id.js';
import type { RunStore, SensorTickRecord, TickRecord } from '../storage/types.js';
import { evaluateTrigger, type TriggerEvaluation } from './sensor-triggers.js';
import { dueTicks, nextTicks, tickPartition } from './ticks.js';

export interface DaemonTickOptions {
  graph: LineageGraph;
  store: RunStore;
  runner: PipelineRunner;
  planner: PipelinePlanner;
  now: Date;
  /** Cancels the runs launched by this tick (SIGTERM). */
  signal?: AbortSignal | undefined;
  /** Evaluate only these pipelines (default: all). */
  pipelines?: readonly string[] | undefined;
  /** What sql sensors query. */
  resources?: Resources | undefined;
  /** Relative paths of file sensors resolve against it. */
  root?: string | undefined;
  /** Masks secrets in what sensor ticks record (an evaluation error may quote a connection string). */
  redact?: ((text: string) => string) | undefined;
  /** Multiplies sensors' poke intervals (SLUICE_TIME_SCALE), as the clock does every wait. Default 1. */
  timeScale?: number | undefined;
}

export interface DaemonTickResult {
  /** Every tick recorded by this evaluation, launched or skipped. */
  recorded: TickRecord[];
  /** Every sensor evaluation recorded, launched, skipped or failed. */
  sensorTicks: SensorTickRecord[];
  launched: StartedRun[];
  /** Due ticks left for a later evaluation, with the reason (e.g. max active runs). */
  deferred: { pipeline: string; tickAt: string; reason: string }[];
}

/** At most this many skipped ticks are recorded per pipeline and evaluation, however long the daemon was away. */
const MAX_SKIPPED_RECORDED = 100;

/** Kept per sensor in the run store for this long; launched ticks (the run keys) are kept for good. */
const SKIPPED_SENSOR_TICKS_KEPT_MS = 7 * 86_400_000;

/**
 * Evaluates every schedule and every due pipeline sensor once. A due tick is claimed by recording it
 * (with the id of the run it will start) before that run starts, so a restarted daemon — or a second
 * one on the same store — never launches it again; at worst a crash between claim and start loses that one tick, which the
 * record shows. Without catchup, missed ticks are recorded as skipped and only the newest runs.
 * @example const { launched } = await daemonTick({ graph, store, runner, planner, now: new Date() });
 */
export async function daemonTick(options: DaemonTickOptions): Promise<DaemonTickResult> {
  const { graph, store, now } = options;
  const result: DaemonTickResult = { recorded: [], sensorTicks: [], launched: [], deferred: [] };
  const only = options.pipelines && new Set(options.pipelines);
  // Pipelines that neither a schedule nor a sensor starts have nothing to evaluate.
  const pipelines = graph.pipelines().filter((p) => (!only || only.has(p.name)) && (p.schedule || p.sensors.length > 0));
  if (pipelines.some((p) => p.sensors.length > 0)) {
    await store.pruneSensorTicks(new Date(now.getTime() - SKIPPED_SENSOR_TICKS_KEPT_MS).toISOString());
  }
  for (const pipeline of pipelines) {
    const partitions = pipelinePartitions(graph, pipeline.name);
    const active = await evaluateSchedule(options, pipeline, partitions, result);
    await evaluateSensors(options, pipeline, partitions, active, result);
  }
  return result;
}

function pipelinePartitions(graph: LineageGraph, name: string): PartitionsSpec | undefined {
  return graph
    .pipelineAssets(name)
    .map((key) => graph.asset(key).partitions)
    .find((p) => p !== undefined);
}

/** Runs of the pipeline now active, as the limit counts them. */
async function activeRuns(store: RunStore, pipeline: string, limit: number): Promise<number> {
  return (await store.listRuns({ pipeline, status: 'running', limit: limit + 1 })).length;
}

/** Claims and launches the schedule's due ticks; returns how many runs of the pipeline are active after. */
async function evaluateSchedule(
  options: DaemonTickOptions,
  pipeline: PipelineSpec,
  partitions: PartitionsSpec | undefined,
  result: DaemonTickResult,
): Promise<number> {
  const { store, runner, planner, now } = options;
  const evaluatedAt = now.toISOString();
  const record = async (tick: TickRecord): Promise<boolean> => {
    const claimed = await store.recordTick(tick);
    if (claimed) result.recorded.push(tick);
    return claimed;
  };
  const schedule = pipeline.schedule;
  if (!schedule) return activeRuns(store, pipeline.name, 1); // sensed only: its sensors count active runs
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
  let active = await activeRuns(store, pipeline.name, schedule.maxActiveRuns);
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
  return active;
}

/**
 * Evaluates the pipeline's sensors that are due (none evaluated within its poke interval). A held
 * sensor claims its run key by recording the launched tick before the run starts, as a schedule tick
 * is claimed; a key already claimed is "nothing new". The pipeline's max active runs (1 without a
 * schedule) holds a new key back, unclaimed, for a later evaluation.
 */
async function evaluateSensors(
  options: DaemonTickOptions,
  pipeline: PipelineSpec,
  partitions: PartitionsSpec | undefined,
  activeBefore: number,
  result: DaemonTickResult,
): Promise<void> {
  const { store, runner, planner, now } = options;
  if (pipeline.sensors.length === 0) return;
  const evaluatedAt = now.toISOString();
  const limit = pipeline.schedule?.maxActiveRuns ?? 1;
  const scale = options.timeScale ?? 1;
  let active = activeBefore;
  for (const sensor of pipeline.sensors) {
    const [last] = await store.sensorTicks({ pipeline: pipeline.name, sensor: sensor.name, limit: 1 });
    if (last && now.getTime() - Date.parse(last.evaluatedAt) < sensor.pokeInterval * scale) continue;
    const base = { pipeline: pipeline.name, sensor: sensor.name, evaluatedAt, runKey: null, partition: null, runId: null };
    const record = async (raw: SensorTickRecord): Promise<boolean> => {
      const tick = options.redact ? { ...raw, reason: options.redact(raw.reason) } : raw;
      const claimed = await store.recordSensorTick(tick);
      if (claimed) result.sensorTicks.push(tick);
      return claimed;
    };
    let seen: TriggerEvaluation;
    try {
      seen = await evaluateTrigger(sensor, { store, resources: options.resources, partitions, now, root: options.root });
    } catch (error) {
      await record({ ...base, status: 'failed', reason: `evaluation failed: ${(error as Error).message}` });
      continue;
    }
    if (!seen.held) {
      await record({ ...base, status: 'skipped', reason: seen.reason });
      continue;
    }
    const { runKey, partition } = seen;
    const [earlier] = await store.sensorTicks({ pipeline: pipeline.name, sensor: sensor.name, status: 'launched', limit: 1 });
    if (earlier?.runKey === runKey) {
      await record({ ...base, status: 'skipped', reason: `nothing new: ${seen.reason}, already launched run ${earlier.runId}` });
      continue;
    }
    if (active >= limit) {
      await record({ ...base, status: 'skipped', reason: `${seen.reason}; waiting: max active runs (${limit}) reached` });
      continue;
    }
    try {
      planner(pipeline.name, partition);
    } catch (error) {
      await record({ ...base, status: 'skipped', reason: `cannot plan: ${(error as Error).message}` });
      continue;
    }
    const runId = newRunId(now.getTime());
    const tick: SensorTickRecord = { ...base, status: 'launched', reason: seen.reason, runKey, partition, runId };
    if (!(await record(tick))) {
      await record({ ...base, status: 'skipped', reason: `nothing new: ${seen.reason} (run key ${runKey} already launched)` });
      continue;
    }
    result.launched.push(
      runner.start({
        pipeline: pipeline.name,
        partition,
        launchedBy: 'sensor',
        runId,
        tags: { sensor: sensor.name, run_key: runKey },
        signal: options.signal,
      }),
    );
    active++;
  }
}
