// incremental_orders on PostgreSQL through the real CLI: a backfill, a kill -9 mid-window then --resume, a failed audit.
//
// The three tests are one story on one database, in order, as days pass: days 1–3 are backfilled, days 4–6
// load while a reader holds a lock on a target row (the run is killed and resumed), day 7 meets late rows.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src/storage/index.js';
import type { DriveRow, RunStore } from '../../src/storage/types.js';
import { GUARD, REPO, runCli, runNode } from '../support/cli.js';
import { throwawayDatabase } from '../support/postgres.js';

const PIPELINE = 'pipeline:incremental_orders';
const PHASES = ['audit.orders_counts', 'dw.orders', 'stage.orders', 'stage.orders_cleanup'];
const day = (n: number) => `2025-03-0${n}`;

let db: Awaited<ReturnType<typeof throwawayDatabase>>;
let sql: pg.Client;
let store: RunStore;
let dir: string;
let storeUrl: string;
let env: Record<string, string>;

/** 20 orders changed on day `n`, ids n01–n20, spread over the day. */
async function ordersOfDay(n: number): Promise<void> {
  await sql.query(
    `INSERT INTO src.orders SELECT $1 * 100 + g, 'customer ' || g, g * 2.5, $2::timestamptz + g * interval '37 minutes'
     FROM generate_series(1, 20) g`,
    [n, day(n)],
  );
}

/** A later change to an order: new amount, `updated_at` moved into day `n`. */
async function change(id: number, n: number, amount: number): Promise<void> {
  await sql.query(`UPDATE src.orders SET amount = $2, updated_at = $3::timestamptz + interval '23 hours' WHERE id = $1`, [
    id,
    amount,
    day(n),
  ]);
}

