// Declarative producers and checks on a real DuckDB: build aside, check, swap; a failed check publishes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asset, checks, ctas, sourceAsset, sql, swap } from '../../src/index.js';
import { openWarehouse } from '../../src/resources/warehouse/index.js';
import type { Warehouse } from '../../src/resources/warehouse/types.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { staticResources } from '../../src/runtime/resources.js';
import { run, T0 } from './support/harness.js';

let dir: string;
let warehouse: Warehouse;
// Real I/O: time stands still (no auto-advance), so the heartbeat never races ahead of a query.
const still = () => new ManualClock(T0);
const count = async (table: string) =>
  Number((await warehouse.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-runtime-'));
  warehouse = await openWarehouse({ type: 'duckdb', path: join(dir, 'wh.duckdb') });
  await warehouse.execute(`
    CREATE SCHEMA raw; CREATE SCHEMA analytics;
    CREATE TABLE raw.sessions AS SELECT * FROM (VALUES (1, 'u1', TIMESTAMP '2025-01-10 05:00:00'), (2, 'u2', TIMESTAMP '2025-01-10 05:30:00'), (3, 'u1', TIMESTAMP '2024-12-31 23:00:00')) t(sessionid, userid, ts);
    CREATE TABLE analytics.mau_summary AS SELECT * FROM (VALUES ('2024-12-01', 41), ('2024-11-01', 40)) t(month, mau);
  `);
});

afterEach(async () => {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

const sessions = () => sourceAsset('raw.sessions', { kind: 'table' });
const options = () => ({ clock: still(), resources: staticResources({ warehouse }) });

describe('the seed pattern: a ctas temp table with a blocking check, then a swap', () => {
  const build = (where: string) => [
    sessions(),
    asset('analytics.temp_mau_summary', {
      deps: ['raw.sessions'],
      produce: ctas({
        sql: `SELECT DATE_TRUNC('month', ts) AS month, COUNT(DISTINCT userid) AS mau FROM raw.sessions ${where} GROUP BY 1`,
      }),
      checks: [checks.rowCount({ min: 1, blocking: true })],
    }),
    asset('analytics.mau_summary', {
      deps: ['analytics.temp_mau_summary'],
      produce: swap({ from: 'analytics.temp_mau_summary' }),
    }),
  ];

  it('publishes through the swap when the check passes', async () => {
    const { result, store } = await run(build(''), options());
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.id, s.status, s.rowCount])).toEqual([
      ['raw.sessions', 'succeeded', null],
      ['analytics.temp_mau_summary', 'succeeded', 2],
      ['analytics.mau_summary', 'succeeded', 2],
    ]);
    expect(await count('analytics.mau_summary')).toBe(2);
    expect(await warehouse.tableExists({ schema: 'analytics', name: 'temp_mau_summary' })).toBe(false);
    expect(await store.checkResults(result.runId)).toMatchObject([
      {
        assetKey: 'analytics.temp_mau_summary',
        name: 'row_count',
        passed: true,
        blocking: true,
        message: '2 rows in analytics.temp_mau_summary, expected at least 1',
      },
    ]);
  });

  it('leaves the published table untouched when the check fails: the swap is upstream_failed', async () => {
    const { result, notifier, stored } = await run(build('WHERE false'), options());
    expect(result.steps.map((s) => [s.id, s.status, s.kind])).toEqual([
      ['raw.sessions', 'succeeded', null],
      ['analytics.temp_mau_summary', 'failed', 'validation'],
      ['analytics.mau_summary', 'upstream_failed', null],
    ]);
    expect(result.steps[1]?.error).toBe(
      'blocking check failed: row_count: 0 rows in analytics.temp_mau_summary, expected at least 1',
    );
    expect(await count('analytics.mau_summary')).toBe(2);
    expect(notifier.sent).toHaveLength(1);
    expect(stored.filter((e) => e.type === 'check_evaluated').map((e) => e.data)).toEqual([
      { name: 'row_count', passed: false, blocking: true, table: 'analytics.temp_mau_summary' },
    ]);
  });
});

