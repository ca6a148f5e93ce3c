// Failure notifications by e-mail through nodemailer over SMTP_URL, to the spec's recipients or an env list.

import type { Transporter } from 'nodemailer';
import { collectSecrets, type Env, redactor, redactUrl } from '../secrets.js';
import { formatEmail } from './email-format.js';
import { NotifyError } from './errors.js';
import { type FailureMessage, type FailureNotifier, redactMessage } from './message.js';

/** The variable holding the SMTP server: `smtp://user:pass@host:port` (or `smtps://` for implicit TLS). */
export const SMTP_URL_VAR = 'SMTP_URL';
/** The variable holding the sender address; default {@link DEFAULT_FROM}. */
export const EMAIL_FROM_VAR = 'SLUICE_EMAIL_FROM';
export const DEFAULT_FROM = 'sluice@localhost';

// A plain address: no spaces, quotes, brackets or separators, one '@', a domain without empty labels.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)*$/;

/** Transport settings worth overriding; the rest come from the URL (nodemailer reads `?ignoreTLS=true` there too). */
export interface SmtpTuning {
  /** Never upgrade with STARTTLS (a test server with a self-signed certificate). */
  ignoreTLS?: boolean | undefined;
  requireTLS?: boolean | undefined;
  connectionTimeout?: number | undefined;
  greetingTimeout?: number | undefined;
  socketTimeout?: number | undefined;
  tls?: { rejectUnauthorized?: boolean | undefined } | undefined;
}

/** Who gets the mail and how it is sent. `to` and/or `toEnv` come from the notification spec. */
export interface EmailNotifierOptions {
  /** Recipients written in the spec. */
  to?: readonly string[] | undefined;
  /** A variable with more recipients, comma or semicolon separated (e.g. EMAIL_RECIPIENTS). */
  toEnv?: string | undefined;
  /** Read for SMTP_URL (or `smtpUrlEnv`), SLUICE_EMAIL_FROM, SLUICE_BASE_URL and `toEnv`. Default: process.env. */
  env?: Env | undefined;
  /** The variable holding the SMTP URL (an email resource's `smtpUrlEnv`). Default SMTP_URL. */
  smtpUrlEnv?: string | undefined;
  /** The SMTP URL itself, instead of reading it from the environment. */
  smtpUrl?: string | undefined;
  /** Overrides SLUICE_EMAIL_FROM. */
  from?: string | undefined;
  /** Applied to all outgoing text (the SMTP password is always masked too). */
  redact?: ((text: string) => string) | undefined;
  /** Overrides SLUICE_BASE_URL for the run link. */
  baseUrl?: string | undefined;
  transport?: SmtpTuning | undefined;
}

