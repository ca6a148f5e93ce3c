// The Prefect view model: tasks, the flow that submits them in dependency order, failure hooks and the served schedule.

import { ExportError } from '../../definitions/index.js';
import { placeholderLines, windowLines } from '../fill.js';
import { type ImportBlocks, sortImports } from '../imports.js';
import { buildModel } from '../model.js';
import { partitionBeforeLines, shiftPartitionLines } from '../partition-python.js';
import { pyIdent, pyList, pyListBlock, pyNum, pyStr } from '../python.js';
import type { ExportInput, ExportOptions } from '../types.js';
import { notifyLines, retryArgs, serveBlock } from './policies.js';
import { type PrefectArg, type PrefectBuild, type PrefectTask, taskBody } from './tasks.js';

export type { PrefectArg, PrefectTask } from './tasks.js';

/** A state-change hook: `def function(params):` with its body. */
export interface PrefectHook {
  function: string;
  params: string;
  doc: string;
  body: string[];
}

/** Everything flow.py.hbs prints; built by buildPrefectViewModel. */
export interface PrefectViewModel {
  file: string;
  header: string;
  imports: ImportBlocks;
  constants: { name: string; value: string }[];
  helpers: PrefectBuild['helpers'] & { anyFailed: boolean; window: boolean };
  /** Body of `_placeholders(key, run_id)`: the values sluice fills into `{{ name }}` placeholders. */
  placeholders: string[];
  /** Body of `_window(key)`: a partition's bounds as sluice writes them. */
  window: string[];
  /** Body of `_partition_before(moment)`: the newest complete window before a moment, as a partition key. */
  partitionBefore: string[];
  /** Body of `_shift_partition(key, offset)`. */
  shiftPartition: string[];
  /** Body of `_scheduled_partition()`: the key a scheduled run without a partition_key parameter works on. */
  scheduledPartition: string[];
  /** The zone partition keys are read in, as a Python literal. */
  timezone: string;
  hooks: PrefectHook[];
  tasks: PrefectTask[];
  flow: { function: string; decoratorArgs: PrefectArg[]; body: string[] };
  serve: { comments: string[]; args: PrefectArg[] };
}

const MODULE_NAMES = (
  'flow task wait allow_failure current_run Cron SnowflakeConnector SqlAlchemyConnector SlackWebhook ' +
  'EmailServerCredentials EmailMessage run_deployment get_client get_run_logger httpx os subprocess ' +
  'time date datetime timedelta timezone ZoneInfo FlowFilter FlowFilterName FlowRunFilter ' +
  'FlowRunFilterState FlowRunFilterStateType StateType SLUICE_PROJECT_DIR connector partition_key ' +
  'run_id ds ds_nodash futures response triggered statement notify_failure values emit_event DeploymentEventTrigger'
).split(' ');

/**
 * Translates an ExportInput into the Prefect 3 view model.
 * @example buildPrefectViewModel(input, {}).tasks[0].decoratorArgs // [{ name: 'name', value: '"raw.orders"' }, …]
 */
