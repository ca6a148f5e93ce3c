// Declaring assets and pipelines: validation messages, frozen specs, and the JSON round trip.
import { describe, expect, it, vi } from 'vitest';
import {
  asset,
  checks,
  ctas,
  DefinitionError,
  email,
  fn,
  pipeline,
  sensors,
  shell,
  slack,
  sourceAsset,
  swap,
} from '../../src/index.js';

const sessions = sourceAsset('raw_data.session_timestamp', {
  sensor: sensors.sql({ resource: 'dwh', sql: 'SELECT 1', pokeInterval: '60s', timeout: '2h' }),
});

function thrown(f: () => unknown): DefinitionError {
  try {
    f();
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

describe('asset()', () => {
  it('keeps a plain, frozen spec that survives JSON.stringify and parse unchanged', () => {
    const temp = asset('analytics.temp_mau_summary', {
      deps: [sessions, 'raw_data.user_session_channel'],
      produce: ctas({ sql: 'SELECT 1 AS mau' }),
      checks: [checks.rowCount({ min: 1 })],
      retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
      notify: [slack({ channel: '#data-alerts' }), email({ toEnv: 'EMAIL_RECIPIENTS' })],
      partitions: { granularity: 'daily', start: '2025-01-10' },
      metadata: { owner_team: 'analytics', rows: [1, 2] },
    });
    expect(temp.spec).toEqual(JSON.parse(JSON.stringify(temp.spec)));
    expect(Object.isFrozen(temp.spec)).toBe(true);
    expect(Object.isFrozen(temp.spec.deps)).toBe(true);
    expect(temp.spec.deps).toEqual(['raw_data.session_timestamp', 'raw_data.user_session_channel']);
    expect(temp.spec.retry).toEqual({ maxAttempts: 3, delay: 60_000, backoff: 'exponential', retryOn: ['any'] });
    expect(temp.spec.trigger).toBe('all_success');
    expect(sessions.spec.sensor).toMatchObject({ pokeInterval: 60_000, timeout: 7_200_000 });
  });

  it('keeps the fn producer function out of the serializable spec', () => {
    const a = asset('x.y', { produce: fn(async () => 1) });
    expect(a.spec.producer).toEqual({ type: 'fn' });
    expect(typeof a.run).toBe('function');
    expect(JSON.stringify(a.spec)).not.toContain('async');
  });

  it('names key and field for a negative retry delay', () => {
    const e = thrown(() => asset('a.b', { produce: shell({ command: 'true' }), retry: { maxAttempts: 2, delay: -5 } }));
    expect(e.message).toBe('asset "a.b": retry.delay: must not be negative');
    expect(e.exitCode).toBe(2);
  });

  it('names an unknown field', () => {
    const e = thrown(() => asset('a.b', { produce: swap({ from: 'a.c' }), retires: 3 } as never));
    expect(e.message).toBe('asset "a.b": unknown field "retires"');
  });

  it('rejects an invalid cron on a pipeline, naming the pipeline and field', () => {
    const e = thrown(() => pipeline('p', { select: '*', schedule: { cron: '61 * * * *' } }));
    expect(e.message).toMatch(/^pipeline "p": schedule\.cron: is not a cron expression/);
  });

  it('rejects keys with newlines and a missing producer', () => {
    expect(thrown(() => sourceAsset('a\nb')).message).toMatch(/must not contain control characters/);
    expect(thrown(() => asset('a.b', {} as never)).message).toBe(
      'asset "a.b": produce: is required: say how the asset is made, e.g. produce: ctas({ sql })',
    );
  });

  it('accepts presets and explains a bad duration', () => {
    expect(pipeline('daily_job', { select: 'tag:x', schedule: { cron: '@daily', start: '2025-01-10' } }).spec.schedule).toEqual({
      cron: '@daily',
      start: '2025-01-10',
      timezone: 'UTC',
      catchup: false,
      maxActiveRuns: 1,
    });
    const e = thrown(() => asset('a.b', { produce: shell({ command: 'x' }), timeout: 'soon' }));
    expect(e.message).toBe(
      'asset "a.b": timeout: "soon" is not a duration; write e.g. "500ms", "60s", "5m", "2h", "1d" or a number of seconds',
    );
  });
});

describe('errors across copies of sluice', () => {
  it('recognises an error made by another loaded copy through its brand', async () => {
    vi.resetModules(); // the next import evaluates a second, independent copy of the module
    const copy = await import('../../src/definitions/errors.js');
    const foreign = new copy.DefinitionError('bad', { key: 'a.b' });
    expect(copy.DefinitionError).not.toBe(DefinitionError);
    expect(foreign).toBeInstanceOf(DefinitionError);
    expect(foreign).not.toBeInstanceOf(copy.GraphError);
    expect(new Error('plain')).not.toBeInstanceOf(DefinitionError);
  });
});
