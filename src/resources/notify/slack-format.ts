// A FailureMessage as a Slack chat.postMessage payload: plain-text fallback plus Block Kit blocks.

import {
  elapsedMs,
  type FailureMessage,
  type FormatOptions,
  failureTitle,
  formatDuration,
  isoTime,
  runLink,
  SLACK_ERROR_LIMIT,
  truncate,
} from './message.js';

/** A Block Kit block, as plain data (the shapes sluice sends: header, section, context, actions). */
export type SlackBlock = Record<string, unknown>;

/** What goes into chat.postMessage besides the channel. */
export interface SlackPayload {
  /** Fallback for notifications, screen readers and clients without blocks. */
  text: string;
  blocks: SlackBlock[];
}

// Slack allows 50 blocks per message; two per asset keeps well below with room for the rest.
const MAX_ASSETS_SHOWN = 5;

/**
 * Formats a failure for Slack: a header, the run's fields (pipeline, run id, started, duration), per failed
 * asset its fields (asset, partition, attempts) and the error cut to ~500 characters in a code block, and a
 * "View run" button only when a run link is known (`runUrl` or `baseUrl`). All text is mrkdwn-escaped.
 * @example
 * const { text, blocks } = formatSlackMessage(message, { baseUrl: process.env.SLUICE_BASE_URL });
 * await client.chat.postMessage({ channel: '#data-alerts', text, blocks });
 */
export function formatSlackMessage(message: FailureMessage, options: FormatOptions = {}): SlackPayload {
  const link = runLink(message, options);
  const pipeline = message.pipeline ?? '(ad-hoc selection)';
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`🚨 ${pipeline} failed`, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        field('Pipeline', escapeMrkdwn(pipeline)),
        field('Run id', code(message.runId)),
        field('Started', escapeMrkdwn(isoTime(message.startedAt))),
        field('Duration', formatDuration(elapsedMs(message.startedAt, message.endedAt))),
      ],
    },
  ];
  for (const asset of message.assets.slice(0, MAX_ASSETS_SHOWN)) {
    blocks.push(
      {
        type: 'section',
        fields: [
          field('Asset', code(asset.key)),
          field('Partition', asset.partition === null ? '—' : escapeMrkdwn(asset.partition)),
          field('Attempts', String(asset.attempts)),
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: codeBlock(truncate(asset.error, SLACK_ERROR_LIMIT)) } },
    );
  }
  const hidden = message.assets.slice(MAX_ASSETS_SHOWN);
  if (hidden.length > 0) {
    const names = truncate(hidden.map((a) => a.key).join(', '), 1500);
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`and ${hidden.length} more: ${names}`) }] });
  }
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'View run' }, url: link, action_id: 'sluice_view_run' }],
    });
  }
  return { text: fallbackText(message, link), blocks };
}

// The fallback names the first failure fully, since it is all a phone notification shows.
function fallbackText(message: FailureMessage, link: string | undefined): string {
  const first = message.assets[0];
  const parts = [failureTitle(message)];
  if (first) {
    const where = first.partition ? ` (partition ${first.partition})` : '';
    const tries = `${first.attempts} attempt${first.attempts === 1 ? '' : 's'}`;
    parts.push(`${first.key}${where} after ${tries}: ${truncate(firstLine(first.error), 200)}`);
  }
  parts.push(`run ${message.runId}`);
  const text = escapeMrkdwn(parts.join(' — '));
  return link ? `${text} <${link}|View run>` : text;
}

// `value` is mrkdwn already (escaped by the caller); a field holds at most 2,000 characters.
function field(label: string, value: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: `*${label}*\n${truncate(value, 1900)}` };
}

// Inline code for identifiers; the value is escaped and its backticks removed, which would end the span.
function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

// A fenced block; a run of three backticks in the error would close the fence early, so it is broken up.
function codeBlock(text: string): string {
  const safe = escapeMrkdwn(text.trim() === '' ? '(no error message)' : text).replace(/```/g, '`\u200b`\u200b`');
  return `\`\`\`${safe}\`\`\``;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

/**
 * Escapes the three characters Slack's mrkdwn gives meaning to (`&`, `<`, `>`), so an error message cannot
 * ping `<!channel>` or forge a link.
 * @example escapeMrkdwn('<!channel> a & b') // '&lt;!channel&gt; a &amp; b'
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
