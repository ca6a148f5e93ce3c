// The Slack notifier with the real WebClient against the loopback Slack peer: content, errors, rate limit.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createNotifier,
  createSlackNotifier,
  NotifyError,
  type SlackNotifierOptions,
  TokenBucket,
} from '../../../src/resources/notify/index.js';
import { type SlackPeer, startSlackPeer } from '../../fixtures/slack-peer/index.js';
import { runNotifierContract } from './contract.js';
import { blockText, FakeClock, rejection, sampleMessage } from './support.js';

const TOKEN = 'xoxb-1111-2222-peer-secret';

// Tests fail fast: no retries, no waiting out a 429, and a roomy bucket unless the test is about the bucket.
function options(peer: SlackPeer, extra: Partial<SlackNotifierOptions> = {}): SlackNotifierOptions {
  return {
    channel: '#data-alerts',
    env: { SLACK_BOT_TOKEN: TOKEN },
    slackApiUrl: peer.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    limiter: new TokenBucket({ burst: 1000 }),
    ...extra,
  };
}

runNotifierContract('slack', async () => {
  const peer = await startSlackPeer({ token: TOKEN });
  return {
    send: (message, redact) => createSlackNotifier(options(peer, { redact })).send(message),
    seen: () => peer.messages.map((m) => `${m.text}\n${blockText(m.blocks)}`),
    wire: () => peer.messages.map((m) => m.raw),
    close: () => peer.close(),
  };
});

