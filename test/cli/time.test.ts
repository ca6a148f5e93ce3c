// `sluice schedules` and `sluice partitions`: what is scheduled next, and which windows exist.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

const partitioned = join(REPO, 'test/fixtures/cli/partitioned');

describe('sluice schedules', () => {
  it("lists every scheduled pipeline's next ticks", async () => {
    const r = await runCli(['schedules', '--next', '2', '--json']);
    expect(r.status).toBe(0);
    const elt = JSON.parse(r.stdout).schedules.find((s: { pipeline: string }) => s.pipeline === 'run_elt_alert');
    expect(elt).toMatchObject({ cron: '@daily', timezone: 'UTC', catchup: false, start: '2025-01-10' });
    expect(elt.nextTicks).toHaveLength(2);
    const [first, second] = elt.nextTicks.map((t: string) => Date.parse(t));
    expect(first).toBeGreaterThan(Date.now());
    expect(second - first).toBe(86_400_000);
    expect(new Date(first).toISOString()).toMatch(/T00:00:00\.000Z$/);
  });
});

describe('sluice partitions', () => {
  it('shows materialized, failed and missing windows after a backfill', async () => {
    const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'sluice-parts-')), 'runs.db')}`;
    const backfill = await runCli([
      '-C',
      partitioned,
      'materialize',
      'mart.daily_events',
      '--from',
      '2025-01-10',
      '--to',
      '2025-01-12',
      '--max-partitions',
      '2',
      '--store',
      store,
    ]);
    expect(backfill.status).toBe(0);
    const r = await runCli(['-C', partitioned, 'partitions', 'mart.daily_events', '--store', store, '--json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.slice(0, 4).map((p: { partition: string; status: string }) => `${p.partition}:${p.status}`)).toEqual([
      '2025-01-10:materialized',
      '2025-01-11:materialized',
      '2025-01-12:materialized',
      '2025-01-13:missing',
    ]);
  });

  it('shows each partition window in the drive table', async () => {
    const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'sluice-drive-')), 'runs.db')}`;
    await runCli(['-C', partitioned, 'materialize', 'mart.daily_events', '--partition', '2025-01-11', '--store', store]);
    const rows = JSON.parse((await runCli(['-C', partitioned, 'runs', 'drive', '--store', store, '--json'])).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      partition: '2025-01-11',
      windowStart: '2025-01-11T00:00:00.000Z',
      windowEnd: '2025-01-12T00:00:00.000Z',
      status: 'succeeded',
      rowCount: 1,
    });
  });

  it('refuses an unpartitioned asset', async () => {
    const r = await runCli(['partitions', 'analytics.mau_summary']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not partitioned');
  });
});
