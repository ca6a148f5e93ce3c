// RunELT_Alert (seeds 000/001): monthly active users built aside in a temp table, checked, then swapped in.

import { asset, checks, ctas, pipeline, slack, sourceAsset, swap } from 'sluice';

export const sessionTimestamp = sourceAsset('raw_data.session_timestamp', {
  description: 'One row per session with its start time.',
  group: 'raw_data',
});

export const userSessionChannel = sourceAsset('raw_data.user_session_channel', {
  description: 'Which user opened which session, through which channel.',
  group: 'raw_data',
});

// The SELECT is plain ANSI plus DATE_TRUNC, so it runs unchanged on DuckDB, PostgreSQL and Snowflake.
export const tempMauSummary = asset('analytics.temp_mau_summary', {
  description: 'Monthly active users, built aside so a bad build never reaches readers.',
  group: 'analytics',
  tags: ['ELT'],
  deps: [sessionTimestamp, userSessionChannel],
  produce: ctas({
    sql: `SELECT DATE_TRUNC('month', s.ts) AS month, COUNT(DISTINCT c.userid) AS mau
FROM raw_data.session_timestamp s
JOIN raw_data.user_session_channel c ON c.sessionid = s.sessionid
GROUP BY 1`,
  }),
  // Zero rows means the sources were empty or the join broke: stop before the swap.
  checks: [checks.rowCount({ min: 1, name: 'not_empty' })],
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential', retryOn: ['timeout', 'network', 'validation'] },
});

export const mauSummary = asset('analytics.mau_summary', {
  description: 'Monthly active users, published atomically from the checked temp table.',
  group: 'analytics',
  tags: ['ELT'],
  deps: [tempMauSummary],
  produce: swap({ from: 'analytics.temp_mau_summary' }),
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential', retryOn: ['timeout', 'network'] },
});

export default pipeline('run_elt_alert', {
  description: 'ELT of monthly active users with a zero-row guard and an atomic swap; Slack on failure.',
  select: '+analytics.mau_summary',
  schedule: { cron: '@daily', start: '2025-01-10', catchup: false },
  tags: ['ELT'],
  onFailure: [slack({ channel: '#data-alerts' })],
});