describe('slack notifier', () => {
  let peer: SlackPeer;
  beforeAll(async () => {
    peer = await startSlackPeer({ token: TOKEN, channels: ['#data-alerts'] });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('posts to the spec channel with the bot token, a text fallback and blocks', async () => {
    const delivery = await createSlackNotifier(options(peer)).send(sampleMessage());
    const got = peer.messages.at(-1)!;
    expect(got.channel).toBe('#data-alerts');
    expect(got.token).toBe(TOKEN);
    expect(delivery).toEqual({ channel: '#data-alerts', ts: expect.stringMatching(/^1736467200\.\d{6}$/) });
    expect(got.text).toContain('[sluice] run_elt_alert failed: analytics.temp_mau_summary');
    expect(got.text).toContain('after 3 attempts');
    const blocks = got.blocks as { type: string }[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🚨 run_elt_alert failed', emoji: true } });
    const text = blockText(blocks);
    expect(text).toContain('*Pipeline*\nrun_elt_alert');
    expect(text).toContain('*Run id*\n`r-20250110-0001`');
    expect(text).toContain('*Asset*\n`analytics.temp_mau_summary`');
    expect(text).toContain('*Partition*\n2025-01-10');
    expect(text).toContain('*Attempts*\n3');
    expect(text).toContain('```check row_count failed: analytics.temp_mau_summary has 0 rows (min 1)```');
  });

  it('adds the "View run" link only when SLUICE_BASE_URL is set', async () => {
    await createSlackNotifier(options(peer)).send(sampleMessage());
    const without = peer.messages.at(-1)!;
    expect(without.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(without.raw).not.toContain('runs');

    const env = { SLACK_BOT_TOKEN: TOKEN, SLUICE_BASE_URL: 'https://sluice.example.com/' };
    await createSlackNotifier(options(peer, { env })).send(sampleMessage());
    const withLink = peer.messages.at(-1)!;
    const actions = withLink.blocks?.find((b) => (b as { type: string }).type === 'actions');
    expect(actions).toMatchObject({ elements: [{ type: 'button', url: 'https://sluice.example.com/runs/r-20250110-0001' }] });
    expect(withLink.text).toContain('<https://sluice.example.com/runs/r-20250110-0001|View run>');
  });

  it('fails naming SLACK_BOT_TOKEN when no token is set, without calling Slack', async () => {
    const calls = peer.calls.length;
    const error = await rejection(createSlackNotifier(options(peer, { env: {} })).send(sampleMessage()));
    expect(error).toBeInstanceOf(NotifyError);
    expect(error.message).toBe(
      'slack: cannot notify #data-alerts: SLACK_BOT_TOKEN is not set; set it to a bot token (xoxb-…) with the chat:write scope',
    );
    expect(error.code).toBe('missing_config');
    expect(peer.calls.length).toBe(calls);
  });

  it('turns ok:false into an error naming the channel, never the token', async () => {
    const error = await rejection(createSlackNotifier(options(peer, { channel: '#nope' })).send(sampleMessage()));
    expect(error).toBeInstanceOf(NotifyError);
    expect(error).toMatchObject({ channel: 'slack', target: '#nope', code: 'channel_not_found' });
    expect(error.message).toMatch(/^slack: chat\.postMessage to #nope failed: channel_not_found \(no such channel/);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String(error.stack)).not.toContain(TOKEN);
  });

  it('says which variable to check on invalid_auth, without showing the wrong token', async () => {
    const wrong = 'xoxb-9999-wrong-and-secret';
    const error = await rejection(createSlackNotifier(options(peer, { env: { SLACK_BOT_TOKEN: wrong } })).send(sampleMessage()));
    expect(error.code).toBe('invalid_auth');
    expect(error.message).toBe('slack: chat.postMessage to #data-alerts failed: invalid_auth (check SLACK_BOT_TOKEN)');
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(wrong);
  });

  it("accepts the seed's SLACK_API_TOKEN when SLACK_BOT_TOKEN is unset, and names it on invalid_auth", async () => {
    await createSlackNotifier(options(peer, { env: { SLACK_API_TOKEN: TOKEN } })).send(sampleMessage({ runId: 'r-api-token' }));
    expect(peer.messages.at(-1)).toMatchObject({ token: TOKEN, text: expect.stringContaining('r-api-token') });
    const error = await rejection(
      createSlackNotifier(options(peer, { env: { SLACK_API_TOKEN: 'xoxb-stale' } })).send(sampleMessage()),
    );
    expect(error.message).toBe('slack: chat.postMessage to #data-alerts failed: invalid_auth (check SLACK_API_TOKEN)');
  });

  it('reports injected Slack errors and 429s with their codes', async () => {
    peer.failNext(1, { error: 'is_archived' });
    await expect(createSlackNotifier(options(peer)).send(sampleMessage())).rejects.toMatchObject({ code: 'is_archived' });
    peer.failNext(1, { status: 429, retryAfter: 7 });
    await expect(createSlackNotifier(options(peer)).send(sampleMessage())).rejects.toMatchObject({
      code: 'rate_limited',
      message: 'slack: chat.postMessage to #data-alerts was rate limited by Slack (retry after 7 s)',
    });
  });

  it('masks its own token even when the redactor it was given does not know it', async () => {
    const message = sampleMessage({
      assets: [{ key: 'x.y', partition: null, attempts: 1, error: `bad header Bearer ${TOKEN}` }],
    });
    await createSlackNotifier(options(peer)).send(message);
    const got = peer.messages.at(-1)!;
    expect(got.raw).not.toContain('peer-secret');
    expect(blockText(got.blocks)).toContain('bad header Bearer ***');
  });

  it('reads SLACK_API_URL from the environment when no URL is given (how a CLI process finds the peer)', async () => {
    const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: peer.url.replace(/\/$/, '') };
    const before = peer.messages.length;
    await createSlackNotifier(options(peer, { env, slackApiUrl: undefined })).send(sampleMessage());
    expect(peer.messages.length).toBe(before + 1);
  });

  it('is what createNotifier builds for a slack spec, with the resource token variable', async () => {
    const notifier = createNotifier(
      { type: 'slack', channel: '#data-alerts', resource: 'alerts' },
      {
        env: { ALERTS_TOKEN: TOKEN },
        resources: { alerts: { type: 'slack', tokenEnv: 'ALERTS_TOKEN', apiUrl: peer.url } },
        slack: { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, limiter: new TokenBucket({ burst: 100 }) },
      },
    );
    await notifier.send(sampleMessage({ runId: 'r-via-spec' }));
    expect(peer.messages.at(-1)?.text).toContain('r-via-spec');
    const missing = createNotifier(
      { type: 'slack', channel: '#data-alerts', resource: 'alerts' },
      {
        env: {},
        resources: { alerts: { type: 'slack', tokenEnv: 'ALERTS_TOKEN' } },
      },
    );
    await expect(missing.send(sampleMessage())).rejects.toThrow('ALERTS_TOKEN is not set');
    expect(() =>
      createNotifier({ type: 'slack', channel: '#x', resource: 'wh' }, { resources: { wh: { type: 'duckdb' } } }),
    ).toThrow('slack: resource "wh" is a duckdb resource, not slack');
  });

  it('sends 8 notifications as 5 at once, then one per second (fake clock)', async () => {
    const clock = new FakeClock();
    const notifier = createSlackNotifier(options(peer, { limiter: undefined, clock }));
    const start = peer.messages.length;
    const sent = () => peer.messages.length - start;
    const sends = Array.from({ length: 8 }, (_, i) => notifier.send(sampleMessage({ runId: `burst-${i}` })));
    await vi.waitFor(() => expect(sent()).toBe(5));
    await new Promise((r) => setTimeout(r, 50));
    expect(sent()).toBe(5);
    for (const expected of [6, 7, 8]) {
      await clock.advance(999);
      await new Promise((r) => setTimeout(r, 30));
      expect(sent()).toBe(expected - 1);
      await clock.advance(1);
      await vi.waitFor(() => expect(sent()).toBe(expected));
    }
    await Promise.all(sends);
    expect(clock.time).toBe(3000);
    expect(peer.messages.slice(start).map((m) => /burst-\d/.exec(m.text ?? '')?.[0])).toEqual(
      Array.from({ length: 8 }, (_, i) => `burst-${i}`),
    );
  });
});
