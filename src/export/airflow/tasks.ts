// One sluice asset's producer as Airflow tasks: the operator, and for a staged ctas the build task before the swap.

import { ExportError } from '../../definitions/index.js';
import type { ModelAsset, PipelineModel } from '../model.js';
import { pyBool, pyIdent, pyListBlock, pyNum, pyStr, pyTuple } from '../python.js';
import { ctasStatements, swapStatements } from '../sql.js';
import { hasPlaceholder, jinjaLiteral, shellQuote } from '../text.js';
import { type AirflowArg, airflowTemplate, airflowText, logicalDateExpression } from './policies.js';

/** One operator instantiation in the DAG. */
export interface AirflowTask {
  /** The Airflow task_id, as the Python literal is made from it. */
  taskId: string;
  variable: string;
  operator: string;
  assetKey: string;
  role: 'main' | 'build' | 'check' | 'sensor';
  comments: string[];
  args: AirflowArg[];
}

/** Module-level constant (SQL is kept out of the operator calls so both stay readable). */
export interface AirflowConstant {
  name: string;
  value: string;
}

/** Mutable state of one view-model build. */
export interface AirflowBuild {
  model: PipelineModel;
  version: 2 | 3;
  names: Set<string>;
  taskIds: Set<string>;
  imports: Set<string>;
  /** Which SQL operators are used, and whether as the untemplated subclass (SQL without placeholders). */
  untemplated: { execute: boolean; check: boolean; sensor: boolean };
  templated: { execute: boolean; check: boolean; sensor: boolean };
  constants: AirflowConstant[];
  tasks: AirflowTask[];
}

const BASH = {
  2: 'from airflow.operators.bash import BashOperator',
  3: 'from airflow.providers.standard.operators.bash import BashOperator',
};
const TRIGGER = {
  2: 'from airflow.operators.trigger_dagrun import TriggerDagRunOperator',
  3: 'from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator',
};

function taskIdFor(raw: string, taken: Set<string>): string {
  // Airflow task ids allow letters, digits, '_', '.', '-' and at most 250 characters.
  let base = raw.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 240) || 'task';
  if (base.startsWith('.')) base = `_${base}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}__${n}`;
  taken.add(id);
  return id;
}

/** Adds a task and returns it; the caller appends policy arguments. */
export function addTask(
  b: AirflowBuild,
  raw: string,
  asset: ModelAsset,
  role: AirflowTask['role'],
  operator: string,
): AirflowTask {
  const taskId = taskIdFor(raw, b.taskIds);
  const task: AirflowTask = {
    taskId,
    variable: pyIdent(raw, b.names),
    operator,
    assetKey: asset.key,
    role,
    comments: [],
    args: [{ name: 'task_id', value: pyStr(taskId) }],
  };
  b.tasks.push(task);
  return task;
}

/** A module constant holding SQL: a list of statements for operators that run several, else one string. */
function sqlConstant(b: AirflowBuild, raw: string, sql: string | string[]): string {
  const name = pyIdent(`${raw}_sql`.toUpperCase(), b.names);
  const literal = (text: string) => pyStr(text, { multiline: true });
  b.constants.push({ name, value: typeof sql === 'string' ? literal(sql) : pyListBlock(sql.map(literal), 0) });
  return name;
}

type SqlKind = 'execute' | 'check' | 'sensor';
const SQL_OPERATORS: Record<SqlKind, [string, string]> = {
  execute: ['SQLExecuteQueryOperator', 'UntemplatedSQLExecuteQueryOperator'],
  check: ['SQLCheckOperator', 'UntemplatedSQLCheckOperator'],
  sensor: ['SqlSensor', 'UntemplatedSqlSensor'],
};

/**
 * SQL for an operator's `sql` field. Without placeholders it goes to the untemplated subclass exactly as written;
 * with them it becomes a Jinja template whose literal parts are escaped, so Airflow renders what sluice fills.
 */
export function sqlArg(
  b: AirflowBuild,
  kind: SqlKind,
  raw: string,
  asset: ModelAsset,
  sql: string | string[],
): { operator: string; value: string } {
  const statements = typeof sql === 'string' ? [sql] : sql;
  if (!statements.some((s) => hasPlaceholder(s, 'airflow', asset.key))) {
    b.untemplated[kind] = true;
    return { operator: SQL_OPERATORS[kind][1], value: sqlConstant(b, raw, sql) };
  }
  b.templated[kind] = true;
  // A template ending in .sql/.json would be read as a file name; a trailing newline keeps it inline.
  const template = (s: string) => airflowTemplate(s, b.model, asset.key).replace(/\.(sql|json|hql)$/, '$&\n');
  return {
    operator: SQL_OPERATORS[kind][0],
    value: sqlConstant(b, raw, typeof sql === 'string' ? template(sql) : sql.map(template)),
  };
}

function sqlTask(
  b: AirflowBuild,
  raw: string,
  asset: ModelAsset,
  role: AirflowTask['role'],
  resource: string,
  statements: string[],
) {
  const { operator, value } = sqlArg(b, 'execute', raw, asset, statements);
  const task = addTask(b, raw, asset, role, operator);
  task.args.push({ name: 'conn_id', value: pyStr(b.model.connectionOf(resource)) }, { name: 'sql', value });
  return task;
}

