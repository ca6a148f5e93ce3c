// The target-neutral reading of an ExportInput: effective policies, retry waits, schedule and partitions, checked once.

import { checkNames } from '../definitions/check-names.js';
import {
  type AssetSpec,
  type CheckSpec,
  ExportError,
  type PartitionsSpec,
  type PipelineSensorSpec,
  type PipelineSpec,
  type RetryPolicy,
  retrySchedule,
  type ScheduleSpec,
} from '../definitions/index.js';
import type { SqlSite } from './sql.js';
import type { ExportInput, ExportOptions, SqlDialect, TargetName } from './types.js';

/** A wall-clock date and time as written in a spec (no zone; the zone travels beside it). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One asset with the pipeline's defaults applied. */
export interface ModelAsset {
  spec: AssetSpec;
  key: string;
  /** The asset's retry policy, else the pipeline's; undefined means one attempt. */
  retry: RetryPolicy | undefined;
  /** sluice's exact waits between attempts, in seconds (retrySchedule). */
  waits: number[];
  timeoutSeconds: number | undefined;
  /** The checks to export, named as sluice names them. A freshness check without a column always passes in sluice
   * (the asset was just written), so it is left out, with a note. */
  checks: { spec: CheckSpec; name: string }[];
  /** Comments for the generated code about what was translated and how. */
  notes: string[];
}

/** A pipeline's schedule with the cron in both spellings and the dates parsed. */
export interface ScheduleModel {
  /** As written: a preset such as '@daily' or five fields. */
  cron: string;
  /** Always five fields: presets expanded, for targets without presets. */
  cron5: string;
  timezone: string;
  start: WallTime | undefined;
  end: WallTime | undefined;
  catchup: boolean;
  maxActiveRuns: number;
}

/** Everything the adapters read from one ExportInput, with defaults applied and checks done. */
export interface PipelineModel {
  target: TargetName;
  pipeline: PipelineSpec;
  assets: ModelAsset[];
  byKey: ReadonlyMap<string, ModelAsset>;
  /** The one partitions definition the pipeline's assets share, if any. */
  partitions: PartitionsSpec | undefined;
  schedule: ScheduleModel | undefined;
  /** Specs of the assets the pipeline's asset_materialized sensors watch, where the input gave them. */
  sensorAssets: ReadonlyMap<string, AssetSpec>;
  /** Own assets that other pipelines' asset_materialized sensors watch. */
  watched: ReadonlySet<string>;
  /** The header comment, without the leading '# '. */
  header: string;
  /** File name stem: the pipeline name made safe as a Python module name. */
  fileStem: string;
  dialectOf(resource: string): SqlDialect;
  connectionOf(resource: string): string;
  /** Where SQL for `resource` is written on behalf of `assetKey`: the target, the dialect, the asset. */
  site(resource: string, assetKey: string): SqlSite;
}

const PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** '2025-01-10' or '2025-01-10T06:00[:ss]' as numbers. */
export function parseWallTime(text: string): WallTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) throw new TypeError(`not a date: ${text}`);
  const n = (i: number) => Number(m[i] ?? 0);
  return { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6) };
}

function scheduleModel(schedule: ScheduleSpec): ScheduleModel {
  return {
    cron: schedule.cron,
    cron5: PRESETS[schedule.cron] ?? schedule.cron.trim().split(/\s+/).join(' '),
    timezone: schedule.timezone,
    start: schedule.start === undefined ? undefined : parseWallTime(schedule.start),
    end: schedule.end === undefined ? undefined : parseWallTime(schedule.end),
    catchup: schedule.catchup,
    maxActiveRuns: schedule.maxActiveRuns,
  };
}

// Comments end at a line break; anything that could start a new line (or hide text) is dropped from the header.
const safeComment = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

function samePartitions(a: PartitionsSpec, b: PartitionsSpec): boolean {
  return (
    a === b ||
    (a.granularity === b.granularity &&
      a.start === b.start &&
      a.end === b.end &&
      a.timezone === b.timezone &&
      a.endOffset === b.endOffset)
  );
}

/**
 * Reads an ExportInput for one target: applies pipeline defaults and checks what every target relies on (deps are
 * part of the input, one partitions definition per pipeline).
 * @example const model = buildModel('prefect', input, {}); model.assets[0].waits // [60, 120]
 */
