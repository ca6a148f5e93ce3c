// The executor's failure paths: errors, timeouts, retries through retryDelay, and their notifications.
import { describe, expect, it } from 'vitest';
import { asset, fn, NonRetriableError, RetryAfterError, retryDelay } from '../../src/index.js';
import { run, T0, trace } from './support/harness.js';

const noop = () => asset('a.root', { kind: 'value', produce: fn(() => 1) });

describe('a producer that throws', () => {
  it('fails its asset, marks downstream upstream_failed, and notifies once', async () => {
    const root = asset('a.root', { produce: fn(() => Promise.reject(new Error('boom'))) });
    const mid = asset('a.mid', { deps: [root], produce: fn(() => 1) });
    const leaf = asset('a.leaf', { deps: [mid], produce: fn(() => 1) });
    const { result, notifier, store } = await run([root, mid, leaf], { pipeline: { name: 'elt' } });

    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['a.root', 'failed'],
      ['a.mid', 'upstream_failed'],
      ['a.leaf', 'upstream_failed'],
    ]);
    expect(result.steps[1]?.reason).toBe('upstream failed: a.root');
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      scope: 'run',
      pipeline: 'elt',
      runId: result.runId,
      failed: [{ assetKey: 'a.root', partition: null, attempts: 1, kind: 'other', error: 'boom' }],
      upstreamFailed: ['a.mid', 'a.leaf'],
    });
    expect(notifier.sent[0]?.summary).toBe(`pipeline elt failed (run ${result.runId}): a.root after 1 attempt: boom`);
    const runs = await store.assetRuns(result.runId);
    expect(runs.map((r) => [r.assetKey, r.status, r.attempts, r.error])).toEqual([
      ['a.leaf', 'upstream_failed', 0, 'upstream failed: a.mid'],
      ['a.mid', 'upstream_failed', 0, 'upstream failed: a.root'],
      ['a.root', 'failed', 1, 'boom'],
    ]);
    expect((await store.getRun(result.runId))?.status).toBe('failed');
  });

  it('sends an asset notification to its notify targets, once, besides the run notification', async () => {
    const root = asset('a.root', {
      produce: fn(() => {
        throw new Error('boom');
      }),
      retry: { maxAttempts: 3, delay: '1s' },
      notify: [{ type: 'slack', channel: '#data' }],
    });
    const { notifier } = await run([root]);
    expect(notifier.sent.map((n) => [n.scope, n.targets, n.failed[0]?.attempts])).toEqual([
      ['asset', [{ type: 'slack', channel: '#data', resource: 'slack' }], 3],
      ['run', [], 3],
    ]);
  });
});

describe('timeouts', () => {
  it('fail an attempt of a producer that ignores its signal, with kind timeout', async () => {
    let aborted: unknown;
    const hang = asset('a.hang', {
      timeout: '30s',
      produce: fn(
        (ctx) =>
          new Promise(() => {
            ctx.signal.addEventListener('abort', () => {
              aborted = ctx.signal.reason;
            });
          }),
      ),
    });
    const { result, clock } = await run([hang]);
    expect(result.steps[0]).toMatchObject({ status: 'failed', kind: 'timeout', error: 'timed out after 30s', attempts: 1 });
    expect(aborted).toBeInstanceOf(Error);
    expect(clock.now() - T0).toBe(30_000);
  });
});

