// A report that follows RunELT_Alert: each time analytics.mau_summary is published, the daemon refreshes
// the month-over-month trend — no schedule to keep in step with the upstream one.

import { asset, checks, ctas, pipeline, sensors } from 'sluice';
import { mauSummary } from './run_elt_alert.js';

export const mauTrend = asset('analytics.mau_trend', {
  description: 'Monthly active users with the change from the month before, rebuilt after each publish of the summary.',
  group: 'analytics',
  tags: ['report'],
  deps: [mauSummary],
  // LAG over the month order is standard SQL: the same text runs on DuckDB, PostgreSQL and Snowflake.
  produce: ctas({
    sql: `SELECT month, mau, mau - LAG(mau) OVER (ORDER BY month) AS mau_change
FROM analytics.mau_summary`,
  }),
  checks: [checks.rowCount({ min: 1, name: 'not_empty' })],
});

export default pipeline('mau_trend', {
  description: 'Refreshes the MAU trend report whenever run_elt_alert publishes a new analytics.mau_summary.',
  select: 'analytics.mau_trend',
  tags: ['report'],
  sensors: [sensors.assetMaterialized({ asset: 'analytics.mau_summary', name: 'mau_published', pokeInterval: '1m' })],
});