export function buildModel(target: TargetName, input: ExportInput, options: ExportOptions): PipelineModel {
  const { pipeline } = input;
  const byKey = new Map<string, ModelAsset>();
  let partitions: PartitionsSpec | undefined;
  let partitionsOwner = '';
  const assets = input.assets.map((spec): ModelAsset => {
    for (const dep of spec.deps) {
      if (!byKey.has(dep)) {
        const known = input.assets.some((a) => a.key === dep);
        throw new ExportError(
          target,
          'deps',
          spec.key,
          known
            ? `dep "${dep}" comes after it; pass the assets in topological order (the graph layer's plan does)`
            : `dep "${dep}" is not in the export input; build the input from the lineage graph so sources are included`,
        );
      }
    }
    if (spec.partitions) {
      if (partitions && !samePartitions(partitions, spec.partitions)) {
        throw new ExportError(
          target,
          'partitions',
          spec.key,
          `its partitions differ from those of "${partitionsOwner}"; one pipeline maps to one DAG/flow/job with one partitioning, so split the pipeline or give both the same partitions`,
        );
      }
      partitions ??= spec.partitions;
      partitionsOwner ||= spec.key;
    }
    const retry = spec.source ? undefined : (spec.retry ?? pipeline.retry);
    const timeoutMs = spec.source ? undefined : (spec.timeout ?? pipeline.timeout);
    const names = checkNames(spec.checks);
    const checks = spec.checks.map((c, i) => ({ spec: c, name: names[i] as string }));
    const kept = checks.filter((c) => !(c.spec.type === 'freshness' && c.spec.column === undefined));
    const asset: ModelAsset = {
      spec,
      key: spec.key,
      retry,
      waits: retry ? retrySchedule(retry).map((ms) => ms / 1000) : [],
      timeoutSeconds: timeoutMs === undefined ? undefined : timeoutMs / 1000,
      checks: kept,
      notes: kept.length < checks.length ? ['a freshness check without a column always passes in sluice: not exported'] : [],
    };
    byKey.set(spec.key, asset);
    return asset;
  });
  const resources = options.resources ?? {};
  const dialectOf = (resource: string) => resources[resource]?.dialect ?? 'snowflake';
  return {
    target,
    pipeline,
    assets,
    byKey,
    partitions,
    schedule: pipeline.schedule ? scheduleModel(pipeline.schedule) : undefined,
    sensorAssets: new Map((input.sensorAssets ?? []).map((spec) => [spec.key, spec])),
    watched: new Set(input.watchedAssets ?? []),
    header: `generated by sluice export from ${safeComment(options.sourceFile ?? `pipeline "${pipeline.name}"`)} — do not edit`,
    fileStem: pipeline.name.replace(/[^A-Za-z0-9_]/g, '_'),
    dialectOf,
    connectionOf: (resource) => resources[resource]?.connectionId ?? resource,
    site: (resource, assetKey) => ({ target, dialect: dialectOf(resource), assetKey }),
  };
}

/** Seconds in one partition window, for offsets such as an external run's `partitionOffset`; months have none. */
export function windowSeconds(granularity: PartitionsSpec['granularity']): number | undefined {
  return { hourly: 3600, daily: 86_400, weekly: 604_800, monthly: undefined }[granularity];
}

/** The SQL resource an asset's producer, checks and sensor talk to: the producer's, else the asset's, else `warehouse`. */
export function resourceOf(spec: AssetSpec): string {
  const producer = spec.producer;
  if (producer && 'resource' in producer && producer.resource) return producer.resource;
  return spec.resource ?? 'warehouse';
}

/**
 * An ExportError for a pipeline sensor the target cannot express: it names the pipeline, the sensor and why.
 * @example throw sensorError(model, sensor, 'Airflow starts DAGs on datasets, not on files')
 */
export function sensorError(model: PipelineModel, sensor: PipelineSensorSpec, why: string): ExportError {
  return new ExportError(
    model.target,
    `sensors.${sensor.name}`,
    undefined,
    `pipeline "${model.pipeline.name}": ${sensor.type} sensor "${sensor.name}": ${why}`,
  );
}