/** The producer's task(s); returns the main task and, for a ctas with staging, the build task before it. */
export function producerTasks(b: AirflowBuild, asset: ModelAsset): { main: AirflowTask; build: AirflowTask | undefined } {
  const producer = asset.spec.producer;
  const key = asset.key;
  const fail = (feature: string, message: string) => new ExportError('airflow', feature, key, message);
  if (!producer) throw fail('producer', 'a source asset has no producer');
  switch (producer.type) {
    case 'sql':
      return { main: sqlTask(b, key, asset, 'main', producer.resource, [producer.sql]), build: undefined };
    case 'ctas': {
      const site = b.model.site(producer.resource, key);
      if (producer.staging === undefined) {
        return {
          main: sqlTask(b, key, asset, 'main', producer.resource, ctasStatements(key, producer.sql, site)),
          build: undefined,
        };
      }
      const staging = ctasStatements(producer.staging, producer.sql, site);
      const build = sqlTask(b, `${key}__build`, asset, 'build', producer.resource, staging);
      const main = sqlTask(b, key, asset, 'main', producer.resource, swapStatements(key, producer.staging, site));
      return { main, build };
    }
    case 'swap': {
      const site = b.model.site(producer.resource, key);
      return {
        main: sqlTask(b, key, asset, 'main', producer.resource, swapStatements(key, producer.from, site)),
        build: undefined,
      };
    }
    case 'shell': {
      b.imports.add(BASH[b.version]);
      const task = addTask(b, key, asset, 'main', 'BashOperator');
      let command = airflowTemplate(producer.command, b.model, key);
      // A command ending in .sh/.bash would be read as a template file path; a trailing space keeps it inline.
      if (/\.(sh|bash)$/.test(command)) command += ' ';
      task.args.push({ name: 'bash_command', value: pyStr(command) });
      if (Object.keys(producer.env).length > 0) {
        const env = Object.entries(producer.env).map(([k, v]) => `${pyStr(k)}: ${airflowText(v, b.model, key)}`);
        task.args.push({ name: 'env', value: `{${env.join(', ')}}` }, { name: 'append_env', value: 'True' });
      }
      if (producer.cwd !== undefined) task.args.push({ name: 'cwd', value: airflowText(producer.cwd, b.model, key) });
      task.args.push({ name: 'skip_on_exit_code', value: 'None' });
      return { main: task, build: undefined };
    }
    case 'http': {
      if (producer.resource === undefined) {
        throw fail(
          'http',
          "Airflow's HttpOperator calls through a connection: give the producer a resource (e.g. http({ resource: 'sap', url: '/path' })) and create that HTTP connection with the base URL",
        );
      }
      b.imports.add('from airflow.providers.http.operators.http import HttpOperator');
      const task = addTask(b, key, asset, 'main', 'HttpOperator');
      task.args.push(
        { name: 'http_conn_id', value: pyStr(b.model.connectionOf(producer.resource)) },
        { name: 'endpoint', value: airflowText(producer.url, b.model, key) },
        { name: 'method', value: pyStr(producer.method) },
      );
      if (producer.body !== undefined) task.args.push({ name: 'data', value: airflowText(producer.body, b.model, key) });
      const headers = Object.entries(producer.headers);
      if (headers.length > 0) {
        task.args.push({
          name: 'headers',
          value: `{${headers.map(([k, v]) => `${pyStr(k)}: ${airflowText(v, b.model, key)}`).join(', ')}}`,
        });
      }
      const statuses = pyTuple(producer.expectStatus.map(pyNum));
      task.args.push({ name: 'response_check', value: `lambda response: response.status_code in ${statuses}` });
      // HttpHook raises on any 4xx/5xx before response_check runs; expected error statuses need that check off.
      if (producer.expectStatus.some((s) => s >= 400))
        task.args.push({ name: 'extra_options', value: '{"check_response": False}' });
      return { main: task, build: undefined };
    }
    case 'trigger': {
      b.imports.add(TRIGGER[b.version]);
      const task = addTask(b, key, asset, 'main', 'TriggerDagRunOperator');
      task.args.push(
        { name: 'trigger_dag_id', value: pyStr(producer.pipeline) },
        { name: 'wait_for_completion', value: pyBool(producer.waitForCompletion) },
        { name: 'reset_dag_run', value: 'True' },
      );
      if (producer.samePartition) {
        task.args.push({ name: b.version === 3 ? 'logical_date' : 'execution_date', value: pyStr('{{ logical_date }}') });
      }
      task.args.push({ name: 'failed_states', value: '["failed"]' });
      return { main: task, build: undefined };
    }
    case 'fn': {
      b.imports.add(BASH[b.version]);
      b.imports.add('import os');
      const task = addTask(b, key, asset, 'main', 'BashOperator');
      let command = jinjaLiteral(`sluice materialize ${shellQuote(key)}`);
      if (b.model.partitions) command += ` --partition ${logicalDateExpression('partition_key', b.model.partitions)}`;
      task.args.push(
        { name: 'bash_command', value: pyStr(command) },
        { name: 'cwd', value: 'SLUICE_PROJECT_DIR' },
        { name: 'skip_on_exit_code', value: 'None' },
      );
      return { main: task, build: undefined };
    }
    case 'copy':
      throw fail(
        'copy',
        'Airflow has no operator that copies between a local CSV file and a table; wrap the copy in fn(...) so it runs as `sluice materialize`, or write it as a shell producer',
      );
  }
}