/** Rows of `table` changed on day `n`, comparable across tables. */
async function windowRows(table: string, n: number): Promise<string[]> {
  const { rows } = await sql.query(
    `SELECT id, customer, amount::text, updated_at FROM ${table}
     WHERE updated_at >= $1::timestamptz AND updated_at < $1::timestamptz + interval '1 day' ORDER BY id`,
    [day(n)],
  );
  return rows.map((r) => JSON.stringify(r));
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Statements of sluice's warehouse connections that wait for a lock someone else holds. */
async function lockWaiters(): Promise<string[]> {
  const { rows } = await sql.query(
    `SELECT query FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'sluice' AND wait_event_type = 'Lock'`,
  );
  return rows.map((r) => String(r.query));
}

function start(args: string[]): { child: ChildProcess; done: Promise<{ status: number; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [`${REPO}bin/sluice.js`, ...args, '--store', storeUrl], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import ${GUARD}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

const cli = (args: string[]) => runNode([...args, '--store', storeUrl], { env });

/** The newest run of the pipeline with exactly these partitions, once the CLI has recorded it. */
async function runOf(partitions: string[]): Promise<string> {
  let id = '';
  await until(`the run of ${partitions.join(',')}`, async () => {
    const found = (await store.listRuns({ limit: 5 })).find((r) => r.partitions.join() === partitions.join());
    id = found?.id ?? '';
    return id !== '';
  });
  return id;
}

describe('incremental_orders on PostgreSQL', () => {
  beforeAll(async () => {
    // Fails the file loudly (with how to start it) when PostgreSQL is not there.
    db = await throwawayDatabase('incremental_orders');
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    // A killed client's statement otherwise runs on, and commits, once the lock it waits for is released;
    // production databases can set it for the same reason. The test asserts the killed merge wrote nothing.
    await sql.query(`ALTER DATABASE ${db.name} SET client_connection_check_interval = '200ms'`);
    await sql.query(`CREATE SCHEMA src;
      CREATE TABLE src.orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL)`);
    dir = mkdtempSync(join(tmpdir(), 'sluice-incremental-'));
    storeUrl = `sqlite:${join(dir, 'runs.db')}`;
    store = await openRunStore({ url: storeUrl, root: dir });
    // 0.1: heartbeats follow the scale, so a killed run is stale after 6 s instead of 60.
    env = { SLUICE_CONN_ORDERS_DB: db.url, SLUICE_TIME_SCALE: '0.1' };
  });

  afterAll(async () => {
    await store?.close();
    await sql?.end();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backfills three days: each window lands in the target exactly, and the drive table shows every phase', async () => {
    for (const n of [1, 2, 3]) await ordersOfDay(n);
    const run = await cli(['materialize', PIPELINE, '--from', day(1), '--to', day(3)]);
    expect(run.status, run.stdout + run.stderr).toBe(0);

    for (const n of [1, 2, 3]) {
      const target = await windowRows('dw.orders', n);
      expect(target).toHaveLength(20);
      expect(target).toEqual(await windowRows('src.orders', n));
    }
    expect((await sql.query('SELECT count(*)::int AS n FROM dw.orders')).rows[0].n).toBe(60);
    expect((await sql.query('SELECT count(*)::int AS n FROM stage.orders')).rows[0].n).toBe(0);

    const drive = await cli(['runs', 'drive', '--json']);
    expect(drive.status).toBe(0);
    const rows = (JSON.parse(drive.stdout) as DriveRow[]).filter((r) => r.pipeline === 'incremental_orders');
    const runId = rows[0]?.runId as string;
    expect(rows.every((r) => r.runId === runId && r.status === 'succeeded' && r.attempts === 1)).toBe(true);
    expect(rows.map((r) => `${r.assetKey}@${r.partition}`).sort()).toEqual(
      ['src.orders@', ...PHASES.flatMap((p) => [1, 2, 3].map((n) => `${p}@${day(n)}`))].sort(),
    );
    // Each phase's row count is what its last statement wrote: 20 orders staged, merged and cleaned up per
    // day, one audit row per window.
    const counts = Object.fromEntries(rows.map((r) => [`${r.assetKey}@${r.partition}`, r.rowCount]));
    for (const n of [1, 2, 3]) {
      expect([PHASES.map((p) => counts[`${p}@${day(n)}`])]).toEqual([[1, 20, 20, 20]]);
    }
    // The window bounds and the three counts of the audit are in the audit table, per run.
    const audits = await sql.query(
      `SELECT partition_key, window_start, window_end, source_count::int, stage_count::int, target_count::int
       FROM audit.orders_counts WHERE run_id = $1 ORDER BY partition_key`,
      [runId],
    );
    expect(audits.rows).toEqual(
      [1, 2, 3].map((n) => ({
        partition_key: day(n),
        window_start: new Date(`${day(n)}T00:00:00Z`),
        window_end: new Date(`${day(n + 1)}T00:00:00Z`),
        source_count: 20,
        stage_count: 20,
        target_count: 0,
      })),
    );
  });

  it('resumes a run killed while day 2 of the range waits on a lock, without redoing finished phases', async () => {
    for (const n of [4, 5, 6]) await ordersOfDay(n);
    await change(105, 5, 999); // an order of day 1, changed on day 5
    // A reader holds order 105 in the target, so day 5's merge (which updates it) waits.
    const reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query('SELECT * FROM dw.orders WHERE id = 105 FOR UPDATE');

    const { child, done } = start(['materialize', PIPELINE, '--from', day(4), '--to', day(6)]);
    const crashed = await runOf([day(4), day(5), day(6)]);
    await until('every phase but day 5 merge and clean-up to finish', async () => {
      const finished = (await store.assetRuns(crashed)).filter((a) => a.status === 'succeeded');
      return finished.length === 11 && (await lockWaiters()).some((q) => q.includes('INSERT INTO dw.orders'));
    });
    child.kill('SIGKILL');
    await done;
    await until('the killed merge to be cancelled by the server', async () => (await lockWaiters()).length === 0);
    await reader.query('ROLLBACK');
    await reader.end();
    expect((await sql.query('SELECT amount::text FROM dw.orders WHERE id = 105')).rows[0].amount).toBe('12.50');

    const before = (await store.getRun(crashed))!;
    expect(before.status).toBe('running'); // nobody was left to say otherwise
    // A run may be resumed once its heartbeat is stale: 6 s at this time scale.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(before.heartbeatAt) + 6_300 - Date.now())));
    const resumed = await cli(['materialize', '--resume', crashed, '--json']);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.resumedFrom).toBe(crashed);
    const rerun = [`dw.orders@${day(5)}`, `stage.orders_cleanup@${day(5)}`];
    // Reused steps end as skipped, naming the run they succeeded in.
    for (const step of result.steps as { id: string; status: string; reusedFrom: string | null }[]) {
      const again = rerun.includes(step.id);
      expect([step.status, step.reusedFrom], step.id).toEqual(again ? ['succeeded', null] : ['skipped', crashed]);
    }
    const started = (await store.events(result.runId)).filter((e) => e.type === 'asset_started');
    expect(started.map((e) => `${e.assetKey}@${e.partition}`).sort()).toEqual(rerun);

    // The database agrees: one audit per window (by the crashed run), days 4 and 6 published by it, day 5 by the resume.
    const audits = await sql.query(
      `SELECT partition_key, run_id FROM audit.orders_counts WHERE partition_key >= $1 ORDER BY partition_key`,
      [day(4)],
    );
    expect(audits.rows).toEqual([4, 5, 6].map((n) => ({ partition_key: day(n), run_id: crashed })));
    const writers = await sql.query(
      `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, _run_id, count(*)::int AS n FROM dw.orders
       WHERE updated_at >= $1 GROUP BY 1, 2 ORDER BY 1`,
      [day(4)],
    );
    expect(writers.rows).toEqual([
      { day: day(4), _run_id: crashed, n: 20 },
      { day: day(5), _run_id: result.runId, n: 21 },
      { day: day(6), _run_id: crashed, n: 20 },
    ]);
    expect((await sql.query('SELECT amount::text FROM dw.orders WHERE id = 105')).rows[0].amount).toBe('999.00');
    expect(await windowRows('dw.orders', 5)).toEqual(await windowRows('src.orders', 5));
    expect((await sql.query('SELECT count(*)::int AS n FROM stage.orders')).rows[0].n).toBe(0);
  }, 45_000);

  it('refuses a window whose source moved past the tolerance during the load: target unpublished, exit 1', async () => {
    await ordersOfDay(7);
    await change(110, 7, 500); // an order of day 1, changed on day 7
    const targetBefore = await sql.query('SELECT * FROM dw.orders ORDER BY id');
    // Another session holds the audit table, so the audit runs after the stage load; meanwhile three rows
    // for day 7 arrive late (3 of 24: 12.5% apart, tolerance 2%).
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE audit.orders_counts IN SHARE MODE');
    const { done } = start(['materialize', PIPELINE, '--partition', day(7)]);
    await until('the audit to wait', async () =>
      (await lockWaiters()).some((q) => q.includes('INSERT INTO audit.orders_counts')),
    );
    await sql.query(
      `INSERT INTO src.orders SELECT 790 + g, 'late ' || g, 1, $1::timestamptz + interval '20 hours' FROM generate_series(1, 3) g`,
      [day(7)],
    );
    await holder.query('COMMIT');
    await holder.end();

    const run = await done;
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`audit\\.orders_counts@${day(7)} FAILED: .*counts_within_tolerance`));
    expect(run.stdout).toMatch(new RegExp(`dw\\.orders@${day(7)} +upstream_failed`));
    expect((await sql.query('SELECT * FROM dw.orders ORDER BY id')).rows).toEqual(targetBefore.rows);
    expect(await windowRows('dw.orders', 7)).toEqual([]);
    const audit = await sql.query(
      `SELECT source_count::int, stage_count::int, round(off_percent, 2)::text AS off FROM audit.orders_counts WHERE partition_key = $1`,
      [day(7)],
    );
    expect(audit.rows).toEqual([{ source_count: 24, stage_count: 21, off: '12.50' }]);
    // The clean-up needs all_success: the window's stage rows stay for whoever looks into it.
    expect(await windowRows('stage.orders', 7)).toHaveLength(21);

    // The remedy is a fresh run of the window (a resume would audit the same stale stage again).
    const again = await cli(['materialize', PIPELINE, '--partition', day(7)]);
    expect(again.status, again.stdout).toBe(0);
    expect(await windowRows('dw.orders', 7)).toEqual(await windowRows('src.orders', 7));
    expect(await windowRows('dw.orders', 7)).toHaveLength(24);
  }, 30_000);
});

describe('incremental_orders settings', () => {
  it('are validated when the module loads: sluice validate names the file and the field', async () => {
    const text = readFileSync(join(REPO, 'assets/incremental_orders.ts'), 'utf8');
    const cases: [from: string, to: string, error: string][] = [
      ['tolerancePercent: 2,', 'tolerancePercent: 200,', 'settings.tolerancePercent: must be between 0 and 100'],
      [
        "stage: 'stage.orders'",
        "stage: 'Stage Orders'",
        'settings.tables.stage: must be "schema.table" in lower-case identifiers',
      ],
      ["granularity: 'daily'", "granularity: 'daly'", 'settings.granularity: must be hourly, daily, weekly or monthly'],
    ];
    for (const [from, to, error] of cases) {
      expect(text).toContain(from);
      const root = mkdtempSync(join(tmpdir(), 'sluice-incremental-settings-'));
      try {
        mkdirSync(join(root, 'assets'));
        writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
        symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
        writeFileSync(join(root, 'assets/incremental_orders.ts'), text.replace(from, to));
        const r = await runCli(['-C', root, 'validate']);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(`error: assets/incremental_orders.ts: ${error}\n`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
});
