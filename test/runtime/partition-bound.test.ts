// maxPartitions: a backfill keeps at most N windows in flight, oldest first, and never deadlocks on dependsOnPast.
import { describe, expect, it } from 'vitest';
import { buildGraph, plan } from '../../src/graph/index.js';
import { asset, fn } from '../../src/index.js';
import { PartitionGate } from '../../src/runtime/partition-gate.js';
import { run } from './support/harness.js';

const daily = { granularity: 'daily', start: '2025-01-01' } as const;
const range = (defs: Parameters<typeof run>[0], to = '2025-01-06') =>
  plan(buildGraph({ assets: defs.map((d) => ({ spec: d.spec })) }), '*', {
    from: '2025-01-01',
    to,
    now: new Date('2025-06-01T00:00:00Z'),
  });

/** Producers that record which partitions have a step running, yielding so others can interleave. */
function tracker() {
  const running = new Map<string, number>();
  let most = 0;
  const started: string[] = [];
  const body = (fail?: string) =>
    fn(async (ctx) => {
      const key = ctx.partition!.key;
      started.push(key);
      running.set(key, (running.get(key) ?? 0) + 1);
      most = Math.max(most, [...running.values()].filter((n) => n > 0).length);
      await new Promise((r) => setTimeout(r, 2));
      running.set(key, (running.get(key) ?? 1) - 1);
      if (key === fail) throw new Error(`bad window ${key}`);
      return 1;
    });
  return { body, started, most: () => most };
}

describe('maxPartitions', () => {
  it('keeps at most N windows in flight, counting a window until its last step ends, and starts them oldest first', async () => {
    const t = tracker();
    const extract = asset('w.extract', { partitions: daily, produce: t.body() });
    const load = asset('w.load', { deps: [extract], partitions: daily, produce: t.body() });
    const { result } = await run([extract, load], { plan: range([extract, load]), maxPartitions: 2, concurrency: 8 });
    expect(result.status).toBe('succeeded');
    expect(t.most()).toBeLessThanOrEqual(2);
    const firstStarts = [...new Set(t.started)];
    expect(firstStarts).toEqual(['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05', '2025-01-06']);
  });

  it('runs all windows at once without the bound (the bound is what limits them)', async () => {
    const t = tracker();
    const extract = asset('w.extract', { partitions: daily, produce: t.body() });
    const { result } = await run([extract], { plan: range([extract]), concurrency: 8 });
    expect(result.status).toBe('succeeded');
    expect(t.most()).toBe(6);
  });

  it('a failed window frees its place: the later windows still run', async () => {
    const t = tracker();
    const extract = asset('w.extract', { partitions: daily, produce: t.body('2025-01-02') });
    const load = asset('w.load', { deps: [extract], partitions: daily, produce: t.body() });
    const { result, store } = await run([extract, load], { plan: range([extract, load]), maxPartitions: 1 });
    expect(result.status).toBe('failed');
    const assets = await store.assetRuns(result.runId);
    const status = (key: string, p: string) => assets.find((a) => a.assetKey === key && a.partition === p)?.status;
    expect(status('w.load', '2025-01-02')).toBe('upstream_failed');
    expect(status('w.load', '2025-01-06')).toBe('succeeded');
    expect(t.most()).toBe(1);
  });

  it('one window at a time with dependsOnPast does not deadlock', async () => {
    const t = tracker();
    const extract = asset('w.extract', { partitions: daily, produce: t.body() });
    const merge = asset('w.merge', { deps: [extract], partitions: daily, dependsOnPast: true, produce: t.body() });
    const { result } = await run([extract, merge], { plan: range([extract, merge]), maxPartitions: 1 });
    expect(result.status).toBe('succeeded');
    expect(t.started).toEqual([
      '2025-01-01',
      '2025-01-01',
      '2025-01-02',
      '2025-01-02',
      '2025-01-03',
      '2025-01-03',
      '2025-01-04',
      '2025-01-04',
      '2025-01-05',
      '2025-01-05',
      '2025-01-06',
      '2025-01-06',
    ]);
  });

  it('rejects a bound below 1', () => {
    expect(() => new PartitionGate(0, ['2025-01-01'])).toThrow('the partition bound must be a whole number of at least 1, not 0');
  });
});
