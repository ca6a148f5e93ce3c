// One sluice asset as a Prefect task: decorator arguments and the body that runs the producer, sensor and checks.

import { ExportError, type ProducerSpec, type SensorSpec } from '../../definitions/index.js';
import { type FillUse, needsFill, textExpr } from '../fill.js';
import { type ModelAsset, type PipelineModel, resourceOf } from '../model.js';
import { pyIdent, pyList, pyListBlock, pyNum, pyStr, pyTuple } from '../python.js';
import { httpTarget, subprocessCall } from '../python-calls.js';
import { checkQuery, ctasStatements, swapStatements } from '../sql.js';
import { emitLine } from './triggers.js';

/** `name=value` in a decorator or call; value is a Python expression. */
export interface PrefectArg {
  name: string;
  value: string;
}

/** One `@task` function. */
export interface PrefectTask {
  taskName: string;
  function: string;
  assetKey: string;
  role: 'main' | 'source';
  comments: string[];
  decoratorArgs: PrefectArg[];
  /** Statements of the body, indented relative to the function (four spaces per level already included). */
  body: string[];
}

/** Mutable state of one view-model build. */
export interface PrefectBuild {
  model: PipelineModel;
  names: Set<string>;
  imports: Set<string>;
  constants: { name: string; value: string }[];
  helpers: { passes: boolean; waitUntil: boolean; shiftPartition: boolean; flowCompleted: boolean; fill: boolean };
}

/** Everything one task body is built from. */
interface Scope {
  b: PrefectBuild;
  asset: ModelAsset;
  use: FillUse;
}

const text = (s: Scope, value: string) => textExpr(value, s.use, 'prefect', s.asset.key);

function constant(b: PrefectBuild, raw: string, sql: string | string[]): string {
  const name = pyIdent(`${raw}_sql`.toUpperCase(), b.names);
  const literal = (v: string) => pyStr(v, { multiline: true });
  b.constants.push({ name, value: typeof sql === 'string' ? literal(sql) : pyListBlock(sql.map(literal), 0) });
  return name;
}

/** `with <Connector>.load(...) as connector:` for a resource, importing the right Prefect integration. */
function openConnector(b: PrefectBuild, resource: string): string {
  const block = pyStr(b.model.connectionOf(resource));
  if (b.model.dialectOf(resource) === 'postgres') {
    b.imports.add('from prefect_sqlalchemy import SqlAlchemyConnector');
    return `with SqlAlchemyConnector.load(${block}) as connector:`;
  }
  b.imports.add('from prefect_snowflake import SnowflakeConnector');
  return `with SnowflakeConnector.load(${block}) as connector:`;
}

/** Runs a constant's statements in a connector block; placeholders are filled statement by statement. */
function runStatements(s: Scope, resource: string, raw: string, statements: string[]): string[] {
  const name = constant(s.b, raw, statements);
  const fill = needsFill(statements, 'prefect', s.asset.key);
  if (fill) s.use.values = true;
  const each = fill ? '_fill(statement, values)' : 'statement';
  if (s.b.model.dialectOf(resource) === 'postgres') {
    // One execute call runs in one transaction: the statements commit together or not at all.
    return [`    connector.execute(";\\n".join(${each} for statement in ${name}))`];
  }
  return [`    for statement in ${name}:`, `        connector.execute(${each})`];
}

function checkLines(s: Scope, table: string, resource: string): string[] {
  const lines: string[] = [];
  for (const check of s.asset.checks) {
    s.b.helpers.passes = true;
    const query = checkQuery(table, check.spec, s.b.model.site(resource, s.asset.key));
    const name = constant(s.b, `${s.asset.key}__${check.name}`, query);
    const fill = needsFill([query], 'prefect', s.asset.key);
    if (fill) s.use.values = true;
    const message = pyStr(`check "${check.name}" failed on ${table}`);
    lines.push(`    if not _passes(connector, ${fill ? `_fill(${name}, values)` : name}):`);
    if (check.spec.blocking) lines.push(`        raise RuntimeError(${message})`);
    else {
      s.b.imports.add('from prefect import get_run_logger');
      lines.push(`        get_run_logger().warning(${message})`);
    }
  }
  return lines;
}

function sqlBody(s: Scope, producer: Extract<ProducerSpec, { type: 'sql' | 'ctas' | 'swap' }>): string[] {
  const key = s.asset.key;
  const site = s.b.model.site(producer.resource, key);
  const lines = [openConnector(s.b, producer.resource)];
  if (producer.type === 'ctas' && producer.staging !== undefined) {
    lines.push(...runStatements(s, producer.resource, `${key}__build`, ctasStatements(producer.staging, producer.sql, site)));
    lines.push(...checkLines(s, producer.staging, producer.resource));
    lines.push(...runStatements(s, producer.resource, key, swapStatements(key, producer.staging, site)));
    return lines;
  }
  const statements =
    producer.type === 'sql'
      ? [producer.sql]
      : producer.type === 'ctas'
        ? ctasStatements(key, producer.sql, site)
        : swapStatements(key, producer.from, site);
  lines.push(...runStatements(s, producer.resource, key, statements));
  lines.push(...checkLines(s, key, producer.resource));
  return lines;
}

