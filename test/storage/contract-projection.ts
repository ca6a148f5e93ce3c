// Contract section: what events project into — asset runs, logs, check results, the drive view, latest materializations.
import { describe, expect, it } from 'vitest';
import type { StoreRef } from './contract.js';
import { assetEvents, at, newRun } from './helpers.js';

export function projectionContract(store: StoreRef): void {
  describe('asset-run projection', () => {
    it('counts attempts, keeps the first start, the final status, row count and error', async () => {
      await store().createRun(newRun('r1'));
      const a = { runId: 'r1', assetKey: 'sales.orders', partition: '' };
      const b = { runId: 'r1', assetKey: 'sales.refunds', partition: '' };
      await store().appendEvents([
        { ...a, type: 'asset_planned', at: at(0) },
        { ...b, type: 'asset_planned', at: at(0) },
        { ...a, type: 'asset_started', at: at(1), attempt: 1 },
        { ...a, type: 'attempt_failed', at: at(2), attempt: 1, message: 'connection reset' },
      ]);
      expect(await store().assetRuns('r1')).toStrictEqual([
        { ...a, status: 'running', attempts: 1, startedAt: at(1), endedAt: null, rowCount: null, error: 'connection reset' },
        { ...b, status: 'planned', attempts: 0, startedAt: null, endedAt: null, rowCount: null, error: null },
      ]);
      await store().appendEvents([
        { ...a, type: 'asset_retrying', at: at(2), attempt: 1, data: { delayMs: 60_000 } },
        { ...b, type: 'asset_waiting', at: at(2) },
      ]);
      expect((await store().assetRuns('r1')).map((r) => r.status)).toStrictEqual(['retrying', 'waiting']);
      await store().appendEvents([
        { ...a, type: 'asset_started', at: at(62), attempt: 2 },
        { ...a, type: 'asset_succeeded', at: at(64.5), attempt: 2, data: { rowCount: 1234 } },
        { ...b, type: 'asset_started', at: at(65), attempt: 1 },
        { ...b, type: 'attempt_failed', at: at(66), attempt: 1 },
        { ...b, type: 'asset_failed', at: at(66), attempt: 1 },
      ]);
      expect(await store().assetRuns('r1')).toStrictEqual([
        // A success clears the earlier attempt's error; the events still hold it.
        { ...a, status: 'succeeded', attempts: 2, startedAt: at(1), endedAt: at(64.5), rowCount: 1234, error: null },
        // Without a message, the error says which attempt failed.
        { ...b, status: 'failed', attempts: 1, startedAt: at(65), endedAt: at(66), rowCount: null, error: 'attempt 1 failed' },
      ]);
    });

    it('keeps the stored status, error and start where a batch does not change them', async () => {
      await store().createRun(newRun('r1'));
      const a = { runId: 'r1', assetKey: 'a', partition: '' };
      await store().appendEvents([{ ...a, type: 'asset_started', at: at(1), attempt: 1 }]);
      // Batches with one event each, as the executor writes them: each patches the stored row.
      await store().appendEvents([{ ...a, type: 'attempt_failed', at: at(2), attempt: 1, message: 'reset' }]);
      expect((await store().assetRuns('r1'))[0]).toMatchObject({ status: 'running', attempts: 1, error: 'reset' });
      await store().appendEvents([{ ...a, type: 'asset_retrying', at: at(3), attempt: 2 }]);
      expect((await store().assetRuns('r1'))[0]).toMatchObject({ status: 'retrying', attempts: 1, error: 'reset' });
      await store().appendEvents([{ ...a, type: 'asset_started', at: at(4), attempt: 2 }]);
      // An attempt failure alone, for an asset never seen: a planned row holding the error.
      await store().appendEvents([{ runId: 'r1', type: 'attempt_failed', at: at(5), assetKey: 'b', partition: 'p' }]);
      expect(await store().assetRuns('r1')).toStrictEqual([
        { ...a, status: 'running', attempts: 2, startedAt: at(1), endedAt: null, rowCount: null, error: 'reset' },
        {
          ...a,
          assetKey: 'b',
          partition: 'p',
          status: 'planned',
          attempts: 0,
          startedAt: null,
          endedAt: null,
          rowCount: null,
          error: 'attempt ? failed',
        },
      ]);
      await store().appendEvents([{ ...a, type: 'asset_failed', at: at(6), attempt: 2 }]);
      await store().appendEvents([{ ...a, type: 'asset_succeeded', at: at(7), attempt: 2, data: { rowCount: 5 } }]);
      expect((await store().assetRuns('r1'))[0]).toStrictEqual({
        ...a,
        status: 'succeeded',
        attempts: 2,
        startedAt: at(1),
        endedAt: at(7),
        rowCount: 5,
        error: null,
      });
    });

    it('keeps partitions apart and records skipped and upstream-failed assets', async () => {
      await store().createRun(newRun('r1', { partitions: ['2025-01-01', '2025-01-02'] }));
      await store().appendEvents([
        ...assetEvents('r1', 'daily.sales', 0, 'succeeded', '2025-01-01'),
        ...assetEvents('r1', 'daily.sales', 0, 'failed', '2025-01-02'),
        {
          runId: 'r1',
          type: 'asset_upstream_failed',
          at: at(3),
          assetKey: 'daily.report',
          partition: '2025-01-02',
          message: 'daily.sales failed',
        },
        { runId: 'r1', type: 'asset_skipped', at: at(3), assetKey: 'daily.report', partition: '2025-01-01' },
      ]);
      const rows = (await store().assetRuns('r1')).map((r) => [r.assetKey, r.partition, r.status, r.error, r.endedAt]);
      expect(rows).toStrictEqual([
        ['daily.report', '2025-01-01', 'skipped', null, at(3)],
        ['daily.report', '2025-01-02', 'upstream_failed', 'daily.sales failed', at(3)],
        ['daily.sales', '2025-01-01', 'succeeded', null, at(2)],
        ['daily.sales', '2025-01-02', 'failed', 'boom', at(2)],
      ]);
      expect(await store().assetRuns('nope')).toStrictEqual([]);
    });
  });

  describe('logs', () => {
    it('filters by asset and returns the newest N in chronological order', async () => {
      await store().createRun(newRun('r1'));
      const line = (s: number, assetKey: string | null, message: string) => ({
        runId: 'r1',
        assetKey,
        partition: '',
        at: at(s),
        level: 'info' as const,
        stream: 'stdout',
        message,
      });
      await store().appendLogs([line(1, 'a', 'a1'), line(2, null, 'run'), line(3, 'b', 'b1'), line(4, 'a', 'a2')]);
      await store().appendEvents([
        { runId: 'r1', type: 'log', at: at(5), assetKey: 'a', message: 'a3', data: { level: 'error' } },
      ]);
      await store().appendLogs([line(5, 'a', 'a4')]); // same instant as a3: arrival order breaks the tie
      expect((await store().logs('r1')).map((l) => l.message)).toStrictEqual(['a1', 'run', 'b1', 'a2', 'a3', 'a4']);
      expect((await store().logs('r1', 'a')).map((l) => l.message)).toStrictEqual(['a1', 'a2', 'a3', 'a4']);
      expect((await store().logs('r1', 'a', 3)).map((l) => l.message)).toStrictEqual(['a2', 'a3', 'a4']);
      expect((await store().logs('r1', undefined, 2)).map((l) => l.message)).toStrictEqual(['a3', 'a4']);
      expect((await store().logs('r1', 'a', 3))[1]).toStrictEqual({
        runId: 'r1',
        assetKey: 'a',
        partition: '',
        at: at(5),
        level: 'error',
        stream: 'sluice',
        message: 'a3',
      });
      expect(await store().logs('r1', 'zzz')).toStrictEqual([]);
    });
  });

  describe('check results', () => {
    it('records results given directly and carried by check_evaluated events, once each', async () => {
      await store().createRun(newRun('r1'));
      const direct = {
        runId: 'r1',
        assetKey: 'a',
        partition: '',
        name: 'rowCount',
        passed: false,
        blocking: true,
        message: '0 rows',
        at: at(2),
      };
      await store().appendCheckResults([direct]);
      const event = {
        runId: 'r1',
        type: 'check_evaluated' as const,
        at: at(2),
        assetKey: 'a',
        partition: '',
        message: '0 rows',
        data: { name: 'rowCount', passed: false, blocking: true },
      };
      // The executor may both emit the event and store the result: it is kept once.
      await store().appendEvents([event, { ...event, at: at(3), data: { name: 'freshness', passed: true }, message: 'fresh' }]);
      expect(await store().checkResults('r1')).toStrictEqual([
        direct,
        { ...direct, name: 'freshness', passed: true, blocking: false, message: 'fresh', at: at(3) },
      ]);
      expect(await store().checkResults('nope')).toStrictEqual([]);
    });
  });

  describe('drive view', () => {
    it('has one row per run × asset × partition with run facts and a computed duration', async () => {
      await store().createRun(newRun('r1', { startedAt: at(0) }));
      await store().appendEvents([...assetEvents('r1', 'a', 0, 'succeeded'), ...assetEvents('r1', 'b', 0, 'failed')]);
      await store().finishRun('r1', 'failed', at(10), 'b failed');
      await store().createRun(newRun('r2', { startedAt: at(100), resumedFrom: 'r1', pipeline: undefined }));
      await store().appendEvents([
        ...assetEvents('r2', 'b', 100, 'succeeded', 'p1'),
        { runId: 'r2', type: 'asset_started', at: at(101.25), assetKey: 'b', partition: 'p2' },
      ]);
      const rows = await store().drive();
      expect(rows).toStrictEqual([
        {
          runId: 'r2',
          pipeline: null,
          runStatus: 'running',
          resumedFrom: 'r1',
          assetKey: 'b',
          partition: 'p1',
          status: 'succeeded',
          attempts: 1,
          startedAt: at(101),
          endedAt: at(102),
          durationMs: 1000,
          rowCount: 7,
          error: null,
        },
        expect.objectContaining({ runId: 'r2', partition: 'p2', status: 'running', endedAt: null, durationMs: null }),
        expect.objectContaining({ runId: 'r1', pipeline: 'daily', runStatus: 'failed', resumedFrom: null, assetKey: 'a' }),
        expect.objectContaining({ runId: 'r1', assetKey: 'b', status: 'failed', error: 'boom', durationMs: 1000 }),
      ]);
      // Options page over runs, not rows.
      expect((await store().drive({ limit: 1 })).map((r) => r.runId)).toStrictEqual(['r2', 'r2']);
      expect((await store().drive({ offset: 1 })).map((r) => r.assetKey)).toStrictEqual(['a', 'b']);
      expect((await store().drive({ status: 'failed' })).map((r) => r.runId)).toStrictEqual(['r1', 'r1']);
      expect((await store().drive({ pipeline: 'daily' })).map((r) => r.runId)).toStrictEqual(['r1', 'r1']);
    });

    it('computes sub-second durations exactly', async () => {
      await store().createRun(newRun('r1'));
      const e = { runId: 'r1', assetKey: 'a', partition: '' };
      await store().appendEvents([
        { ...e, type: 'asset_started', at: '2025-01-10T23:59:59.875Z' },
        { ...e, type: 'asset_succeeded', at: '2025-01-11T00:00:00.002Z' },
      ]);
      expect((await store().drive())[0]?.durationMs).toBe(127);
    });
  });

  describe('latest materializations', () => {
    it('gives the newest finished run per asset × partition across runs', async () => {
      await store().createRun(newRun('r1'));
      await store().appendEvents([...assetEvents('r1', 'a', 0, 'succeeded'), ...assetEvents('r1', 'b', 0, 'succeeded', 'p1')]);
      await store().createRun(newRun('r2', { startedAt: at(50) }));
      await store().appendEvents([
        ...assetEvents('r2', 'a', 50, 'failed'),
        ...assetEvents('r2', 'b', 50, 'succeeded', 'p2'),
        { runId: 'r2', type: 'asset_skipped', at: at(60), assetKey: 'c', partition: '' },
      ]);
      await store().createRun(newRun('r3', { startedAt: at(90) }));
      await store().appendEvents([{ runId: 'r3', type: 'asset_started', at: at(91), assetKey: 'a', partition: '' }]);
      const all = await store().latestMaterializations();
      expect(all).toStrictEqual([
        { assetKey: 'a', partition: '', status: 'failed', runId: 'r2', endedAt: at(52) },
        { assetKey: 'b', partition: 'p1', status: 'succeeded', runId: 'r1', endedAt: at(2) },
        { assetKey: 'b', partition: 'p2', status: 'succeeded', runId: 'r2', endedAt: at(52) },
      ]);
      expect(await store().latestMaterializations(['b', 'zzz'])).toStrictEqual(all.slice(1));
      expect(await store().latestMaterializations([])).toStrictEqual([]);
    });
  });
}
