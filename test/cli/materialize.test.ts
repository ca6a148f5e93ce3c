// `sluice materialize` as a user runs it: the main job, stores, and each way a run can be refused.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/resources/warehouse/index.js';
import { GUARD, REPO, runCli } from '../support/cli.js';
import { throwawayDatabase } from '../support/postgres.js';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `sluice-${name}-`));

/** The example project, with its warehouse and run store moved into a fresh folder. */
function freshState() {
  const dir = temp('main');
  return { dir, env: { SLUICE_CONN_WAREHOUSE: `duckdb:${join(dir, 'wh.duckdb')}` }, store: `sqlite:${join(dir, 'runs.db')}` };
}

describe('the main job on the embedded defaults', () => {
  it('builds analytics.mau_summary from the shipped CSVs and records the run', async () => {
    const { dir, env, store } = freshState();
    const r = await runCli(['materialize', '+analytics.mau_summary', '--store', store], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/run \S+ succeeded/);
    const wh = await openWarehouse({ type: 'duckdb', path: join(dir, 'wh.duckdb') });
    try {
      const rows = await wh.query<{ mau: number }>('SELECT mau FROM analytics.mau_summary ORDER BY month');
      expect(rows.map((row) => row.mau)).toEqual([50, 60, 70, 80]);
    } finally {
      await wh.close();
    }
    const runs = JSON.parse((await runCli(['runs', '--store', store, '--json'])).stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('succeeded');
    expect(runs[0].pipeline).toBe('run_elt_alert');
    expect(runs[0].assets.map((a: { assetKey: string; status: string }) => `${a.assetKey}:${a.status}`).sort()).toEqual([
      'analytics.mau_summary:succeeded',
      'analytics.temp_mau_summary:succeeded',
      'raw_data.session_timestamp:succeeded',
      'raw_data.user_session_channel:succeeded',
    ]);
  });

  it('--dry-run prints the plan and records nothing', async () => {
    const { dir, env, store } = freshState();
    const r = await runCli(['materialize', '+analytics.mau_summary', '--dry-run', '--store', store], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('level 2');
    expect(existsSync(join(dir, 'runs.db'))).toBe(false);
  });
});

describe('the run store on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>>;
  beforeAll(async () => {
    db = await throwawayDatabase('sluice_cli');
  });
  afterAll(() => db?.drop());

  it('records the main job through DATABASE_URL', async () => {
    const { env } = freshState();
    const r = await runCli(['materialize', 'pipeline:run_elt_alert'], { env: { ...env, DATABASE_URL: db.url } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const runs = JSON.parse((await runCli(['runs', '--json'], { env: { DATABASE_URL: db.url } })).stdout);
    expect(runs.map((run: { status: string; pipeline: string }) => `${run.pipeline}:${run.status}`)).toEqual([
      'run_elt_alert:succeeded',
    ]);
    const drive = JSON.parse((await runCli(['runs', 'drive', '--json'], { env: { DATABASE_URL: db.url } })).stdout);
    expect(drive.find((row: { assetKey: string }) => row.assetKey === 'analytics.temp_mau_summary').rowCount).toBe(4);
  });
});

describe('refused runs', () => {
  it('an unreachable store: exit 2, named, no password', async () => {
    const r = await runCli(['materialize', 'analytics.*', '--store', 'postgres://sluice:hunter22@127.0.0.1:1/nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr).toMatch(/unavailable/);
    expect(r.stderr).not.toContain('hunter22');
  });

  it('--resume of an unknown run: exit 2', async () => {
    const { store } = freshState();
    const r = await runCli(['materialize', '--resume', 'no-such-run', '--store', store]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such run');
  });

  it('a partition outside the set: exit 2', async () => {
    const r = await runCli([
      '-C',
      join(REPO, 'test/fixtures/cli/partitioned'),
      'materialize',
      'mart.daily_events',
      '--partition',
      '2099-01-01',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"2099-01-01" is after the newest partition');
  });

  it('a second materialization of an asset another run is writing: refused, naming the asset', async () => {
    const dir = temp('locked');
    const project = join(REPO, 'test/fixtures/cli/crash');
    const store = `sqlite:${join(dir, 'runs.db')}`;
    writeFileSync(join(dir, 'block'), '');
    const first = spawn(process.execPath, [`${REPO}bin/sluice.js`, '-C', project, 'materialize', 'crash.*', '--store', store], {
      env: { ...process.env, CRASH_DIR: dir, NODE_OPTIONS: `--import ${GUARD}` },
      stdio: 'ignore',
    });
    try {
      const end = Date.now() + 30_000;
      while (!(existsSync(join(dir, 'log')) && readFileSync(join(dir, 'log'), 'utf8').includes('crash.second'))) {
        if (Date.now() > end) throw new Error('the first run never started crash.second');
        await new Promise((r) => setTimeout(r, 25));
      }
      const second = await runCli(['-C', project, 'materialize', 'crash.second', '--store', store], { env: { CRASH_DIR: dir } });
      expect(second.status).toBe(2);
      expect(second.stdout + second.stderr).toMatch(/crash\.second.*(locked|held|being written|another run)/is);
    } finally {
      rmSync(join(dir, 'block'), { force: true });
      await new Promise((r) => first.on('exit', r));
    }
  }, 60_000);
});
