// WF_MAIN_DATASETS_LOAD_L2_TO_L2 end to end: the real CLI on PostgreSQL, with loopback SAP and SMTP peers.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src/storage/index.js';
import type { RunRecord, RunStore } from '../../src/storage/types.js';
import { type SapPeer, startSapPeer } from '../fixtures/sap-peer/index.js';
import { type SmtpPeer, startSmtpPeer } from '../fixtures/smtp-peer/index.js';
import { type CliResult, REPO, runNode } from '../support/cli.js';
import { throwawayDatabase } from './support/postgres.js';

const PIPELINE = 'wf_main_datasets_load_l2_to_l2';
const RECIPIENTS = ['dwh-ops@example.com', 'data-team@example.com'];
const db = throwawayDatabase('e2e_wf_main');
let sap: SapPeer;
let smtp: SmtpPeer;

async function sqlOn<T extends pg.QueryResultRow = Record<string, unknown>>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The run store the CLI wrote to (schema `sluice` of the test database). */
async function withStore<T>(work: (store: RunStore) => Promise<T>): Promise<T> {
  const store = await openRunStore({ url: db.url, root: REPO });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `sluice materialize pipeline:wf_main… --partition P` as a child process: DWH, SAP and SMTP on loopback, time × 0.001. */
function materialize(partition: string): Promise<CliResult> {
  return runNode(['materialize', `pipeline:${PIPELINE}`, '--partition', partition, '--store', db.url], {
    env: {
      SLUICE_CONN_DWH: db.url,
      SLUICE_CONN_SAP: sap.url,
      SMTP_URL: smtp.url(),
      EMAIL_RECIPIENTS: RECIPIENTS.join(','),
      SLUICE_TIME_SCALE: '0.001',
    },
    timeoutMs: 90_000,
  });
}

const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** The L1→L2 side of the DWH, as the upstream jobs leave it: flags for `days`, and the L2 clients. */
async function seedDwh(flagDays: string[]): Promise<void> {
  const flags = flagDays.map((d) => `('L1_TO_L2_FULL_LOAD', DATE '${d}', 'success')`).join(', ');
  await sqlOn(`CREATE SCHEMA md;
CREATE TABLE md.dwh_flag (flag_name text NOT NULL, load_date date NOT NULL, status text NOT NULL);
${flags ? `INSERT INTO md.dwh_flag VALUES ${flags};` : ''}
CREATE SCHEMA l2;
CREATE TABLE l2.ds_client (client_id bigint PRIMARY KEY, region text NOT NULL, turnover numeric NOT NULL);
INSERT INTO l2.ds_client VALUES (1, 'Tashkent', 250000), (2, 'Tashkent', 12000), (3, 'Samarkand', 900), (4, 'Bukhara', 40000);`);
}

async function mainRuns(store: RunStore): Promise<RunRecord[]> {
  return (await store.listRuns({ pipeline: PIPELINE })).reverse();
}

const flagPosts = () => sap.requests.filter((r) => r.method === 'POST' && r.path === '/sap/segmentation/flag');

beforeAll(async () => {
  // Fails every test, loudly, when PostgreSQL is not there: these tests never skip.
  await db.create();
  sap = await startSapPeer();
  smtp = await startSmtpPeer();
});

afterAll(async () => {
  await sap?.close();
  await smtp?.close();
  await db.drop();
});

beforeEach(async () => {
  await db.create();
  await sqlOn('DROP SCHEMA IF EXISTS md, l2, rpt, sys, wk_export, sluice CASCADE');
  sap.requests.length = 0;
  sap.recover();
  smtp.messages.length = 0;
});

// Each case starts one or two CLI processes (project load, child runs, an hour-long sensor at × 0.001).
describe(`${PIPELINE} through the real CLI`, { timeout: 120_000 }, () => {
  it('succeeds: one SAP flag per load with its load id, sessions marked success, child runs recorded, no e-mail', async () => {
    await seedDwh(['2025-01-01', '2025-01-02']);
    const first = await materialize('2025-01-01');
    expect(first.status, show(first)).toBe(0);
    const second = await materialize('2025-01-02');
    expect(second.status, show(second)).toBe(0);

    const sessions = await sqlOn<{ load_id: string; status: string; load_date: string }>(
      "SELECT load_id, status, to_char(load_date, 'YYYY-MM-DD') AS load_date FROM md.wf_session ORDER BY load_date",
    );
    const runs = await withStore(mainRuns);
    expect(runs.map((r) => [r.status, r.partitions])).toEqual([
      ['succeeded', ['2025-01-01']],
      ['succeeded', ['2025-01-02']],
    ]);
    // The load id is the run id: the session row, md.load_id and the SAP flag all carry it.
    expect(sessions).toEqual([
      { load_id: runs[0]?.id, status: 'success', load_date: '2025-01-01' },
      { load_id: runs[1]?.id, status: 'success', load_date: '2025-01-02' },
    ]);
    expect(flagPosts().map((r) => r.json)).toEqual([
      { load_id: runs[0]?.id, load_date: '2025-01-01', dataset: 'wk_export.ds_client_segmentation_last_v' },
      { load_id: runs[1]?.id, load_date: '2025-01-02', dataset: 'wk_export.ds_client_segmentation_last_v' },
    ]);
    expect(await sqlOn('SELECT load_id FROM md.load_id ORDER BY load_seq')).toEqual(
      sessions.map((s) => ({ load_id: s.load_id })),
    );

    // The triggered pipelines did their work, each as a child run of the main run.
    expect(await sqlOn('SELECT region, clients::int FROM rpt.ds_client_by_region ORDER BY region')).toEqual([
      { region: 'Bukhara', clients: 1 },
      { region: 'Samarkand', clients: 1 },
      { region: 'Tashkent', clients: 2 },
    ]);
    expect(await sqlOn('SELECT client_id::int, segment FROM wk_export.ds_client_segmentation_last_v ORDER BY client_id')).toEqual(
      [
        { client_id: 1, segment: 'premium' },
        { client_id: 2, segment: 'standard' },
        { client_id: 3, segment: 'mass' },
        { client_id: 4, segment: 'standard' },
      ],
    );
    expect(await sqlOn("SELECT to_char(load_date, 'YYYY-MM-DD') AS day FROM sys.kill_session_log ORDER BY load_date")).toEqual([
      { day: '2025-01-01' },
      { day: '2025-01-02' },
    ]);
    await withStore(async (store) => {
      const children = (await store.listRuns()).filter((r) => r.tags?.parent_run_id === runs[1]?.id);
      expect(children.map((r) => [r.pipeline, r.launchedBy, r.status, r.partitions]).sort()).toEqual([
        ['l1_to_l2_p_load_data_ds_client_segmentation_full', 'trigger', 'succeeded', ['2025-01-02']],
        ['sys_kill_all_session_pg', 'trigger', 'succeeded', ['2025-01-02']],
        ['wf_data_preparation_for_reports', 'trigger', 'succeeded', ['2025-01-02']],
      ]);
      // The second day waited for the first: its external_run sensor found run 1.
      const ticks = (await store.events(runs[1]?.id as string)).filter((e) => e.type === 'sensor_tick');
      expect(ticks.map((e) => e.message)).toContain(`poke 1: pipeline ${PIPELINE} succeeded (2025-01-01: run ${runs[0]?.id})`);
    });
    expect(smtp.messages).toEqual([]);
  });

  it('fails when the L2 flag never comes: the sensor times out, e-mail goes out, SAP is never called', async () => {
    await seedDwh([]);
    const r = await materialize('2025-01-01');
    expect(r.status, show(r)).toBe(1);
    const [run] = await withStore(mainRuns);
    const steps = await withStore((store) => store.assetRuns(run?.id as string));
    const byKey = Object.fromEntries(steps.map((s) => [s.assetKey, s]));
    expect(byKey['md.dwh_flag']).toMatchObject({ status: 'failed', attempts: 1 });
    // About 60 pokes, 60 s apart, in an hour; fewer when the queries themselves take time.
    expect(byKey['md.dwh_flag']?.error).toMatch(
      /^sql sensor of "md\.dwh_flag" did not hold within 3600s \(\d+ pokes; last: no row yet\)$/,
    );
    expect(byKey['md.load_id']?.status).toBe('upstream_failed');
    expect(byKey['sap.segmentation_flag']?.status).toBe('upstream_failed');
    expect(byKey['wf.main_datasets_load_l2_to_l2.on_failure']?.status).toBe('succeeded');
    expect(sap.requests).toEqual([]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.envelope.to.sort()).toEqual([...RECIPIENTS].sort());
    expect(smtp.messages[0]?.subject).toContain(PIPELINE);
    expect(smtp.messages[0]?.text).toContain('md.dwh_flag');
  });

  it('fails when SAP answers 500: the flag is retried per its policy, then e-mail, session marked failed', async () => {
    await seedDwh(['2025-01-01']);
    sap.failWith(500);
    const r = await materialize('2025-01-01');
    expect(r.status, show(r)).toBe(1);
    const [run] = await withStore(mainRuns);
    // maxAttempts 3: the first try and two retries, 30 s and 60 s apart (scaled by SLUICE_TIME_SCALE).
    expect(flagPosts().map((p) => [p.status, (p.json as { load_id: string }).load_id])).toEqual([
      [500, run?.id],
      [500, run?.id],
      [500, run?.id],
    ]);
    const steps = await withStore((store) => store.assetRuns(run?.id as string));
    const flag = steps.find((s) => s.assetKey === 'sap.segmentation_flag');
    expect(flag).toMatchObject({ status: 'failed', attempts: 3 });
    expect(flag?.error).toContain('answered 500');
    expect(steps.find((s) => s.assetKey === 'wf.wf_data_preparation_for_reports')?.status).toBe('succeeded');
    expect(await sqlOn('SELECT status FROM md.wf_session')).toEqual([{ status: 'failed' }]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.text).toContain('sap.segmentation_flag');
  });
});
