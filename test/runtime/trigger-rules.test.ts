// one_failed and all_done as the seed uses them: an e-mail step only on failure (real SMTP peer), a clean-up step always.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset, fn } from '../../src/index.js';
import { createEmailNotifier } from '../../src/resources/notify/index.js';
import { type SmtpPeer, startSmtpPeer } from '../fixtures/smtp-peer/index.js';
import { run } from './support/harness.js';

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer.close();
});

/** load → [email_on_failure (one_failed), cleanup (all_done)]: the shape of the seed's failure handling. */
function pipelineWith(load: () => unknown) {
  const cleaned: string[] = [];
  const loadAsset = asset('wf.load', { produce: fn(load) });
  const email = asset('wf.email_on_failure', {
    deps: [loadAsset],
    trigger: 'one_failed',
    produce: fn(async (ctx) => {
      const mail = createEmailNotifier({ to: ['ops@example.com'], smtpUrl: peer.url() });
      const now = new Date();
      await mail.send({
        pipeline: 'wf',
        runId: ctx.runId,
        assets: [{ key: 'wf.load', partition: null, attempts: 1, error: 'load failed' }],
        startedAt: now,
        endedAt: now,
      });
    }),
  });
  const cleanup = asset('wf.cleanup', { deps: [loadAsset], trigger: 'all_done', produce: fn((ctx) => cleaned.push(ctx.runId)) });
  return { defs: [loadAsset, email, cleanup], cleaned };
}

describe('failure handling steps', () => {
  it('sends the e-mail and cleans up when an upstream step failed; the run still fails', async () => {
    const before = peer.messages.length;
    const { defs, cleaned } = pipelineWith(() => Promise.reject(new Error('boom')));
    const { result } = await run(defs);
    expect(Object.fromEntries(result.steps.map((s) => [s.id, s.status]))).toEqual({
      'wf.load': 'failed',
      'wf.cleanup': 'succeeded',
      'wf.email_on_failure': 'succeeded',
    });
    expect(result.status).toBe('failed');
    expect(peer.messages.slice(before).map((m) => [m.envelope.to, m.headers.get('x-sluice-run-id')])).toEqual([
      [['ops@example.com'], result.runId],
    ]);
    expect(cleaned).toEqual([result.runId]);
  });

  it('sends nothing but still cleans up when everything succeeded; the run succeeds', async () => {
    const before = peer.messages.length;
    const { defs, cleaned } = pipelineWith(() => 1);
    const { result } = await run(defs);
    expect(Object.fromEntries(result.steps.map((s) => [s.id, [s.status, s.reason]]))).toEqual({
      'wf.load': ['succeeded', null],
      'wf.cleanup': ['succeeded', null],
      'wf.email_on_failure': ['skipped', 'one_failed: no upstream step failed'],
    });
    expect(result.status).toBe('succeeded');
    expect(peer.messages.length).toBe(before);
    expect(cleaned).toEqual([result.runId]);
  });
});
