// Lineage renderers: exact JSON, Mermaid and DOT, and escaping of keys that carry quotes, backslashes or HTML.
import { describe, expect, it } from 'vitest';
import { renderLineage } from '../../src/graph/index.js';
import { asset, pipeline, SelectionError, sourceAsset } from '../../src/index.js';
import { graphOf, produce, thrown } from './fixture.js';

const hostile = 'x"y\\z<script>alert(1)</script>';
const src = sourceAsset('raw.src', { description: 'landing & <b>raw</b>' });
const bad = asset(hostile, {
  deps: [src],
  produce,
  group: 'g',
  tags: ['t'],
  retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
});
const other = asset('a#b`c', { deps: [bad], produce });
const graph = graphOf([src, bad, other], [pipeline('p', { select: '+raw.src+', schedule: { cron: '@daily' } })]);

describe('renderLineage', () => {
  it('writes JSON that parses back to the lineage and is safe to inline in HTML', () => {
    const text = renderLineage(graph, [hostile, 'raw.src'], 'json');
    expect(text).not.toMatch(/[<>&]/);
    expect(text).toContain('\\u003cscript\\u003e');
    expect(JSON.parse(text)).toEqual({
      assets: [
        {
          key: 'raw.src',
          kind: 'table',
          source: true,
          group: null,
          tags: [],
          description: 'landing & <b>raw</b>',
          producer: null,
          file: 'assets/x.ts',
          deps: [],
          retry: null,
        },
        {
          key: hostile,
          kind: 'table',
          source: false,
          group: 'g',
          tags: ['t'],
          description: null,
          producer: 'sql',
          file: 'assets/x.ts',
          deps: ['raw.src'],
          retry: { maxAttempts: 3, waitSeconds: [60, 120] },
        },
      ],
      edges: [['raw.src', hostile]],
      pipelines: [
        {
          name: 'p',
          select: '+raw.src+',
          file: 'assets/x.ts',
          assets: ['raw.src', hostile],
          schedule: { cron: '@daily', timezone: 'UTC', start: null, catchup: false },
          retry: null,
        },
      ],
    });
  });

  it('writes Mermaid with position ids and entity-escaped labels', () => {
    expect(renderLineage(graph, graph.keys(), 'mermaid')).toBe(
      [
        'flowchart LR',
        '  n0["a#35;b#96;c"]',
        '  n1["raw.src"]:::source',
        '  n2["x#quot;y\\z#lt;script#gt;alert(1)#lt;/script#gt;"]',
        '  n1 --> n2',
        '  n2 --> n0',
        '  classDef source stroke-dasharray: 4 4',
        '',
      ].join('\n'),
    );
  });

  it('writes DOT with quotes and backslashes escaped', () => {
    expect(renderLineage(graph, new Set([hostile, 'raw.src']), 'dot')).toBe(
      [
        'digraph lineage {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  "raw.src" [style=dashed];',
        '  "x\\"y\\\\z<script>alert(1)</script>";',
        '  "raw.src" -> "x\\"y\\\\z<script>alert(1)</script>";',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('is byte-identical for the same graph, whatever order the keys come in', () => {
    const again = graphOf([other, bad, src], [pipeline('p', { select: '+raw.src+', schedule: { cron: '@daily' } })]);
    for (const format of ['json', 'mermaid', 'dot'] as const) {
      expect(renderLineage(again, [...graph.keys()].reverse(), format)).toBe(renderLineage(graph, graph.keys(), format));
    }
  });

  it('rejects a key that is not an asset', () => {
    expect(thrown(SelectionError, () => renderLineage(graph, ['raw.sr'], 'dot')).message).toBe(
      'unknown asset "raw.sr" — did you mean "raw.src"?',
    );
  });
});