function producerLines(s: Scope): string[] {
  const { b, asset } = s;
  const producer = asset.spec.producer as ProducerSpec;
  const timeout = asset.timeoutSeconds === undefined ? '' : `, timeout=${pyNum(asset.timeoutSeconds)}`;
  switch (producer.type) {
    case 'sql':
    case 'ctas':
    case 'swap':
      return sqlBody(s, producer);
    case 'shell':
      return [subprocessCall(producer, (v) => text(s, v), b.imports, timeout)];
    case 'http': {
      b.imports.add('import httpx');
      const { url, headers } = httpTarget(producer, (v) => text(s, v), b.imports);
      let call = `response = httpx.request(${pyStr(producer.method)}, ${url}`;
      if (headers.length > 0) call += `, headers={${headers.join(', ')}}`;
      if (producer.body !== undefined) call += `, content=${text(s, producer.body)}`;
      call += `${timeout || ', timeout=None'})`;
      return [
        call,
        `if response.status_code not in ${pyTuple(producer.expectStatus.map(pyNum))}:`,
        `    raise RuntimeError(${pyStr(`${producer.method} ${producer.url} answered `)} + str(response.status_code))`,
      ];
    }
    case 'trigger': {
      b.imports.add('from prefect.deployments import run_deployment');
      const parameters = producer.samePartition ? '{"partition_key": partition_key}' : '{}';
      const name = pyStr(`${producer.pipeline}/${producer.pipeline}`);
      if (!producer.waitForCompletion) return [`run_deployment(name=${name}, parameters=${parameters}, timeout=0)`];
      return [
        `triggered = run_deployment(name=${name}, parameters=${parameters}${timeout || ', timeout=None'})`,
        'if not triggered.state.is_completed():',
        `    raise RuntimeError(${pyStr(`pipeline ${producer.pipeline} ended `)} + str(triggered.state.name))`,
      ];
    }
    case 'fn': {
      b.imports.add('import subprocess');
      const command = ['"sluice"', '"materialize"', pyStr(asset.key)];
      if (b.model.partitions) command.push('"--partition"', 'partition_key');
      return [`subprocess.run(${pyList(command)}, cwd=SLUICE_PROJECT_DIR, check=True${timeout})`];
    }
    case 'copy':
      throw new ExportError(
        'prefect',
        'copy',
        asset.key,
        'sluice copies between a CSV file and a table itself; wrap the copy in fn(...) so it runs as `sluice materialize`, or write it as a shell producer',
      );
  }
}

function sensorLines(s: Scope, sensor: SensorSpec): string[] {
  const { b, asset } = s;
  b.helpers.waitUntil = true;
  const wait = (condition: string) =>
    `_wait_until(lambda: ${condition}, poke_seconds=${pyNum(sensor.pokeInterval / 1000)}, timeout_seconds=${pyNum(sensor.timeout / 1000)}, what=${pyStr(asset.key)})`;
  switch (sensor.type) {
    case 'sql': {
      const name = constant(b, asset.key, sensor.sql);
      const fill = needsFill([sensor.sql], 'prefect', asset.key);
      if (fill) s.use.values = true;
      const query = fill ? `_fill(${name}, values)` : name;
      return [openConnector(b, sensor.resource), `    ${wait(`connector.fetch_one(${query}) is not None`)}`];
    }
    case 'file':
      b.imports.add('import os');
      return [wait(`os.path.exists(${text(s, sensor.path)})`)];
    case 'external_run': {
      b.helpers.flowCompleted = true;
      let partition = 'partition_key';
      if (sensor.partitionOffset !== 0) {
        if (!b.model.partitions) {
          throw new ExportError(
            'prefect',
            'sensor.partitionOffset',
            asset.key,
            'an offset needs partitions to count in; give the pipeline partitions or use partitionOffset 0',
          );
        }
        b.helpers.shiftPartition = true;
        partition = `_shift_partition(partition_key, ${pyNum(sensor.partitionOffset)})`;
      }
      return [wait(`_flow_completed(${pyStr(sensor.pipeline)}, ${partition})`)];
    }
    case 'asset_materialized':
      throw new ExportError(
        'prefect',
        'sensor.asset_materialized',
        asset.key,
        'Prefect has no record of sluice asset materializations; use an external_run sensor on the pipeline that makes the asset',
      );
  }
}

/** The body of an asset's task: sensor or producer, then checks; empty for a source with neither. */
export function taskBody(b: PrefectBuild, asset: ModelAsset): string[] {
  const s: Scope = { b, asset, use: { values: false } };
  const { spec } = asset;
  const lines: string[] = [];
  if (spec.source) {
    if (spec.sensor) lines.push(...sensorLines(s, spec.sensor));
    if (asset.checks.length > 0) lines.push(openConnector(b, resourceOf(spec)), ...checkLines(s, asset.key, resourceOf(spec)));
  } else {
    lines.push(...producerLines(s));
    const sqlProducer = spec.producer && ['sql', 'ctas', 'swap'].includes(spec.producer.type);
    if (!sqlProducer && asset.checks.length > 0)
      lines.push(openConnector(b, resourceOf(spec)), ...checkLines(s, asset.key, resourceOf(spec)));
  }
  if (!spec.source && b.model.watched.has(asset.key)) lines.push(emitLine(b.model, asset.key, b.imports));
  if (lines.length === 0 || !s.use.values) return lines;
  b.helpers.fill = true;
  return ['values = _placeholders(partition_key, run_id)', ...lines];
}
