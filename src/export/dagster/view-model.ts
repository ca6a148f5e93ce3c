// The Dagster view model: asset specs and assets, checks, the job, its schedule or sensor, and the Definitions.

import type { PipelineSensorSpec } from '../../definitions/index.js';
import { placeholderLines, windowLines } from '../fill.js';
import { type ImportBlocks, sortImports } from '../imports.js';
import { buildModel, sensorError } from '../model.js';
import { shiftPartitionLines } from '../partition-python.js';
import { pyIdent, pyListBlock, pyNum, pyStr } from '../python.js';
import type { ExportInput, ExportOptions } from '../types.js';
import type { DagsterArg, DagsterBuild, DagsterCheck } from './assets.js';
import { dagsterKey, dagsterName } from './keys.js';
import { type DagsterAsset, producedAsset, type SourceSensors, sourceChecks, sourceSpec } from './members.js';
import { jobSchedule, notificationSensors, partitionsDef } from './pipeline.js';
import { pipelineSensors } from './sensors.js';

export type { DagsterArg, DagsterCheck } from './assets.js';
export type { DagsterAsset } from './members.js';

/** A module-level `variable = expression`. */
export interface DagsterAssignment {
  variable: string;
  value: string;
}

/** A decorated sensor function. */
export interface DagsterSensor {
  function: string;
  decorator: string;
  decoratorArgs: DagsterArg[];
  params: string;
  doc: string;
  body: string[];
}

/** Everything definitions.py.hbs prints; built by buildDagsterViewModel. */
export interface DagsterViewModel {
  file: string;
  header: string;
  imports: ImportBlocks;
  constants: { name: string; value: string }[];
  helpers: DagsterBuild['helpers'] & {
    shiftPartition: boolean;
    jobSucceeded: boolean;
    materializedWithin: boolean;
    window: boolean;
    runDate: boolean;
  };
  shiftPartition: string[];
  /** Body of `_placeholders(key, run_id)`: the values sluice fills into `{{ name }}` placeholders. */
  placeholders: string[];
  /** Body of `_window(key)`: a partition's bounds as sluice writes them. */
  window: string[];
  partitionsDef: DagsterAssignment | null;
  specs: DagsterAssignment[];
  assets: DagsterAsset[];
  checks: DagsterCheck[];
  jobs: DagsterAssignment[];
  /** Comments above the jobs: how sluice's max active runs maps to the instance's run queue. */
  jobComments: string[];
  schedules: DagsterAssignment[];
  scheduleComments: string[];
  sensors: DagsterSensor[];
  sensorAssignments: DagsterAssignment[];
  definitions: DagsterArg[];
}

const MODULE_NAMES = (
  'dg os subprocess time contextlib requests date timedelta unquote urlsplit SnowflakeResource ' +
  'PostgresResource DagsterGraphQLClient make_slack_on_run_failure_sensor SLUICE_PROJECT_DIR ' +
  'partitions_def defs context partition_key values ds ds_nodash run_id response ' +
  'pipes_subprocess_client error hashlib json path stat row digest wanted runs upstream asset_event'
).split(' ');

/**
 * Translates an ExportInput into the Dagster view model (Dagster 1.x, `import dagster as dg`).
 * @example buildDagsterViewModel(input, {}).assets.map((a) => a.function)
 */
