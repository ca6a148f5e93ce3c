// incremental_orders (seed 004): time-window loads of orders, source → stage → audit → target → stage clean-up.

import { asset, checks, DefinitionError, pipeline, sourceAsset, sql } from 'sluice';
import { z } from 'zod';

/** What the pipeline loads and how strictly it audits; validated below, so `sluice validate` names a bad field. */
const settings = {
  /** The PostgreSQL warehouse holding every table below (SLUICE_CONN_ORDERS_DB=postgres://…). */
  resource: 'orders_db',
  tables: { source: 'src.orders', stage: 'stage.orders', target: 'dw.orders', audit: 'audit.orders_counts' },
  /** The merge key, the change timestamp that places a row in a window, and every column copied. */
  key: 'id',
  updatedAt: 'updated_at',
  columns: ['id', 'customer', 'amount', 'updated_at'],
  granularity: 'daily',
  start: '2025-01-01',
  timezone: 'UTC',
  /** Source and stage counts of a window may differ by this much (rows arriving mid-load) before it is refused. */
  tolerancePercent: 2,
};

// Names are spliced into SQL unquoted, so they are held to plain lower-case identifiers.
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier like "updated_at"');
const table = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be "schema.table" in lower-case identifiers');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const settingsSchema = z
  .strictObject({
    resource: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a resource name like "orders_db"'),
    tables: z.strictObject({ source: table, stage: table, target: table, audit: table }),
    key: identifier,
    updatedAt: identifier,
    columns: z.array(identifier).min(2, 'must list the key, the change timestamp and the columns to copy'),
    granularity: z.enum(['hourly', 'daily', 'weekly', 'monthly'], { error: 'must be hourly, daily, weekly or monthly' }),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-01'),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "UTC" or "Europe/Berlin"'),
    tolerancePercent: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
  })
  .superRefine((s, ctx) => {
    for (const field of ['key', 'updatedAt'] as const) {
      if (!s.columns.includes(s[field])) ctx.addIssue({ code: 'custom', path: ['columns'], message: `must include ${s[field]}` });
    }
    if (new Set(s.columns).size !== s.columns.length)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'must not repeat a column' });
    // The pipeline adds these bookkeeping columns to stage and target itself.
    const reserved = s.columns.find((c) => c === '_run_id' || c === '_published_at');
    if (reserved)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: `must not include ${reserved}, which the pipeline adds` });
    const names = Object.values(s.tables);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', path: ['tables'], message: 'must be four different tables' });
  });

function parseSettings(input: unknown): z.output<typeof settingsSchema> {
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new DefinitionError(issue?.message ?? 'is invalid', { field: ['settings', ...(issue?.path ?? [])].join('.') });
}

const cfg = parseSettings(settings);
const { source, stage, target, audit } = cfg.tables;
const schemaOf = (t: string) => t.slice(0, t.indexOf('.'));
const cols = cfg.columns.join(', ');
/** Rows whose change falls in the partition's window: start inclusive, end exclusive. */
const inWindow = (column: string) => `${column} >= '{{ partition_start }}' AND ${column} < '{{ partition_end }}'`;

// Every run ensures the tables exist. Windows load in parallel, and concurrent CREATE … IF NOT EXISTS can
// still collide in PostgreSQL's catalog, so the DDL takes turns under a transaction-scoped advisory lock.
const ensureTables = `BEGIN;
SELECT pg_advisory_xact_lock(hashtext('incremental_orders:ddl'));
${[...new Set([stage, target, audit].map(schemaOf))].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s};`).join('\n')}
CREATE TABLE IF NOT EXISTS ${stage} (LIKE ${source}, _run_id text NOT NULL);
CREATE TABLE IF NOT EXISTS ${target} (
  LIKE ${source},
  _run_id text NOT NULL,
  _published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (${cfg.key})
);
CREATE TABLE IF NOT EXISTS ${audit} (
  run_id text NOT NULL,
  partition_key text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  source_count bigint NOT NULL,
  stage_count bigint NOT NULL,
  target_count bigint NOT NULL,
  tolerance_percent numeric NOT NULL,
  off_percent numeric GENERATED ALWAYS AS (
    CASE WHEN source_count = 0 THEN CASE WHEN stage_count = 0 THEN 0 ELSE 100 END
    ELSE abs(source_count - stage_count) * 100.0 / source_count END
  ) STORED,
  audited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, partition_key)
);
COMMIT;`;

const tags = ['incremental'];
const group = 'orders';

export const sourceOrders = sourceAsset(source, {
  description: 'Orders in the operational database; `updated_at` is when a row last changed.',
  group,
  tags,
  resource: cfg.resource,
  // A warning, not a gate: a quiet period is possible, but a source silent for longer than a window is worth a look.
  checks: [
    checks.freshness({
      name: 'source_changed_recently',
      column: cfg.updatedAt,
      maxAge: { hourly: '2h', daily: '26h', weekly: '8d', monthly: '32d' }[cfg.granularity],
      blocking: false,
    }),
  ],
});

// Delete-then-insert of the window in one transaction: a rerun of the window replaces, never duplicates.
export const stageOrders = asset(stage, {
  description: "The window's source rows, extracted as they were when the window was loaded.",
  group,
  tags,
  deps: [sourceOrders],
  partitions: { granularity: cfg.granularity, start: cfg.start, timezone: cfg.timezone },
  produce: sql({
    resource: cfg.resource,
    sql: `${ensureTables}
