// Failure notifications to a Slack channel through @slack/web-api's WebClient, rate-limited on our side.

import type { ChatPostMessageArguments, RetryOptions, WebClient } from '@slack/web-api';
import { type Env, redactor } from '../secrets.js';
import { NotifyError } from './errors.js';
import { type FailureMessage, type FailureNotifier, redactDeep, redactMessage } from './message.js';
import { type LimiterClock, TokenBucket } from './rate-limit.js';
import { formatSlackMessage } from './slack-format.js';

/** The variable the bot token is read from (`SLACK_API_TOKEN`, the seed's name, is accepted as a fallback). */
export const SLACK_TOKEN_VAR = 'SLACK_BOT_TOKEN';
const FALLBACK_TOKEN_VAR = 'SLACK_API_TOKEN';

// A notification should not hold a finished run for long: two quick retries, not the client's 30-minute default.
const DEFAULT_RETRY: RetryOptions = { retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 4000 };
const DEFAULT_TIMEOUT_MS = 10_000;

/** Where and how to post. Only `channel` is required; the rest default to the environment and sane limits. */
export interface SlackNotifierOptions {
  /** `#data-alerts` or a channel id, from the notification spec. */
  channel: string;
  /** Read for SLACK_BOT_TOKEN, SLACK_API_URL and SLUICE_BASE_URL. Default: process.env. */
  env?: Env | undefined;
  /** The variable holding the token (a slack resource's `tokenEnv`). Default SLACK_BOT_TOKEN. */
  tokenEnv?: string | undefined;
  /** The token itself, instead of reading it from the environment. */
  token?: string | undefined;
  /** Overrides SLACK_API_URL; default https://slack.com/api/ (a trailing slash is added when missing). */
  slackApiUrl?: string | undefined;
  /** Passed to WebClient. Default: 2 retries, 1–4 s apart. Tests: `{ retries: 0 }`. */
  retryConfig?: RetryOptions | undefined;
  /** Fail at once on HTTP 429 instead of waiting for Retry-After. Default false. */
  rejectRateLimitedCalls?: boolean | undefined;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number | undefined;
  /** Applied to all outgoing text (the token itself is always masked too). */
  redact?: ((text: string) => string) | undefined;
  /** The rate limit. Default: one bucket of 1/s, burst 5, shared by every notifier of this process posting with the same token. */
  limiter?: TokenBucket | undefined;
  /** A clock for a private 1/s burst-5 bucket (tests); ignored when `limiter` is given. */
  clock?: LimiterClock | undefined;
  /** Overrides SLUICE_BASE_URL for the "View run" button. */
  baseUrl?: string | undefined;
}

/** Where Slack put the message. */
export interface SlackDelivery {
  channel: string;
  ts: string;
}

/** A notifier bound to one channel. */
export interface SlackNotifier extends FailureNotifier {
  readonly channel: string;
  send(message: FailureMessage): Promise<SlackDelivery>;
}

// Slack limits chat.postMessage per workspace, so notifiers posting with one token share one bucket.
const sharedBuckets = new Map<string, TokenBucket>();

/**
 * A Slack notifier: formats the failure (text fallback + blocks), passes it through the redactor, waits for
 * the rate limiter (1 message/s, burst 5) and posts it with `chat.postMessage`. The token comes from
 * SLACK_BOT_TOKEN when `send` is called; a missing token, a Slack error (`ok: false`, e.g.
 * `channel_not_found`, `invalid_auth`), a 429 or a network failure rejects with a {@link NotifyError} that
 * names the channel and never the token. @slack/web-api is loaded on the first send.
 * @example
 * const slack = createSlackNotifier({ channel: '#data-alerts', redact: redactor(collectSecrets()) });
 * await slack.send(message); // { channel: 'C024BE91L', ts: '1736467200.000100' }
 */
