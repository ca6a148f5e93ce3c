// `sluice export <target>`: each pipeline written as Airflow, Prefect or Dagster code, atomically.

import type { AssetSpec } from '../../definitions/schema.js';
import type { ResourceMapping, TargetName } from '../../export/index.js';
import type { SluiceConfig } from '../../project/index.js';
import { loadContext, type ProjectContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { writeFilesAtomically } from '../write.js';

interface ExportOptions {
  pipeline?: string;
  out?: string;
  airflow: '2' | '3';
}

/** Which SQL dialect each warehouse resource speaks once exported; the embedded DuckDB stands in for Snowflake. */
function resourceMappings(config: SluiceConfig): Record<string, ResourceMapping> {
  const out: Record<string, ResourceMapping> = {};
  for (const [name, resource] of Object.entries(config.resources)) {
    if (resource.type === 'postgres') out[name] = { dialect: 'postgres' };
    if (resource.type === 'snowflake' || resource.type === 'duckdb') out[name] = { dialect: 'snowflake' };
  }
  return out;
}

/** The pipelines to export: one by name, those touching a selection, or all. */
async function chosenPipelines(ctx: ProjectContext, selection: string | undefined, name: string | undefined): Promise<string[]> {
  const { SelectionError } = await import('../../definitions/errors.js');
  const { select } = await import('../../graph/index.js');
  const all = ctx.graph.pipelines().map((p) => p.name);
  if (name) {
    if (!all.includes(name)) throw new SelectionError(`no pipeline named "${name}"; pipelines: ${all.join(', ') || 'none'}`);
    return [name];
  }
  if (!selection) return all;
  const wanted = new Set(select(ctx.graph, selection));
  const touching = all.filter((p) => ctx.graph.pipelineAssets(p).some((k) => wanted.has(k)));
  if (touching.length === 0) throw new SelectionError(`no pipeline selects any asset of "${selection}"`);
  return touching;
}

export async function exportCommand(
  io: CliIo,
  [target, selection]: unknown[],
  options: ExportOptions,
  globals: GlobalOptions,
): Promise<number> {
  const ctx = await loadContext(io, globals.project);
  const { exportPipeline } = await import('../../export/index.js');
  const { relative, resolve } = await import('node:path');
  const names = await chosenPipelines(ctx, selection as string | undefined, options.pipeline);
  const airflowVersion = options.airflow === '3' ? 3 : 2;
  // Which assets each pipeline's asset_materialized sensors watch: the watched pipeline must announce them.
  const watching = new Map<string, string[]>();
  for (const p of ctx.graph.pipelines()) {
    const keys = p.sensors.flatMap((s) => (s.type === 'asset_materialized' ? [s.asset] : []));
    if (keys.length > 0) watching.set(p.name, keys);
  }
  const files = names.flatMap((name) => {
    const pipeline = ctx.graph.pipeline(name);
    if (!pipeline) return [];
    const own = ctx.graph.pipelineAssets(name);
    const ownKeys = new Set(own);
    // Inputs from outside the pipeline: sources, and assets another pipeline produces, which this
    // pipeline's code reads like sources — it neither builds nor checks them.
    const inputs = own.flatMap((k) => ctx.graph.parents(k)).filter((k) => !ownKeys.has(k));
    const assets = ctx.graph
      .topoOrder([...new Set([...own, ...inputs])])
      .map((k) => (ownKeys.has(k) ? ctx.graph.asset(k) : asInput(ctx.graph.asset(k))));
    const watchedAssets = [...watching].flatMap(([p, keys]) => (p === name ? [] : keys.filter((k) => ownKeys.has(k))));
    const sensorAssets = (watching.get(name) ?? []).map((k) => ctx.graph.asset(k));
    return exportPipeline(
      target as TargetName,
      { pipeline, assets, sensorAssets, watchedAssets: [...new Set(watchedAssets)].sort() },
      { airflowVersion, sourceFile: ctx.graph.pipelineFile(name), resources: resourceMappings(ctx.project.config) },
    );
  });
  const folder = options.out ?? `generated/${target === 'airflow' && airflowVersion === 3 ? 'airflow3' : String(target)}`;
  const dir = resolve(ctx.project.root, folder);
  await writeFilesAtomically(dir, files);
  io.stdout.write(
    `wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${relative(io.cwd, dir) || '.'}: ${files.map((f) => f.path).join(', ')}\n`,
  );
  return 0;
}

/** An asset from outside the pipeline as its export sees it: a source it reads, neither built nor checked. */
function asInput(spec: AssetSpec): AssetSpec {
  if (spec.source) return spec;
  const { key, kind, description, group, owner, tags, metadata, resource } = spec;
  return {
    key,
    source: true,
    kind,
    description,
    group,
    owner,
    tags,
    metadata,
    resource,
    deps: [],
    producer: null,
    checks: [],
    trigger: 'all_success',
    dependsOnPast: false,
    notify: [],
  };
}
