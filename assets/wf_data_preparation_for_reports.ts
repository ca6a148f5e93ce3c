// wf_data_preparation_for_reports: the reporting datasets built from L2, triggered by the main workflow.

import { asset, checks, ctas, pipeline, sourceAsset } from 'sluice';

export const dsClient = sourceAsset('l2.ds_client', {
  description: 'Clients in L2, one row each with region and turnover; loaded by the L1→L2 jobs.',
  group: 'l2',
  resource: 'dwh',
});

export const clientsByRegion = asset('rpt.ds_client_by_region', {
  description: 'Clients and turnover per region for the day: what the regional reports read.',
  group: 'rpt',
  deps: [dsClient],
  partitions: { granularity: 'daily', start: '2025-01-01' },
  produce: ctas({
    resource: 'dwh',
    sql: `SELECT region, COUNT(*) AS clients, SUM(turnover) AS turnover, DATE '{{ ds }}' AS report_date
FROM l2.ds_client
GROUP BY region`,
  }),
  // No clients means L2 was empty: the reports must not be built from nothing.
  checks: [checks.rowCount({ min: 1, name: 'not_empty' })],
});

export default pipeline('wf_data_preparation_for_reports', {
  description: 'Prepares the reporting datasets; triggered by wf_main_datasets_load_l2_to_l2.',
  select: 'rpt.ds_client_by_region',
  tags: ['reports', 'dwh'],
});
