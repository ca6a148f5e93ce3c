// zod schemas for every spec: what users may write (input) and the plain, frozen data sluice keeps (output).

import { Cron } from 'croner';
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** Asset keys: dotted names, one line, no surrounding spaces. Odd characters are allowed (and escaped on export). */
export const assetKey = z
  .string()
  .min(1, 'must not be empty')
  .max(250, 'must be at most 250 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters or newlines')
  .refine((s) => s.trim() === s, 'must not start or end with spaces');

/** Pipeline names become DAG ids, flow names and job names, so they stay identifier-like. */
export const pipelineName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must start with a letter or _ and hold only letters, digits, _ . -')
  .max(200);

const duration = z.union([z.number(), z.string()]).transform((input, ctx) => {
  const parsed = parseDuration(input);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.ms;
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'must be a date like 2025-01-10 or 2025-01-10T06:00')
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : `${s}Z`)), 'is not a real date');

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone such as "UTC" or "Europe/Berlin"');

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const errorKind = z.enum(['timeout', 'network', 'validation', 'any']);

export const retryPolicy = z.strictObject({
  maxAttempts: z.number().int().min(1, 'must be at least 1').max(100),
  delay: duration.default(0),
  backoff: z.enum(['fixed', 'linear', 'exponential']).default('fixed'),
  maxDelay: duration.optional(),
  retryOn: z.array(errorKind).min(1).default(['any']),
});

export const triggerCondition = z.enum(['all_success', 'all_done', 'one_failed']);

// ---- producers ---------------------------------------------------------------------------------

const resourceName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a resource name like "warehouse"');

export const producerSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sql'), resource: resourceName.default('warehouse'), sql: z.string().min(1) }),
  z.strictObject({
    type: z.literal('ctas'),
    resource: resourceName.default('warehouse'),
    sql: z.string().min(1),
    staging: assetKey.optional(),
  }),
  z.strictObject({ type: z.literal('swap'), resource: resourceName.default('warehouse'), from: assetKey }),
  z.strictObject({
    type: z.literal('shell'),
    command: z.string().min(1),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('http'),
    resource: resourceName.optional(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional(),
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).default([200, 201, 202, 204]),
  }),
  z.strictObject({
    type: z.literal('copy'),
    resource: resourceName.default('warehouse'),
    direction: z.enum(['table_to_file', 'file_to_table']),
    table: z.string().min(1),
    path: z.string().min(1),
    format: z.enum(['csv']).default('csv'),
  }),
  z.strictObject({
    type: z.literal('trigger'),
    pipeline: pipelineName,
    samePartition: z.boolean().default(true),
    waitForCompletion: z.boolean().default(true),
  }),
  z.strictObject({ type: z.literal('fn'), name: z.string().optional() }),
]);

// ---- checks ------------------------------------------------------------------------------------

const checkBase = { name: z.string().min(1).optional(), blocking: z.boolean().default(true) };

export const checkSpec = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('row_count'),
    ...checkBase,
    min: z.number().int().min(0).default(1),
    max: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    type: z.literal('count_tolerance'),
    ...checkBase,
    against: assetKey,
    tolerancePercent: z.number().min(0).max(100),
  }),
  z.strictObject({ type: z.literal('freshness'), ...checkBase, maxAge: duration, column: z.string().optional() }),
  z.strictObject({ type: z.literal('sql'), ...checkBase, sql: z.string().min(1), expect: z.enum(['no_rows', 'rows']) }),
]);

// ---- sensors -----------------------------------------------------------------------------------

// What each kind of sensor watches; shared by sensors inside a run and sensors on a pipeline.
const sensorFields = {
  sql: { resource: resourceName.default('warehouse'), sql: z.string().min(1) },
  external_run: { pipeline: pipelineName, partitionOffset: z.number().int().default(0) },
  file: { path: z.string().min(1) },
  asset_materialized: { asset: assetKey, within: duration.optional() },
};

function sensorUnion<B extends z.ZodRawShape>(base: B) {
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('sql'), ...base, ...sensorFields.sql }),
    z.strictObject({ type: z.literal('external_run'), ...base, ...sensorFields.external_run }),
    z.strictObject({ type: z.literal('file'), ...base, ...sensorFields.file }),
    z.strictObject({ type: z.literal('asset_materialized'), ...base, ...sensorFields.asset_materialized }),
  ]);
}

// Defaults are output values (milliseconds): zod applies them after the transform.
/** A source asset's sensor: a wait inside a run, poked until it holds or times out. */
export const sensorSpec = sensorUnion({ pokeInterval: duration.default(60_000), timeout: duration.default(3_600_000) });

/**
 * A pipeline's sensor: a trigger the daemon evaluates at most every `pokeInterval`; when it holds on
 * something new it launches a run. It never times out, so it has no `timeout`.
 */
const pipelineSensor = sensorUnion({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and hold only letters, digits and _')
    .max(100)
    .optional(),
  pokeInterval: duration.default(30_000),
});

/** Names every pipeline sensor: its own, else its type (numbered when the type repeats); names are unique. */
const pipelineSensors = z
  .array(pipelineSensor)
  .default([])
  .transform((list, ctx) => {
    // How many sensors of `type` are among the first `upTo`: the number a repeated type gets.
    const ofType = (type: string, upTo = list.length) => list.slice(0, upTo).filter((s) => s.type === type).length;
    const named = list.map((s, i) => ({
      ...s,
      name: s.name ?? (ofType(s.type) === 1 ? s.type : `${s.type}_${ofType(s.type, i + 1)}`),
    }));
    named.forEach((s, i) => {
      if (named.findIndex((other) => other.name === s.name) !== i) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${s.name}" names two sensors` });
      }
    });
    return named;
  });

