// What a failure notification says, and the pure functions that turn it into a Slack message and an e-mail.

/** A point in time: a Date, milliseconds since the epoch, or an ISO 8601 string. */
export type Instant = Date | number | string;

/** One asset × partition that failed in a run. */
export interface FailedAssetLine {
  key: string;
  partition: string | null;
  /** How many attempts were made before giving up. */
  attempts: number;
  /** The last attempt's error. */
  error: string;
}

/**
 * Everything a failure notification tells: which pipeline (null for an ad-hoc selection), which run,
 * which assets failed and why, and when. `runUrl` overrides the link built from SLUICE_BASE_URL.
 * @example
 * const message: FailureMessage = {
 *   pipeline: 'run_elt_alert', runId: 'r-20250110-1', startedAt: '2025-01-10T00:00:00Z', endedAt: Date.now(),
 *   assets: [{ key: 'analytics.temp_mau_summary', partition: null, attempts: 3, error: 'zero rows' }],
 * };
 */
export interface FailureMessage {
  pipeline: string | null;
  runId: string;
  assets: FailedAssetLine[];
  startedAt: Instant;
  endedAt: Instant;
  runUrl?: string | undefined;
}

/** Anything a notifier can do: send one failure message. The Slack and e-mail notifiers both fit it. */
export interface FailureNotifier {
  send(message: FailureMessage): Promise<unknown>;
}

/** Options shared by the formatters. */
export interface FormatOptions {
  /** SLUICE_BASE_URL: where the sluice server is; the run link is `${baseUrl}/runs/<id>`. No link without it. */
  baseUrl?: string | undefined;
}

/** Errors longer than this are cut in Slack messages (a wall of stack trace helps nobody in a channel). */
export const SLACK_ERROR_LIMIT = 500;
/** Errors longer than this are cut in e-mails. */
export const EMAIL_ERROR_LIMIT = 4000;

/**
 * The link to a run in the sluice browser: `message.runUrl` if given, else `${baseUrl}/runs/<id>` when a base
 * URL is set, else undefined. Only http(s) links are returned, so a mistyped base URL cannot become a script.
 * @example runLink({ runId: 'r 1' }, { baseUrl: 'https://sluice.example/' }) // 'https://sluice.example/runs/r%201'
 */
export function runLink(message: Pick<FailureMessage, 'runId' | 'runUrl'>, options: FormatOptions = {}): string | undefined {
  const base = options.baseUrl?.trim();
  const link = message.runUrl ?? (base ? `${base.replace(/\/+$/, '')}/runs/${encodeURIComponent(message.runId)}` : undefined);
  return link !== undefined && /^https?:\/\/[^\s]+$/i.test(link) ? link : undefined;
}

/**
 * The subject line / one-line summary: `[sluice] <pipeline> failed: <first asset>[ and N more]`.
 * @example failureTitle(message) // '[sluice] run_elt_alert failed: analytics.temp_mau_summary'
 */
export function failureTitle(message: FailureMessage): string {
  const who = message.pipeline ?? `run ${message.runId}`;
  const [first, ...rest] = message.assets;
  const what = first ? `${first.key}${rest.length > 0 ? ` and ${rest.length} more` : ''}` : 'no asset recorded';
  // One line, bounded: it becomes a mail header and a chat notification preview.
  return truncate(`[sluice] ${who} failed: ${what}`.replace(/[\r\n\t]+/g, ' '), 240);
}

/**
 * Cuts text to at most `limit` characters, ending with '…' when it was cut; never splits a surrogate pair.
 * @example truncate('abcdef', 4) // 'abc…'
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * How long a run took, for people: `850 ms`, `42 s`, `3 min 2 s`, `1 h 5 min`.
 * @example formatDuration(182_000) // '3 min 2 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * An instant as an ISO 8601 UTC string (or the input as given when it is not a valid time).
 * @example isoTime(0) // '1970-01-01T00:00:00.000Z'
 */
export function isoTime(at: Instant): string {
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

/**
 * Milliseconds between two instants (NaN when either is not a time).
 * @example elapsedMs('2025-01-10T00:00:00Z', '2025-01-10T00:03:02Z') // 182000
 */
export function elapsedMs(from: Instant, to: Instant): number {
  return new Date(to).getTime() - new Date(from).getTime();
}

/**
 * The same message with every string in it passed through `redact`: the first line of defence, applied
 * before any escaping or truncating could split a secret into pieces the redactor no longer recognises.
 * @example redactMessage(message, redactor(collectSecrets(process.env)))
 */
export function redactMessage(message: FailureMessage, redact: (text: string) => string): FailureMessage {
  return {
    pipeline: message.pipeline === null ? null : redact(message.pipeline),
    runId: redact(message.runId),
    assets: message.assets.map((a) => ({
      key: redact(a.key),
      partition: a.partition === null ? null : redact(a.partition),
      attempts: a.attempts,
      error: redact(a.error),
    })),
    startedAt: message.startedAt,
    endedAt: message.endedAt,
    runUrl: message.runUrl === undefined ? undefined : redact(message.runUrl),
  };
}

/**
 * A copy of any JSON-like value with every string in it (keys too) passed through `redact`: the last line of
 * defence over a formatted payload.
 * @example redactDeep({ blocks: [{ text: 'token xoxb-1' }] }, redact)
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redact(k), walk(inner)]));
  };
  return walk(value) as T;
}

/**
 * Escapes text for HTML element content and attribute values.
 * @example escapeHtml('<script>"x"</script>') // '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
