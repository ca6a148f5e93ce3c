// WF_MAIN_DATASETS_LOAD_L2_TO_L2 (seed 002): gated by sensors, registered in md, fans out to triggered pipelines and SAP.

import { asset, email, http, pipeline, sensors, sourceAsset, sql, trigger } from 'sluice';

const GROUP = 'wf_main_datasets_load_l2_to_l2';
// One day per run. The partition is the data day: the run for 2025-01-10 waits for that day's L1→L2 load.
const DAILY = { granularity: 'daily', start: '2025-01-01' } as const;
const WF_NAME = 'WF_MAIN_DATASETS_LOAD_L2_TO_L2';

// The workflow's own metadata tables, created by the first step that writes them (and by the failure step,
// which may run when that one never did), so a fresh DWH works.
const MD_TABLES = `CREATE SCHEMA IF NOT EXISTS md;
CREATE TABLE IF NOT EXISTS md.load_id (
  load_id text PRIMARY KEY,
  load_seq bigserial UNIQUE,
  load_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS md.wf_session (
  load_id text PRIMARY KEY REFERENCES md.load_id (load_id),
  wf_name text NOT NULL,
  load_date date NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);`;

export const dwhFlag = sourceAsset('md.dwh_flag', {
  description: "Load flags the DWH's L1→L2 jobs write; a success row for the day means L2 is complete.",
  group: GROUP,
  resource: 'dwh',
  // wait_for_l2_full_load: checks every 60 s; an hour without the flag fails the run (and sends the e-mail).
  sensor: sensors.sql({
    resource: 'dwh',
    sql: `SELECT 1 FROM md.dwh_flag
WHERE flag_name = 'L1_TO_L2_FULL_LOAD' AND load_date = DATE '{{ ds }}' AND status = 'success'`,
    pokeInterval: '60s',
    timeout: '1h',
  }),
});

export const previousDay = sourceAsset('wf.main_datasets_load_l2_to_l2.previous_day', {
  kind: 'value',
  description: "The previous day's run of this workflow; today's run must not overtake it.",
  group: GROUP,
  // wait_for_success_end: the first partition (2025-01-01) has no previous day, so it does not wait.
  sensor: sensors.externalRun({
    pipeline: 'wf_main_datasets_load_l2_to_l2',
    partitionOffset: -1,
    pokeInterval: '100s',
    timeout: '2h',
  }),
});

// get_load_id: the run id is already unique per run, so it is the load id; md.load_id records it with a sequence number.
export const loadId = asset('md.load_id', {
  description: 'One row per workflow run: the load id the session, SAP and the logs refer to.',
  group: GROUP,
  deps: [dwhFlag],
  partitions: DAILY,
  produce: sql({
    resource: 'dwh',
    sql: `${MD_TABLES}
INSERT INTO md.load_id (load_id, load_date) VALUES ('{{ run_id }}', DATE '{{ ds }}')
ON CONFLICT (load_id) DO NOTHING`,
  }),
});

export const wfSession = asset('md.wf_session', {
  description: "workflow_registration: the run's session row in the metadata schema, status 'running'.",
  group: GROUP,
  deps: [loadId],
  partitions: DAILY,
  produce: sql({
    resource: 'dwh',
    sql: `INSERT INTO md.wf_session (load_id, wf_name, load_date, status) VALUES ('{{ run_id }}', '${WF_NAME}', DATE '{{ ds }}', 'running')
ON CONFLICT (load_id) DO UPDATE SET status = 'running', ended_at = NULL`,
  }),
});

export const killSessions = asset('wf.sys_kill_all_session_pg', {
  kind: 'value',
  description: 'run_sys_kill_all_session_pg: clears stuck DWH sessions before the heavy work starts.',
  group: GROUP,
  deps: [wfSession, previousDay],
  partitions: DAILY,
  produce: trigger({ pipeline: 'sys_kill_all_session_pg' }),
});

export const reports = asset('wf.wf_data_preparation_for_reports', {
  kind: 'value',
  description: 'run_wf_data_preparation_for_reports: the reporting datasets, one at a time (pool "reports").',
  group: GROUP,
  deps: [killSessions],
  partitions: DAILY,
  pool: 'reports',
  produce: trigger({ pipeline: 'wf_data_preparation_for_reports' }),
});

export const segmentation = asset('wf.l1_to_l2_p_load_data_ds_client_segmentation_full', {
  kind: 'value',
  description: 'segmentation_group.load_ds_client_segmentation: reloads the client segmentation.',
  group: GROUP,
  deps: [killSessions],
  partitions: DAILY,
  produce: trigger({ pipeline: 'l1_to_l2_p_load_data_ds_client_segmentation_full' }),
});

export const sapFlag = asset('sap.segmentation_flag', {
  kind: 'api',
  description: 'segmentation_group.send_flg_to_sap: tells SAP the segmentation of this load is ready.',
  group: GROUP,
  deps: [segmentation],
  partitions: DAILY,
  produce: http({
    resource: 'sap',
    method: 'POST',
    url: '/segmentation/flag',
    body: '{"load_id": "{{ run_id }}", "load_date": "{{ ds }}", "dataset": "wk_export.ds_client_segmentation_last_v"}',
  }),
  // SAP is the one flaky neighbour: 5xx and network errors are tried again after 30 s, then 60 s.
  retry: { maxAttempts: 3, delay: '30s', backoff: 'exponential', retryOn: ['network'] },
});

export const end = asset('wf.main_datasets_load_l2_to_l2.end', {
  kind: 'value',
  description: 'end: marks the session successful once both branches are done.',
  group: GROUP,
  deps: [reports, sapFlag],
  partitions: DAILY,
  produce: sql({
    resource: 'dwh',
    sql: `UPDATE md.wf_session SET status = 'success', ended_at = now() WHERE load_id = '{{ run_id }}'`,
  }),
});

// The seed's email_on_failure (one_failed) is the pipeline's onFailure e-mail; this step closes the session instead.
export const onFailure = asset('wf.main_datasets_load_l2_to_l2.on_failure', {
  kind: 'value',
  description: 'Marks the session failed when any step failed (it is skipped when all went well).',
  group: GROUP,
  deps: [end],
  partitions: DAILY,
  trigger: 'one_failed',
  produce: sql({
    resource: 'dwh',
    sql: `${MD_TABLES}
UPDATE md.wf_session SET status = 'failed', ended_at = now() WHERE load_id = '{{ run_id }}'`,
  }),
});

export default pipeline('wf_main_datasets_load_l2_to_l2', {
  description:
    'Main L2→L2 dataset load: waits for L2 and for yesterday, cleans sessions, prepares reports and segmentation, flags SAP.',
  select: `group:${GROUP}`,
  schedule: { cron: '@daily', start: '2025-01-01', catchup: false, maxActiveRuns: 1 },
  tags: ['dwh', 'l2', 'sap'],
  onFailure: [email({ toEnv: 'EMAIL_RECIPIENTS' })],
});
