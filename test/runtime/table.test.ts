// Asset keys as tables: folded like unquoted identifiers of each dialect, so hand-written SQL finds them.
import { describe, expect, it } from 'vitest';
import { tableOf } from '../../src/runtime/table.js';

describe('tableOf', () => {
  it('names the table unquoted SQL would name on each dialect', () => {
    expect(tableOf('analytics.mau_summary', 'snowflake')).toEqual({ schema: 'ANALYTICS', name: 'MAU_SUMMARY' });
    expect(tableOf('Analytics.MAU', 'postgres')).toEqual({ schema: 'analytics', name: 'mau' });
    expect(tableOf('analytics.mau_summary', 'duckdb')).toEqual({ schema: 'analytics', name: 'mau_summary' });
  });

  it('keeps names that only quoting can express exactly as written', () => {
    expect(tableOf('raw.odd name', 'snowflake')).toEqual({ schema: 'RAW', name: 'odd name' });
    expect(tableOf('solo', 'snowflake')).toEqual({ schema: undefined, name: 'SOLO' });
  });
});
