// Pipeline sensors as the daemon's triggers: what each kind sees, and the run key that says "this is new".

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PartitionWindow } from '../definitions/context.js';
import { partitionWindow, shiftPartitionKey } from '../definitions/partitions.js';
import type { PartitionsSpec, PipelineSensorSpec } from '../definitions/schema.js';
import type { Resources } from '../runtime/resources.js';
import { succeededRuns } from '../runtime/sensor-runs.js';
import { freshMaterializations, withinText } from '../runtime/sensors.js';
import { renderTemplate } from '../runtime/template.js';
import type { RunStore } from '../storage/types.js';
import { tickPartition } from './ticks.js';

/** What one evaluation saw. A held sensor names the run key of what it saw and the partition to run. */
export type TriggerEvaluation =
  | { held: false; reason: string }
  | { held: true; reason: string; runKey: string; partition: string | null };

export interface TriggerContext {
  store: RunStore;
  resources?: Resources | undefined;
  /** The pipeline's partitions, when it has partitioned assets. */
  partitions?: PartitionsSpec | undefined;
  now: Date;
  /** Relative file paths resolve against it. Default: the working directory. */
  root?: string | undefined;
}

const MAX_SHOWN = 160;

function shown(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

// Warehouse rows may carry bigint and Date values; both become stable text.
function rowText(row: unknown): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

/**
 * Evaluates one pipeline sensor. For a partitioned pipeline the candidate is the newest complete
 * window at `now` (what a schedule tick would run), and placeholders such as `{{ ds }}` render for it;
 * the run key then includes the partition, so each window launches once per change.
 *
 * - sql: holds when the query returns a row; the first row is the key (return a load id or a date).
 * - file: holds when the path exists; its modification time and size are the key.
 * - external_run: holds when the other pipeline succeeded (for the candidate partition shifted by
 *   `partitionOffset`, or at all when unpartitioned); the key is the window, or that run's id.
 * - asset_materialized: holds on the asset's newest successful materialization (within `within`);
 *   its run and partition are the key, and a partitioned pipeline runs that same partition when it has it.
 * @example await evaluateTrigger({ type: 'file', name: 'file', path: 'in/{{ ds }}.csv', pokeInterval: 30_000 }, { store, now })
 */
export async function evaluateTrigger(sensor: PipelineSensorSpec, ctx: TriggerContext): Promise<TriggerEvaluation> {
  const candidate = ctx.partitions ? tickPartition(ctx.partitions, ctx.now) : undefined;
  if (ctx.partitions && candidate === undefined) return { held: false, reason: 'no partition window is complete yet' };
  const window: PartitionWindow | undefined =
    ctx.partitions && candidate !== undefined ? partitionWindow(ctx.partitions, candidate) : undefined;
  const render = (text: string) => renderTemplate(text, { runId: '', partition: window, runStartedAt: ctx.now.getTime() });
  const keyed = (key: string) => (candidate === undefined ? key : `${candidate}|${key}`);
  const partition = candidate ?? null;

  switch (sensor.type) {
    case 'sql': {
      if (!ctx.resources) throw new Error('a sql sensor needs the project resources');
      const warehouse = await ctx.resources.warehouse(sensor.resource);
      const rows = await warehouse.query(render(sensor.sql));
      if (rows.length === 0) return { held: false, reason: 'the query returned no row' };
      const text = rowText(rows[0]);
      return { held: true, reason: `the query returned ${shown(text)}`, runKey: keyed(`row:${digest(text)}`), partition };
    }
    case 'file': {
      const path = render(sensor.path);
      const full = isAbsolute(path) ? path : resolve(ctx.root ?? process.cwd(), path);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) return { held: false, reason: `no ${path} yet` };
      const modified = stat.mtime.toISOString();
      return {
        held: true,
        reason: `${path} exists (modified ${modified}, ${stat.size} bytes)`,
        runKey: keyed(`file:${modified}:${stat.size}`),
        partition,
      };
    }
    case 'external_run': {
      if (candidate !== undefined && ctx.partitions) {
        const wanted = shiftPartitionKey(ctx.partitions, candidate, sensor.partitionOffset);
        if (wanted === undefined) return { held: false, reason: `no partition of ${sensor.pipeline} before the first one` };
        const found = (await succeededRuns(ctx.store, sensor.pipeline, [wanted])).get(wanted);
        if (!found) return { held: false, reason: `no succeeded run of ${sensor.pipeline} for ${wanted} yet` };
        return { held: true, reason: `${sensor.pipeline} succeeded for ${wanted} (run ${found})`, runKey: candidate, partition };
      }
      const [newest] = await ctx.store.listRuns({ pipeline: sensor.pipeline, status: 'succeeded', limit: 1 });
      if (!newest) return { held: false, reason: `no succeeded run of ${sensor.pipeline} yet` };
      return {
        held: true,
        reason: `${sensor.pipeline} succeeded (run ${newest.id})`,
        runKey: `run:${newest.id}`,
        partition: null,
      };
    }
    case 'asset_materialized': {
      const [newest] = await freshMaterializations(ctx.store, sensor, ctx.now.getTime());
      if (!newest) return { held: false, reason: `${sensor.asset} not materialized${withinText(sensor.within)} yet` };
      // The upstream partition is the one to run when this pipeline has it; else the newest window.
      const own = ctx.partitions && newest.partition !== '' && partitionWindow(ctx.partitions, newest.partition);
      const runs = own ? newest.partition : partition;
      const which = newest.partition === '' ? '' : ` for ${newest.partition}`;
      return {
        held: true,
        reason: `${sensor.asset} materialized${which} by run ${newest.runId}`,
        runKey: `${runs ?? ''}|${newest.partition}@${newest.runId}`,
        partition: runs,
      };
    }
  }
}
