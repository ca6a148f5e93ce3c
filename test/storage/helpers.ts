// Small builders shared by the storage tests: timestamps, runs and typical event sequences.
import type { NewRun, RunEvent } from '../../src/storage/types.js';

const BASE = Date.parse('2025-01-10T00:00:00.000Z');

/** The ISO-8601 instant `seconds` after 2025-01-10T00:00:00Z (fractions allowed). */
export const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();

/** A run of pipeline `daily` started at at(0), with any field overridden. */
export function newRun(id: string, overrides: Partial<NewRun> = {}): NewRun {
  return { id, pipeline: 'daily', selection: '*', partitions: [], startedAt: at(0), launchedBy: 'cli', ...overrides };
}

/** The three events of one asset's single attempt: planned at `start`, started at +1, done at +2 (7 rows). */
export function assetEvents(
  runId: string,
  assetKey: string,
  start: number,
  outcome: 'succeeded' | 'failed',
  partition = '',
): RunEvent[] {
  const base = { runId, assetKey, partition };
  return [
    { ...base, type: 'asset_planned', at: at(start) },
    { ...base, type: 'asset_started', at: at(start + 1), attempt: 1 },
    outcome === 'succeeded'
      ? { ...base, type: 'asset_succeeded', at: at(start + 2), attempt: 1, data: { rowCount: 7 } }
      : { ...base, type: 'asset_failed', at: at(start + 2), attempt: 1, message: 'boom' },
  ];
}
