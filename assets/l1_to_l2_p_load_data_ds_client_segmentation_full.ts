// l1_to_l2_p_load_data_ds_client_segmentation_full: the day's client segmentation and the export view SAP reads.

import { asset, checks, pipeline, sql } from 'sluice';
import { dsClient } from './wf_data_preparation_for_reports.js';

const DAILY = { granularity: 'daily', start: '2025-01-01' } as const;

// The day's rows are replaced in one statement batch (one implicit transaction), so a retry never doubles them.
export const clientSegmentation = asset('l2.ds_client_segmentation', {
  description: 'Segment of every client per load day, by turnover.',
  group: 'l2',
  deps: [dsClient],
  partitions: DAILY,
  produce: sql({
    resource: 'dwh',
    sql: `CREATE TABLE IF NOT EXISTS l2.ds_client_segmentation (
  load_date date NOT NULL,
  client_id bigint NOT NULL,
  segment text NOT NULL,
  PRIMARY KEY (load_date, client_id)
);
DELETE FROM l2.ds_client_segmentation WHERE load_date = DATE '{{ ds }}';
INSERT INTO l2.ds_client_segmentation (load_date, client_id, segment)
SELECT DATE '{{ ds }}', client_id,
  CASE WHEN turnover >= 100000 THEN 'premium' WHEN turnover >= 10000 THEN 'standard' ELSE 'mass' END
FROM l2.ds_client`,
  }),
  checks: [
    checks.sql({
      name: 'segmented_today',
      sql: "SELECT 1 FROM l2.ds_client_segmentation WHERE load_date = DATE '{{ ds }}'",
      expect: 'rows',
    }),
  ],
});

// A view, not a swapped table: readers (and SAP's export job) always see the newest complete day.
export const segmentationLast = asset('wk_export.ds_client_segmentation_last_v', {
  description: 'The latest day of the client segmentation, for export to SAP.',
  group: 'wk_export',
  deps: [clientSegmentation],
  partitions: DAILY,
  produce: sql({
    resource: 'dwh',
    sql: `CREATE SCHEMA IF NOT EXISTS wk_export;
CREATE OR REPLACE VIEW wk_export.ds_client_segmentation_last_v AS
SELECT client_id, segment, load_date
FROM l2.ds_client_segmentation
WHERE load_date = (SELECT MAX(load_date) FROM l2.ds_client_segmentation)`,
  }),
  checks: [checks.rowCount({ min: 1, name: 'not_empty' })],
});

export default pipeline('l1_to_l2_p_load_data_ds_client_segmentation_full', {
  description: 'Full reload of the client segmentation; triggered by wf_main_datasets_load_l2_to_l2.',
  select: 'l2.ds_client_segmentation or wk_export.ds_client_segmentation_last_v',
  tags: ['l2', 'segmentation', 'dwh'],
});
