// Turns a project's config and the environment into what the executor needs: store, resources, notifier, secrets.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefinitionError, NonRetriableError } from '../definitions/errors.js';
import type { NotificationSpec } from '../definitions/schema.js';
import type { LineageGraph } from '../graph/index.js';
import type { SluiceConfig } from '../project/index.js';
import type { WarehouseConfig } from '../resources/warehouse/index.js';
import type { Warehouse } from '../resources/warehouse/types.js';
import type { FailureNotification, Notifier, Resources } from '../runtime/index.js';
import type { PipelineRunner, PipelineRunnerOptions } from '../runtime/pipeline-runner.js';
import type { HttpEndpoint } from '../runtime/resources.js';
import type { RunStore } from '../storage/types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `SLUICE_CONN_<NAME>` overrides resource `<name>`: e.g. SLUICE_CONN_WAREHOUSE=postgres://… */
export function connectionVariable(name: string): string {
  return `SLUICE_CONN_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function required(env: Env, variable: string, resource: string): string {
  const value = env[variable]?.trim();
  if (!value)
    throw new DefinitionError(`resource "${resource}" needs the environment variable ${variable}`, { file: 'sluice.config.ts' });
  return value;
}

/**
 * Where warehouse `name` lives. An environment override (`SLUICE_CONN_<NAME>`: `postgres://…`,
 * `duckdb:PATH`, or `snowflake` to read the SNOWFLAKE_* variables) wins over sluice.config.ts.
 * @example warehouseConfig('warehouse', config, root, { SLUICE_CONN_WAREHOUSE: 'postgres://127.0.0.1/dwh' })
 */
