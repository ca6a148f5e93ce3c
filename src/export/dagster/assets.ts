// One sluice asset as Dagster definitions: the @asset with its body, its @asset_check functions, its sensor condition.

import { ExportError, type ProducerSpec } from '../../definitions/index.js';
import { type FillUse, sqlExpr, textExpr } from '../fill.js';
import type { ModelAsset, PipelineModel } from '../model.js';
import { pyIdent, pyList, pyListBlock, pyNum, pyStr, pyTuple } from '../python.js';
import { httpTarget, subprocessCall } from '../python-calls.js';
import { checkQuery, ctasStatements, swapStatements, timeoutStatement } from '../sql.js';
import { hasPlaceholder } from '../text.js';
import { dagsterName } from './keys.js';

/** `name=value` in a decorator or call; value is a Python expression. */
export interface DagsterArg {
  name: string;
  value: string;
}

/** One `@dg.asset_check`. */
export interface DagsterCheck {
  function: string;
  checkName: string;
  assetKey: string;
  decoratorArgs: DagsterArg[];
  params: string;
  body: string[];
}

/** Mutable state of one view-model build. */
export interface DagsterBuild {
  model: PipelineModel;
  names: Set<string>;
  imports: Set<string>;
  constants: { name: string; value: string }[];
  /** Resource key (a Python identifier) → its Definitions entry and parameter annotation. */
  resources: Map<string, { value: string; type: string }>;
  helpers: { runSql: boolean; passes: boolean; retryAfter: boolean; runJob: boolean; postgres: boolean; fill: boolean };
  /** sluice key → Dagster key path, fixed for the whole file so every reference agrees. */
  keys: Map<string, string[]>;
  /** The key paths already given out, joined with '/'. */
  keyPaths: Set<string>;
}

/** What one function body is built from: `values` is computed once at its top when a text needs it. */
export interface Scope {
  b: DagsterBuild;
  asset: ModelAsset;
  use: FillUse;
}

/** A text field as a Python expression, filled at run time when it holds placeholders. */
export const text = (s: Scope, value: string) => textExpr(value, s.use, 'dagster', s.asset.key);

/** A SQL constant's name as used at run time: filled statement by statement when it holds placeholders. */
export const sqlUse = (s: Scope, name: string, sql: string | string[]) => sqlExpr(name, sql, s.use, 'dagster', s.asset.key);

/** Adds a module constant holding SQL (one string, or a list of statements) and returns its name. */
export function constant(b: DagsterBuild, raw: string, sql: string | string[]): string {
  const name = pyIdent(`${raw}_sql`.toUpperCase(), b.names);
  const literal = (s: string) => pyStr(s, { multiline: true });
  b.constants.push({ name, value: typeof sql === 'string' ? literal(sql) : pyListBlock(sql.map(literal), 0) });
  return name;
}

/** The resource parameter for a sluice SQL resource: its key, registering the resource on first use. */
export function sqlResource(b: DagsterBuild, resource: string): { param: string; annotation: string } {
  const id = b.model.connectionOf(resource);
  const key = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=[0-9])/, 'r_');
  const env = key.toUpperCase();
  if (!b.resources.has(key)) {
    if (b.model.dialectOf(resource) === 'postgres') {
      b.helpers.postgres = true;
      b.imports.add('import contextlib');
      b.resources.set(key, { value: `PostgresResource(dsn=dg.EnvVar(${pyStr(`${env}_DSN`)}))`, type: 'PostgresResource' });
    } else {
      b.imports.add('from dagster_snowflake import SnowflakeResource');
      const field = (name: string) => `${name}=dg.EnvVar(${pyStr(`${env}_SNOWFLAKE_${name.toUpperCase()}`)})`;
      const fields = ['account', 'user', 'password', 'warehouse', 'database'].map(field).join(', ');
      b.resources.set(key, { value: `SnowflakeResource(${fields})`, type: 'SnowflakeResource' });
    }
  }
  return { param: key, annotation: (b.resources.get(key) as { type: string }).type };
}

/**
 * `@dg.asset_check` functions for checks that run after the asset. Dagster checks are per asset, not per partition,
 * so only checks whose SQL needs no placeholder become asset checks (the others run inside the asset body).
 */
export function assetChecks(b: DagsterBuild, asset: ModelAsset, target: string, resource: string): DagsterCheck[] {
  return asset.checks.map((check) => {
    b.helpers.passes = true;
    const query = constant(
      b,
      `${asset.key}__${check.name}`,
      checkQuery(asset.key, check.spec, b.model.site(resource, asset.key)),
    );
    const { param, annotation } = sqlResource(b, resource);
    return {
      function: pyIdent(`${asset.key}__${check.name}`, b.names),
      checkName: check.name,
      assetKey: asset.key,
      decoratorArgs: [
        { name: 'asset', value: target },
        { name: 'name', value: pyStr(dagsterName(check.name)) },
        { name: 'blocking', value: check.spec.blocking ? 'True' : 'False' },
      ],
      params: `${param}: ${annotation}`,
      body: [`return dg.AssetCheckResult(passed=_passes(${param}, ${query}))`],
    };
  });
}

/** Checks run inside the asset body: a blocking one raises dg.Failure, a non-blocking one logs a warning. */
function inlineChecks(s: Scope, table: string, resource: string, param: string): string[] {
  const lines: string[] = [];
  for (const check of s.asset.checks) {
    s.b.helpers.passes = true;
    const sql = checkQuery(table, check.spec, s.b.model.site(resource, s.asset.key));
    const query = sqlUse(s, constant(s.b, `${s.asset.key}__${check.name}`, sql), sql);
    const message = pyStr(`check "${check.name}" failed on ${table}`);
    lines.push(`if not _passes(${param}, ${query}):`);
    lines.push(check.spec.blocking ? `    raise dg.Failure(${message})` : `    context.log.warning(${message})`);
  }
  return lines;
}

