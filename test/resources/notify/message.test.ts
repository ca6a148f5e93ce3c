// The pure formatters: Slack blocks and fallback, e-mail subject and bodies, links, truncation, escaping.

import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  failureTitle,
  formatDuration,
  formatEmail,
  formatSlackMessage,
  runLink,
  truncate,
} from '../../../src/resources/notify/index.js';
import { blockText, sampleMessage } from './support.js';

const types = (blocks: { type?: unknown }[]) => blocks.map((b) => b.type);

describe('formatSlackMessage', () => {
  it('lays out header, run fields, asset fields and the error in a code block', () => {
    const { text, blocks } = formatSlackMessage(sampleMessage());
    expect(types(blocks)).toEqual(['header', 'section', 'section', 'section']);
    expect(blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Pipeline*\nrun_elt_alert' },
        { type: 'mrkdwn', text: '*Run id*\n`r-20250110-0001`' },
        { type: 'mrkdwn', text: '*Started*\n2025-01-10T00:00:00.000Z' },
        { type: 'mrkdwn', text: '*Duration*\n3 min 2 s' },
      ],
    });
    expect(blocks[2]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Asset*\n`analytics.temp_mau_summary`' },
        { type: 'mrkdwn', text: '*Partition*\n2025-01-10' },
        { type: 'mrkdwn', text: '*Attempts*\n3' },
      ],
    });
    expect(text).toBe(
      '[sluice] run_elt_alert failed: analytics.temp_mau_summary — analytics.temp_mau_summary (partition 2025-01-10) after 3 attempts: ' +
        'check row_count failed: analytics.temp_mau_summary has 0 rows (min 1) — run r-20250110-0001',
    );
  });

  it('cuts a long error to about 500 characters', () => {
    const error = `${'x'.repeat(499)}TAIL-MARKER${'y'.repeat(2000)}`;
    const { blocks } = formatSlackMessage(sampleMessage({ assets: [{ key: 'a.b', partition: null, attempts: 1, error }] }));
    const code = (blocks[3] as { text: { text: string } }).text.text;
    expect(code.startsWith('```xxx')).toBe(true);
    expect(code.endsWith('…```')).toBe(true);
    expect(code.length).toBe(500 + 6);
    expect(code).not.toContain('TAIL');
  });

  it('escapes mrkdwn so an error cannot ping the channel or close the code block', () => {
    const error = 'boom <!channel> & <https://evil.example|click> ```rm -rf```';
    const { text, blocks } = formatSlackMessage(sampleMessage({ assets: [{ key: 'a.b', partition: null, attempts: 1, error }] }));
    const all = `${text}\n${blockText(blocks)}`;
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(blockText(blocks)).toContain('boom &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    const code = (blocks[3] as { text: { text: string } }).text.text;
    expect(code.slice(3, -3)).not.toContain('```');
  });

  it('adds a "View run" button only with a base URL or an explicit http(s) runUrl', () => {
    expect(types(formatSlackMessage(sampleMessage()).blocks)).not.toContain('actions');
    const withBase = formatSlackMessage(sampleMessage(), { baseUrl: 'https://sluice.example.com///' });
    expect(withBase.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'View run' },
          url: 'https://sluice.example.com/runs/r-20250110-0001',
          action_id: 'sluice_view_run',
        },
      ],
    });
    expect(runLink({ runId: 'x', runUrl: 'https://ci.example/run/9' }, { baseUrl: 'https://other' })).toBe(
      'https://ci.example/run/9',
    );
    expect(runLink({ runId: 'x' }, { baseUrl: 'javascript:alert(1)' })).toBeUndefined();
    expect(runLink({ runId: 'r 1/2' }, { baseUrl: 'http://h:4000' })).toBe('http://h:4000/runs/r%201%2F2');
  });

  it('shows five assets and names the rest in a context line', () => {
    const assets = Array.from({ length: 7 }, (_, i) => ({ key: `s.a${i}`, partition: null, attempts: 1, error: `e${i}` }));
    const { blocks } = formatSlackMessage(sampleMessage({ assets, pipeline: null }));
    expect(types(blocks)).toEqual(['header', 'section', ...Array(10).fill('section'), 'context']);
    expect(blockText(blocks.at(-1))).toBe('and 2 more: s.a5, s.a6');
    expect(blockText(blocks[0])).toBe('🚨 (ad-hoc selection) failed');
    expect(blockText(blocks[2])).toBe('*Asset*\n`s.a0`\n*Partition*\n—\n*Attempts*\n1');
  });
});

describe('formatEmail', () => {
  it('writes the subject the seed asks for, and counts further assets', () => {
    expect(formatEmail(sampleMessage()).subject).toBe('[sluice] run_elt_alert failed: analytics.temp_mau_summary');
    const two = sampleMessage();
    two.assets.push({ key: 'analytics.mau_summary', partition: null, attempts: 1, error: 'x' });
    expect(failureTitle(two)).toBe('[sluice] run_elt_alert failed: analytics.temp_mau_summary and 1 more');
    expect(failureTitle(sampleMessage({ pipeline: null, assets: [] }))).toBe(
      '[sluice] run r-20250110-0001 failed: no asset recorded',
    );
    expect(failureTitle(sampleMessage({ pipeline: 'p\r\nBcc: x@y.z' }))).toBe(
      '[sluice] p Bcc: x@y.z failed: analytics.temp_mau_summary',
    );
  });

  it('writes a plain-text body listing the run and each asset', () => {
    expect(formatEmail(sampleMessage(), { baseUrl: 'https://s.example' }).text).toBe(
      [
        'Pipeline run_elt_alert failed.',
        '',
        'Pipeline: run_elt_alert',
        'Run:      r-20250110-0001',
        'Started:  2025-01-10T00:00:00.000Z',
        'Ended:    2025-01-10T00:03:02.000Z',
        'Duration: 3 min 2 s',
        'View run: https://s.example/runs/r-20250110-0001',
        '',
        'Failed assets (1):',
        '',
        'analytics.temp_mau_summary',
        '  Partition: 2025-01-10',
        '  Attempts:  3',
        '  Error:',
        '    check row_count failed: analytics.temp_mau_summary has 0 rows (min 1)',
        '',
        '-- ',
        'Sent by sluice on failure.',
        '',
      ].join('\n'),
    );
  });

  it('escapes every value in the HTML body', () => {
    const evil = '<script>alert("x")</script>';
    const message = sampleMessage({
      pipeline: `p${evil}`,
      runId: `r${evil}`,
      assets: [{ key: `k${evil}`, partition: `d${evil}`, attempts: 1, error: `e${evil}` }],
    });
    const { html } = formatEmail(message, { baseUrl: 'https://s.example' });
    expect(html).not.toContain('<script');
    expect(html.match(/&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/g)).toHaveLength(6);
    expect(html).toContain('<a href="https://s.example/runs/r%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E">');
  });
});

describe('helpers', () => {
  it('truncate, formatDuration, escapeHtml', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect([850, 42_000, 182_000, 3_900_000, -1].map(formatDuration)).toEqual([
      '850 ms',
      '42 s',
      '3 min 2 s',
      '1 h 5 min',
      'unknown',
    ]);
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });
});