export function buildDagsterViewModel(input: ExportInput, options: ExportOptions): DagsterViewModel {
  const model = buildModel('dagster', input, options);
  const { pipeline, partitions } = model;
  const b: DagsterBuild = {
    model,
    names: new Set(MODULE_NAMES),
    imports: new Set(['import dagster as dg']),
    constants: [],
    resources: new Map(),
    helpers: { runSql: false, passes: false, retryAfter: false, runJob: false, postgres: false, fill: false },
    keys: new Map(),
    keyPaths: new Set(),
  };
  for (const asset of model.assets) dagsterKey(b, asset.key);
  const specs: DagsterAssignment[] = [];
  const assets: DagsterAsset[] = [];
  const checks: DagsterCheck[] = [];
  const mainSelection: string[] = [];
  const failureSelection: string[] = [];
  const sources: SourceSensors = {
    lines: [],
    params: new Set(['context: dg.SensorEvaluationContext']),
    use: { values: false },
    minPoke: Number.POSITIVE_INFINITY,
  };
  const oneFailed = new Set<string>();
  for (const asset of model.assets) {
    if (asset.spec.source) {
      specs.push(sourceSpec(b, asset, sources));
      checks.push(...sourceChecks(b, asset));
      continue;
    }
    const made = producedAsset(b, asset, oneFailed);
    assets.push(made.asset);
    checks.push(...made.checks);
    if (asset.spec.trigger === 'one_failed') {
      oneFailed.add(asset.key);
      failureSelection.push(made.asset.function);
    } else mainSelection.push(made.asset.function);
  }
  const pipelineName = dagsterName(pipeline.name);
  const job = pyIdent(`${pipelineName}_job`, b.names);
  const jobs: DagsterAssignment[] = [];
  const partitioned = partitions ? ', partitions_def=partitions_def' : '';
  const tags = `{"sluice/pipeline": ${pyStr(pipeline.name)}}`;
  jobs.push({
    variable: job,
    value: `dg.define_asset_job(name=${pyStr(pipelineName)}, selection=dg.AssetSelection.assets(${mainSelection.join(', ')})${partitioned}, tags=${tags})`,
  });
  const sensors: DagsterSensor[] = [];
  const running = { name: 'default_status', value: 'dg.DefaultSensorStatus.RUNNING' };
  if (failureSelection.length > 0) {
    const onFailureJob = pyIdent(`${pipelineName}_on_failure_job`, b.names);
    jobs.push({
      variable: onFailureJob,
      value: `dg.define_asset_job(name=${pyStr(`${pipelineName}__on_failure`)}, selection=dg.AssetSelection.assets(${failureSelection.join(', ')})${partitioned}, tags=${tags})`,
    });
    const partitionKey = partitions ? ', partition_key=context.dagster_run.tags.get("dagster/partition")' : '';
    sensors.push({
      function: pyIdent(`${pipelineName}_on_failure`, b.names),
      decorator: 'dg.run_failure_sensor',
      decoratorArgs: [{ name: 'monitored_jobs', value: `[${job}]` }, { name: 'request_job', value: onFailureJob }, running],
      params: 'context: dg.RunFailureSensorContext',
      doc: pyStr("Runs the pipeline's one_failed steps when a run of it fails."),
      body: [`return dg.RunRequest(run_key=context.dagster_run.run_id${partitionKey})`],
    });
  }
  const scheduleComments: string[] = [];
  let schedules: DagsterAssignment[] = [];
  if (sources.lines.length > 0) {
    const prelude = [
      'partition_key = partitions_def.get_last_partition_key()',
      'if partition_key is None:',
      '    return dg.SkipReason("no complete partition yet")',
    ];
    if (sources.use.values) {
      b.helpers.fill = true;
      prelude.push('values = _placeholders(partition_key, "")');
    }
    sensors.unshift({
      function: pyIdent(`${pipelineName}_sources_ready`, b.names),
      decorator: 'dg.sensor',
      decoratorArgs: [
        { name: 'job', value: job },
        { name: 'minimum_interval_seconds', value: pyNum(Math.max(1, Math.round(sources.minPoke))) },
        running,
      ],
      params: [...sources.params].join(', '),
      doc: pyStr('Requests the newest partition once every source the pipeline waits on is ready.'),
      body: [...prelude, ...sources.lines, 'return dg.RunRequest(run_key=partition_key, partition_key=partition_key)'],
    });
    if (model.schedule)
      scheduleComments.push(
        `sluice's schedule (${model.schedule.cron}, ${model.schedule.timezone}) is carried by the partitions: the sensor runs each new partition once its sources are ready`,
      );
  } else {
    schedules = jobSchedule(model, job, b.names);
    const start = model.schedule?.start;
    if (start && !partitions) {
      const day = [start.year, start.month, start.day].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-');
      scheduleComments.push(
        `sluice's schedule starts ${day} (${model.schedule?.timezone}); Dagster schedules from when it is turned on`,
      );
    }
  }
  if (pipeline.sensors.length > 0 && sources.lines.length > 0) {
    throw sensorError(
      model,
      pipeline.sensors[0] as PipelineSensorSpec,
      "Dagster waits for this pipeline's source sensors in the sensor that starts its job, not inside the run, so a run this sensor started would not wait for its sources; drop the pipeline's sensors or its sources' sensors",
    );
  }
  sensors.push(...pipelineSensors(b, job, pipelineName));
  const notify = notificationSensors(model, job, b);
  const sensorAssignments = notify.assignments;
  if (assets.some((a) => a.body.some((l) => l.includes('SLUICE_PROJECT_DIR')))) {
    b.imports.add('import os');
    b.constants.unshift({
      name: 'SLUICE_PROJECT_DIR',
      value: `os.environ.get("SLUICE_PROJECT_DIR", ${pyStr(options.projectDir ?? '.')})`,
    });
    b.resources.set('pipes_subprocess_client', { value: 'dg.PipesSubprocessClient()', type: 'dg.PipesSubprocessClient' });
  }
  const text = [...sensors.flatMap((s) => s.body), ...assets.flatMap((a) => a.body)].join('\n');
  const runDate = text.includes('_run_date(');
  const helpers = {
    ...b.helpers,
    shiftPartition: text.includes('_shift_partition('),
    jobSucceeded: text.includes('_job_succeeded('),
    materializedWithin: text.includes('_materialized_within('),
    window: b.helpers.fill && partitions !== undefined,
    runDate,
  };
  if (helpers.shiftPartition) b.imports.add('from datetime import date, timedelta');
  if (b.helpers.fill) b.imports.add('import re');
  if (b.helpers.fill && partitions) {
    b.imports.add('from datetime import datetime, timedelta, timezone');
    b.imports.add('from zoneinfo import ZoneInfo');
  }
  if (runDate) {
    b.imports.add('import time');
    b.imports.add('from datetime import datetime, timezone');
  }
  const all = (items: string[]) => pyListBlock(items, 4);
  const definitions: DagsterArg[] = [
    { name: 'assets', value: all([...specs.map((s) => s.variable), ...assets.map((a) => a.function)]) },
  ];
  if (checks.length > 0) definitions.push({ name: 'asset_checks', value: all(checks.map((c) => c.function)) });
  definitions.push({ name: 'jobs', value: all(jobs.map((j) => j.variable)) });
  if (schedules.length > 0) definitions.push({ name: 'schedules', value: all(schedules.map((s) => s.variable)) });
  const sensorNames = [...sensors.map((s) => s.function), ...sensorAssignments.map((s) => s.variable)];
  if (sensorNames.length > 0) definitions.push({ name: 'sensors', value: all(sensorNames) });
  if (b.resources.size > 0) {
    const entries = [...b.resources].map(([key, r]) => `${pyStr(key)}: ${r.value}`);
    definitions.push({ name: 'resources', value: `{\n${entries.map((e) => `        ${e},`).join('\n')}\n    }` });
  }
  return {
    file: `${model.fileStem}.py`,
    header: model.header,
    imports: sortImports(b.imports),
    constants: [...b.constants, ...notify.constants],
    helpers,
    shiftPartition: helpers.shiftPartition ? shiftPartitionLines(partitions) : [],
    placeholders: b.helpers.fill ? placeholderLines(partitions) : [],
    window: helpers.window && partitions ? windowLines(partitions) : [],
    partitionsDef: partitions ? { variable: 'partitions_def', value: partitionsDef(partitions) } : null,
    specs,
    assets,
    checks,
    jobs,
    jobComments: [
      `sluice runs at most ${pyNum(model.schedule?.maxActiveRuns ?? 1)} run(s) of this pipeline at once: limit the tag sluice/pipeline`,
      "in the instance's run queue (dagster.yaml: concurrency.runs.tag_concurrency_limits).",
    ],
    schedules,
    scheduleComments,
    sensors,
    sensorAssignments,
    definitions,
  };
}
