// Dagster members for one sluice asset: a source's AssetSpec, checks and sensor condition, or a produced @asset.

import { ExportError, type SensorSpec } from '../../definitions/index.js';
import type { FillUse } from '../fill.js';
import { type ModelAsset, resourceOf } from '../model.js';
import { pyIdent, pyList, pyListBlock, pyNum, pyStr, pyValue } from '../python.js';
import { checkQuery } from '../sql.js';
import { hasPlaceholder } from '../text.js';
import {
  type AssetBody,
  assetBody,
  assetChecks,
  constant,
  type DagsterArg,
  type DagsterBuild,
  type DagsterCheck,
  type Scope,
  sqlResource,
  sqlUse,
  text,
} from './assets.js';
import { assetKeyExpr, dagsterName } from './keys.js';
import { dagsterRetry } from './pipeline.js';

/** One `@dg.asset` function. */
export interface DagsterAsset {
  function: string;
  assetKey: string;
  comments: string[];
  decoratorArgs: DagsterArg[];
  params: string;
  returns: string;
  body: string[];
}

/** What the pipeline's sources-ready sensor collects while sources are translated. */
export interface SourceSensors {
  lines: string[];
  params: Set<string>;
  use: FillUse;
  minPoke: number;
}

const indent = (lines: string[]) => lines.map((l) => `    ${l}`);

/** Description, group, owners and sluice's own metadata (key, kind, tags), where Dagster keeps them. */
function descriptive(asset: ModelAsset): DagsterArg[] {
  const { spec } = asset;
  const args: DagsterArg[] = [];
  if (spec.description !== undefined) args.push({ name: 'description', value: pyStr(spec.description) });
  if (spec.group !== undefined) args.push({ name: 'group_name', value: pyStr(dagsterName(spec.group)) });
  // Dagster owners must be e-mail addresses or "team:name"; anything else stays in the metadata.
  const ownerOk = spec.owner !== undefined && /^(team:\S+|[^@\s]+@[^@\s]+)$/.test(spec.owner);
  if (ownerOk) args.push({ name: 'owners', value: pyList([pyStr(spec.owner as string)]) });
  const metadata: [string, string][] = [
    ['sluice/key', pyStr(spec.key)],
    ['sluice/kind', pyStr(spec.kind)],
  ];
  if (spec.owner !== undefined && !ownerOk) metadata.push(['sluice/owner', pyStr(spec.owner)]);
  if (spec.tags.length > 0) metadata.push(['sluice/tags', pyList(spec.tags.map((t) => pyStr(t)))]);
  if (Object.keys(spec.metadata).length > 0) metadata.push(['sluice/metadata', pyValue(spec.metadata)]);
  args.push({ name: 'metadata', value: `{${metadata.map(([k, v]) => `${pyStr(k)}: ${v}`).join(', ')}}` });
  return args;
}

/** A source asset as `dg.AssetSpec(...)`; its sensor condition joins the pipeline's sensor. */
export function sourceSpec(b: DagsterBuild, asset: ModelAsset, sources: SourceSensors): { variable: string; value: string } {
  const { spec } = asset;
  if (spec.sensor) {
    if (!b.model.partitions) {
      throw new ExportError(
        'dagster',
        'sensor',
        spec.key,
        'a Dagster sensor requests one run per partition (run_key = partition key); give the pipeline partitions so each runs once when its sources are ready',
      );
    }
    const condition = sensorCondition(b, asset, spec.sensor, sources.use, sources.params);
    sources.lines.push(`if not (${condition}):`, `    return dg.SkipReason(${pyStr(`waiting for ${spec.key}`)})`);
    sources.minPoke = Math.min(sources.minPoke, spec.sensor.pokeInterval / 1000);
  }
  const args = descriptive(asset).map((a) => `${a.name}=${a.value}`);
  return { variable: pyIdent(spec.key, b.names), value: `dg.AssetSpec(key=${assetKeyExpr(b, spec.key)}, ${args.join(', ')})` };
}

/** A source's checks, as asset checks: never blocking (nothing in the run materializes an external asset). */
export function sourceChecks(b: DagsterBuild, asset: ModelAsset): DagsterCheck[] {
  const { spec } = asset;
  const resource = resourceOf(spec);
  if (asset.checks.some((c) => c.spec.blocking)) {
    throw new ExportError(
      'dagster',
      'checks',
      spec.key,
      "Dagster's blocking checks only gate assets materialized in the same run, and a source asset is external; make the check non-blocking or put it on the first asset that reads this source",
    );
  }
  // Asset checks know no partition: placeholders in their SQL could not be filled.
  if (
    asset.checks.some((c) => hasPlaceholder(checkQuery(spec.key, c.spec, b.model.site(resource, spec.key)), 'dagster', spec.key))
  ) {
    throw new ExportError(
      'dagster',
      'checks',
      spec.key,
      'a check on a source runs as a Dagster asset check, which has no partition to fill placeholders from; drop them from the check SQL',
    );
  }
  return assetChecks(b, asset, assetKeyExpr(b, spec.key), resource);
}