export function buildPrefectViewModel(input: ExportInput, options: ExportOptions): PrefectViewModel {
  const model = buildModel('prefect', input, options);
  const { pipeline, partitions } = model;
  const b: PrefectBuild = {
    model,
    names: new Set(MODULE_NAMES),
    imports: new Set([
      'from prefect import flow, task',
      'from prefect.futures import wait',
      'from prefect.runtime import flow_run as current_run',
    ]),
    constants: [],
    helpers: { passes: false, waitUntil: false, shiftPartition: false, flowCompleted: false, fill: false },
  };
  const tasks: PrefectTask[] = [];
  const hooks: PrefectHook[] = [];
  const flowBody = ['partition_key = partition_key or _scheduled_partition()', 'run_id = str(current_run.id)'];
  const futures = new Map<string, string>();
  const conditional = new Set<string>();
  const always: string[] = [];
  const maybe: string[] = [];
  let anyFailed = false;
  for (const asset of model.assets) {
    const { spec } = asset;
    if (!spec.source && spec.dependsOnPast) {
      throw new ExportError(
        'prefect',
        'dependsOnPast',
        spec.key,
        "Prefect tasks cannot wait on the previous run's result; drop dependsOnPast or gate the flow with a sensor on its own previous run",
      );
    }
    const body = taskBody(b, asset);
    if (body.length === 0) continue;
    const fn = pyIdent(spec.key, b.names);
    const retry = retryArgs(asset);
    const args: PrefectArg[] = [{ name: 'name', value: pyStr(spec.key) }];
    if (spec.description !== undefined) args.push({ name: 'description', value: pyStr(spec.description) });
    const tags = [...spec.tags, ...(spec.pool !== undefined ? [`pool:${spec.pool}`] : [])];
    if (tags.length > 0) args.push({ name: 'tags', value: pyList(tags.map((t) => pyStr(t))) });
    args.push(...retry.args);
    if (asset.timeoutSeconds !== undefined) args.push({ name: 'timeout_seconds', value: pyNum(asset.timeoutSeconds) });
    if (spec.notify.length > 0) {
      const hook = pyIdent(`notify_${spec.key}_failure`, b.names);
      const what = `asset "${spec.key}" of pipeline "${pipeline.name}"`;
      hooks.push({
        function: hook,
        params: 'task, task_run, state',
        doc: pyStr(`Tells the asset's listeners that ${spec.key} failed.`),
        body: [
          `message = ${pyStr(`sluice ${what} failed: task run `)} + task_run.name + " ended " + str(state.name)`,
          ...notifyLines(spec.notify, `sluice ${what} failed`, b.imports),
        ],
      });
      args.push({ name: 'on_failure', value: `[${hook}]` });
    }
    tasks.push({
      taskName: spec.key,
      function: fn,
      assetKey: spec.key,
      role: spec.source ? 'source' : 'main',
      comments: [...retry.comments, ...asset.notes],
      decoratorArgs: args,
      body,
    });
    const future = pyIdent(`${fn}_future`, b.names);
    futures.set(spec.key, future);
    const upstream = spec.deps.filter((d) => futures.has(d));
    const blocked = upstream.find((d) => conditional.has(d));
    if (blocked) {
      throw new ExportError(
        'prefect',
        'trigger',
        spec.key,
        `it depends on "${blocked}", which only runs when something failed; make this asset a dependency-free notification step or give it trigger one_failed on the same upstream assets`,
      );
    }
    const waits = upstream.map((d) => futures.get(d) as string);
    const tolerant = spec.trigger !== 'all_success' ? waits.map((f) => `allow_failure(${f})`) : waits;
    if (spec.trigger !== 'all_success') b.imports.add('from prefect import allow_failure');
    const submit = `${fn}.submit(partition_key, run_id${waits.length > 0 ? `, wait_for=${pyList(tolerant)}` : ''})`;
    if (spec.trigger === 'one_failed') {
      anyFailed = true;
      conditional.add(spec.key);
      maybe.push(future);
      flowBody.push(`${future} = None`, `if _any_failed(${pyList(waits)}):`, `    ${future} = ${submit}`);
    } else {
      always.push(future);
      flowBody.push(`${future} = ${submit}`);
    }
  }
  const extra = maybe.length > 0 ? ` + [future for future in (${maybe.join(', ')},) if future is not None]` : '';
  flowBody.push(
    `futures = ${pyListBlock(always, 4)}${extra}`,
    'wait(futures)',
    '# Returning the futures makes the flow run fail when any task run failed.',
    'return futures',
  );
  if (tasks.some((t) => t.body.some((l) => l.includes('SLUICE_PROJECT_DIR')))) {
    b.imports.add('import os');
    b.constants.unshift({
      name: 'SLUICE_PROJECT_DIR',
      value: `os.environ.get("SLUICE_PROJECT_DIR", ${pyStr(options.projectDir ?? '.')})`,
    });
  }
  const flowArgs: PrefectArg[] = [{ name: 'name', value: pyStr(pipeline.name) }];
  if (pipeline.description !== undefined) flowArgs.push({ name: 'description', value: pyStr(pipeline.description) });
  if (pipeline.onFailure.length > 0) {
    hooks.push({
      function: 'notify_failure',
      params: 'flow, flow_run, state',
      doc: pyStr("Tells the pipeline's listeners that a run failed."),
      body: [
        `message = ${pyStr(`sluice pipeline "${pipeline.name}" failed: flow run `)} + flow_run.name + " ended " + str(state.name)`,
        ...notifyLines(pipeline.onFailure, `sluice pipeline "${pipeline.name}" failed`, b.imports),
      ],
    });
    flowArgs.push({ name: 'on_failure', value: '[notify_failure]' });
  }
  const serve = serveBlock(model, b.imports);
  // Partition keys are read in the partitions' zone; an unpartitioned run's date is its UTC date, as in sluice.
  const tz = partitions?.timezone ?? 'UTC';
  b.imports.add('from datetime import datetime, timedelta, timezone');
  b.imports.add('from zoneinfo import ZoneInfo');
  if (b.helpers.shiftPartition) b.imports.add('from datetime import date');
  if (b.helpers.flowCompleted) {
    b.imports.add('from prefect import get_client');
    b.imports.add(
      'from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType',
    );
    b.imports.add('from prefect.client.schemas.objects import StateType');
  }
  if (b.helpers.waitUntil) b.imports.add('import time');
  if (b.helpers.fill) b.imports.add('import re');
  return {
    file: `${model.fileStem}.py`,
    header: model.header,
    imports: sortImports(b.imports),
    constants: b.constants,
    helpers: { ...b.helpers, anyFailed, window: b.helpers.fill && partitions !== undefined },
    placeholders: b.helpers.fill ? placeholderLines(partitions) : [],
    window: partitions ? windowLines(partitions) : [],
    partitionBefore: partitionBeforeLines(partitions),
    shiftPartition: b.helpers.shiftPartition ? shiftPartitionLines(partitions) : [],
    scheduledPartition: [
      `moment = (current_run.scheduled_start_time or datetime.now(timezone.utc)).astimezone(ZoneInfo(${pyStr(tz)}))`,
      'return _partition_before(moment)',
    ],
    timezone: pyStr(tz),
    hooks,
    tasks,
    flow: { function: pyIdent(pipeline.name, b.names), decoratorArgs: flowArgs, body: flowBody },
    serve,
  };
}
