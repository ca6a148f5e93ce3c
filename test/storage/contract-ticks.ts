// Contract section: schedule ticks are claimed once, whoever records them first.
import { expect, it } from 'vitest';
import type { TickRecord } from '../../src/storage/types.js';
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
