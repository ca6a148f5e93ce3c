// A pipeline's own sensors in Airflow: asset_materialized becomes data-aware scheduling on the upstream task's outlet.

import type { AssetSpec } from '../../definitions/index.js';
import { type PipelineModel, sensorError } from '../model.js';
import { pyStr } from '../python.js';
import { airflowAssetRef } from './policies.js';

/** The Dataset (2.x) / Asset (3.x) a watched asset's producing task lists as its outlet: same URI, same extra. */
function watchedRef(model: PipelineModel, key: string, version: 2 | 3, imports: Set<string>): string {
  const spec = model.sensorAssets.get(key);
  if (spec) return airflowAssetRef({ spec }, version, imports);
  const bare = { key, kind: 'table', tags: [], metadata: {} } as unknown as AssetSpec;
  return airflowAssetRef({ spec: bare }, version, imports);
}

/**
 * The dataset condition that starts the DAG, or undefined when the pipeline has no sensors. Only asset_materialized
 * sensors have an Airflow form; anything else fails the export rather than start the DAG differently.
 */
export function sensorCondition(model: PipelineModel, version: 2 | 3, imports: Set<string>): string | undefined {
  const { pipeline, partitions } = model;
  if (pipeline.sensors.length === 0) return undefined;
  const keys: string[] = [];
  for (const sensor of pipeline.sensors) {
    if (sensor.type === 'external_run') {
      throw sensorError(
        model,
        sensor,
        `Airflow starts a DAG when datasets are updated, not when another DAG run succeeds; watch the last asset "${sensor.pipeline}" makes with an asset_materialized sensor, or let "${sensor.pipeline}" trigger this pipeline`,
      );
    }
    if (sensor.type === 'file' || sensor.type === 'sql') {
      throw sensorError(
        model,
        sensor,
        `Airflow has no trigger that starts a DAG on a ${sensor.type === 'file' ? "file's change" : "query's new row"}; give the pipeline a schedule and put the ${sensor.type} sensor on a source asset, where it becomes a sensor task`,
      );
    }
    if (partitions) {
      throw sensorError(
        model,
        sensor,
        'a dataset-triggered Airflow run spans the data intervals of the upstream runs, not the one partition sluice runs, and Airflow 3 gives it no logical date; export the pipeline unpartitioned or start it with a schedule',
      );
    }
    if (!keys.includes(sensor.asset)) keys.push(sensor.asset);
  }
  const refs = keys.map((k) => watchedRef(model, k, version, imports));
  // A list means "all updated"; sluice starts a run on any one sensor, which is Airflow's `|`.
  return refs.length === 1 ? `[${refs[0]}]` : `(${refs.join(' | ')})`;
}

/**
 * The DAG's `schedule` when sensors start it: datasets alone, or datasets or the cron, as the daemon runs both.
 * Airflow 2 reads a cron string as an interval timetable and Airflow 3 as a trigger timetable; the combined
 * schedule keeps whichever the cron alone would have given.
 */
export function sensorSchedule(
  model: PipelineModel,
  condition: string,
  version: 2 | 3,
  tz: string,
  imports: Set<string>,
): string {
  const { schedule } = model;
  if (!schedule) return condition;
  const timetable = `${version === 3 ? 'CronTriggerTimetable' : 'CronDataIntervalTimetable'}(${pyStr(schedule.cron)}, timezone=${pyStr(tz)})`;
  if (version === 3) {
    imports.add('from airflow.timetables.assets import AssetOrTimeSchedule');
    imports.add('from airflow.timetables.trigger import CronTriggerTimetable');
    return `AssetOrTimeSchedule(timetable=${timetable}, assets=${condition})`;
  }
  imports.add('from airflow.timetables.datasets import DatasetOrTimeSchedule');
  imports.add('from airflow.timetables.interval import CronDataIntervalTimetable');
  return `DatasetOrTimeSchedule(timetable=${timetable}, datasets=${condition})`;
}