export async function warehouseConfig(name: string, config: SluiceConfig, root: string, env: Env): Promise<WarehouseConfig> {
  const { snowflakeConfigFromEnv } = await import('../resources/warehouse/index.js');
  const override = env[connectionVariable(name)]?.trim();
  if (override) {
    if (/^postgres(ql)?:\/\//i.test(override)) return { type: 'postgres', url: override };
    if (override.startsWith('duckdb:')) return { type: 'duckdb', path: resolve(root, override.slice('duckdb:'.length)) };
    if (/^snowflake:?$/i.test(override)) return { type: 'snowflake', ...snowflakeConfigFromEnv(env) };
    throw new DefinitionError(
      `${connectionVariable(name)} must be a postgres:// URL, duckdb:PATH or "snowflake" (which reads the SNOWFLAKE_* variables)`,
    );
  }
  const resource = config.resources[name];
  if (!resource) {
    const known = Object.entries(config.resources)
      .filter(([, r]) => ['duckdb', 'postgres', 'snowflake'].includes(r.type))
      .map(([n]) => n);
    throw new DefinitionError(
      `no warehouse resource named "${name}" (configured: ${known.join(', ')}); declare it in sluice.config.ts`,
    );
  }
  switch (resource.type) {
    case 'duckdb':
      return {
        type: 'duckdb',
        path: resource.path === ':memory:' ? ':memory:' : resolve(root, resource.path ?? `.sluice/${name}.duckdb`),
      };
    case 'postgres':
      return { type: 'postgres', url: resource.url ?? required(env, resource.urlEnv as string, name) };
    case 'snowflake':
      return {
        type: 'snowflake',
        account: required(env, resource.accountEnv, name),
        user: required(env, resource.userEnv, name),
        ...(resource.privateKeyEnv
          ? { privateKey: required(env, resource.privateKeyEnv, name) }
          : { password: required(env, resource.passwordEnv, name) }),
        privateKeyPassphrase: resource.privateKeyPassphraseEnv ? env[resource.privateKeyPassphraseEnv] : undefined,
        warehouse: resource.warehouse,
        database: resource.database,
        schema: resource.schema,
        role: resource.role,
        accessUrl: resource.accessUrl,
      };
    default:
      throw new DefinitionError(`resource "${name}" is a ${resource.type} resource, not a warehouse`, {
        file: 'sluice.config.ts',
      });
  }
}

/**
 * HTTP resource `name` ready to call: its base URL (`baseUrl`, or the `baseUrlEnv` variable) and headers
 * (plain `headers`, then `headersEnv` values read from the environment, which are also listed as secrets).
 * `SLUICE_CONN_<NAME>=https://…` overrides the base URL, and alone is enough to define the resource.
 * @example httpEndpoint('sap', config, { SAP_URL: 'http://127.0.0.1:8080', SAP_AUTH: 'Bearer x' })
 * // { baseUrl: 'http://127.0.0.1:8080', headers: { Authorization: 'Bearer x' }, secrets: ['Bearer x'] }
 */
export function httpEndpoint(name: string, config: SluiceConfig, env: Env): HttpEndpoint {
  const override = env[connectionVariable(name)]?.trim();
  if (override && !/^https?:\/\//i.test(override)) {
    throw new NonRetriableError(`${connectionVariable(name)} must be an http:// or https:// URL for http resource "${name}"`);
  }
  const resource = config.resources[name];
  if (resource && resource.type !== 'http') {
    throw new NonRetriableError(`resource "${name}" is a ${resource.type} resource, not an http resource`);
  }
  if (!resource && !override) {
    const known = Object.entries(config.resources)
      .filter(([, r]) => r.type === 'http')
      .map(([n]) => n);
    throw new NonRetriableError(
      `no http resource named "${name}" (configured: ${known.join(', ') || 'none'}); declare it in sluice.config.ts or set ${connectionVariable(name)}`,
    );
  }
  const value = (variable: string) => {
    const found = env[variable];
    if (found === undefined || found === '')
      throw new NonRetriableError(`http resource "${name}" needs the environment variable ${variable}`);
    return found;
  };
  const baseUrl = override || (resource?.baseUrl ?? value(resource?.baseUrlEnv as string));
  const headers: Record<string, string> = { ...resource?.headers };
  const secrets: string[] = [];
  for (const [header, variable] of Object.entries(resource?.headersEnv ?? {})) {
    headers[header] = value(variable);
    secrets.push(headers[header]);
  }
  return { baseUrl, headers, secrets };
}

/**
 * Resources for one run: each warehouse opened on first use and once, http resources read from config and
 * environment, and the project root for producers' relative paths. An embedded DuckDB warehouse is
 * seeded from `<root>/assets/data/<schema>.<table>.csv` for tables it lacks, so the example runs on a
 * fresh machine.
 */
export function projectResources(config: SluiceConfig, root: string, env: Env): Resources & { close(): Promise<void> } {
  const opened = new Map<string, Promise<Warehouse>>();
  const open = async (name: string): Promise<Warehouse> => {
    const { openWarehouse, seedTablesFromCsv } = await import('../resources/warehouse/index.js');
    const where = await warehouseConfig(name, config, root, env);
    const warehouse = await openWarehouse(where);
    const seeds = join(root, 'assets', 'data');
    if (where.type === 'duckdb' && existsSync(seeds)) await seedTablesFromCsv(warehouse, seeds, { onlyIfMissing: true });
    return warehouse;
  };
  return {
    root,
    async http(name) {
      return httpEndpoint(name, config, env);
    },
    warehouse(name) {
      let found = opened.get(name);
      if (!found) {
        found = open(name);
        // A failed open is not cached: the next attempt (a retry) tries again.
        found.catch(() => opened.delete(name));
        opened.set(name, found);
      }
      return found;
    },
    async close() {
      const all = await Promise.allSettled(opened.values());
      await Promise.allSettled(all.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    },
  };
}

/** Sends each failure notification to its Slack / e-mail targets through the real clients. */
export function projectNotifier(
  config: SluiceConfig,
  env: Env,
  redact: (text: string) => string,
  log: (line: string) => void,
): Notifier {
  return {
    async notify(n: FailureNotification) {
      if (n.targets.length === 0) return;
      const { createNotifier } = await import('../resources/notify/index.js');
      const now = new Date();
      const message = {
        pipeline: n.pipeline,
        runId: n.runId,
        assets: n.failed.map((f) => ({ key: f.assetKey, partition: f.partition, attempts: f.attempts, error: f.error })),
        startedAt: now,
        endedAt: now,
      };
      await Promise.all(
        n.targets.map(async (spec: NotificationSpec) => {
          try {
            await createNotifier(spec, { env, redact, resources: config.resources }).send(message);
          } catch (error) {
            // A failed alert must not hide the failure it reports; it is shown, and the run stays failed.
            log(
              `notification to ${spec.type === 'slack' ? spec.channel : 'e-mail'} failed: ${redact(String((error as Error).message ?? error))}`,
            );
          }
        }),
      );
    },
  };
}

/** The run store: --store, else DATABASE_URL, else the project's storage setting (SQLite in .sluice/). */
export async function openProjectStore(
  config: SluiceConfig,
  root: string,
  env: Env,
  flag: string | undefined,
): Promise<RunStore> {
  const { openRunStore } = await import('../storage/index.js');
  const fromConfig = config.storage.url ?? (config.storage.urlEnv ? required(env, config.storage.urlEnv, 'storage') : undefined);
  return openRunStore({ url: flag ?? (env.DATABASE_URL || undefined) ?? fromConfig, root, stateDir: config.stateDir });
}

/**
 * The runner `trigger` producers start child runs through: the triggering run's store, resources,
 * notifier and secrets, planning pipelines by name on the project's graph. Its `producers` go to
 * execute(); await its `idle()` before closing the store.
 * @example const runner = await projectPipelineRunner(ctx.graph, { assets, store, resources, notifier });
 */
export async function projectPipelineRunner(
  graph: LineageGraph,
  options: Omit<PipelineRunnerOptions, 'plan'>,
): Promise<PipelineRunner> {
  const { graphPlanner, pipelineRunner } = await import('../runtime/pipeline-runner.js');
  return pipelineRunner({ ...options, plan: graphPlanner(graph) });
}
