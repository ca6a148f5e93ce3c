// Schedule arithmetic: when a pipeline's cron fires, which ticks are due, and which partition a tick means.

import { Cron } from 'croner';
import { partitionKeys, wallClockInstant } from '../definitions/partitions.js';
import type { PartitionsSpec, ScheduleSpec } from '../definitions/schema.js';

/** Schedule start/end dates are wall-clock times in the schedule's time zone. */
function boundary(date: string | undefined, timezone: string): Date | undefined {
  return date ? wallClockInstant(date, timezone) : undefined;
}

function cronOf(schedule: ScheduleSpec): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
}

/**
 * The next `count` ticks strictly after `after`, within the schedule's start and end.
 * @example nextTicks({ cron: '@daily', timezone: 'UTC', catchup: false, maxActiveRuns: 1 }, new Date('2025-01-10T12:00Z'), 2)
 * // [2025-01-11T00:00Z, 2025-01-12T00:00Z]
 */
export function nextTicks(schedule: ScheduleSpec, after: Date, count: number): Date[] {
  const cron = cronOf(schedule);
  const start = boundary(schedule.start, schedule.timezone);
  const end = boundary(schedule.end, schedule.timezone);
  const ticks: Date[] = [];
  // A tick exactly at `start` counts, so the search begins just before it.
  let t: Date | null = start && start > after ? new Date(start.getTime() - 1) : after;
  while (ticks.length < count) {
    t = cron.nextRun(t);
    if (!t || (end && t > end)) break;
    ticks.push(t);
  }
  return ticks;
}

/**
 * The ticks a daemon should launch now. With catchup, every tick after the last launched one (or the
 * start) up to `now`, oldest first; without, only the newest due tick — missed ones are skipped, as
 * Airflow does with catchup=False.
 * @example dueTicks(schedule, lastTick, new Date())
 */
export function dueTicks(
  schedule: ScheduleSpec,
  lastTick: Date | null,
  now: Date,
  limit = 1000,
): { due: Date[]; skipped: number } {
  const cron = cronOf(schedule);
  const start = boundary(schedule.start, schedule.timezone);
  const end = boundary(schedule.end, schedule.timezone);
  const from = lastTick ?? (start ? new Date(start.getTime() - 1) : null);
  if (!from) {
    // No start and never ticked: the newest tick at or before now is due, nothing older.
    const previous = cron.previousRuns(1, now)[0];
    return { due: previous ? [previous] : [], skipped: 0 };
  }
  const all: Date[] = [];
  for (let t = cron.nextRun(from); t && t <= now && (!end || t <= end); t = cron.nextRun(t)) {
    all.push(t);
    // Without catchup only the newest matters; keep the list short however long the gap.
    if (!schedule.catchup && all.length > 1) all.shift();
    if (schedule.catchup && all.length >= limit) break;
  }
  if (schedule.catchup) return { due: all, skipped: 0 };
  const newest = all.at(-1);
  const missed = lastTick ? countBetween(cron, lastTick, newest) : 0;
  return { due: newest ? [newest] : [], skipped: missed };
}

function countBetween(cron: Cron, from: Date, to: Date | undefined): number {
  if (!to) return 0;
  let n = 0;
  for (let t = cron.nextRun(from); t && t < to && n < 100_000; t = cron.nextRun(t)) n++;
  return n;
}

/**
 * The partition a tick runs: the newest window complete at the tick (a daily tick at midnight runs
 * yesterday), or undefined when the window set is empty then.
 * @example tickPartition({ granularity: 'daily', start: '2025-01-01', ... }, new Date('2025-01-10T00:00Z')) // '2025-01-09'
 */
export function tickPartition(partitions: PartitionsSpec, tick: Date): string | undefined {
  return partitionKeys({ ...partitions, endOffset: 0 }, tick).at(-1);
}
