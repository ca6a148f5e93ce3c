// The example project's sensed pipeline: publishing analytics.mau_summary makes the daemon refresh the MAU trend.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/resources/warehouse/index.js';
import { runNode } from '../support/cli.js';
import { materialize, type Workspace, withWarehouse, workspace } from './support/sluice.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.remove();
  ws = undefined;
});

describe('mau_trend (example project)', () => {
  it('is launched by the daemon once per publish of analytics.mau_summary, and holds the month-over-month change', async () => {
    ws = await workspace();
    const path = join(ws.dir, 'wh.duckdb');
    const env = { SLUICE_CONN_WAREHOUSE: `duckdb:${path}`, SLUICE_TIME_SCALE: '0.00001' };
    const daemon = async () => {
      const r = await runNode(['daemon', '--once', '--pipeline', 'mau_trend', '--store', ws!.store, '--json'], { env });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout) as { recorded: unknown[]; sensorTicks: { status: string; reason: string }[] };
    };

    const before = await daemon();
    expect(before.sensorTicks.map((t) => `${t.status}: ${t.reason}`)).toEqual([
      'skipped: analytics.mau_summary not materialized yet',
    ]);

    expect((await materialize(ws, env)).status).toBe(0);
    const after = await daemon();
    expect(after.recorded).toEqual([]); // only mau_trend was evaluated, and it has no schedule
    expect(after.sensorTicks.map((t) => t.status)).toEqual(['launched']);
    const trend = await withWarehouse(
      () => openWarehouse({ type: 'duckdb', path }),
      (wh) =>
        wh.query<{ mau: number; mau_change: number | null }>('SELECT mau, mau_change FROM analytics.mau_trend ORDER BY month'),
    );
    expect(trend.map((r) => [Number(r.mau), r.mau_change === null ? null : Number(r.mau_change)])).toEqual([
      [50, null],
      [60, 10],
      [70, 10],
      [80, 10],
    ]);

    expect((await daemon()).sensorTicks.map((t) => t.status)).toEqual(['skipped']);
    expect((await materialize(ws, env)).status).toBe(0);
    expect((await daemon()).sensorTicks.map((t) => t.status)).toEqual(['launched']);
  }, 120_000);
});