/** What the asset function needs and does: its resource parameters, return annotation and body. */
export interface AssetBody {
  params: string[];
  returns: string;
  body: string[];
  /** Set when the checks already ran inside the body (a ctas with a staging table). */
  checksInline: boolean;
}

function sqlBody(s: Scope, producer: Extract<ProducerSpec, { type: 'sql' | 'ctas' | 'swap' }>, inline: boolean): AssetBody {
  const { b, asset } = s;
  const key = asset.key;
  const site = b.model.site(producer.resource, key);
  const { param, annotation } = sqlResource(b, producer.resource);
  b.helpers.runSql = true;
  // Dagster has no per-asset timeout; the statement timeout of the session bounds each statement instead.
  const prefix = asset.timeoutSeconds === undefined ? [] : [timeoutStatement(site.dialect, asset.timeoutSeconds)];
  const params = [`${param}: ${annotation}`];
  const run = (raw: string, statements: string[]) => `_run_sql(${param}, ${sqlUse(s, constant(b, raw, statements), statements)})`;
  if (producer.type === 'ctas' && producer.staging !== undefined) {
    const body = [run(`${key}__build`, [...prefix, ...ctasStatements(producer.staging, producer.sql, site)])];
    body.push(...inlineChecks(s, producer.staging, producer.resource, param));
    body.push(run(key, [...prefix, ...swapStatements(key, producer.staging, site)]));
    return { params, returns: 'None', body, checksInline: true };
  }
  const statements =
    producer.type === 'sql'
      ? [producer.sql]
      : producer.type === 'ctas'
        ? ctasStatements(key, producer.sql, site)
        : swapStatements(key, producer.from, site);
  const body = [run(key, [...prefix, ...statements])];
  if (inline) body.push(...inlineChecks(s, key, producer.resource, param));
  return { params, returns: 'None', body, checksInline: inline };
}

/** The body of an asset function, with `values = ...` first when a text needs sluice's placeholders filled. */
export function assetBody(b: DagsterBuild, asset: ModelAsset): AssetBody {
  const s: Scope = { b, asset, use: { values: false } };
  const made = producerBody(s);
  if (!s.use.values) return made;
  b.helpers.fill = true;
  const values = b.model.partitions
    ? 'values = _placeholders(context.partition_key, context.run_id)'
    : 'values = _placeholders(_run_date(context), context.run_id)';
  return { ...made, body: [values, ...made.body] };
}

function producerBody(s: Scope): AssetBody {
  const { b, asset } = s;
  const producer = asset.spec.producer as ProducerSpec;
  const key = asset.key;
  const timeout = asset.timeoutSeconds === undefined ? '' : `, timeout=${pyNum(asset.timeoutSeconds)}`;
  const plain = (body: string[]): AssetBody => ({ params: [], returns: 'None', body, checksInline: false });
  switch (producer.type) {
    case 'sql':
    case 'ctas':
    case 'swap': {
      const site = b.model.site(producer.resource, key);
      const inline = asset.checks.some((c) => hasPlaceholder(checkQuery(key, c.spec, site), 'dagster', key));
      return sqlBody(s, producer, inline);
    }
    case 'shell':
      return plain([subprocessCall(producer, (v) => text(s, v), b.imports, timeout)]);
    case 'http': {
      b.imports.add('import requests');
      const { url, headers } = httpTarget(producer, (v) => text(s, v), b.imports);
      let call = `response = requests.request(${pyStr(producer.method)}, ${url}`;
      if (headers.length > 0) call += `, headers={${headers.join(', ')}}`;
      if (producer.body !== undefined) call += `, data=${text(s, producer.body)}.encode("utf-8")`;
      call += `${timeout || ', timeout=None'})`;
      return plain([
        call,
        `if response.status_code not in ${pyTuple(producer.expectStatus.map(pyNum))}:`,
        `    raise RuntimeError(${pyStr(`${producer.method} ${producer.url} answered `)} + str(response.status_code))`,
      ]);
    }
    case 'trigger': {
      b.helpers.runJob = true;
      b.imports.add('import os');
      b.imports.add('import time');
      b.imports.add('from dagster_graphql import DagsterGraphQLClient');
      const tags = producer.samePartition && b.model.partitions ? '{"dagster/partition": context.partition_key}' : '{}';
      const job = pyStr(dagsterName(producer.pipeline));
      const deadline = asset.timeoutSeconds === undefined ? 'None' : pyNum(asset.timeoutSeconds);
      return plain([
        `_run_job(${job}, tags=${tags}, wait=${producer.waitForCompletion ? 'True' : 'False'}, timeout_seconds=${deadline})`,
      ]);
    }
    case 'fn': {
      const command = ['"sluice"', '"materialize"', pyStr(key)];
      if (b.model.partitions) command.push('"--partition"', 'context.partition_key');
      return {
        params: ['pipes_subprocess_client: dg.PipesSubprocessClient'],
        returns: 'dg.MaterializeResult',
        body: [
          `return pipes_subprocess_client.run(command=${pyList(command)}, context=context, cwd=SLUICE_PROJECT_DIR).get_materialize_result()`,
        ],
        checksInline: false,
      };
    }
    case 'copy':
      throw new ExportError(
        'dagster',
        'copy',
        key,
        'sluice copies between a CSV file and a table itself; wrap the copy in fn(...) so it runs as `sluice materialize` through Dagster Pipes, or write it as a shell producer',
      );
  }
}
