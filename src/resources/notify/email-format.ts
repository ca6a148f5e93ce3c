// A FailureMessage as an e-mail: subject line, plain-text body and an HTML body with every value escaped.

import {
  EMAIL_ERROR_LIMIT,
  elapsedMs,
  escapeHtml,
  type FailureMessage,
  type FormatOptions,
  failureTitle,
  formatDuration,
  isoTime,
  runLink,
  truncate,
} from './message.js';

/** The parts of a failure e-mail. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * Formats a failure as an e-mail. The subject is `[sluice] <pipeline> failed: <first asset>[ and N more]`;
 * the bodies list the run (id, start, end, duration, link when known) and every failed asset with its
 * partition, attempts and error (cut at 4,000 characters). The HTML body escapes every value, so an error
 * that contains markup arrives as text.
 * @example
 * const { subject, text, html } = formatEmail(message, { baseUrl: process.env.SLUICE_BASE_URL });
 * await transport.sendMail({ from, to, subject, text, html });
 */
export function formatEmail(message: FailureMessage, options: FormatOptions = {}): EmailContent {
  const link = runLink(message, options);
  const run = runFacts(message, link);
  const subject = failureTitle(message);
  const text = [
    `${message.pipeline ? `Pipeline ${message.pipeline}` : `Run ${message.runId}`} failed.`,
    '',
    ...run.map(([label, value]) => `${`${label}:`.padEnd(10)}${value}`),
    '',
    `Failed assets (${message.assets.length}):`,
    ...message.assets.flatMap((a) => [
      '',
      a.key,
      `  Partition: ${a.partition ?? '-'}`,
      `  Attempts:  ${a.attempts}`,
      '  Error:',
      ...errorText(a.error)
        .split(/\r?\n/)
        .map((line) => `    ${line}`),
    ]),
    '',
    '-- ',
    'Sent by sluice on failure.',
    '',
  ].join('\n');
  return { subject, text, html: htmlBody(message, run, link) };
}

// Label/value pairs describing the run, shared by both bodies.
function runFacts(message: FailureMessage, link: string | undefined): [string, string][] {
  const facts: [string, string][] = [];
  if (message.pipeline) facts.push(['Pipeline', message.pipeline]);
  facts.push(
    ['Run', message.runId],
    ['Started', isoTime(message.startedAt)],
    ['Ended', isoTime(message.endedAt)],
    ['Duration', formatDuration(elapsedMs(message.startedAt, message.endedAt))],
  );
  if (link) facts.push(['View run', link]);
  return facts;
}

function errorText(error: string): string {
  return error.trim() === '' ? '(no error message)' : truncate(error, EMAIL_ERROR_LIMIT);
}

const CELL = 'style="padding:2px 12px 2px 0;vertical-align:top"';
const PRE = 'style="margin:4px 0 0;padding:8px;background:#f6f8fa;white-space:pre-wrap;word-break:break-word"';

function htmlBody(message: FailureMessage, run: [string, string][], link: string | undefined): string {
  const rows = run
    .map(([label, value]) => {
      const shown = label === 'View run' && link ? `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>` : escapeHtml(value);
      return `<tr><th align="left" ${CELL}>${escapeHtml(label)}</th><td ${CELL}>${shown}</td></tr>`;
    })
    .join('\n');
  const assets = message.assets
    .map(
      (a) =>
        `<h3 style="margin:16px 0 4px"><code>${escapeHtml(a.key)}</code></h3>\n` +
        `<table>\n<tr><th align="left" ${CELL}>Partition</th><td ${CELL}>${escapeHtml(a.partition ?? '-')}</td></tr>\n` +
        `<tr><th align="left" ${CELL}>Attempts</th><td ${CELL}>${a.attempts}</td></tr>\n</table>\n` +
        `<pre ${PRE}>${escapeHtml(errorText(a.error))}</pre>`,
    )
    .join('\n');
  const title = message.pipeline ? `Pipeline ${message.pipeline} failed` : `Run ${message.runId} failed`;
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:sans-serif;font-size:14px">',
    `<h2 style="margin:0 0 8px">${escapeHtml(title)}</h2>`,
    `<table>\n${rows}\n</table>`,
    `<h3 style="margin:16px 0 4px">Failed assets (${message.assets.length})</h3>`,
    assets,
    '<p style="color:#666;font-size:12px">Sent by sluice on failure.</p>',
    '</body></html>',
    '',
  ].join('\n');
}
