// The Airflow view model: one DAG file with every argument already a Python expression, and the edges between tasks.

import { ExportError } from '../../definitions/index.js';
import { type ImportBlocks, sortImports } from '../imports.js';
import { buildModel, type ModelAsset, type PipelineModel, parseWallTime, sensorError, type WallTime } from '../model.js';
import { pyBool, pyList, pyListBlock, pyNum, pyStr } from '../python.js';
import type { ExportInput, ExportOptions } from '../types.js';
import { checkTask, sensorTask } from './guards.js';
import { type AirflowArg, airflowAssetRef, airflowNotifiers, airflowRetry, timedelta } from './policies.js';
import { sensorCondition, sensorSchedule } from './sensors.js';
import { type AirflowBuild, type AirflowConstant, type AirflowTask, producerTasks } from './tasks.js';

export type { AirflowArg } from './policies.js';
export type { AirflowConstant, AirflowTask } from './tasks.js';

/** `upstream >> downstream`; upstream may be a list expression such as `[a, b]`. */
export interface AirflowEdge {
  upstream: string;
  downstream: string;
}

/** Everything dag.py.hbs prints; built by buildAirflowViewModel. */
export interface AirflowViewModel {
  file: string;
  header: string;
  airflowVersion: 2 | 3;
  imports: ImportBlocks;
  untemplated: { execute: boolean; check: boolean; sensor: boolean };
  constants: AirflowConstant[];
  defaultArgs: { key: string; value: string }[];
  dagComments: string[];
  dagArgs: AirflowArg[];
  tasks: AirflowTask[];
  edges: AirflowEdge[];
  /** A task that fails the run when anything failed, because a succeeding one_failed task would hide the failure. */
  watcher: { taskId: string; variable: string; upstream: string } | null;
}

// Names the module itself defines or imports; no task variable or constant may take them.
const MODULE_NAMES = (
  'DAG dag default_args pendulum datetime os Dataset Asset task SLUICE_PROJECT_DIR BashOperator ' +
  'HttpOperator TriggerDagRunOperator ExternalTaskSensor FileSensor SqlSensor SQLExecuteQueryOperator ' +
  'SQLCheckOperator UntemplatedSQLExecuteQueryOperator UntemplatedSQLCheckOperator UntemplatedSqlSensor ' +
  'CronDataIntervalTimetable CronTriggerTimetable DatasetOrTimeSchedule AssetOrTimeSchedule send_slack_notification ' +
  'send_smtp_notification'
).split(' ');

function pendulumDate(t: WallTime, tz: string): string {
  const parts = [t.year, t.month, t.day];
  if (t.hour || t.minute || t.second) parts.push(t.hour, t.minute, t.second);
  return `pendulum.datetime(${parts.map(pyNum).join(', ')}, tz=${pyStr(tz)})`;
}

function taskPolicies(b: AirflowBuild, asset: ModelAsset, task: AirflowTask): void {
  const { spec } = asset;
  const retry = airflowRetry(asset);
  task.comments.push(...retry.comments);
  task.args.push(...retry.args);
  if (asset.timeoutSeconds !== undefined) task.args.push({ name: 'execution_timeout', value: timedelta(asset.timeoutSeconds) });
  if (spec.pool !== undefined) task.args.push({ name: 'pool', value: pyStr(spec.pool) });
  if (spec.dependsOnPast) task.args.push({ name: 'depends_on_past', value: 'True' });
  if (spec.owner !== undefined && spec.owner !== b.model.pipeline.owner)
    task.args.push({ name: 'owner', value: pyStr(spec.owner) });
  if (spec.notify.length > 0) {
    const what = `asset "${spec.key}" of pipeline "${b.model.pipeline.name}"`;
    task.args.push({ name: 'on_failure_callback', value: airflowNotifiers(spec.notify, b.model, what, b.imports, 8) });
  }
}

