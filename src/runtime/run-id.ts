// Run ids: sortable by start time, unique across processes.

import { randomBytes } from 'node:crypto';

/**
 * A new run id: the UTC start time to the millisecond, then 6 random hex digits, so ids sort by
 * start time as plain strings and two processes starting in the same millisecond still differ.
 * @example newRunId(Date.parse('2025-01-10T06:00:00Z')) // '20250110T060000000Z-3f9a1c'
 */
export function newRunId(now: number = Date.now()): string {
  const iso = new Date(now).toISOString(); // 2025-01-10T06:00:00.000Z
  const stamp = iso.replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