BEGIN;
DELETE FROM ${stage} WHERE ${inWindow(cfg.updatedAt)};
INSERT INTO ${stage} (${cols}, _run_id)
SELECT ${cols}, '{{ run_id }}' FROM ${source} WHERE ${inWindow(cfg.updatedAt)};
COMMIT;`,
  }),
});

// The audit runs BEFORE the merge (the seed audits after it): its blocking check failing marks the merge
// upstream_failed, so a window whose counts are off is never published. Counts are kept per run and window.
export const auditOrders = asset(audit, {
  description: 'Source, stage and (not yet merged) target counts of the window, one row per run; the gate before publishing.',
  group,
  tags,
  deps: [stageOrders],
  partitions: { granularity: cfg.granularity, start: cfg.start, timezone: cfg.timezone },
  produce: sql({
    resource: cfg.resource,
    sql: `INSERT INTO ${audit} (run_id, partition_key, window_start, window_end, source_count, stage_count, target_count, tolerance_percent)
SELECT '{{ run_id }}', '{{ partition_key }}', '{{ partition_start }}', '{{ partition_end }}',
  (SELECT count(*) FROM ${source} WHERE ${inWindow(cfg.updatedAt)}),
  (SELECT count(*) FROM ${stage} WHERE ${inWindow(cfg.updatedAt)}),
  (SELECT count(*) FROM ${target} WHERE ${inWindow(cfg.updatedAt)}),
  ${cfg.tolerancePercent}
ON CONFLICT (run_id, partition_key) DO UPDATE SET
  source_count = EXCLUDED.source_count, stage_count = EXCLUDED.stage_count,
  target_count = EXCLUDED.target_count, audited_at = now()`,
  }),
  checks: [
    checks.sql({
      name: 'counts_within_tolerance',
      sql: `SELECT partition_key, source_count, stage_count, off_percent FROM {{ table }}
WHERE run_id = '{{ run_id }}' AND partition_key = '{{ partition_key }}' AND off_percent > tolerance_percent`,
      expect: 'no_rows',
    }),
  ],
});

const updates = cfg.columns.filter((c) => c !== cfg.key).map((c) => `${c} = EXCLUDED.${c}`);

// An upsert by key, one statement, so the window is published whole or not at all. A row already newer in the
// target (a later window merged first) is kept, so windows may be merged in any order.
export const targetOrders = asset(target, {
  description: 'Orders as published: merged window by window by key; `_run_id` says which run wrote each row.',
  group,
  tags,
  deps: [auditOrders],
  partitions: { granularity: cfg.granularity, start: cfg.start, timezone: cfg.timezone },
  produce: sql({
    resource: cfg.resource,
    sql: `INSERT INTO ${target} AS t (${cols}, _run_id)
SELECT ${cols}, '{{ run_id }}' FROM ${stage} WHERE ${inWindow(cfg.updatedAt)}
ON CONFLICT (${cfg.key}) DO UPDATE SET ${updates.join(', ')}, _run_id = EXCLUDED._run_id, _published_at = now()
WHERE t.${cfg.updatedAt} <= EXCLUDED.${cfg.updatedAt}`,
  }),
  // After publishing: every staged row is in the target at its staged version or newer. It cannot unpublish,
  // but failing keeps the stage rows (the clean-up needs all_success) for whoever investigates.
  checks: [
    checks.sql({
      name: 'stage_rows_published',
      sql: `SELECT s.${cfg.key} FROM ${stage} s LEFT JOIN {{ table }} t ON t.${cfg.key} = s.${cfg.key}
WHERE ${inWindow(`s.${cfg.updatedAt}`)} AND (t.${cfg.key} IS NULL OR t.${cfg.updatedAt} < s.${cfg.updatedAt})`,
      expect: 'no_rows',
    }),
  ],
});

// all_success, not all_done: after a failed audit or merge the window's stage rows are the evidence, and a
// --resume merges from them without extracting again. Cleaning them regardless would let a resumed merge
// publish an empty window.
export const stageCleanup = asset(`${stage}_cleanup`, {
  kind: 'value',
  description: "Deletes the window's rows from stage once the target has them.",
  group,
  tags,
  deps: [targetOrders],
  trigger: 'all_success',
  partitions: { granularity: cfg.granularity, start: cfg.start, timezone: cfg.timezone },
  produce: sql({ resource: cfg.resource, sql: `DELETE FROM ${stage} WHERE ${inWindow(cfg.updatedAt)}` }),
});

// The schedule's cadence matches the windows (Dagster requires it), shortly after each window closes.
const cron = { hourly: '15 * * * *', daily: '30 1 * * *', weekly: '30 1 * * 0', monthly: '30 1 1 * *' }[cfg.granularity];

export default pipeline('incremental_orders', {
  description: 'Incremental time-window load of orders: stage, audit within tolerance, merge by key, clean stage.',
  select: `+${stageCleanup.key}`,
  schedule: { cron, start: cfg.start, timezone: cfg.timezone, catchup: false },
  tags,
  // Lost connections and timeouts are worth retrying; a failed audit is not (the same rows fail it again).
  retry: { maxAttempts: 3, delay: '30s', backoff: 'exponential', retryOn: ['network', 'timeout'] },
  timeout: '30m',
});
