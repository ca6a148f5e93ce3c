// An example pipeline: raw orders → daily revenue, built aside, checked, then published. Edit or replace it.

import { asset, checks, ctas, pipeline, sourceAsset } from 'sluice';

// A source: a table sluice reads but does not make. On the embedded DuckDB warehouse it is created from
// assets/data/raw.orders.csv the first time it is missing; elsewhere it is whatever the warehouse holds.
export const rawOrders = sourceAsset('raw.orders', {
  description: 'One row per order, as the shop writes them.',
  group: 'raw',
  // A source may carry a sensor that says when it is ready, e.g.
  // sensor: sensors.sql({ sql: "SELECT 1 FROM raw.orders WHERE ordered_at >= CURRENT_DATE", pokeInterval: '5m' }),
});

// A ctas: CREATE OR REPLACE TABLE mart.daily_revenue AS <select>. With `staging`, the SELECT lands in the
// staging table first and the checks run there; only when every blocking check passes is it swapped into
// mart.daily_revenue, so readers never see a bad build.
export const dailyRevenue = asset('mart.daily_revenue', {
  description: 'Orders and revenue per day.',
  group: 'mart',
  deps: [rawOrders],
  produce: ctas({
    sql: `SELECT CAST(ordered_at AS DATE) AS day, COUNT(*) AS orders, SUM(amount) AS revenue
FROM raw.orders
GROUP BY 1`,
    staging: 'mart.daily_revenue_staging',
  }),
  // Checks are blocking unless `blocking: false` (then a failure is only a warning).
  checks: [checks.rowCount({ min: 1, name: 'has_days' })],
  retry: { maxAttempts: 3, delay: '30s', backoff: 'exponential', retryOn: ['network', 'timeout'] },
  // Time windows instead of a full rebuild: partitions: { granularity: 'daily', start: '2025-01-01' },
  // then filter the SELECT with '{{ partition_start }}' and '{{ partition_end }}'.
});

// A pipeline: a named selection with a schedule. `+mart.daily_revenue` is the asset and everything upstream.
// It maps to one Airflow DAG, one Prefect flow or one Dagster job with `sluice export <target>`.
export default pipeline('daily_revenue', {
  description: 'Daily revenue, rebuilt every morning.',
  select: '+mart.daily_revenue',
  schedule: { cron: '0 6 * * *', start: '2025-01-01', catchup: false },
  tags: ['example'],
  // Alert on failure: onFailure: [slack({ channel: '#data-alerts' })],
});