describe('retries', () => {
  it('wait exactly retryDelay between attempts (exponential) and then succeed', async () => {
    const policy = { maxAttempts: 3, delay: '60s', backoff: 'exponential' as const };
    let calls = 0;
    const flaky = asset('a.flaky', {
      retry: policy,
      produce: fn(() => {
        calls++;
        if (calls < 3) throw new Error(`try ${calls}`);
        return { rowCount: 7 };
      }),
    });
    const { result, seen } = await run([flaky]);
    expect(result.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, rowCount: 7 });
    const parsed = { maxAttempts: 3, delay: 60_000, backoff: 'exponential' as const, retryOn: ['any' as const] };
    const delays = seen.filter((e) => e.type === 'asset_retrying').map((e) => e.data?.delayMs);
    expect(delays).toEqual([retryDelay(parsed, 1), retryDelay(parsed, 2)]);
    expect(delays).toEqual([60_000, 120_000]);
    const starts = seen.filter((e) => e.type === 'asset_started').map((e) => Date.parse(e.at) - T0);
    expect(starts).toEqual([0, 60_000, 180_000]);
    expect(trace(seen, ['asset_started', 'attempt_failed', 'asset_retrying', 'asset_succeeded'])).toEqual([
      'asset_started a.flaky',
      'attempt_failed a.flaky',
      'asset_retrying a.flaky',
      'asset_started a.flaky',
      'attempt_failed a.flaky',
      'asset_retrying a.flaky',
      'asset_started a.flaky',
      'asset_succeeded a.flaky',
    ]);
  });

  it('use the pipeline default when the asset has none, and stop at maxAttempts', async () => {
    const bad = asset('a.bad', { produce: fn(() => Promise.reject(new Error('nope'))) });
    const { result, notifier } = await run([bad], {
      pipeline: { retry: { maxAttempts: 2, delay: 5_000, backoff: 'fixed', retryOn: ['any'] } },
    });
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(notifier.sent).toHaveLength(1);
  });

  it('never retry a NonRetriableError', async () => {
    let calls = 0;
    const a = asset('a.schema', {
      retry: { maxAttempts: 5, delay: '1s' },
      produce: fn(() => {
        calls++;
        throw new NonRetriableError('schema mismatch in source table');
      }),
    });
    const { result, seen } = await run([a]);
    expect(calls).toBe(1);
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'schema mismatch in source table' });
    expect(seen.find((e) => e.type === 'attempt_failed')?.data).toEqual({
      kind: 'other',
      retry: false,
      why: 'NonRetriableError',
    });
  });

  it('honour RetryAfterError instead of the formula', async () => {
    let calls = 0;
    const a = asset('a.api', {
      retry: { maxAttempts: 2, delay: '60s' },
      produce: fn(() => {
        calls++;
        if (calls === 1) throw new RetryAfterError('rate limited', 7_500);
        return 1;
      }),
    });
    const { result, seen } = await run([a]);
    expect(result.status).toBe('succeeded');
    expect(seen.find((e) => e.type === 'asset_retrying')?.data).toEqual({ delayMs: 7_500, reason: 'retry_after' });
    const starts = seen.filter((e) => e.type === 'asset_started').map((e) => Date.parse(e.at) - T0);
    expect(starts).toEqual([0, 7_500]);
  });

  it("with retryOn ['network'] retry a connection error but not a plain one", async () => {
    const policy = { maxAttempts: 3, delay: '1s', retryOn: ['network' as const] };
    let plainCalls = 0;
    let netCalls = 0;
    const plain = asset('a.plain', {
      retry: policy,
      produce: fn(() => {
        plainCalls++;
        throw new Error('division by zero');
      }),
    });
    const net = asset('a.net', {
      retry: policy,
      produce: fn(() => {
        netCalls++;
        if (netCalls < 2) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return 1;
      }),
    });
    const { result, seen } = await run([plain, net]);
    expect(plainCalls).toBe(1);
    expect(netCalls).toBe(2);
    expect(result.steps.map((s) => [s.id, s.status, s.kind])).toEqual([
      ['a.net', 'succeeded', null],
      ['a.plain', 'failed', 'other'],
    ]);
    expect(seen.find((e) => e.type === 'attempt_failed' && e.assetKey === 'a.plain')?.data?.why).toBe(
      "error kind 'other' is not in retryOn [network]",
    );
  });

  it('stay a single attempt by default', async () => {
    let calls = 0;
    const a = asset('a.once', {
      produce: fn(() => {
        calls++;
        throw new Error('x');
      }),
    });
    await run([a, noop()]);
    expect(calls).toBe(1);
  });
});
