// Pipelines the export tests share: the seed's RunELT_Alert, a rich one using every exportable feature, a hostile one.

import {
  type AssetDefinition,
  asset,
  checks,
  ctas,
  email,
  fn,
  http,
  type PipelineDefinition,
  pipeline,
  sensors,
  shell,
  slack,
  sourceAsset,
  sql,
  swap,
  trigger,
} from '../../src/definitions/index.js';
import type { ExportInput } from '../../src/export/index.js';

/** The input the graph layer would build: assets in topological order, ties sorted by key. */
export function toInput(p: PipelineDefinition, defs: AssetDefinition[]): ExportInput {
  const remaining = new Map(defs.map((d) => [d.key, d.spec]));
  const done = new Set<string>();
  const ordered = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()]
      .filter((s) => s.deps.every((d) => done.has(d)))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    if (ready.length === 0) throw new Error('cycle in fixture');
    for (const s of ready) {
      ordered.push(s);
      done.add(s.key);
      remaining.delete(s.key);
    }
  }
  return { pipeline: p.spec, assets: ordered };
}

// ---- the seed: RunELT_Alert -------------------------------------------------------------------------

const sessions = sourceAsset('raw_data.session_timestamp', { kind: 'table', resource: 'warehouse' });
const channels = sourceAsset('raw_data.user_session_channel', { kind: 'table', resource: 'warehouse' });
const tempMau = asset('analytics.temp_mau_summary', {
  deps: [sessions, channels],
  produce: ctas({
    resource: 'warehouse',
    sql: `SELECT DATE_TRUNC('month', s.ts) AS month, COUNT(DISTINCT c.userid) AS mau
FROM raw_data.session_timestamp s JOIN raw_data.user_session_channel c USING (sessionid)
GROUP BY 1`,
  }),
  checks: [checks.rowCount({ min: 1, blocking: true })],
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
});
const mau = asset('analytics.mau_summary', {
  deps: [tempMau],
  produce: swap({ resource: 'warehouse', from: 'analytics.temp_mau_summary' }),
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
});

/** The seed pipeline: CTAS into a temp table, zero-row check, swap; @daily from 2025-01-10, Slack on failure. */
export const runEltAlert = toInput(
  pipeline('run_elt_alert', {
    select: '+analytics.mau_summary',
    schedule: { cron: '@daily', start: '2025-01-10', catchup: false },
    tags: ['ELT'],
    onFailure: [slack({ channel: '#data-alerts' })],
  }),
  [sessions, channels, tempMau, mau],
);

// ---- a small pipeline for view-model assertions ------------------------------------------------------

const rawOrders = sourceAsset('raw.orders');
const ordersDaily = asset('mart.orders_daily', {
  deps: [rawOrders],
  produce: sql({ sql: 'INSERT INTO mart.orders_daily SELECT * FROM raw.orders' }),
  retry: { maxAttempts: 2, delay: '30s' },
});

/** Two assets, one SQL producer, a fixed retry, an hourly schedule in UTC. */
export const small = toInput(
  pipeline('small', { select: '+mart.orders_daily', schedule: { cron: '0 * * * *', start: '2025-03-01' } }),
  [rawOrders, ordersDaily],
);

// ---- rich: every exportable feature ------------------------------------------------------------------

const daily = { granularity: 'daily', start: '2025-01-10', timezone: 'Europe/Berlin' } as const;

