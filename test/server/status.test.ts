// StatusBoard: a full read first, then incremental refreshes that see new, running and finished runs.
import { describe, expect, it } from 'vitest';
import { StatusBoard } from '../../src/server/status.js';
import { MemoryRunStore } from '../../src/storage/index.js';
import { recordRun } from './support.js';

const now = () => new Date().toISOString();

describe('StatusBoard', () => {
  it('follows runs as they start, run and finish, and keeps its version while nothing changes', async () => {
    const store = new MemoryRunStore();
    const board = new StatusBoard(store, 0);
    expect((await board.all()).size).toBe(0);
    await recordRun(store, {
      id: 'r1',
      selection: '*',
      start: 0,
      steps: [
        { key: 'a', outcome: 'succeeded' },
        { key: 'b', outcome: 'succeeded' },
      ],
    });
    expect((await board.all()).get('a')).toMatchObject({ status: 'succeeded', last: 'succeeded', runId: 'r1', check: 'none' });
    const version = board.version;
    await board.all();
    expect(board.version).toBe(version);

    // A live run: b is running (its heartbeat is fresh), then fails its blocking check.
    await store.createRun({ id: 'r2', selection: 'b', partitions: [], startedAt: now(), launchedBy: 'cli' });
    await store.appendEvents([{ runId: 'r2', type: 'asset_started', at: now(), assetKey: 'b', partition: '', attempt: 1 }]);
    expect((await board.all()).get('b')).toMatchObject({ status: 'running', last: 'succeeded', runId: 'r1' });
    await store.appendEvents([
      {
        runId: 'r2',
        type: 'check_evaluated',
        at: now(),
        assetKey: 'b',
        partition: '',
        message: '0 rows',
        data: { name: 'rows', passed: false, blocking: true },
      },
      { runId: 'r2', type: 'asset_failed', at: now(), assetKey: 'b', partition: '', attempt: 1, message: 'check failed' },
    ]);
    await store.finishRun('r2', 'failed', now());
    expect((await board.all()).get('b')).toMatchObject({ status: 'failed', last: 'failed', check: 'failed', runId: 'r2' });
    expect((await board.all()).get('a')?.status).toBe('succeeded');
  });

  it('reads everything again when more runs happened than it looks at', async () => {
    const store = new MemoryRunStore();
    const board = new StatusBoard(store, 0);
    await recordRun(store, { id: 'r00', selection: '*', start: 0, steps: [{ key: 'a', outcome: 'failed' }] });
    expect((await board.all()).get('a')?.status).toBe('failed');
    for (let i = 1; i <= 25; i++) {
      await recordRun(store, {
        id: `r${String(i).padStart(2, '0')}`,
        selection: '*',
        start: i * 10,
        steps: [{ key: `k${i}`, outcome: 'succeeded' }],
      });
    }
    const all = await board.all();
    expect(all.get('k1')?.status).toBe('succeeded');
    expect(all.get('k25')?.status).toBe('succeeded');
    expect(all.get('a')?.status).toBe('failed');
  });

  it('counts partitions and shows the newest one', async () => {
    const store = new MemoryRunStore();
    await recordRun(store, {
      id: 'p1',
      selection: '*',
      start: 0,
      steps: [
        { key: 'daily', partition: '2025-01-01', outcome: 'succeeded' },
        { key: 'daily', partition: '2025-01-02', outcome: 'failed' },
      ],
    });
    expect((await new StatusBoard(store, 0).all()).get('daily')).toMatchObject({
      status: 'failed',
      partitions: { succeeded: 1, failed: 1 },
    });
  });
});
