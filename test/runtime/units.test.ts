// The executor's small parts: error kinds and retry decisions, redaction, placeholders, clocks, the event sink.
import { describe, expect, it } from 'vitest';
import { NonRetriableError, RetryAfterError } from '../../src/index.js';
import { classifyError, decideRetry } from '../../src/runtime/classify.js';
import { realClock, timeScale } from '../../src/runtime/clock.js';
import { AttemptTimeoutError, CheckFailedError } from '../../src/runtime/errors.js';
import { EventSink } from '../../src/runtime/events.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { makeRedactor } from '../../src/runtime/redact.js';
import { newRunId } from '../../src/runtime/run-id.js';
import { StepStates } from '../../src/runtime/state.js';
import { renderTemplate } from '../../src/runtime/template.js';
import type { RunEvent, RunStore } from '../../src/storage/types.js';
import { T0 } from './support/harness.js';

describe('classifyError', () => {
  it('sorts errors into timeout, network, validation and other, through causes', () => {
    expect(classifyError(new AttemptTimeoutError('a', 1000))).toBe('timeout');
    expect(classifyError(new CheckFailedError('a', ['x']))).toBe('validation');
    expect(classifyError(Object.assign(new Error('x'), { kind: 'network' }))).toBe('network');
    expect(classifyError(Object.assign(new Error('x'), { kind: 'timeout' }))).toBe('timeout');
    expect(classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('c'), { code: 'EAI_AGAIN' }) }))).toBe(
      'network',
    );
    expect(classifyError(new Error('x'))).toBe('other');
    expect(classifyError('a string')).toBe('other');
  });
});

describe('decideRetry', () => {
  const policy = {
    maxAttempts: 3,
    delay: 1000,
    backoff: 'linear' as const,
    retryOn: ['timeout' as const, 'validation' as const],
  };
  it('retries listed kinds by the formula and stops at maxAttempts', () => {
    expect(decideRetry(policy, new CheckFailedError('a', ['x']), 2)).toEqual({ retry: true, delayMs: 2000, reason: 'policy' });
    expect(decideRetry(policy, new AttemptTimeoutError('a', 1), 3)).toEqual({ retry: false, reason: 'attempt 3 of 3' });
  });
  it('lets RetryAfterError choose its delay and NonRetriableError (even as a cause) stop', () => {
    expect(decideRetry(policy, new RetryAfterError('slow down', 42), 1)).toEqual({
      retry: true,
      delayMs: 42,
      reason: 'retry_after',
    });
    const wrapped = new Error('outer', { cause: new NonRetriableError('inner') });
    expect(decideRetry({ ...policy, retryOn: ['any'] }, wrapped, 1)).toEqual({ retry: false, reason: 'NonRetriableError' });
  });
});

describe('makeRedactor', () => {
  it('masks every secret, longest first, deep inside objects', () => {
    const redact = makeRedactor(['abc', 'abcdef', '']);
    expect(redact('x abcdef y abc')).toBe('x *** y ***');
    expect(redact({ list: ['abc'], n: 1, nested: { abcdef: 'k' } })).toEqual({ list: ['***'], n: 1, nested: { '***': 'k' } });
    expect(makeRedactor([])('abc')).toBe('abc');
    expect(makeRedactor(['a.b*'])('x a.b* aXb')).toBe('x *** aXb');
  });
});

describe('renderTemplate', () => {
  const scope = {
    runId: 'r1',
    partition: { key: '2025-01-10', start: new Date('2025-01-10T00:00:00Z'), end: new Date('2025-01-11T00:00:00Z') },
    runStartedAt: T0,
  };
  it('fills partition and run placeholders', () => {
    expect(renderTemplate("'{{ ds }}' {{ds_nodash}} {{ run_id }} {{ partition_end }}", scope)).toBe(
      "'2025-01-10' 20250110 r1 2025-01-11T00:00:00.000Z",
    );
    expect(renderTemplate('{{ ds }}', { ...scope, partition: undefined })).toBe('2025-01-10');
  });
  it('refuses unknown placeholders rather than sending them to the warehouse', () => {
    expect(() => renderTemplate('{{ dss }}', scope)).toThrow(/^unknown placeholder \{\{ dss \}\}; known: ds, ds_nodash/);
  });
});

describe('clocks', () => {
  it('scale real waits by SLUICE_TIME_SCALE', async () => {
    expect(timeScale({ SLUICE_TIME_SCALE: '0.01' })).toBe(0.01);
    expect(timeScale({ SLUICE_TIME_SCALE: 'fast' })).toBe(1);
    expect(timeScale({})).toBe(1);
    const started = Date.now();
    await realClock(0.001).sleep(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    const controller = new AbortController();
    const pending = realClock(1).sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('ManualClock wakes sleepers in time order on advance', async () => {
    const clock = new ManualClock(T0);
    const woke: number[] = [];
    void clock.sleep(300).then(() => woke.push(300));
    void clock.sleep(100).then(() => woke.push(100));
    await clock.advance(200);
    expect(woke).toEqual([100]);
    expect(clock.now()).toBe(T0 + 200);
    await clock.advance(100);
    expect(woke).toEqual([100, 300]);
    expect(clock.sleeps).toEqual([300, 100]);
  });
});

describe('newRunId', () => {
  it('sorts by start time', () => {
    const a = newRunId(Date.parse('2025-01-10T06:00:00Z'));
    expect(a).toMatch(/^20250110T060000000Z-[0-9a-f]{6}$/);
    expect(newRunId(Date.parse('2025-01-10T06:00:00.001Z')) > a).toBe(true);
  });
});

describe('StepStates', () => {
  it('refuses transitions the state machine does not allow', () => {
    const states = new StepStates(1);
    states.move(0, 'waiting');
    expect(() => states.move(0, 'upstream_failed')).toThrow('internal: step 0 cannot go from waiting to upstream_failed');
  });
});

describe('EventSink', () => {
  const storeOf = (writes: RunEvent[][], gate?: Promise<void>) =>
    ({
      appendEvents: async (events: RunEvent[]) => {
        writes.push(events);
        await gate;
      },
    }) as unknown as RunStore;

  it('shares one write among flushes asked for while another is in flight (group commit)', async () => {
    const writes: RunEvent[][] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const sink = new EventSink({ store: storeOf(writes, gate), runId: 'r', clock: new ManualClock(T0), redact: (v) => v });
    sink.emit({ type: 'run_started' });
    const first = sink.flush();
    sink.emit({ type: 'asset_started', assetKey: 'a' });
    const second = sink.flush();
    sink.emit({ type: 'asset_started', assetKey: 'b' });
    const third = sink.flush();
    expect(second).toBe(third);
    open();
    await Promise.all([first, second, third]);
    expect(writes.map((w) => w.map((e) => e.assetKey ?? e.type))).toEqual([['run_started'], ['a', 'b']]);
  });

  it('flushes by itself at maxBatch', async () => {
    const writes: RunEvent[][] = [];
    const sink = new EventSink({ store: storeOf(writes), runId: 'r', clock: new ManualClock(T0), redact: (v) => v, maxBatch: 3 });
    for (let i = 0; i < 3; i++) sink.emit({ type: 'log', message: String(i) });
    await sink.close();
    expect(writes.map((w) => w.length)).toEqual([3]);
  });
});