const flag = sourceAsset('md.dwh_flag', {
  resource: 'dwh',
  sensor: sensors.sql({
    resource: 'dwh',
    sql: "SELECT 1 FROM md.dwh_flag WHERE status = 'ok'",
    pokeInterval: '60s',
    timeout: '2h',
  }),
});
const l1 = sourceAsset('l1.full_load', {
  kind: 'value',
  sensor: sensors.externalRun({ pipeline: 'l1_to_l2_load', partitionOffset: -1, pokeInterval: '100s' }),
});
const snapshot = sourceAsset('files.prod_snapshot', {
  kind: 'file',
  sensor: sensors.file({ path: '/data/in/prod_{{ ds_nodash }}.csv', pokeInterval: '5m', timeout: '6h' }),
});
const richTemp = asset('analytics.temp_mau_summary', {
  deps: [flag, l1],
  produce: ctas({ resource: 'dwh', sql: 'SELECT month, COUNT(*) AS mau FROM raw.sessions GROUP BY 1' }),
  checks: [checks.rowCount({ min: 1, blocking: true })],
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
  partitions: daily,
});
const richMau = asset('analytics.mau_summary', {
  deps: [richTemp],
  produce: swap({ resource: 'dwh', from: 'analytics.temp_mau_summary' }),
  pool: 'dwh_pool',
  timeout: '10m',
  partitions: daily,
});
const ordersClean = asset('staging.orders_clean', {
  deps: [flag],
  produce: ctas({ sql: 'SELECT * FROM raw.orders WHERE amount > 0', staging: 'staging.orders_clean_next' }),
  checks: [
    checks.sql({ name: 'no_negative', sql: 'SELECT 1 FROM staging.orders_clean_next WHERE amount < 0', expect: 'no_rows' }),
    checks.countTolerance({ against: 'raw.orders', tolerancePercent: 2, blocking: false }),
  ],
  retry: { maxAttempts: 4, delay: '30s', backoff: 'linear', maxDelay: '75s' },
  partitions: daily,
});
const dump = asset('files.prod_dump', {
  kind: 'file',
  deps: [snapshot],
  produce: shell({ command: 'bash scripts/dump.sh {{ ds_nodash }}', env: { TARGET_ENV: 'dev' } }),
  retry: { maxAttempts: 2, delay: '300s' },
  partitions: daily,
});
const segmentation = asset('sap.segmentation_flag', {
  kind: 'api',
  deps: [richMau, ordersClean],
  produce: http({ resource: 'sap', url: '/segmentation/flag', body: '{"load_id": "{{ run_id }}", "day": "{{ ds }}"}' }),
  retry: { maxAttempts: 3, delay: '20s', backoff: 'linear' },
  partitions: daily,
});
const killSessions = asset('ops.kill_sessions', {
  kind: 'value',
  deps: [segmentation],
  produce: trigger({ pipeline: 'sys_kill_all_session_pg' }),
  partitions: daily,
});
const features = asset('ml.features', {
  kind: 'value',
  deps: [richMau, dump],
  produce: fn(async () => ({ rowCount: 1 })),
  timeout: '30m',
  partitions: daily,
});
const alert = asset('ops.alert_on_failure', {
  kind: 'value',
  deps: [killSessions, features],
  produce: shell({ command: 'echo "a step of wf_main failed" >&2' }),
  trigger: 'one_failed',
  partitions: daily,
});

/** Every exportable feature: sql/external_run/file sensors, each producer, each backoff, one_failed, pool, partitions. */
export const rich = toInput(
  pipeline('wf_main', {
    select: '+ops.alert_on_failure',
    description: 'Loads L2 datasets, segments clients and flags SAP.',
    owner: 'dwh-team',
    schedule: { cron: '0 6 * * *', start: '2025-01-10', timezone: 'Europe/Berlin', catchup: false, maxActiveRuns: 1 },
    tags: ['ELT', 'L2'],
    onFailure: [slack({ channel: '#data-alerts' }), email({ to: ['oncall@example.com'], toEnv: 'EMAIL_RECIPIENTS' })],
  }),
  [flag, l1, snapshot, richTemp, richMau, ordersClean, dump, segmentation, killSessions, features, alert],
);

/** The options the rich pipeline exports with: `dwh` is PostgreSQL, the rest Snowflake. */
export const richOptions = {
  resources: { dwh: { dialect: 'postgres' as const, connectionId: 'dwh_postgres' } },
  projectDir: '/opt/sluice-project',
};

// ---- hostile text ------------------------------------------------------------------------------------

/** Quotes, triple quotes, backslashes, newlines, Jinja, non-ASCII, NUL-free (keys reject control characters). */
export const HOSTILE = {
  key: `class.def """it's" \\ {{ x }} {% if %} é→🙂`,
  description: `line one\n"""triple""" and '''single''' \\n not a newline \\\nNUL:\u0000 tab\t{{ ds }} {% raw %} ünï 🙂\r\n"); __import__("os").system("echo pwned"); ("`,
  sql: `SELECT '{{ not jinja }}' AS a, '{% endraw %}' AS b, "x""y" AS c, '\\' AS d, '''' AS e, '{{x.y}}{#c#}' AS f\n-- """ comment ü\nFROM t\n`,
  tag: `tag "quoted" \\ {{ t }} 日本`,
};

const hostileSource = sourceAsset('None', {
  description: HOSTILE.description,
  tags: [HOSTILE.tag],
  checks: [checks.rowCount({ min: 1, blocking: false })],
});
const hostileAsset = asset(HOSTILE.key, {
  deps: [hostileSource],
  description: HOSTILE.description,
  tags: [HOSTILE.tag],
  produce: sql({ sql: HOSTILE.sql }),
});
const keywordAsset = asset('import.lambda.return', { deps: [hostileAsset], produce: sql({ sql: 'SELECT 1' }) });

/** Asset keys, descriptions, SQL and tags that try to break out of Python string literals or Jinja. */
export const hostile = toInput(
  pipeline('hostile', {
    select: '*',
    description: HOSTILE.description,
    tags: [HOSTILE.tag],
    schedule: { cron: '@hourly', start: '2025-01-01' },
  }),
  [hostileSource, hostileAsset, keywordAsset],
);