/** What the SMTP server said about the recipients. */
export interface EmailDelivery {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** A notifier bound to one recipient list. */
export interface EmailNotifier extends FailureNotifier {
  send(message: FailureMessage): Promise<EmailDelivery>;
}

/**
 * An e-mail notifier: formats the failure (subject, plain text, escaped HTML), passes it through the redactor
 * and sends it with nodemailer to SMTP_URL. Recipients, SMTP_URL and the sender are read when `send` is called;
 * a missing or malformed one, or a refusing server, rejects with a {@link NotifyError} that names the variable
 * or the server (password masked). nodemailer is loaded on the first send.
 * @example
 * const mail = createEmailNotifier({ toEnv: 'EMAIL_RECIPIENTS', redact: redactor(collectSecrets()) });
 * await mail.send(message); // { messageId: '<…@localhost>', accepted: ['ops@example.com'], rejected: [] }
 */
export function createEmailNotifier(options: EmailNotifierOptions): EmailNotifier {
  const env = options.env ?? process.env;
  const redact = options.redact ?? ((text: string) => text);
  let transport: { url: string; transporter: Promise<Transporter> } | undefined;

  return {
    async send(message) {
      const recipients = resolveRecipients(options, env);
      const target = recipients.join(', ');
      const variable = options.smtpUrlEnv ?? SMTP_URL_VAR;
      const url = smtpUrl(options.smtpUrl ?? env[variable], variable, target);
      const maskUrl = redactor(collectSecrets({ [variable]: url }));
      const clean = (text: string) => maskUrl(redact(text));
      const from = sender(options.from ?? env[EMAIL_FROM_VAR], target);
      const content = formatEmail(redactMessage(message, clean), { baseUrl: options.baseUrl ?? env.SLUICE_BASE_URL });
      if (transport?.url !== url) transport = { url, transporter: newTransport(url, options.transport) };
      try {
        const info = await (await transport.transporter).sendMail({
          from,
          to: recipients,
          subject: clean(content.subject),
          text: clean(content.text),
          html: clean(content.html),
          // RFC 3834: tells mail servers and vacation responders not to answer an alert.
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Sluice-Run-Id': clean(message.runId).replace(/[\r\n]+/g, ' ') },
        });
        return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
      } catch (error) {
        const e = (error ?? {}) as { code?: unknown; message?: unknown };
        const code = typeof e.code === 'string' ? e.code : 'request_failed';
        const detail = `email: sending to ${target} via ${redactUrl(url)} failed: ${String(e.message ?? error)}`;
        throw new NotifyError('email', target, code, clean(detail));
      }
    },
  };
}

/**
 * The recipients of a spec: its `to` list plus the addresses in the variable named by `toEnv` (comma or
 * semicolon separated), without duplicates. Throws a {@link NotifyError} naming the variable when it is unset
 * and `to` is empty, or when any address is malformed.
 * @example resolveRecipients({ toEnv: 'EMAIL_RECIPIENTS' }, { EMAIL_RECIPIENTS: 'a@x.io; b@x.io' }) // ['a@x.io', 'b@x.io']
 */
export function resolveRecipients(spec: Pick<EmailNotifierOptions, 'to' | 'toEnv'>, env: Env = process.env): string[] {
  const found = (spec.to ?? []).map((address) => checkAddress(address.trim(), 'the notification spec'));
  if (spec.toEnv !== undefined) {
    const raw = env[spec.toEnv];
    if (raw === undefined || raw.trim() === '') {
      if (found.length === 0) {
        throw new NotifyError(
          'email',
          spec.toEnv,
          'missing_config',
          `email: no recipients: ${spec.toEnv} is not set; set it to addresses separated by commas, e.g. ops@example.com,data@example.com`,
        );
      }
    } else {
      found.push(...parseAddressList(raw, spec.toEnv));
    }
  }
  if (found.length === 0) throw new NotifyError('email', '', 'missing_config', 'email: no recipients: give `to` or `toEnv`');
  return [...new Set(found)];
}

/**
 * Splits a comma- or semicolon-separated list of plain addresses, dropping empty entries; `source` (the
 * variable's name) is named in the error when an entry is not an address.
 * @example parseAddressList(' ops@example.com ;data@example.com,', 'EMAIL_RECIPIENTS') // ['ops@example.com', 'data@example.com']
 */
export function parseAddressList(text: string, source: string): string[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((address) => checkAddress(address, source));
}

function checkAddress(address: string, source: string): string {
  if (ADDRESS.test(address)) return address;
  throw new NotifyError(
    'email',
    source,
    'missing_config',
    `email: ${source}: "${address}" is not an e-mail address (expected name@domain)`,
  );
}

function smtpUrl(raw: string | undefined, variable: string, target: string): string {
  const url = raw?.trim();
  if (!url) {
    throw new NotifyError(
      'email',
      target,
      'missing_config',
      `email: cannot notify ${target}: ${variable} is not set; set it to smtp://user:password@host:port`,
    );
  }
  if (!URL.canParse(url) || !/^smtps?:$/i.test(new URL(url).protocol)) {
    throw new NotifyError(
      'email',
      target,
      'missing_config',
      `email: ${variable} must look like smtp://user:password@host:port, not ${redactUrl(url)}`,
    );
  }
  return url;
}

function sender(raw: string | undefined, target: string): string {
  const from = raw?.trim() || DEFAULT_FROM;
  // A line break would let the value add its own headers.
  if (/[\r\n]/.test(from)) throw new NotifyError('email', target, 'missing_config', `email: ${EMAIL_FROM_VAR} must be one line`);
  return from;
}

function addresses(list: readonly (string | { address: string })[] | undefined): string[] {
  return (list ?? []).map((a) => (typeof a === 'string' ? a : a.address));
}

async function newTransport(url: string, tuning: SmtpTuning | undefined): Promise<Transporter> {
  const nodemailer = (await import('nodemailer')).default;
  // nodemailer's own timeouts (2 min to connect, 10 min idle) would hold a finished run far too long.
  return nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    ...tuning,
  });
}
