// Sensors inside a run: external_run and asset_materialized waits, placeholders, ticks and timeouts.
import { describe, expect, it } from 'vitest';
import { asset, fn, type RunStore, type SourceAssetOptions, sensors, sourceAsset } from '../../src/index.js';
import type { Warehouse } from '../../src/resources/warehouse/types.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { staticResources } from '../../src/runtime/resources.js';
import { SensorTimeoutError } from '../../src/runtime/sensors.js';
import { memoryStore, planFor, run, T0, trace } from './support/harness.js';

const daily = { granularity: 'daily' as const, start: '2025-01-01' };

/** A finished run of `pipeline` in the store, as another process would have left it. */
async function pastRun(
  store: RunStore,
  id: string,
  pipeline: string,
  status: 'succeeded' | 'failed',
  partitions: string[],
  extra: { startedAt?: string; tags?: Record<string, string> } = {},
): Promise<void> {
  const startedAt = extra.startedAt ?? '2025-01-09T06:00:00.000Z';
  await store.createRun({ id, pipeline, selection: '*', partitions, startedAt, launchedBy: 'cli', tags: extra.tags });
  await store.finishRun(id, status, startedAt);
}

/** A daily pipeline step behind a source whose sensor waits on pipeline `up`. */
function waitingOn(sensor: SourceAssetOptions['sensor'], start = daily.start) {
  const gate = sourceAsset('w.gate', { sensor });
  const load = asset('w.load', { deps: [gate], partitions: { ...daily, start }, produce: fn(() => 1) });
  return [gate, load];
}

describe('external_run sensor', () => {
  it('waits for the previous partition of another pipeline, ticking what is missing, until its run succeeds', async () => {
    const store = await memoryStore();
    await pastRun(store, 'up-failed', 'up', 'failed', ['2025-01-09']);
    await pastRun(store, 'up-other-day', 'up', 'succeeded', ['2025-01-08']);
    const defs = waitingOn(sensors.externalRun({ pipeline: 'up', partitionOffset: -1, pokeInterval: '100s' }));
    let pokes = 0;
    const { result, stored } = await run(defs, {
      store,
      plan: planFor(defs, '*', '2025-01-10'),
      onEvent: (e) => {
        // The other pipeline's run for the day before finishes while this one waits.
        if (e.type === 'sensor_tick' && ++pokes === 2) void pastRun(store, 'up-ok', 'up', 'succeeded', ['2025-01-09']);
      },
    });
    expect(result.status).toBe('succeeded');
    const ticks = stored.filter((e) => e.type === 'sensor_tick');
    expect(ticks.map((e) => [e.data?.poke, e.data?.satisfied, e.message])).toEqual([
      [1, false, 'poke 1: no succeeded run of pipeline up for 2025-01-09 yet'],
      [2, false, 'poke 2: no succeeded run of pipeline up for 2025-01-09 yet'],
      [3, true, 'poke 3: pipeline up succeeded (2025-01-09: run up-ok)'],
    ]);
  });

  it('has nothing to wait for on the first partition, and skips partitions its own run covers', async () => {
    const first = waitingOn(sensors.externalRun({ pipeline: 'daily', partitionOffset: -1 }), '2025-01-10');
    const one = await run(first, { plan: planFor(first, '*', '2025-01-10') });
    expect(one.result.status).toBe('succeeded');
    expect(one.stored.find((e) => e.type === 'sensor_tick')?.message).toBe(
      'poke 1: no earlier partition of pipeline daily to wait for (first partition)',
    );

    // A backfill of 01-11..01-12 of its own pipeline needs 01-10 only: 01-11 is in the same run.
    const store = await memoryStore();
    await pastRun(store, 'daily-10', 'daily', 'succeeded', ['2025-01-10']);
    const { buildGraph, plan } = await import('../../src/graph/index.js');
    const graph = buildGraph({ assets: first.map((d) => ({ spec: d.spec })) });
    const range = plan(graph, '*', { from: '2025-01-11', to: '2025-01-12', now: new Date('2025-06-01T00:00:00Z') });
    const backfill = await run(first, { store, plan: range, pipeline: { name: 'daily' } });
    expect(backfill.result.status).toBe('succeeded');
    expect(backfill.stored.find((e) => e.type === 'sensor_tick')?.message).toBe(
      'poke 1: pipeline daily succeeded (2025-01-10: run daily-10)',
    );
  });

  it('uses the logical date of unpartitioned runs: the logical_date tag, else the day the run started', async () => {
    const store = await memoryStore();
    const gate = sourceAsset('w.gate', { sensor: sensors.externalRun({ pipeline: 'up', partitionOffset: -1 }) });
    const load = asset('w.load', { deps: [gate], produce: fn(() => 1) });
    // T0 is 2025-01-10T06:00Z, so this run's logical date is 2025-01-10 and it needs 2025-01-09.
    await pastRun(store, 'up-tagged', 'up', 'succeeded', [], {
      startedAt: '2025-01-10T01:00:00.000Z',
      tags: { logical_date: '2025-01-09' },
    });
    const tagged = await run([gate, load], { store });
    expect(tagged.stored.find((e) => e.type === 'sensor_tick')?.message).toContain('2025-01-09: run up-tagged');

    const byStart = await memoryStore();
    await pastRun(byStart, 'up-started', 'up', 'succeeded', [], { startedAt: '2025-01-09T23:00:00.000Z' });
    const started = await run([gate, load], { store: byStart });
    expect(started.stored.find((e) => e.type === 'sensor_tick')?.message).toContain('2025-01-09: run up-started');
  });

  it('times out with SensorTimeoutError, not retried, naming what it missed; downstream is upstream_failed', async () => {
    const defs = waitingOn(sensors.externalRun({ pipeline: 'up', partitionOffset: -1, pokeInterval: '100s', timeout: '5m' }));
    const { result, stored, notifier } = await run(defs, {
      plan: planFor(defs, '*', '2025-01-10'),
      pipeline: { name: 'main', retry: { maxAttempts: 3, delay: 1000, backoff: 'fixed', retryOn: ['any'] } },
    });
    expect(result.steps.map((s) => [s.id, s.status, s.attempts, s.kind])).toEqual([
      ['w.gate', 'failed', 1, 'timeout'],
      ['w.load@2025-01-10', 'upstream_failed', 0, null],
    ]);
    expect(result.steps[0]?.error).toBe(
      'external_run sensor of "w.gate" did not hold within 300s (3 pokes; last: no succeeded run of pipeline up for 2025-01-09 yet)',
    );
    expect(stored.filter((e) => e.type === 'sensor_tick')).toHaveLength(3);
    expect(notifier.sent.map((n) => n.scope)).toEqual(['run']);
    expect(new SensorTimeoutError('a', 'sql', 1000)).toMatchObject({ kind: 'timeout', name: 'SensorTimeoutError' });
  });
});