// ---- notifications -----------------------------------------------------------------------------

export const notificationSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('slack'), channel: z.string().min(1), resource: resourceName.default('slack') }),
  z
    .strictObject({
      type: z.literal('email'),
      to: z.array(z.string().email('must be an e-mail address')).default([]),
      toEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
        .optional(),
      resource: resourceName.default('email'),
    })
    .refine((e) => e.to.length > 0 || e.toEnv !== undefined, {
      message: 'needs `to` recipients or a `toEnv` variable',
      path: ['to'],
    }),
]);

// ---- partitions and schedules --------------------------------------------------------------------

export const partitionsSpec = z.strictObject({
  type: z.literal('time').default('time'),
  granularity: z.enum(['hourly', 'daily', 'weekly', 'monthly']),
  start: isoDate,
  end: isoDate.optional(),
  timezone: timezone.default('UTC'),
  endOffset: z.number().int().default(0),
});

const CRON_PRESETS = new Set(['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually']);

export const cronExpression = z.string().refine((expr) => {
  if (expr.startsWith('@')) return CRON_PRESETS.has(expr);
  try {
    new Cron(expr, { paused: true });
    return expr.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}, 'is not a cron expression: write five fields like "0 6 * * *" or a preset (@hourly, @daily, @weekly, @monthly, @yearly)');

export const scheduleSpec = z.strictObject({
  cron: cronExpression,
  start: isoDate.optional(),
  end: isoDate.optional(),
  timezone: timezone.default('UTC'),
  catchup: z.boolean().default(false),
  maxActiveRuns: z.number().int().min(1).default(1),
});

// ---- assets and pipelines ------------------------------------------------------------------------

export const assetKind = z.enum(['table', 'file', 'api', 'value']);

const commonFields = {
  kind: assetKind.default('table'),
  description: z.string().optional(),
  group: z.string().min(1).optional(),
  owner: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).default([]),
  metadata: z.record(z.string(), jsonValue).default({}),
  resource: resourceName.optional(),
  sensor: sensorSpec.optional(),
};

export const sourceAssetSpec = z.strictObject({
  key: assetKey,
  source: z.literal(true),
  ...commonFields,
  // Checks on a source (freshness, row count) tell whether what we read is fit to use.
  checks: z.array(checkSpec).default([]),
});

export const producedAssetSpec = z.strictObject({
  key: assetKey,
  source: z.literal(false),
  ...commonFields,
  deps: z.array(assetKey).default([]),
  producer: producerSpec,
  retry: retryPolicy.optional(),
  timeout: duration.optional(),
  trigger: triggerCondition.default('all_success'),
  pool: z.string().min(1).optional(),
  checks: z.array(checkSpec).default([]),
  partitions: partitionsSpec.optional(),
  dependsOnPast: z.boolean().default(false),
  notify: z.array(notificationSpec).default([]),
});

export const pipelineSpec = z.strictObject({
  name: pipelineName,
  select: z.string().min(1),
  description: z.string().optional(),
  schedule: scheduleSpec.optional(),
  tags: z.array(z.string().min(1)).default([]),
  owner: z.string().min(1).optional(),
  retry: retryPolicy.optional(),
  timeout: duration.optional(),
  onFailure: z.array(notificationSpec).default([]),
  sensors: pipelineSensors,
});

export type RetryPolicyInput = z.input<typeof retryPolicy>;
/** Retry policy as stored. Like every duration in a spec, `delay` and `maxDelay` are whole milliseconds. */
export type RetryPolicy = z.output<typeof retryPolicy>;
export type ErrorKind = z.output<typeof errorKind>;
export type TriggerCondition = z.output<typeof triggerCondition>;
export type ProducerSpec = z.output<typeof producerSpec>;
export type ProducerInput = z.input<typeof producerSpec>;
export type CheckSpec = z.output<typeof checkSpec>;
export type CheckInput = z.input<typeof checkSpec>;
export type SensorSpec = z.output<typeof sensorSpec>;
export type SensorInput = z.input<typeof sensorSpec>;
export type PipelineSensorSpec = z.output<typeof pipelineSensors>[number];
export type PipelineSensorInput = z.input<typeof pipelineSensor>;
export type NotificationSpec = z.output<typeof notificationSpec>;
export type NotificationInput = z.input<typeof notificationSpec>;
export type PartitionsSpec = z.output<typeof partitionsSpec>;
export type PartitionsInput = z.input<typeof partitionsSpec>;
export type ScheduleSpec = z.output<typeof scheduleSpec>;
export type ScheduleInput = z.input<typeof scheduleSpec>;
export type AssetKind = z.output<typeof assetKind>;
export type ProducedAssetSpec = z.output<typeof producedAssetSpec>;
/**
 * The plain, serializable description of an asset: what graph, export, lineage and the browser read.
 * One shape for both: a source asset has `source: true`, `producer: null` and no deps.
 */
export type AssetSpec = Omit<ProducedAssetSpec, 'source' | 'producer'> & { source: boolean; producer: ProducerSpec | null };
export type PipelineSpec = z.output<typeof pipelineSpec>;
