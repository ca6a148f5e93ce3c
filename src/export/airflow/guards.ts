// Airflow tasks that gate others: the sensor standing for a source asset, and SQL check tasks.

import { ExportError, type SensorSpec } from '../../definitions/index.js';
import { type ModelAsset, resourceOf, windowSeconds } from '../model.js';
import { pyNum, pyStr } from '../python.js';
import { checkQuery } from '../sql.js';
import { airflowText, timedelta } from './policies.js';
import { type AirflowBuild, type AirflowTask, addTask, sqlArg } from './tasks.js';

const EXTERNAL = {
  2: 'from airflow.sensors.external_task import ExternalTaskSensor',
  3: 'from airflow.providers.standard.sensors.external_task import ExternalTaskSensor',
};
const FILE = {
  2: 'from airflow.sensors.filesystem import FileSensor',
  3: 'from airflow.providers.standard.sensors.filesystem import FileSensor',
};

const PRESET_SECONDS: Record<string, number> = { '@hourly': 3600, '@daily': 86_400, '@weekly': 604_800 };

function offsetDelta(b: AirflowBuild, sensor: Extract<SensorSpec, { type: 'external_run' }>, key: string): string | undefined {
  if (sensor.partitionOffset === 0) return undefined;
  const { partitions, schedule } = b.model;
  const seconds = partitions ? windowSeconds(partitions.granularity) : PRESET_SECONDS[schedule?.cron ?? ''];
  if (seconds === undefined) {
    throw new ExportError(
      'airflow',
      'sensor.partitionOffset',
      key,
      'ExternalTaskSensor shifts by a fixed timedelta, which needs hourly, daily or weekly partitions (or an @hourly/@daily/@weekly schedule); use partitionOffset 0 or such a cadence',
    );
  }
  return timedelta(-sensor.partitionOffset * seconds);
}

/** The sensor task that stands for a source asset. */
export function sensorTask(b: AirflowBuild, asset: ModelAsset, sensor: SensorSpec): AirflowTask {
  const key = asset.key;
  let task: AirflowTask;
  switch (sensor.type) {
    case 'sql': {
      b.imports.add('from airflow.providers.common.sql.sensors.sql import SqlSensor');
      const { operator, value } = sqlArg(b, 'sensor', key, asset, sensor.sql);
      task = addTask(b, key, asset, 'sensor', operator);
      task.args.push({ name: 'conn_id', value: pyStr(b.model.connectionOf(sensor.resource)) }, { name: 'sql', value });
      // sluice's SQL sensor is ready when the query returns a row, whatever the row holds.
      task.args.push({ name: 'success', value: 'lambda first_cell: True' });
      break;
    }
    case 'external_run': {
      b.imports.add(EXTERNAL[b.version]);
      task = addTask(b, key, asset, 'sensor', 'ExternalTaskSensor');
      task.args.push({ name: 'external_dag_id', value: pyStr(sensor.pipeline) }, { name: 'external_task_id', value: 'None' });
      const delta = offsetDelta(b, sensor, key);
      if (delta) task.args.push({ name: 'execution_delta', value: delta });
      task.args.push({ name: 'allowed_states', value: '["success"]' }, { name: 'failed_states', value: '["failed"]' });
      break;
    }
    case 'file':
      b.imports.add(FILE[b.version]);
      task = addTask(b, key, asset, 'sensor', 'FileSensor');
      task.args.push(
        { name: 'filepath', value: airflowText(sensor.path, b.model, key) },
        { name: 'fs_conn_id', value: '"fs_default"' },
      );
      break;
    case 'asset_materialized':
      throw new ExportError(
        'airflow',
        'sensor.asset_materialized',
        key,
        'Airflow has no in-DAG sensor for another asset being materialized; use an external_run sensor on the pipeline that makes it',
      );
  }
  task.args.push(
    { name: 'poke_interval', value: pyNum(sensor.pokeInterval / 1000) },
    { name: 'timeout', value: pyNum(sensor.timeout / 1000) },
    // Long waits should not hold a worker slot between pokes.
    { name: 'mode', value: '"reschedule"' },
  );
  return task;
}

/** One SQL check task on the table named by `table` (the asset's, or its staging table before the swap). */
export function checkTask(b: AirflowBuild, asset: ModelAsset, check: ModelAsset['checks'][number], table: string): AirflowTask {
  const resource = resourceOf(asset.spec);
  const raw = `${asset.key}__${check.name}`;
  const query = checkQuery(table, check.spec, b.model.site(resource, asset.key));
  const { operator, value } = sqlArg(b, 'check', raw, asset, query);
  const task = addTask(b, raw, asset, 'check', operator);
  task.args.push({ name: 'conn_id', value: pyStr(b.model.connectionOf(resource)) }, { name: 'sql', value });
  if (!check.spec.blocking)
    task.comments.push('non-blocking in sluice: nothing waits on it, but Airflow marks the run failed if it fails');
  return task;
}
