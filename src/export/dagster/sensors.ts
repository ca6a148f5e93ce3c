// A pipeline's own sensors (the daemon's triggers) as Dagster sensors that request runs of the pipeline's job.

import type { PipelineSensorSpec } from '../../definitions/index.js';
import { type FillUse, sqlExpr, textExpr } from '../fill.js';
import { pyIdent, pyNum, pyStr } from '../python.js';
import { constant, type DagsterArg, type DagsterBuild, sqlResource } from './assets.js';
import { assetKeyExpr, dagsterName } from './keys.js';
import type { DagsterSensor } from './view-model.js';

/**
 * Lines that set `partition_key` to the pipeline's newest complete window, the partition the daemon would run,
 * or skip the evaluation when there is none yet.
 */
function candidateLines(b: DagsterBuild): string[] {
  if (!b.model.partitions) return [];
  return [
    'partition_key = partitions_def.get_last_partition_key()',
    'if partition_key is None:',
    '    return dg.SkipReason("no complete partition yet")',
  ];
}

/** The run request: sluice's run key, prefixed by the partition when there is one (the daemon's `keyed`). */
function request(b: DagsterBuild, key: string, prefixed: boolean): string {
  if (!b.model.partitions) return `return dg.RunRequest(run_key=${key})`;
  const runKey = prefixed ? `partition_key + "|" + ${key}` : key;
  return `return dg.RunRequest(run_key=${runKey}, partition_key=partition_key)`;
}

/**
 * One Dagster sensor per pipeline sensor, each requesting the pipeline's job under the run key sluice's daemon
 * claims, so Dagster's run-key deduplication launches exactly what the daemon would.
 */
export function pipelineSensors(b: DagsterBuild, job: string, base: string): DagsterSensor[] {
  const { pipeline, partitions } = b.model;
  return pipeline.sensors.map((sensor): DagsterSensor => {
    const decoratorArgs: DagsterArg[] = [
      { name: 'job', value: job },
      { name: 'minimum_interval_seconds', value: pyNum(Math.max(1, Math.round(sensor.pokeInterval / 1000))) },
      { name: 'default_status', value: 'dg.DefaultSensorStatus.RUNNING' },
    ];
    const fn = pyIdent(`${base}_${sensor.name}`, b.names);
    const doc = pyStr(`Starts ${pipeline.name} as sluice's ${sensor.type} sensor ${sensor.name} does.`);
    if (sensor.type === 'asset_materialized') return materialized(b, sensor, fn, doc, decoratorArgs);
    const use: FillUse = { values: false };
    const params = new Set(['context: dg.SensorEvaluationContext']);
    const lines = checks(b, sensor, use, params);
    const prelude = candidateLines(b);
    if (use.values) {
      b.helpers.fill = true;
      if (partitions) prelude.push('values = _placeholders(partition_key, "")');
      else {
        b.imports.add('from datetime import datetime, timezone');
        // Unpartitioned, the daemon renders placeholders for the UTC date of the evaluation.
        prelude.push('values = _placeholders(datetime.now(timezone.utc).date().isoformat(), "")');
      }
    }
    return {
      function: fn,
      decorator: 'dg.sensor',
      decoratorArgs,
      params: [...params].join(', '),
      doc,
      body: [...prelude, ...lines],
    };
  });
}

/** The body of a polling sensor after the candidate partition is known: skip, or request with sluice's run key. */
function checks(
  b: DagsterBuild,
  sensor: Exclude<PipelineSensorSpec, { type: 'asset_materialized' }>,
  use: FillUse,
  params: Set<string>,
): string[] {
  const partitioned = b.model.partitions !== undefined;
  switch (sensor.type) {
    case 'file':
      b.imports.add('import os');
      return [
        // Filled for the candidate window with an empty run id, as the daemon renders sensor texts.
        `path = ${textExpr(sensor.path, use, 'dagster', undefined)}`,
        'if not os.path.exists(path):',
        '    return dg.SkipReason("no " + path + " yet")',
        'stat = os.stat(path)',
        request(b, '"file:" + str(stat.st_mtime_ns) + ":" + str(stat.st_size)', true),
      ];
    case 'sql': {
      const { param, annotation } = sqlResource(b, sensor.resource);
      params.add(`${param}: ${annotation}`);
      b.helpers.passes = true;
      b.imports.add('import hashlib');
      b.imports.add('import json');
      const name = constant(b, `${b.model.pipeline.name}__${sensor.name}`, sensor.sql);
      return [
        `row = _fetch_one(${param}, ${sqlExpr(name, sensor.sql, use, 'dagster', undefined)})`,
        'if row is None:',
        '    return dg.SkipReason("the query returned no row")',
        // A new first row is a new run key: the daemon keys on a digest of the row too.
        'digest = hashlib.sha256(json.dumps(list(row), default=str).encode("utf-8")).hexdigest()[:20]',
        request(b, '"row:" + digest', true),
      ];
    }
    case 'external_run': {
      const other = pyStr(dagsterName(sensor.pipeline));
      if (partitioned) {
        const wanted =
          sensor.partitionOffset === 0 ? 'partition_key' : `_shift_partition(partition_key, ${pyNum(sensor.partitionOffset)})`;
        return [
          `wanted = ${wanted}`,
          `if not _job_succeeded(context, ${other}, wanted):`,
          `    return dg.SkipReason(${pyStr(`no succeeded run of ${sensor.pipeline} for `)} + wanted + " yet")`,
          // Once per window: the window itself is the run key.
          request(b, 'partition_key', false),
        ];
      }
      return [
        'runs = context.instance.get_runs(',
        `    filters=dg.RunsFilter(job_name=${other}, statuses=[dg.DagsterRunStatus.SUCCESS]),`,
        '    limit=1,',
        ')',
        'if not runs:',
        `    return dg.SkipReason(${pyStr(`no succeeded run of ${sensor.pipeline} yet`)})`,
        request(b, '"run:" + runs[0].run_id', false),
      ];
    }
  }
}

/** `@dg.asset_sensor` on the watched key: each new materialization is one run key (its run and partition). */
function materialized(
  b: DagsterBuild,
  sensor: Extract<PipelineSensorSpec, { type: 'asset_materialized' }>,
  fn: string,
  doc: string,
  args: DagsterArg[],
): DagsterSensor {
  const body: string[] = [];
  if (sensor.within !== undefined) {
    b.imports.add('import time');
    const seconds = pyNum(sensor.within / 1000);
    body.push(
      `if time.time() - asset_event.timestamp > ${seconds}:`,
      `    return dg.SkipReason(${pyStr(`${sensor.asset} was materialized more than ${seconds}s ago`)})`,
    );
  }
  body.push('upstream = asset_event.dagster_event.partition or ""');
  if (b.model.partitions) {
    // The upstream partition when it is one of this pipeline's, else the newest window, as the daemon picks.
    body.push(
      'if upstream and partitions_def.has_partition_key(upstream):',
      '    partition_key = upstream',
      'else:',
      '    partition_key = partitions_def.get_last_partition_key()',
      'if partition_key is None:',
      '    return dg.SkipReason("no complete partition yet")',
      'return dg.RunRequest(run_key=partition_key + "|" + upstream + "@" + asset_event.run_id, partition_key=partition_key)',
    );
  } else body.push('return dg.RunRequest(run_key="|" + upstream + "@" + asset_event.run_id)');
  return {
    function: fn,
    decorator: 'dg.asset_sensor',
    decoratorArgs: [{ name: 'asset_key', value: assetKeyExpr(b, sensor.asset) }, ...args],
    params: 'context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry',
    doc,
    body,
  };
}
