// What producers see and report: the fn context, partitions, logs, values, sensors, unimplemented types.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asset, fn, type ProducerContext, sensors, shell, sourceAsset } from '../../src/index.js';
import { toOutcome } from '../../src/runtime/producers/fn.js';
import { unimplemented } from '../../src/runtime/producers/unimplemented.js';
import { memoryStore, planFor, run, T0 } from './support/harness.js';

describe('fn producers', () => {
  it('get the run, attempt, partition window, upstream values and a stored logger', async () => {
    let seen: ProducerContext | undefined;
    const daily = { granularity: 'daily' as const, start: '2025-01-01' };
    const a = asset('f.a', { kind: 'value', partitions: daily, produce: fn((ctx) => ({ value: `a-${ctx.partition?.key}` })) });
    const b = asset('f.b', {
      deps: [a],
      partitions: daily,
      produce: fn((ctx) => {
        seen = ctx;
        ctx.log.info('hello from b');
        ctx.log.warn('careful');
        return { rowCount: 5, metadata: { source: 'x' } };
      }),
    });
    const { result, store } = await run([a, b], { plan: planFor([a, b], '*', '2025-01-10'), runId: 'run-ctx' });
    expect(result.status).toBe('succeeded');
    expect(seen?.assetKey).toBe('f.b');
    expect(seen?.runId).toBe('run-ctx');
    expect(seen?.attempt).toBe(1);
    expect(seen?.partition).toEqual({
      key: '2025-01-10',
      start: new Date('2025-01-10T00:00:00Z'),
      end: new Date('2025-01-11T00:00:00Z'),
    });
    expect(seen?.upstream).toEqual({ 'f.a': 'a-2025-01-10', 'f.a@2025-01-10': 'a-2025-01-10' });
    expect(result.steps.map((s) => [s.id, s.rowCount])).toEqual([
      ['f.a@2025-01-10', null],
      ['f.b@2025-01-10', 5],
    ]);
    const logs = await store.logs('run-ctx', 'f.b');
    expect(logs.map((l) => [l.level, l.stream, l.partition, l.message])).toEqual([
      ['info', 'user', '2025-01-10', 'hello from b'],
      ['warn', 'user', '2025-01-10', 'careful'],
    ]);
  });

  it('treat only a plain object of rowCount/metadata/value as a result', () => {
    expect(toOutcome({ rowCount: 3 })).toEqual({ rowCount: 3, metadata: undefined, value: undefined });
    expect(toOutcome({ rows: 3 })).toEqual({ value: { rows: 3 } });
    expect(toOutcome([1])).toEqual({ value: [1] });
    expect(toOutcome(undefined)).toEqual({});
  });

  it('see their start event stored before they run, and nothing succeeded is left unstored', async () => {
    const store = await memoryStore();
    let storedAtStart: string[] = [];
    const a = asset('d.a', { produce: fn(() => 1) });
    const b = asset('d.b', {
      deps: [a],
      produce: fn(async (ctx) => {
        storedAtStart = (await store.events(ctx.runId)).map((e) => `${e.type} ${e.assetKey ?? ''}`);
      }),
    });
    await run([a, b], { store, flush: { maxBatch: 10_000, intervalMs: 60_000 } });
    expect(storedAtStart.slice(-3)).toEqual(['asset_started d.a', 'asset_succeeded d.a', 'asset_started d.b']);
  });
});

describe('producer types from later issues', () => {
  it('fail without retry, naming the type and the asset', async () => {
    const a = asset('p.dump', { produce: shell({ command: 'echo hi' }), retry: { maxAttempts: 3 } });
    // shell itself runs now (producers-shell.test.ts); the placeholder is what a not-yet-built type gets.
    const { result } = await run([a], { producers: { shell: unimplemented('shell') } });
    expect(result.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'the shell producer is not available in this version of sluice yet (asset "p.dump")',
    });
  });
});

describe('source assets', () => {
  it('without a sensor are observed at once', async () => {
    const src = sourceAsset('raw.orders');
    const a = asset('s.a', { deps: [src], produce: fn(() => 1) });
    const { result, stored } = await run([src, a]);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['raw.orders', 'succeeded'],
      ['s.a', 'succeeded'],
    ]);
    expect(stored.find((e) => e.type === 'asset_succeeded' && e.assetKey === 'raw.orders')?.message).toBe('source observed');
  });

  it('with a file sensor poke until the file exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sensor-'));
    try {
      const path = join(dir, 'in-{{ ds_nodash }}.csv');
      const src = sourceAsset('raw.file', { kind: 'file', sensor: sensors.file({ path, pokeInterval: '60s', timeout: '1h' }) });
      const { result, seen, clock } = await run([src], {
        onEvent: (e) => {
          if (e.type === 'sensor_tick' && e.data?.poke === 2) writeFileSync(join(dir, 'in-20250110.csv'), 'x');
        },
      });
      expect(result.status).toBe('succeeded');
      expect(seen.filter((e) => e.type === 'sensor_tick').map((e) => e.data)).toEqual([
        { poke: 1, satisfied: false },
        { poke: 2, satisfied: false },
        { poke: 3, satisfied: true },
      ]);
      expect(clock.now() - T0).toBe(120_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fail without retry when the sensor times out, saying what the last poke saw', async () => {
    const never = sourceAsset('raw.never', {
      sensor: sensors.file({ path: '/nonexistent/x', pokeInterval: '60s', timeout: '5m' }),
    });
    // external_run and asset_materialized sensors: test/runtime/sensors.test.ts.
    const { result, clock } = await run([never], {
      pipeline: { retry: { maxAttempts: 3, delay: 1000, backoff: 'fixed', retryOn: ['any'] } },
    });
    expect(result.steps.map((s) => [s.id, s.status, s.attempts, s.kind, s.error])).toEqual([
      [
        'raw.never',
        'failed',
        1,
        'timeout',
        'file sensor of "raw.never" did not hold within 300s (5 pokes; last: no /nonexistent/x yet)',
      ],
    ]);
    expect(clock.now() - T0).toBe(300_000);
  });
});

describe('cancellation', () => {
  it('aborts running producers, starts nothing new and ends the run cancelled', async () => {
    const controller = new AbortController();
    let reason: unknown;
    const a = asset('c.a', {
      produce: fn(
        (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => {
              reason = ctx.signal.reason;
              reject(ctx.signal.reason);
            });
            setImmediate(() => controller.abort());
          }),
      ),
    });
    const b = asset('c.b', { deps: [a], produce: fn(() => 1) });
    const { result, notifier } = await run([a, b], { signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(result.steps.map((s) => [s.id, s.status, s.kind])).toEqual([
      ['c.a', 'failed', 'cancelled'],
      ['c.b', 'skipped', null],
    ]);
    expect(result.steps[1]?.reason).toBe('run cancelled before the step started');
    expect(String(reason)).toContain('run cancelled');
    expect(notifier.sent).toEqual([]);
  });
});