describe('a failed blocking check', () => {
  it("is retried as kind 'validation' when the policy lists it", async () => {
    const a = asset('analytics.empty', {
      produce: ctas({ sql: 'SELECT 1 AS a WHERE false' }),
      checks: [checks.rowCount()],
      retry: { maxAttempts: 2, delay: 0, retryOn: ['validation'] },
    });
    const { result, stored } = await run([a], options());
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 2, kind: 'validation' });
    expect(stored.filter((e) => e.type === 'attempt_failed').map((e) => e.data?.kind)).toEqual(['validation', 'validation']);
  });
});

describe('ctas with its own staging table', () => {
  const mau = (where: string, extraChecks = [checks.rowCount({ min: 1 })]) =>
    asset('analytics.mau_summary', {
      deps: ['raw.sessions'],
      produce: ctas({
        sql: `SELECT DATE_TRUNC('month', ts) AS month, COUNT(DISTINCT userid) AS mau FROM raw.sessions ${where} GROUP BY 1`,
        staging: 'analytics.mau_summary__staging',
      }),
      checks: extraChecks,
    });
  const downstream = () =>
    asset('analytics.report', {
      deps: ['analytics.mau_summary'],
      produce: sql({ sql: 'CREATE TABLE analytics.report AS SELECT 1 AS x' }),
    });

  it('keeps the old rows when a blocking check fails on the staging table', async () => {
    const { result, notifier } = await run([sessions(), mau('WHERE false'), downstream()], options());
    expect(result.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'upstream_failed']);
    expect(await warehouse.query('SELECT month, mau FROM analytics.mau_summary ORDER BY month')).toEqual([
      { month: '2024-11-01', mau: 40 },
      { month: '2024-12-01', mau: 41 },
    ]);
    expect(await warehouse.tableExists({ schema: 'analytics', name: 'report' })).toBe(false);
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]?.failed[0]?.kind).toBe('validation');
  });

  it('swaps the checked staging table in when the checks pass', async () => {
    const { result } = await run([sessions(), mau(''), downstream()], options());
    expect(result.status).toBe('succeeded');
    expect(await count('analytics.mau_summary')).toBe(2);
    expect(await warehouse.tableExists({ schema: 'analytics', name: 'mau_summary__staging' })).toBe(false);
    expect(await count('analytics.report')).toBe(1);
  });
});

describe('checks', () => {
  it('evaluates count tolerance, freshness and SQL checks; non-blocking failures are warnings', async () => {
    const copy = asset('analytics.sessions_copy', {
      deps: ['raw.sessions'],
      produce: ctas({ sql: 'SELECT * FROM raw.sessions WHERE sessionid < 3' }),
      checks: [
        checks.countTolerance({ against: 'raw.sessions', tolerancePercent: 50 }),
        checks.freshness({ maxAge: '2h', column: 'ts' }),
        checks.freshness({ maxAge: '10m', column: 'ts', blocking: false, name: 'fresh_10m' }),
        checks.sql({ sql: 'SELECT * FROM {{ table }} WHERE userid IS NULL', expect: 'no_rows' }),
        checks.countTolerance({ against: 'raw.sessions', tolerancePercent: 10, blocking: false }),
      ],
    });
    const { result, store } = await run([sessions(), copy], options());
    expect(result.status).toBe('succeeded');
    const found = await store.checkResults(result.runId);
    expect(found.map((c) => [c.name, c.passed, c.blocking, c.message])).toEqual([
      ['count_tolerance:raw.sessions', true, true, '2 rows vs 3 in raw.sessions: 33.33% apart, tolerance 50%'],
      ['freshness:ts', true, true, 'newest ts is 30m old, allowed 2h'],
      ['fresh_10m', false, false, 'newest ts is 30m old, allowed 10m'],
      ['sql', true, true, 'query returned 0 rows, expected no rows'],
      ['count_tolerance:raw.sessions#2', false, false, '2 rows vs 3 in raw.sessions: 33.33% apart, tolerance 10%'],
    ]);
  });

  it('fails an asset whose blocking check cannot be evaluated, keeping the driver error', async () => {
    const a = asset('analytics.x', {
      produce: ctas({ sql: 'SELECT 1 AS a' }),
      checks: [checks.freshness({ maxAge: '1h', column: 'missing_column' })],
    });
    const { result } = await run([a], options());
    expect(result.steps[0]?.status).toBe('failed');
    expect(result.steps[0]?.error).toMatch(/^check freshness:missing_column could not evaluate: .*missing_column/);
  });
});
