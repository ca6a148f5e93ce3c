// Replication fan-out (seed 003): a dated CSV snapshot of production, loaded into dev, staging and QA in parallel.

import { asset, pipeline, shell, sourceAsset } from 'sluice';

/** The table replicated; the scripts take it as an argument, so another table is one more pipeline like this. */
const TABLE = 'public.customers';

// The seed's policy: 2 attempts, 300 s apart. An exit code cannot tell a dropped connection from bad data, so
// every failure is retried; that is safe because the dump publishes by rename and each load is one transaction.
const retry = { maxAttempts: 2, delay: '300s' };
// A hung connection must not hold the day's run for ever; a day's snapshot of one table takes minutes at most.
const timeout = '2h';

export const prodCustomers = sourceAsset('prod.customers', {
  kind: 'table',
  description: `${TABLE} in the production database (PROD_DB_URL).`,
  group: 'replication',
});

export const prodSnapshot = asset('files.prod_snapshot', {
  kind: 'file',
  description: `CSV snapshot of production ${TABLE}: $CSV_OUTPUT_PATH/prod_snapshot_<YYYYMMDD>.csv (default .sluice/files), written under a temporary name and renamed.`,
  group: 'replication',
  tags: ['replication'],
  deps: [prodCustomers],
  produce: shell({ command: `bash assets/scripts/dump_prod_csv.sh ${TABLE} {{ ds_nodash }}` }),
  retry,
  timeout,
});

/** One environment's copy of the table, loaded from the day's snapshot in a single transaction. */
function load(env: 'dev' | 'staging' | 'qa', variable: string) {
  return asset(`${env}.customers`, {
    kind: 'table',
    description: `${TABLE} in the ${env} database (${variable}), refreshed from the day's production snapshot; a failed load leaves it unchanged.`,
    group: 'replication',
    tags: ['replication', env],
    deps: [prodSnapshot],
    produce: shell({ command: `bash assets/scripts/load_snapshot.sh ${variable} ${TABLE} {{ ds_nodash }}` }),
    retry,
    timeout,
  });
}

export const devCustomers = load('dev', 'DEV_DB_URL');
export const stagingCustomers = load('staging', 'STAGING_DB_URL');
export const qaCustomers = load('qa', 'QA_DB_URL');

export default pipeline('replicate_prod_to_envs', {
  description: 'Daily refresh of the dev, staging and QA databases from a CSV snapshot of production, loaded in parallel.',
  select: '+dev.customers or +staging.customers or +qa.customers',
  schedule: { cron: '@daily', start: '2025-01-01', catchup: false },
  tags: ['replication', 'fan-out'],
});
