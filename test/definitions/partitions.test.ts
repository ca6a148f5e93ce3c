// Time-window partitions: keys, windows across time zones and DST, and set membership.
import { describe, expect, it } from 'vitest';
import type { PartitionsSpec } from '../../src/index.js';
import { checkPartitionKey, partitionKeys, partitionRange, partitionWindow } from '../../src/index.js';

const daily: PartitionsSpec = { type: 'time', granularity: 'daily', start: '2025-01-10', timezone: 'UTC', endOffset: 0 };

describe('partitions', () => {
  it('lists complete daily windows up to now', () => {
    expect(partitionKeys(daily, new Date('2025-01-13T05:00:00Z'))).toEqual(['2025-01-10', '2025-01-11', '2025-01-12']);
    expect(partitionKeys({ ...daily, endOffset: 1 }, new Date('2025-01-13T05:00:00Z')).at(-1)).toBe('2025-01-13');
  });

  it('gives windows in the partition time zone, across a DST change', () => {
    const berlin: PartitionsSpec = { ...daily, timezone: 'Europe/Berlin', start: '2025-03-29' };
    const w = partitionWindow(berlin, '2025-03-30');
    expect(w?.start.toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(w?.end.toISOString()).toBe('2025-03-30T22:00:00.000Z'); // a 23-hour day
  });

  it('aligns hourly, weekly (Sunday) and monthly keys', () => {
    const now = new Date('2025-03-01T03:30:00Z');
    expect(partitionKeys({ ...daily, granularity: 'hourly', start: '2025-03-01' }, now)).toEqual([
      '2025-03-01-00:00',
      '2025-03-01-01:00',
      '2025-03-01-02:00',
    ]);
    expect(partitionKeys({ ...daily, granularity: 'weekly', start: '2025-02-01' }, now)).toEqual([
      '2025-02-02',
      '2025-02-09',
      '2025-02-16',
    ]);
    expect(partitionKeys({ ...daily, granularity: 'monthly', start: '2024-11-15' }, now)).toEqual([
      '2024-12-01',
      '2025-01-01',
      '2025-02-01',
    ]);
  });

  it('says why a key is not in the set', () => {
    const now = new Date('2025-01-13T05:00:00Z');
    expect(checkPartitionKey(daily, '2025-01-11', now)).toBeUndefined();
    expect(checkPartitionKey(daily, '2025-01-09', now)).toBe('"2025-01-09" is before the first partition 2025-01-10');
    expect(checkPartitionKey(daily, '2025-01-13', now)).toBe('"2025-01-13" is after the newest partition 2025-01-12');
    expect(checkPartitionKey(daily, '2025-13-01', now)).toBe('"2025-13-01" is not a daily partition key (like 2025-01-10)');
    expect(partitionRange(daily, '2025-01-11', '2025-01-12', now)).toEqual(['2025-01-11', '2025-01-12']);
  });
});
