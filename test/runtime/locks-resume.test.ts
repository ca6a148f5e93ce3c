// One writer per asset, resuming a failed run, and failing runs whose process died.
import { describe, expect, it } from 'vitest';
import { asset, fn } from '../../src/index.js';
import { ResumeError } from '../../src/runtime/errors.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { deferred, memoryStore, run, T0 } from './support/harness.js';

describe('locks', () => {
  it('fail the second of two concurrent runs of an asset, naming the run that holds it (exit 2)', async () => {
    const store = await memoryStore();
    const started = deferred();
    const release = deferred();
    const slow = asset('l.table', {
      produce: fn(async () => {
        started.resolve();
        await release.promise;
      }),
    });
    const first = run([slow], { store, runId: 'run-first' });
    await started.promise;
    const second = await run([slow], { store, runId: 'run-second' });
    expect(second.result.status).toBe('failed');
    expect(second.result.exitCode).toBe(2);
    expect(second.result.steps[0]).toMatchObject({ status: 'failed', attempts: 0 });
    expect(second.result.steps[0]?.error).toBe(
      'asset "l.table" is being materialized by run run-first; wait for it to finish, or materialize with --wait-for-locks',
    );
    release.resolve();
    expect((await first).result.status).toBe('succeeded');
    // Released at step end: a third run gets the lock.
    expect((await run([slow], { store, runId: 'run-third' })).result.status).toBe('succeeded');
  });

  it("with onLocked 'wait' poll until the holder is done", async () => {
    const store = await memoryStore();
    const clock = new ManualClock(T0, { auto: true });
    const started = deferred();
    const release = deferred();
    let calls = 0;
    const slow = asset('l.table', {
      produce: fn(async () => {
        calls++;
        if (calls === 1) {
          started.resolve();
          await release.promise;
        }
      }),
    });
    const first = run([slow], { store, clock, runId: 'run-first' });
    await started.promise;
    const second = await run([slow], {
      store,
      clock,
      runId: 'run-second',
      onLocked: 'wait',
      lockPollMs: 2_000,
      onEvent: (e) => {
        if (e.type === 'asset_waiting') release.resolve();
      },
    });
    expect(second.result.status).toBe('succeeded');
    expect(second.seen.find((e) => e.type === 'asset_waiting')?.message).toBe('waiting for run run-first to release the lock');
    expect((await first).result.status).toBe('succeeded');
    expect(calls).toBe(2);
  });
});

describe('resume', () => {
  const defs = (state: { fail: boolean; calls: Record<string, number>; seen?: unknown }) => {
    const count = (k: string) => {
      state.calls[k] = (state.calls[k] ?? 0) + 1;
    };
    return [
      asset('r.a', {
        kind: 'value',
        produce: fn(() => {
          count('a');
          return { value: 42 };
        }),
      }),
      asset('r.b', {
        deps: ['r.a'],
        produce: fn((ctx) => {
          count('b');
          state.seen = ctx.upstream['r.a'];
          if (state.fail) throw new Error('b broke');
        }),
      }),
      asset('r.c', { deps: ['r.b'], produce: fn(() => count('c')) }),
    ];
  };

  it('skips what succeeded (following the resume chain) and runs the rest', async () => {
    const store = await memoryStore();
    const state = { fail: true, calls: {} as Record<string, number>, seen: undefined as unknown };
    const first = await run(defs(state), { store, runId: 'run-1' });
    expect(first.result.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'upstream_failed']);

    state.fail = false;
    const second = await run(defs(state), { store, runId: 'run-2', resumeFrom: 'run-1' });
    expect(second.result.status).toBe('succeeded');
    expect(second.result.resumedFrom).toBe('run-1');
    expect(second.result.steps.map((s) => [s.id, s.status, s.reusedFrom])).toEqual([
      ['r.a', 'skipped', 'run-1'],
      ['r.b', 'succeeded', null],
      ['r.c', 'succeeded', null],
    ]);
    expect(state.calls).toEqual({ a: 1, b: 2, c: 1 });
    expect(state.seen).toBe(42); // the reused asset's value came from run-1's stored event
    const skipped = second.stored.find((e) => e.type === 'asset_skipped');
    expect(skipped).toMatchObject({ assetKey: 'r.a', message: 'already succeeded in run run-1; not run again' });
    expect(skipped?.data).toEqual({ reason: 'resumed', succeededIn: 'run-1' });
    expect((await store.getRun('run-2'))?.resumedFrom).toBe('run-1');

    const third = await run(defs(state), { store, runId: 'run-3', resumeFrom: 'run-2' });
    expect(third.result.steps.map((s) => s.reusedFrom)).toEqual(['run-1', 'run-2', 'run-2']);
    expect(state.calls).toEqual({ a: 1, b: 2, c: 1 });
  });

  it('refuses an unknown run and a run that is still alive (exit 2)', async () => {
    const store = await memoryStore();
    const defsNow = defs({ fail: false, calls: {} });
    const unknown = run(defsNow, { store, resumeFrom: 'nope' });
    await expect(unknown).rejects.toThrow(ResumeError);
    await expect(unknown).rejects.toThrow('cannot resume run "nope": no such run in memory:; list runs with `sluice runs`');
    await expect(unknown).rejects.toMatchObject({ exitCode: 2 });
    await store.createRun({
      id: 'alive',
      selection: '*',
      partitions: [],
      startedAt: new Date(T0 - 5_000).toISOString(),
      launchedBy: 'cli',
    });
    await expect(run(defsNow, { store, resumeFrom: 'alive' })).rejects.toThrow(
      'cannot resume run "alive": it is still running (last heartbeat 5s ago); wait for it to finish or cancel it',
    );
  });
});

describe('stale runs', () => {
  it('are failed when a run starts, and may then be resumed', async () => {
    const store = await memoryStore();
    await store.createRun({
      id: 'dead',
      selection: '*',
      partitions: [],
      startedAt: new Date(T0 - 120_000).toISOString(),
      launchedBy: 'cli',
    });
    const { result } = await run([asset('s.a', { produce: fn(() => 1) })], { store, resumeFrom: 'dead' });
    expect(result.staleRunsFailed).toEqual(['dead']);
    expect((await store.getRun('dead'))?.status).toBe('failed');
    expect(result.status).toBe('succeeded');
  });

  it('use a configurable threshold', async () => {
    const store = await memoryStore();
    await store.createRun({
      id: 'slow',
      selection: '*',
      partitions: [],
      startedAt: new Date(T0 - 120_000).toISOString(),
      launchedBy: 'cli',
    });
    const { result } = await run([asset('s.a', { produce: fn(() => 1) })], { store, staleAfterMs: 600_000 });
    expect(result.staleRunsFailed).toEqual([]);
    expect((await store.getRun('slow'))?.status).toBe('running');
  });
});
