// The RunStore contract suite: every store (SQLite, PostgreSQL, memory) runs it and must pass it alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/errors.js';
import type { RunStore } from '../../src/storage/types.js';
import { projectionContract } from './contract-projection.js';
import { stateContract } from './contract-state.js';
import { sensorTicksContract, ticksContract } from './contract-ticks.js';
import { assetEvents, at, newRun } from './helpers.js';

/** What each section of the suite gets: the store of the current test. */
export type StoreRef = () => RunStore;

/**
 * Registers the whole suite for one store; `makeStore` must return an empty store each time.
 * @example runStoreContract('memory', async () => new MemoryRunStore());
 */
export function runStoreContract(name: string, makeStore: () => Promise<RunStore>): void {
  describe(`RunStore contract: ${name}`, () => {
    let store: RunStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });
    const current: StoreRef = () => store;

    describe('runs', () => {
      it('creates a running run and reads it back, leaving unset optional fields out', async () => {
        const created = await store.createRun(newRun('r1', { pipeline: undefined }));
        const expected = {
          id: 'r1',
          selection: '*',
          partitions: [],
          startedAt: at(0),
          launchedBy: 'cli',
          status: 'running',
          endedAt: null,
          heartbeatAt: at(0),
          error: null,
        };
        expect(created).toStrictEqual(expected);
        expect(await store.getRun('r1')).toStrictEqual(expected);
        expect(await store.getRun('nope')).toBeUndefined();
      });

      it('records pipeline, partitions, tags and the run it resumes', async () => {
        await store.createRun(newRun('r1', { partitions: ['2025-01-01', '2025-01-02'] }));
        await store.createRun(newRun('r2', { resumedFrom: 'r1', tags: { team: 'data', env: 'prod' }, startedAt: at(60) }));
        const r2 = await store.getRun('r2');
        expect(r2).toMatchObject({ pipeline: 'daily', resumedFrom: 'r1', tags: { team: 'data', env: 'prod' } });
        expect((await store.getRun('r1'))?.partitions).toStrictEqual(['2025-01-01', '2025-01-02']);
      });

      it('refuses a second run with the same id', async () => {
        await store.createRun(newRun('r1'));
        await expect(store.createRun(newRun('r1'))).rejects.toThrow(StoreError);
        await expect(store.createRun(newRun('r1'))).rejects.toThrow('run "r1" already exists');
      });

      it('lists runs newest first, with limit, offset and filters', async () => {
        await store.createRun(newRun('a', { startedAt: at(10) }));
        await store.createRun(newRun('b', { startedAt: at(30), pipeline: 'hourly' }));
        await store.createRun(newRun('c', { startedAt: at(20) }));
        await store.createRun(newRun('d', { startedAt: at(20) })); // same instant: ties broken by id, descending
        await store.finishRun('c', 'failed', at(25), 'boom');
        const ids = async (o?: Parameters<RunStore['listRuns']>[0]) => (await store.listRuns(o)).map((r) => r.id);
        expect(await ids()).toStrictEqual(['b', 'd', 'c', 'a']);
        expect(await ids({ limit: 2 })).toStrictEqual(['b', 'd']);
        expect(await ids({ limit: 2, offset: 2 })).toStrictEqual(['c', 'a']);
        expect(await ids({ offset: 3 })).toStrictEqual(['a']);
        expect(await ids({ pipeline: 'daily' })).toStrictEqual(['d', 'c', 'a']);
        expect(await ids({ status: 'running' })).toStrictEqual(['b', 'd', 'a']);
        expect(await ids({ pipeline: 'daily', status: 'failed' })).toStrictEqual(['c']);
        expect(await ids({ limit: 0 })).toStrictEqual([]);
      });

      it('finishes a run with its status, end and error, and refuses unknown runs', async () => {
        await store.createRun(newRun('r1'));
        await store.finishRun('r1', 'failed', at(90), 'asset "a" failed');
        expect(await store.getRun('r1')).toMatchObject({ status: 'failed', endedAt: at(90), error: 'asset "a" failed' });
        await store.createRun(newRun('r2'));
        await store.finishRun('r2', 'succeeded', at(95));
        expect(await store.getRun('r2')).toMatchObject({ status: 'succeeded', endedAt: at(95), error: null });
        await expect(store.finishRun('nope', 'succeeded', at(1))).rejects.toThrow(StoreError);
      });

      it('moves the heartbeat on explicit beats and on newer events, never back on older events', async () => {
        await store.createRun(newRun('r1'));
        await store.heartbeat('r1', at(30));
        expect((await store.getRun('r1'))?.heartbeatAt).toBe(at(30));
        await store.appendEvents([{ runId: 'r1', type: 'run_started', at: at(5) }]);
        expect((await store.getRun('r1'))?.heartbeatAt).toBe(at(30));
        await store.appendEvents(assetEvents('r1', 'a', 40, 'succeeded'));
        expect((await store.getRun('r1'))?.heartbeatAt).toBe(at(42));
      });
    });

    describe('events', () => {
      it('numbers events per run from 1, across batches, and reads them after a seq', async () => {
        await store.createRun(newRun('r1'));
        await store.createRun(newRun('r2'));
        await store.appendEvents([
          { runId: 'r1', type: 'run_started', at: at(0) },
          { runId: 'r2', type: 'run_started', at: at(0) },
          { runId: 'r1', type: 'asset_planned', at: at(1), assetKey: 'a.b', partition: '' },
        ]);
        await store.appendEvents([
          { runId: 'r1', type: 'asset_started', at: at(2), assetKey: 'a.b', partition: '', attempt: 1 },
          { runId: 'r1', type: 'log', at: at(3), assetKey: 'a.b', message: 'hello', data: { level: 'warn', stream: 'user' } },
        ]);
        const events = await store.events('r1');
        expect(events.map((e) => e.seq)).toStrictEqual([1, 2, 3, 4]);
        expect(events[0]).toStrictEqual({ runId: 'r1', seq: 1, type: 'run_started', at: at(0) });
        expect(events[2]).toStrictEqual({
          runId: 'r1',
          seq: 3,
          type: 'asset_started',
          at: at(2),
          assetKey: 'a.b',
          partition: '',
          attempt: 1,
        });
        expect(events[3]?.data).toStrictEqual({ level: 'warn', stream: 'user' });
        expect((await store.events('r1', 2)).map((e) => e.seq)).toStrictEqual([3, 4]);
        expect((await store.events('r2')).map((e) => e.seq)).toStrictEqual([1]);
        expect(await store.events('nope')).toStrictEqual([]);
      });

      it('keeps nothing of a batch that names an unknown run', async () => {
        await store.createRun(newRun('r1'));
        const batch = [...assetEvents('r1', 'a', 1, 'succeeded'), { runId: 'ghost', type: 'run_started' as const, at: at(1) }];
        await expect(store.appendEvents(batch)).rejects.toThrow('run "ghost" does not exist');
        expect(await store.events('r1')).toStrictEqual([]);
        expect(await store.assetRuns('r1')).toStrictEqual([]);
      });

      it('names the first unknown run of a batch, and keeps the known runs untouched', async () => {
        await store.createRun(newRun('r1'));
        const batch = [
          ...assetEvents('r1', 'a', 100, 'succeeded'),
          { runId: 'ghost2', type: 'run_started' as const, at: at(1) },
          { runId: 'ghost1', type: 'run_started' as const, at: at(1) },
          { runId: 'ghost2', type: 'log' as const, at: at(2), message: 'hi' },
        ];
        await expect(store.appendEvents(batch)).rejects.toThrow('cannot append events: run "ghost2" does not exist');
        expect(await store.getRun('r1')).toMatchObject({ heartbeatAt: at(0) });
        expect(await store.logs('r1')).toStrictEqual([]);
        await store.appendEvents(assetEvents('r1', 'a', 1, 'succeeded'));
        expect((await store.events('r1')).map((e) => e.seq)).toStrictEqual([1, 2, 3]);
      });

      it('takes big batches in one call', async () => {
        await store.createRun(newRun('r1'));
        const batch = Array.from({ length: 500 }, (_, i) =>
          assetEvents('r1', `k.${String(i).padStart(3, '0')}`, i, 'succeeded'),
        ).flat();
        await store.appendEvents(batch);
        await store.appendEvents([]);
        const events = await store.events('r1');
        expect(events).toHaveLength(1500);
        expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
        const assets = await store.assetRuns('r1');
        expect(assets).toHaveLength(500);
        expect(assets.every((a) => a.status === 'succeeded' && a.attempts === 1 && a.rowCount === 7)).toBe(true);
      });
    });

    projectionContract(current);
    stateContract(current);
    describe('ticks', () => ticksContract(current));
    describe('sensor ticks', () => sensorTicksContract(current));
  });
}
