// Contract section: schedule ticks are claimed once, whoever records them first.
import { expect, it } from 'vitest';
import type { SensorTickRecord, TickRecord } from '../../src/storage/types.js';
import type { StoreRef } from './contract.js';
import { at } from './helpers.js';

const tick = (pipeline: string, seconds: number, overrides: Partial<TickRecord> = {}): TickRecord => ({
  pipeline,
  tickAt: at(seconds),
  status: 'launched',
  reason: 'due',
  runId: `run-${pipeline}-${seconds}`,
  evaluatedAt: at(seconds + 1),
  ...overrides,
});

export function ticksContract(store: StoreRef): void {
  it('records a tick once: a second claim of the same pipeline and instant is refused', async () => {
    expect(await store().recordTick(tick('p', 0))).toBe(true);
    expect(await store().recordTick(tick('p', 0, { runId: 'other' }))).toBe(false);
    expect(await store().ticks()).toEqual([tick('p', 0)]);
  });

  it('reads the newest tick of a pipeline and lists ticks newest first', async () => {
    await store().recordTick(tick('p', 0));
    await store().recordTick(tick('p', 60, { status: 'skipped', reason: 'catchup is off', runId: null }));
    await store().recordTick(tick('q', 30));
    expect(await store().lastTick('p')).toEqual(tick('p', 60, { status: 'skipped', reason: 'catchup is off', runId: null }));
    expect(await store().lastTick('none')).toBeUndefined();
    expect((await store().ticks()).map((t) => `${t.pipeline}@${t.tickAt}`)).toEqual([`p@${at(60)}`, `q@${at(30)}`, `p@${at(0)}`]);
    expect(await store().ticks({ pipeline: 'q', limit: 5 })).toHaveLength(1);
  });
}

const sensorTick = (seconds: number, overrides: Partial<SensorTickRecord> = {}): SensorTickRecord => ({
  pipeline: 'p',
  sensor: 'file',
  evaluatedAt: at(seconds),
  status: 'skipped',
  reason: 'no /in/x.csv yet',
  runKey: null,
  partition: null,
  runId: null,
  ...overrides,
});

export function sensorTicksContract(store: StoreRef): void {
  it('claims a run key once per sensor; skipped ticks never collide', async () => {
    const launched = sensorTick(10, { status: 'launched', reason: 'file changed', runKey: 'k1', runId: 'r1' });
    expect(await store().recordSensorTick(sensorTick(0))).toBe(true);
    expect(await store().recordSensorTick(sensorTick(5))).toBe(true);
    expect(await store().recordSensorTick(launched)).toBe(true);
    expect(await store().recordSensorTick({ ...launched, evaluatedAt: at(20), runId: 'r2' })).toBe(false);
    // The same key on another sensor or pipeline is a different claim.
    expect(await store().recordSensorTick({ ...launched, sensor: 'sql', runId: 'r3' })).toBe(true);
    expect(await store().recordSensorTick({ ...launched, pipeline: 'q', runId: 'r4' })).toBe(true);
    const ticks = await store().sensorTicks({ pipeline: 'p', sensor: 'file' });
    expect(ticks).toEqual([launched, sensorTick(5), sensorTick(0)]);
  });

  it('filters by status and limit, and prunes old skipped ticks but keeps launched ones', async () => {
    await store().recordSensorTick(sensorTick(0));
    await store().recordSensorTick(sensorTick(1, { status: 'launched', runKey: 'k', runId: 'r', partition: '2025-01-10' }));
    await store().recordSensorTick(sensorTick(2, { status: 'failed', reason: 'relation "md.flag" does not exist' }));
    await store().recordSensorTick(sensorTick(100));
    expect((await store().sensorTicks({ status: 'launched' })).map((t) => t.partition)).toEqual(['2025-01-10']);
    expect(await store().sensorTicks({ limit: 1 })).toEqual([sensorTick(100)]);
    expect(await store().pruneSensorTicks(at(50))).toBe(2);
    expect((await store().sensorTicks()).map((t) => t.evaluatedAt)).toEqual([at(100), at(1)]);
  });
}