function dagArgs(model: PipelineModel, version: 2 | 3, imports: Set<string>, comments: string[]): AirflowArg[] {
  const { pipeline, schedule, partitions } = model;
  const args: AirflowArg[] = [{ name: 'dag_id', value: pyStr(pipeline.name) }];
  if (pipeline.description !== undefined) args.push({ name: 'description', value: pyStr(pipeline.description) });
  const tz = schedule?.timezone ?? partitions?.timezone ?? 'UTC';
  const sensed = sensorCondition(model, version, imports);
  if (sensed) args.push({ name: 'schedule', value: sensorSchedule(model, sensed, version, tz, imports) });
  else if (!schedule) args.push({ name: 'schedule', value: 'None' });
  else if (partitions && version === 3) {
    // Airflow 3 runs plain cron strings at the tick with no data interval; partitions need the interval.
    imports.add('from airflow.sdk import CronDataIntervalTimetable');
    args.push({ name: 'schedule', value: `CronDataIntervalTimetable(${pyStr(schedule.cron)}, timezone=${pyStr(tz)})` });
  } else args.push({ name: 'schedule', value: pyStr(schedule.cron) });
  const start = schedule?.start ?? (partitions ? parseWallTime(partitions.start) : undefined);
  if (start !== undefined) args.push({ name: 'start_date', value: pendulumDate(start, tz) });
  else if (schedule) {
    if (schedule.catchup) {
      throw new ExportError(
        'airflow',
        'schedule.catchup',
        undefined,
        'catchup needs a first interval: give the schedule a start date',
      );
    }
    comments.push('sluice schedules from deployment on; Airflow needs a start_date, and catchup=False skips the past');
    args.push({ name: 'start_date', value: pendulumDate({ year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, tz) });
  }
  if (schedule?.end) args.push({ name: 'end_date', value: pendulumDate(schedule.end, tz) });
  args.push({ name: 'catchup', value: pyBool(schedule?.catchup ?? false) });
  args.push({ name: 'max_active_runs', value: pyNum(schedule?.maxActiveRuns ?? 1) });
  for (const tag of pipeline.tags) {
    if (tag.length > 100)
      throw new ExportError(
        'airflow',
        'tags',
        undefined,
        `tag "${tag.slice(0, 20)}…" is longer than Airflow's 100 characters; shorten it`,
      );
  }
  if (pipeline.tags.length > 0) args.push({ name: 'tags', value: pyList(pipeline.tags.map((t) => pyStr(t))) });
  args.push({ name: 'default_args', value: 'default_args' });
  if (pipeline.onFailure.length > 0) {
    args.push({
      name: 'on_failure_callback',
      value: airflowNotifiers(pipeline.onFailure, model, `pipeline "${pipeline.name}"`, imports, 4),
    });
  }
  for (const sensor of pipeline.sensors) {
    if (sensor.type === 'asset_materialized' && sensor.within !== undefined)
      comments.push(
        `sluice's sensor ${sensor.name} only counts a materialization of ${sensor.asset} newer than ${pyNum(sensor.within / 1000)}s when it looks; Airflow starts a run on each dataset update as it happens`,
      );
  }
  // The daemon evaluates sensors as soon as it runs, as it fires schedules: the DAG starts unpaused either way.
  if (schedule || sensed) args.push({ name: 'is_paused_upon_creation', value: 'False' });
  // Airflow strips one trailing newline from rendered fields unless told not to; sluice text must arrive intact.
  args.push({ name: 'jinja_environment_kwargs', value: '{"keep_trailing_newline": True}' });
  return args;
}

/**
 * Translates an ExportInput into the Airflow view model (Airflow 2.9/2.10 by default, `airflowVersion: 3` for 3.x).
 * @example buildAirflowViewModel(input, { airflowVersion: 3 }).tasks.map((t) => t.taskId)
 */
export function buildAirflowViewModel(input: ExportInput, options: ExportOptions): AirflowViewModel {
  const model = buildModel('airflow', input, options);
  const version = options.airflowVersion ?? 2;
  const b: AirflowBuild = {
    model,
    version,
    names: new Set(MODULE_NAMES),
    taskIds: new Set(),
    imports: new Set(),
    untemplated: { execute: false, check: false, sensor: false },
    templated: { execute: false, check: false, sensor: false },
    constants: [],
    tasks: [],
  };
  const edges: AirflowEdge[] = [];
  const link = (from: AirflowTask[], to: AirflowTask) => {
    for (const f of from) edges.push({ upstream: f.variable, downstream: to.variable });
  };
  const exits = new Map<string, AirflowTask[]>();
  const oneFailed: AirflowTask[] = [];
  for (const asset of model.assets) {
    const { spec } = asset;
    if (spec.source) {
      const sensor = spec.sensor ? sensorTask(b, asset, spec.sensor) : undefined;
      const checks = asset.checks.map((c) => checkTask(b, asset, c, asset.key));
      if (sensor) for (const c of checks) link([sensor], c);
      const blocking = checks.filter((_, i) => asset.checks[i]?.spec.blocking);
      exits.set(asset.key, blocking.length > 0 ? blocking : sensor ? [sensor] : []);
      continue;
    }
    const { main, build } = producerTasks(b, asset);
    main.comments.push(...asset.notes);
    const entry = build ?? main;
    const upstream = spec.deps.flatMap((d) => exits.get(d) ?? []);
    link(upstream, entry);
    const inlets = spec.deps.filter((d) => (exits.get(d) ?? []).length === 0).map((d) => model.byKey.get(d) as ModelAsset);
    if (inlets.length > 0)
      entry.args.push({
        name: 'inlets',
        value: pyListBlock(
          inlets.map((a) => airflowAssetRef(a, version, b.imports)),
          8,
        ),
      });
    if (spec.trigger !== 'all_success') entry.args.push({ name: 'trigger_rule', value: pyStr(spec.trigger) });
    if (build) taskPolicies(b, asset, build);
    taskPolicies(b, asset, main);
    if (spec.description !== undefined) main.args.push({ name: 'doc_md', value: pyStr(spec.description) });
    main.args.push({ name: 'outlets', value: pyListBlock([airflowAssetRef(asset, version, b.imports)], 8) });
    const producer = spec.producer;
    const staging = producer?.type === 'ctas' ? producer.staging : undefined;
    const checks = asset.checks.map((c) => checkTask(b, asset, c, staging ?? asset.key));
    const blocking = checks.filter((_, i) => asset.checks[i]?.spec.blocking);
    for (const c of checks) link([build ?? main], c);
    if (build) for (const c of blocking) link([c], main);
    if (build && blocking.length === 0) link([build], main);
    exits.set(asset.key, build || blocking.length === 0 ? [main] : blocking);
    if (spec.trigger === 'one_failed') oneFailed.push(...b.tasks.filter((t) => t.assetKey === asset.key));
  }
  let watcher: AirflowViewModel['watcher'] = null;
  if (oneFailed.length > 0) {
    b.imports.add(version === 3 ? 'from airflow.sdk import task' : 'from airflow.decorators import task');
    const watched = b.tasks.filter((t) => !oneFailed.includes(t)).map((t) => t.variable);
    const taskId = 'sluice_run_failed';
    b.taskIds.add(taskId);
    watcher = { taskId: pyStr(taskId), variable: 'sluice_run_failed', upstream: pyListBlock(watched, 4) };
  }
  if (b.tasks.some((t) => t.args.some((a) => a.value === 'SLUICE_PROJECT_DIR'))) {
    b.constants.unshift({
      name: 'SLUICE_PROJECT_DIR',
      value: `os.environ.get("SLUICE_PROJECT_DIR", ${pyStr(options.projectDir ?? '.')})`,
    });
  }
  const dagComments: string[] = [];
  const args = dagArgs(model, version, b.imports, dagComments);
  const [sensor] = model.pipeline.sensors;
  if (version === 3 && sensor) {
    const dated = [...b.constants, ...b.tasks.flatMap((t) => t.args)].find((a) =>
      /\{\{ (?:ds|ds_nodash|logical_date) \}\}/.test(a.value),
    );
    if (dated) {
      throw sensorError(
        model,
        sensor,
        'Airflow 3 gives an asset-triggered run no logical date, so {{ ds }} and {{ ds_nodash }} would fail its tasks; drop the date placeholders or export for Airflow 2',
      );
    }
  }
  b.imports.add(version === 3 ? 'from airflow.sdk import DAG' : 'from airflow import DAG');
  const used = (kind: 'execute' | 'check') => b.untemplated[kind] || b.templated[kind];
  if (used('execute')) b.imports.add('from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator');
  if (used('check')) b.imports.add('from airflow.providers.common.sql.operators.sql import SQLCheckOperator');
  const values = [...args, ...b.tasks.flatMap((t) => t.args)].map((a) => a.value);
  if (values.some((v) => v.includes('datetime.timedelta('))) b.imports.add('import datetime');
  if (values.some((v) => v.includes('pendulum.datetime('))) b.imports.add('import pendulum');
  const defaultArgs = [{ key: '"retries"', value: '0' }];
  if (model.pipeline.owner !== undefined) defaultArgs.unshift({ key: '"owner"', value: pyStr(model.pipeline.owner) });
  return {
    file: `${model.fileStem}.py`,
    header: model.header,
    airflowVersion: version,
    imports: sortImports(b.imports),
    untemplated: b.untemplated,
    constants: b.constants,
    defaultArgs,
    dagComments,
    dagArgs: args,
    tasks: b.tasks,
    edges,
    watcher,
  };
}
