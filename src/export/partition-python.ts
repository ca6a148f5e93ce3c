// Python snippets that compute sluice partition keys in generated code, one variant per granularity.

import type { PartitionsSpec } from '../definitions/index.js';

/**
 * Body lines of `_partition_before(moment)`: the newest complete window before `moment` (in the partitions' zone),
 * as a sluice partition key; the logical date when unpartitioned.
 */
export function partitionBeforeLines(p: PartitionsSpec | undefined): string[] {
  switch (p?.granularity) {
    case 'hourly':
      return [
        'hour = moment.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)',
        'return hour.strftime("%Y-%m-%d-%H:00")',
      ];
    case 'weekly':
      // Weeks start on Sunday, as sluice's weekly partitions do.
      return [
        'this_week = moment.date() - timedelta(days=(moment.weekday() + 1) % 7)',
        'return (this_week - timedelta(days=7)).isoformat()',
      ];
    case 'monthly':
      return ['first = moment.date().replace(day=1)', 'return (first - timedelta(days=1)).replace(day=1).isoformat()'];
    case 'daily':
      return ['return (moment.date() - timedelta(days=1)).isoformat()'];
    default:
      // Unpartitioned: the run's date (sluice uses the run's UTC date).
      return ['return moment.date().isoformat()'];
  }
}

/** Body lines of `_shift_partition(key, offset)`: the key `offset` windows away. */
export function shiftPartitionLines(p: PartitionsSpec | undefined): string[] {
  switch (p?.granularity) {
    case 'hourly':
      return ['return (datetime.strptime(key, "%Y-%m-%d-%H:%M") + timedelta(hours=offset)).strftime("%Y-%m-%d-%H:00")'];
    case 'monthly':
      return [
        'year, month = divmod(int(key[:4]) * 12 + int(key[5:7]) - 1 + offset, 12)',
        'return date(year, month + 1, 1).isoformat()',
      ];
    case 'weekly':
      return ['return (date.fromisoformat(key) + timedelta(weeks=offset)).isoformat()'];
    default:
      return ['return (date.fromisoformat(key) + timedelta(days=offset)).isoformat()'];
  }
}
