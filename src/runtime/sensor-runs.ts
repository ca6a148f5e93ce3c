// The external_run sensor: which logical dates of another pipeline must have succeeded, and whether they have.

import { SluiceError } from '../definitions/errors.js';
import { shiftPartitionKey } from '../definitions/partitions.js';
import type { SensorSpec } from '../definitions/schema.js';
import type { RunRecord, RunStore } from '../storage/types.js';
import type { StepContext } from './producers/types.js';
import type { Poke } from './sensors.js';

/** The run tag holding the logical date of an unpartitioned run that was started for a date (a triggered child). */
export const LOGICAL_DATE_TAG = 'logical_date';

/**
 * The logical keys a run stands for: its partitions; for an unpartitioned run its `logical_date` tag,
 * else the UTC day it started — what Airflow calls the logical date of a run without a data interval.
 * @example logicalKeys({ partitions: [], tags: {}, startedAt: '2025-01-10T06:00:00Z', … }) // ['2025-01-10']
 */
function logicalKeys(run: Pick<RunRecord, 'partitions' | 'tags' | 'startedAt'>): string[] {
  if (run.partitions.length > 0) return run.partitions;
  return [run.tags?.[LOGICAL_DATE_TAG] ?? run.startedAt.slice(0, 10)];
}

/** A calendar day `days` after `day` (YYYY-MM-DD), in UTC, where no DST can stretch a day. */
function shiftDay(day: string, days: number): string {
  const t = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What this run needs from the other pipeline: a succeeded run for each of these logical keys.
 * Partitioned runs shift each partition by `partitionOffset` windows of the run's own partition set;
 * a shift to before the set's first partition needs nothing (the first run has no previous day), and
 * neither does a key this very run covers when it waits on its own pipeline (a backfill orders its
 * partitions with dependsOnPast, not by waiting on itself). Unpartitioned runs shift their logical
 * date by days.
 */
async function wantedKeys(sensor: Extract<SensorSpec, { type: 'external_run' }>, ctx: StepContext): Promise<string[]> {
  const run = await ctx.store.getRun(ctx.runId);
  if (!run) throw new SluiceError(`run ${ctx.runId} is not in the run store`);
  const { keys, spec } = ctx.runPartitions;
  const own = ctx.partition ? [ctx.partition.key] : keys;
  if (own.length === 0 || !spec) {
    return logicalKeys(run).map((day) => shiftDay(day, sensor.partitionOffset));
  }
  const self = run.pipeline === sensor.pipeline;
  const wanted = new Set<string>();
  for (const key of own) {
    const shifted = shiftPartitionKey(spec, key, sensor.partitionOffset);
    if (shifted === undefined || (self && keys.includes(shifted))) continue;
    wanted.add(shifted);
  }
  return [...wanted].sort();
}

const PAGE = 200;

/**
 * For each wanted key, the newest succeeded run of `pipeline` that stands for it; missing keys are absent.
 * @example await succeededRuns(store, 'wf_main', ['2025-01-09']) // Map { '2025-01-09' => '20250110T…-3f9a1c' }
 */
export async function succeededRuns(store: RunStore, pipeline: string, wanted: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let offset = 0; found.size < wanted.length; offset += PAGE) {
    const page = await store.listRuns({ pipeline, status: 'succeeded', limit: PAGE, offset });
    for (const run of page) {
      for (const key of logicalKeys(run)) if (wanted.includes(key) && !found.has(key)) found.set(key, run.id);
    }
    if (page.length < PAGE) break;
  }
  return found;
}

/**
 * The poke of an external_run sensor: holds once `pipeline` has a succeeded run for every wanted
 * logical key (see wantedKeys), at once when nothing is wanted.
 * @example const poke = await externalRunPoke({ type: 'external_run', pipeline: 'wf_main', partitionOffset: -1, pokeInterval: 100_000, timeout: 3_600_000 }, ctx);
 */
export async function externalRunPoke(sensor: Extract<SensorSpec, { type: 'external_run' }>, ctx: StepContext): Promise<Poke> {
  const wanted = await wantedKeys(sensor, ctx);
  const what = `pipeline ${sensor.pipeline}`;
  if (wanted.length === 0) {
    return async () => ({ held: true, message: `no earlier partition of ${what} to wait for (first partition)` });
  }
  return async () => {
    const found = await succeededRuns(ctx.store, sensor.pipeline, wanted);
    const missing = wanted.filter((k) => !found.has(k));
    if (missing.length > 0) return { held: false, message: `no succeeded run of ${what} for ${missing.join(', ')} yet` };
    const runs = wanted.map((k) => `${k}: run ${found.get(k)}`).join(', ');
    return { held: true, message: `${what} succeeded (${runs})` };
  };
}