export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const env = options.env ?? process.env;
  const channel = options.channel;
  const redact = options.redact ?? ((text: string) => text);
  const apiUrl = withSlash(options.slackApiUrl ?? nonEmpty(env.SLACK_API_URL) ?? 'https://slack.com/api/');
  let client: Promise<WebClient> | undefined;
  let limiter = options.limiter;

  return {
    channel,
    async send(message) {
      const { token, variable } = resolveToken(options, env);
      const maskToken = redactor([token]);
      const clean = (text: string) => maskToken(redact(text));
      const payload = redactDeep(
        formatSlackMessage(redactMessage(message, clean), { baseUrl: options.baseUrl ?? env.SLUICE_BASE_URL }),
        clean,
      );
      limiter ??= options.clock ? new TokenBucket({ clock: options.clock }) : sharedBucket(apiUrl, token);
      await limiter.take();
      client ??= newClient(token, apiUrl, options);
      try {
        // Our blocks are plain data of the documented shapes; the client's block types live in @slack/types.
        const args = { channel, text: payload.text, blocks: payload.blocks, unfurl_links: false, unfurl_media: false };
        const result = await (await client).chat.postMessage(args as unknown as ChatPostMessageArguments);
        return { channel: result.channel ?? channel, ts: result.ts ?? '' };
      } catch (error) {
        throw toNotifyError(error, channel, variable, clean);
      }
    },
  };
}

async function newClient(token: string, slackApiUrl: string, options: SlackNotifierOptions): Promise<WebClient> {
  // The default import: named imports such as `retryPolicies` are not visible under plain Node ESM.
  const slackApi = (await import('@slack/web-api')).default;
  return new slackApi.WebClient(token, {
    slackApiUrl,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Warnings ("http request failed") would go to the console; failures reach the caller as NotifyError.
    logLevel: slackApi.LogLevel.ERROR,
  });
}

function resolveToken(options: SlackNotifierOptions, env: Env): { token: string; variable: string } {
  const variable = options.tokenEnv ?? SLACK_TOKEN_VAR;
  const token = nonEmpty(options.token) ?? nonEmpty(env[variable]);
  if (token) return { token, variable };
  const fallback = variable === SLACK_TOKEN_VAR ? nonEmpty(env[FALLBACK_TOKEN_VAR]) : undefined;
  if (fallback) return { token: fallback, variable: FALLBACK_TOKEN_VAR };
  throw new NotifyError(
    'slack',
    options.channel,
    'missing_config',
    `slack: cannot notify ${options.channel}: ${variable} is not set; set it to a bot token (xoxb-…) with the chat:write scope`,
  );
}

function sharedBucket(apiUrl: string, token: string): TokenBucket {
  const key = `${apiUrl}\n${token}`;
  const bucket = sharedBuckets.get(key) ?? new TokenBucket();
  sharedBuckets.set(key, bucket);
  return bucket;
}

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

function hint(code: string, variable: string): string {
  if (AUTH_ERRORS.has(code)) return ` (check ${variable})`;
  if (code === 'channel_not_found') return ' (no such channel, or the bot cannot see it: invite it to private channels)';
  if (code === 'not_in_channel') return ' (invite the bot to the channel)';
  if (code === 'missing_scope') return ` (the token in ${variable} needs the chat:write scope)`;
  return '';
}

// Recognised by the `code` the client puts on its errors, so a second copy of @slack/web-api works as well.
function toNotifyError(error: unknown, channel: string, variable: string, redact: (text: string) => string): NotifyError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
    data?: { error?: unknown };
    retryAfter?: unknown;
    statusCode?: unknown;
    original?: { message?: unknown; cause?: { code?: unknown } };
  };
  const where = `slack: chat.postMessage to ${channel}`;
  let code = 'request_failed';
  let detail: string;
  switch (e.code) {
    case 'slack_webapi_platform_error':
      code = String(e.data?.error ?? 'unknown_error');
      detail = `${where} failed: ${code}${hint(code, variable)}`;
      break;
    case 'slack_webapi_rate_limited_error':
      code = 'rate_limited';
      detail = `${where} was rate limited by Slack (retry after ${String(e.retryAfter)} s)`;
      break;
    case 'slack_webapi_http_error':
      code = `http_${String(e.statusCode)}`;
      detail = `${where} failed: HTTP ${String(e.statusCode)}`;
      break;
    case 'slack_webapi_request_error': {
      const socket = e.original?.cause?.code;
      detail = `${where} failed: ${String(e.original?.message ?? 'request error')}${socket ? ` (${String(socket)})` : ''}`;
      break;
    }
    default:
      detail = `${where} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new NotifyError('slack', channel, code, redact(detail));
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
