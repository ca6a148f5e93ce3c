// Schedule arithmetic: next ticks, what is due with and without catchup, and the partition a tick runs.
import { describe, expect, it } from 'vitest';
import type { PartitionsSpec, ScheduleSpec } from '../../src/definitions/schema.js';
import { dueTicks, nextTicks, tickPartition } from '../../src/schedule/ticks.js';

const daily: ScheduleSpec = { cron: '@daily', start: '2025-01-10', timezone: 'UTC', catchup: false, maxActiveRuns: 1 };
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('schedule ticks', () => {
  it('starts at the start date, in the schedule time zone', () => {
    expect(iso(nextTicks(daily, new Date('2025-01-01T00:00:00Z'), 2))).toEqual([
      '2025-01-10T00:00:00.000Z',
      '2025-01-11T00:00:00.000Z',
    ]);
    const berlin = { ...daily, cron: '0 6 * * *', timezone: 'Europe/Berlin' };
    expect(iso(nextTicks(berlin, new Date('2025-03-29T12:00:00Z'), 2))).toEqual([
      '2025-03-30T04:00:00.000Z',
      '2025-03-31T04:00:00.000Z',
    ]);
  });

  it('stops at the end date', () => {
    expect(nextTicks({ ...daily, end: '2025-01-11' }, new Date('2025-01-01T00:00:00Z'), 5)).toHaveLength(2);
  });

  it('without catchup launches only the newest due tick and counts the skipped ones', () => {
    const { due, skipped } = dueTicks(daily, new Date('2025-01-10T00:00:00Z'), new Date('2025-01-14T05:00:00Z'));
    expect(iso(due)).toEqual(['2025-01-14T00:00:00.000Z']);
    expect(skipped).toBe(3);
  });

  it('with catchup launches every missed tick, oldest first, from the start on the first run', () => {
    const { due } = dueTicks({ ...daily, catchup: true }, null, new Date('2025-01-12T05:00:00Z'));
    expect(iso(due)).toEqual(['2025-01-10T00:00:00.000Z', '2025-01-11T00:00:00.000Z', '2025-01-12T00:00:00.000Z']);
  });

  it('has nothing due twice', () => {
    const now = new Date('2025-01-12T05:00:00Z');
    const { due } = dueTicks(daily, new Date('2025-01-12T00:00:00Z'), now);
    expect(due).toEqual([]);
  });

  it('runs the window that the tick completes', () => {
    const partitions: PartitionsSpec = { type: 'time', granularity: 'daily', start: '2025-01-01', timezone: 'UTC', endOffset: 0 };
    expect(tickPartition(partitions, new Date('2025-01-10T00:00:00Z'))).toBe('2025-01-09');
  });
});