describe('asset_materialized sensor', () => {
  const orders = asset('raw.orders', { produce: fn(() => ({ rowCount: 3 })) });

  it('holds when the asset was materialized within `within`, and times out when that is too long ago', async () => {
    const store = await memoryStore();
    await run([orders], { store });
    const gate = sourceAsset('w.gate', {
      sensor: sensors.assetMaterialized({ asset: 'raw.orders', within: '1h', pokeInterval: '10m', timeout: '30m' }),
    });
    const load = asset('w.load', { deps: [gate], produce: fn(() => 1) });
    // The sensor's asset must be in the graph (it is validated like a dep), though not in the plan.
    const defs = [orders, gate, load];
    const soon = await run(defs, { store, plan: planFor(defs, 'w.*'), clock: new ManualClock(T0 + 30 * 60_000, { auto: true }) });
    expect(soon.result.status).toBe('succeeded');
    expect(soon.stored.find((e) => e.type === 'sensor_tick')?.message).toMatch(/^poke 1: raw\.orders materialized by run /);

    const late = await run(defs, {
      store,
      plan: planFor(defs, 'w.*'),
      clock: new ManualClock(T0 + 2 * 3_600_000, { auto: true }),
    });
    expect(late.result.steps[0]).toMatchObject({ status: 'failed', kind: 'timeout' });
    expect(late.result.steps[0]?.error).toContain('last: raw.orders not materialized within 3600s yet');
  });

  it('needs the run’s own partition of a partitioned asset', async () => {
    const store = await memoryStore();
    const byDay = asset('raw.by_day', { partitions: daily, produce: fn(() => 1) });
    await run([byDay], { store, plan: planFor([byDay], '*', '2025-01-10') });
    const defs = [byDay, ...waitingOn(sensors.assetMaterialized({ asset: 'raw.by_day', pokeInterval: '10m', timeout: '20m' }))];
    const same = await run(defs, { store, plan: planFor(defs, 'w.*', '2025-01-10') });
    expect(same.result.status).toBe('succeeded');
    const next = await run(defs, { store, plan: planFor(defs, 'w.*', '2025-01-11') });
    expect(next.result.steps[0]?.error).toContain('last: raw.by_day not materialized for 2025-01-11 yet');
  });
});

describe('sql sensor', () => {
  it('fills placeholders from the run’s partition although the source step has none', async () => {
    const seen: string[] = [];
    let answers = 0;
    const warehouse = {
      query: async (sql: string) => {
        seen.push(sql);
        return ++answers < 2 ? [] : [{ ok: 1 }];
      },
    } as unknown as Warehouse;
    const defs = waitingOn(sensors.sql({ sql: "SELECT 1 FROM md.dwh_flag WHERE load_date = '{{ ds }}'" }));
    const { result, stored } = await run(defs, {
      plan: planFor(defs, '*', '2025-01-10'),
      resources: staticResources({ warehouse }),
    });
    expect(result.status).toBe('succeeded');
    expect(seen).toEqual([
      "SELECT 1 FROM md.dwh_flag WHERE load_date = '2025-01-10'",
      "SELECT 1 FROM md.dwh_flag WHERE load_date = '2025-01-10'",
    ]);
    expect(trace(stored, ['sensor_tick', 'asset_succeeded'])).toEqual([
      'sensor_tick w.gate',
      'sensor_tick w.gate',
      'asset_succeeded w.gate',
      'asset_succeeded w.load@2025-01-10',
    ]);
  });
});
