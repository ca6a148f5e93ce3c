// sys_kill_all_session_pg: ends DWH sessions stuck in a transaction, so the main load does not wait on their locks.

import { asset, pipeline, sql } from 'sluice';

export const killSessionLog = asset('sys.kill_session_log', {
  description: 'One row per clean-up: the day and how many stuck sessions were terminated.',
  group: 'sys',
  partitions: { granularity: 'daily', start: '2025-01-01' },
  // Only sessions idle in a transaction for 15 minutes: an active load, or a pool's idle connection, is left alone.
  produce: sql({
    resource: 'dwh',
    sql: `CREATE SCHEMA IF NOT EXISTS sys;
CREATE TABLE IF NOT EXISTS sys.kill_session_log (
  load_date date NOT NULL,
  killed integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sys.kill_session_log (load_date, killed)
SELECT DATE '{{ ds }}', count(*) FILTER (WHERE pg_terminate_backend(pid))
FROM pg_stat_activity
WHERE datname = current_database()
  AND pid <> pg_backend_pid()
  AND state IN ('idle in transaction', 'idle in transaction (aborted)')
  AND state_change < now() - interval '15 minutes'`,
  }),
});

export default pipeline('sys_kill_all_session_pg', {
  description: 'Terminates DWH sessions stuck in a transaction; triggered by the main workflow before it loads.',
  select: 'sys.kill_session_log',
  tags: ['sys', 'dwh'],
});
