// Secrets given to execute never reach the store, the notifier, progress events or the result.
import { describe, expect, it } from 'vitest';
import { asset, fn } from '../../src/index.js';
import { run } from './support/harness.js';

describe('secrets', () => {
  it('are masked in logs, errors, events, checks, notifications and the result', async () => {
    const secret = 's3cr3t-token-value';
    const a = asset('x.leaky', {
      produce: fn((ctx) => {
        ctx.log.info(`connecting with ${secret}`);
        throw new Error(`auth failed for password=${secret}`);
      }),
    });
    const b = asset('x.value', {
      kind: 'value',
      produce: fn(() => ({ value: { token: secret }, metadata: { url: `https://u:${secret}@h` } })),
    });
    const { result, store, notifier, seen } = await run([a, b], { secrets: [secret, ''] });
    const everything = JSON.stringify({
      result,
      seen,
      events: await store.events(result.runId),
      logs: await store.logs(result.runId),
      run: await store.getRun(result.runId),
      assets: await store.assetRuns(result.runId),
      notifications: notifier.sent,
    });
    expect(everything).not.toContain(secret);
    expect(result.steps.find((s) => s.id === 'x.leaky')?.error).toBe('auth failed for password=***');
    expect((await store.logs(result.runId))[0]?.message).toBe('connecting with ***');
    expect(notifier.sent[0]?.summary).toContain('password=***');
  });
});