/** A produced asset as `@dg.asset` with its body, plus the asset checks that run after it. */
export function producedAsset(
  b: DagsterBuild,
  asset: ModelAsset,
  oneFailed: ReadonlySet<string>,
): { asset: DagsterAsset; checks: DagsterCheck[] } {
  const { spec } = asset;
  const fail = (feature: string, message: string) => new ExportError('dagster', feature, spec.key, message);
  if (spec.trigger === 'all_done')
    throw fail(
      'trigger',
      'Dagster runs an asset only after its upstream assets succeed; use all_success, or one_failed (a run-failure sensor)',
    );
  if (spec.dependsOnPast)
    throw fail(
      'dependsOnPast',
      "Dagster assets do not wait on the previous partition's run; drop dependsOnPast or add a self-dependency with a partition mapping by hand",
    );
  if (spec.notify.length > 0)
    throw fail(
      'notify',
      "Dagster alerts on failed runs, not failed assets; move the notification to the pipeline's onFailure (a run-failure sensor)",
    );
  const blocked = spec.deps.find((d) => oneFailed.has(d));
  if (blocked)
    throw fail(
      'trigger',
      `it depends on "${blocked}", which only runs in a separate job when a run failed; make it a one_failed step of its own`,
    );
  const made: AssetBody = assetBody(b, asset);
  const retry = dagsterRetry(asset);
  let body = made.body;
  if (retry.waits) {
    b.helpers.retryAfter = true;
    body = ['try:', ...indent(body), 'except Exception as error:', `    raise _retry_after(context, ${retry.waits}) from error`];
  }
  const fn = pyIdent(spec.key, b.names);
  const args: DagsterArg[] = [{ name: 'key', value: assetKeyExpr(b, spec.key) }];
  if (spec.deps.length > 0)
    args.push({
      name: 'deps',
      value: pyListBlock(
        spec.deps.map((d) => assetKeyExpr(b, d)),
        4,
      ),
    });
  if (spec.partitions) args.push({ name: 'partitions_def', value: 'partitions_def' });
  if (retry.policy) args.push({ name: 'retry_policy', value: retry.policy });
  if (spec.pool !== undefined) args.push({ name: 'pool', value: pyStr(spec.pool) });
  const producer = spec.producer;
  if (producer && (producer.type === 'sql' || producer.type === 'ctas' || producer.type === 'swap')) {
    args.push({ name: 'kinds', value: `{${pyStr(b.model.dialectOf(producer.resource))}}` });
  }
  args.push(...descriptive(asset));
  const comments = [...retry.comments, ...asset.notes];
  if (asset.timeoutSeconds !== undefined && producer?.type === 'fn') {
    comments.push(
      `sluice's ${pyNum(asset.timeoutSeconds)}s timeout is not enforced: Dagster has no per-asset timeout (use the run tag dagster/max_runtime)`,
    );
  }
  const params = ['context: dg.AssetExecutionContext', ...made.params].join(', ');
  const checks = made.checksInline ? [] : assetChecks(b, asset, fn, resourceOf(spec));
  return {
    asset: { function: fn, assetKey: spec.key, comments, decoratorArgs: args, params, returns: made.returns, body },
    checks,
  };
}

/**
 * A condition (Python expression, true when ready) for one source asset's sensor, evaluated in the pipeline's
 * sensor for the newest partition. `use.values` tells the sensor to compute `values` for that partition.
 */
function sensorCondition(b: DagsterBuild, asset: ModelAsset, sensor: SensorSpec, use: FillUse, params: Set<string>): string {
  const s: Scope = { b, asset, use };
  const texts = sensor.type === 'sql' ? [sensor.sql] : sensor.type === 'file' ? [sensor.path] : [];
  if (texts.some((t) => /\{\{\s*run_id\s*\}\}/.test(t))) {
    throw new ExportError(
      'dagster',
      'sensor',
      asset.key,
      'a Dagster sensor decides before the run exists, so {{ run_id }} has no value; drop it from the sensor',
    );
  }
  switch (sensor.type) {
    case 'sql': {
      const { param, annotation } = sqlResource(b, sensor.resource);
      params.add(`${param}: ${annotation}`);
      b.helpers.passes = true;
      return `_fetch_one(${param}, ${sqlUse(s, constant(b, asset.key, sensor.sql), sensor.sql)}) is not None`;
    }
    case 'file':
      b.imports.add('import os');
      return `os.path.exists(${text(s, sensor.path)})`;
    case 'external_run': {
      const partition =
        sensor.partitionOffset === 0 ? 'partition_key' : `_shift_partition(partition_key, ${pyNum(sensor.partitionOffset)})`;
      return `_job_succeeded(context, ${pyStr(dagsterName(sensor.pipeline))}, ${partition})`;
    }
    case 'asset_materialized': {
      b.imports.add('import time');
      const within = sensor.within === undefined ? 'None' : pyNum(sensor.within / 1000);
      return `_materialized_within(context, ${assetKeyExpr(b, sensor.asset)}, ${within})`;
    }
  }
}
