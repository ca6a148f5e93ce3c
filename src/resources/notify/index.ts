// The notify layer's entry: the failure message model, its formatters, and a notifier for any notification spec.

import type { NotificationSpec } from '../../definitions/schema.js';
import type { Env } from '../secrets.js';
import { createEmailNotifier, type EmailNotifierOptions } from './email.js';
import { NotifyError } from './errors.js';
import type { FailureNotifier } from './message.js';
import { createSlackNotifier, type SlackNotifierOptions } from './slack.js';

export type { EmailDelivery, EmailNotifier, EmailNotifierOptions, SmtpTuning } from './email.js';
export { createEmailNotifier, DEFAULT_FROM, EMAIL_FROM_VAR, parseAddressList, resolveRecipients, SMTP_URL_VAR } from './email.js';
export type { EmailContent } from './email-format.js';
export { formatEmail } from './email-format.js';
export type { NotifyChannel } from './errors.js';
export { NotifyError } from './errors.js';
export type { FailedAssetLine, FailureMessage, FailureNotifier, FormatOptions, Instant } from './message.js';
export {
  EMAIL_ERROR_LIMIT,
  escapeHtml,
  failureTitle,
  formatDuration,
  redactDeep,
  redactMessage,
  runLink,
  SLACK_ERROR_LIMIT,
  truncate,
} from './message.js';
export type { LimiterClock, TokenBucketOptions } from './rate-limit.js';
export { TokenBucket } from './rate-limit.js';
export type { SlackDelivery, SlackNotifier, SlackNotifierOptions } from './slack.js';
export { createSlackNotifier, SLACK_TOKEN_VAR } from './slack.js';
export type { SlackBlock, SlackPayload } from './slack-format.js';
export { escapeMrkdwn, formatSlackMessage } from './slack-format.js';

/** A configured slack or email resource, as the project config declares it (only the fields notifiers read). */
export type NotifyResource =
  | { type: 'slack'; tokenEnv?: string | undefined; apiUrl?: string | undefined }
  | { type: 'email'; smtpUrlEnv?: string | undefined; from?: string | undefined }
  | { type: string };

/** What every notifier built by {@link createNotifier} shares, plus per-kind extras (tests: retry and clock). */
export interface CreateNotifierOptions {
  env?: Env | undefined;
  redact?: ((text: string) => string) | undefined;
  /** Overrides SLUICE_BASE_URL. */
  baseUrl?: string | undefined;
  /** The project's resources by name; a spec's `resource` picks its settings here (absent: the defaults). */
  resources?: Readonly<Record<string, NotifyResource | undefined>> | undefined;
  slack?: Partial<Omit<SlackNotifierOptions, 'channel'>> | undefined;
  email?: Partial<Omit<EmailNotifierOptions, 'to' | 'toEnv'>> | undefined;
}

/**
 * The notifier a notification spec asks for: Slack for `{ type: 'slack', channel }`, e-mail for
 * `{ type: 'email', to, toEnv }`, with the named resource's settings (token variable, API URL, SMTP URL
 * variable, sender) when the project declares one. Nothing is read or loaded until `send`.
 * @example
 * const notifiers = pipeline.onFailure.map((spec) => createNotifier(spec, { redact: redactor(collectSecrets()) }));
 * await Promise.allSettled(notifiers.map((n) => n.send(message)));
 */
export function createNotifier(spec: NotificationSpec, options: CreateNotifierOptions = {}): FailureNotifier {
  const resource = options.resources?.[spec.resource];
  if (resource && resource.type !== spec.type) {
    const target = spec.type === 'slack' ? spec.channel : spec.resource;
    throw new NotifyError(
      spec.type,
      target,
      'missing_config',
      `${spec.type}: resource "${spec.resource}" is a ${resource.type} resource, not ${spec.type}`,
    );
  }
  const shared = { env: options.env, redact: options.redact, baseUrl: options.baseUrl };
  if (spec.type === 'slack') {
    const settings = resource as { tokenEnv?: string; apiUrl?: string } | undefined;
    return createSlackNotifier({
      ...shared,
      tokenEnv: settings?.tokenEnv,
      slackApiUrl: settings?.apiUrl,
      ...options.slack,
      channel: spec.channel,
    });
  }
  const settings = resource as { smtpUrlEnv?: string; from?: string } | undefined;
  return createEmailNotifier({
    ...shared,
    smtpUrlEnv: settings?.smtpUrlEnv,
    from: settings?.from,
    ...options.email,
    to: spec.to,
    toEnv: spec.toEnv,
  });
}
