// Contract section: run liveness — stale runs failed by the next run, and asset × partition locks.
import { describe, expect, it } from 'vitest';
import type { StoreRef } from './contract.js';
import { assetEvents, at, newRun } from './helpers.js';

export function stateContract(store: StoreRef): void {
  describe('stale runs', () => {
    it('fails running runs without a recent heartbeat, and their unfinished assets', async () => {
      await store().createRun(newRun('old', { startedAt: at(0) }));
      await store().appendEvents([
        ...assetEvents('old', 'done', 0, 'succeeded'),
        { runId: 'old', type: 'asset_started', at: at(5), assetKey: 'busy', partition: '' },
        { runId: 'old', type: 'asset_planned', at: at(5), assetKey: 'queued', partition: '' },
      ]);
      await store().createRun(newRun('alive', { startedAt: at(0) }));
      await store().heartbeat('alive', at(290));
      await store().createRun(newRun('finished', { startedAt: at(0) }));
      await store().finishRun('finished', 'succeeded', at(3));
      await store().createRun(newRun('also-old', { startedAt: at(1) }));

      expect(await store().failStaleRuns(at(240), at(300))).toStrictEqual(['also-old', 'old']);
      expect(await store().getRun('old')).toMatchObject({
        status: 'failed',
        endedAt: at(300),
        error: `stale: no heartbeat since ${at(5)}`,
      });
      expect((await store().getRun('alive'))?.status).toBe('running');
      expect((await store().getRun('finished'))?.status).toBe('succeeded');
      const assets = Object.fromEntries((await store().assetRuns('old')).map((a) => [a.assetKey, a]));
      expect(assets.done).toMatchObject({ status: 'succeeded', endedAt: at(2), error: null });
      expect(assets.busy).toMatchObject({ status: 'failed', endedAt: at(300), error: `stale: no heartbeat since ${at(5)}` });
      expect(assets.queued).toMatchObject({ status: 'failed', endedAt: at(300) });
      // Nothing is stale twice.
      expect(await store().failStaleRuns(at(240), at(301))).toStrictEqual([]);
    });
  });

  describe('locks', () => {
    it('refuses a second owner while the first run is running, and is re-entrant for the owner', async () => {
      await store().createRun(newRun('r1'));
      await store().createRun(newRun('r2'));
      expect(await store().tryLock('asset:a|2025-01-01', 'r1')).toBe(true);
      expect(await store().tryLock('asset:a|2025-01-01', 'r2')).toBe(false);
      expect(await store().tryLock('asset:a|2025-01-01', 'r1')).toBe(true);
      // Other names are independent.
      expect(await store().tryLock('asset:a|2025-01-02', 'r2')).toBe(true);
    });

    it('ignores an unlock by the wrong owner and frees on the owner’s unlock', async () => {
      await store().createRun(newRun('r1'));
      await store().createRun(newRun('r2'));
      expect(await store().tryLock('a', 'r1')).toBe(true);
      await store().unlock('a', 'r2');
      expect(await store().tryLock('a', 'r2')).toBe(false);
      await store().unlock('a', 'r1');
      expect(await store().tryLock('a', 'r2')).toBe(true);
      expect(await store().tryLock('a', 'r1')).toBe(false);
      await store().unlock('never-taken', 'r1');
    });

    it('is taken over once its run has finished', async () => {
      await store().createRun(newRun('r1'));
      await store().createRun(newRun('r2'));
      expect(await store().tryLock('a', 'r1')).toBe(true);
      await store().finishRun('r1', 'failed', at(10), 'boom');
      expect(await store().tryLock('a', 'r2')).toBe(true);
      expect(await store().tryLock('a', 'r1')).toBe(false);
    });

    it('is taken over once its run went stale, or when its owner is no run at all', async () => {
      await store().createRun(newRun('r1'));
      await store().createRun(newRun('r2', { startedAt: at(400) }));
      expect(await store().tryLock('a', 'r1')).toBe(true);
      expect(await store().tryLock('a', 'r2')).toBe(false);
      expect(await store().failStaleRuns(at(300), at(400))).toStrictEqual(['r1']);
      expect(await store().tryLock('a', 'r2')).toBe(true);

      expect(await store().tryLock('b', 'crashed-before-create')).toBe(true);
      expect(await store().tryLock('b', 'r2')).toBe(true);
    });

    it('lets exactly one of many concurrent callers win', async () => {
      const owners = Array.from({ length: 8 }, (_, i) => `r${i}`);
      for (const id of owners) await store().createRun(newRun(id));
      const won = await Promise.all(owners.map((id) => store().tryLock('contended', id)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
