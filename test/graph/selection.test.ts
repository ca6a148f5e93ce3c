// The selection grammar: every operator on a small graph, precedence, the AST, and exact error messages.
import { describe, expect, it } from 'vitest';
import { parseSelection, SelectionSyntaxError, select } from '../../src/graph/index.js';
import { SelectionError } from '../../src/index.js';
import { shopGraph, thrown } from './fixture.js';

const graph = shopGraph();
const sel = (text: string) => select(graph, text);

describe('select', () => {
  it('takes exact keys and quoted keys with odd characters', () => {
    expect(sel('mart.x')).toEqual(['mart.x']);
    expect(sel('"weird key+"')).toEqual(['weird key+']);
    expect(sel('"weird key+"+')).toEqual(['weird key+']);
  });

  it('takes globs where * matches dots too, and * alone for everything', () => {
    expect(sel('stg.*')).toEqual(['stg.a', 'stg.b']);
    expect(sel('*_summary')).toEqual(['mart.y_summary', 'other.z_summary']);
    expect(sel('m*y*')).toEqual(['mart.y_summary']);
    expect(sel('*')).toEqual(graph.keys());
  });

  it('walks upstream with +key and downstream with key+, limited by a depth', () => {
    expect(sel('+mart.y_summary')).toEqual(['mart.x', 'mart.y_summary', 'raw.a', 'raw.b', 'stg.a', 'stg.b']);
    expect(sel('1+mart.y_summary')).toEqual(['mart.x', 'mart.y_summary']);
    expect(sel('2+mart.y_summary')).toEqual(['mart.x', 'mart.y_summary', 'stg.a', 'stg.b']);
    expect(sel('stg.a+')).toEqual(['mart.x', 'mart.y_summary', 'stg.a', 'weird key+']);
    expect(sel('stg.a+1')).toEqual(['mart.x', 'stg.a']);
    expect(sel('1+mart.x+1')).toEqual(['mart.x', 'mart.y_summary', 'stg.a', 'stg.b', 'weird key+']);
  });

  it('selects by tag, group, kind, owner and pipeline, with globs in values', () => {
    expect(sel('tag:elt')).toEqual(['mart.x', 'stg.a']);
    expect(sel('group:staging')).toEqual(['stg.a', 'stg.b']);
    expect(sel('kind:file')).toEqual(['mart.y_summary', 'raw.b']);
    expect(sel('owner:ana')).toEqual(['mart.x', 'mart.y_summary']);
    expect(sel('pipeline:elt')).toEqual(['mart.x', 'stg.a']);
    expect(sel('pipeline:m*')).toEqual(sel('+mart.y_summary'));
    expect(sel('group:st*')).toEqual(['stg.a', 'stg.b']);
    expect(sel('tag:"daily"')).toEqual(['mart.x', 'other.z_summary']);
  });

  it('applies + to globs, attributes and parentheses', () => {
    expect(sel('+tag:elt')).toEqual(['mart.x', 'raw.a', 'raw.b', 'stg.a', 'stg.b']);
    expect(sel('raw.*+1')).toEqual(['raw.a', 'raw.b', 'stg.a', 'stg.b']);
    expect(sel('+(mart.y_summary or other.z_summary)')).toEqual(sel('+mart.y_summary, other.z_summary'));
  });

  it('combines with and, or, not, commas and parentheses, not binding tightest and or loosest', () => {
    expect(sel('tag:elt and group:mart')).toEqual(['mart.x']);
    expect(sel('tag:elt or kind:file')).toEqual(['mart.x', 'mart.y_summary', 'raw.b', 'stg.a']);
    expect(sel('stg.a, stg.b')).toEqual(['stg.a', 'stg.b']);
    expect(sel('not group:raw and not group:staging and not group:mart')).toEqual(['other.z_summary', 'weird key+']);
    // and binds tighter than or; parentheses override
    expect(sel('raw.a or stg.* and tag:elt')).toEqual(['raw.a', 'stg.a']);
    expect(sel('(raw.a or stg.*) and tag:elt')).toEqual(['stg.a']);
    // not binds tighter than and
    expect(sel('not tag:elt and group:staging')).toEqual(['stg.b']);
    expect(sel('not (tag:elt and group:staging)')).toHaveLength(7);
    expect(sel('stg.a OR stg.b And NOT stg.b')).toEqual(['stg.a']);
  });

  it('names the nearest key for an unknown exact key, and says when nothing matches', () => {
    expect(thrown(SelectionError, () => sel('+mart.y_sumary')).message).toBe(
      'unknown asset "mart.y_sumary" — did you mean "mart.y_summary"?',
    );
    expect(thrown(SelectionError, () => sel('tag:nothing')).message).toBe('selection "tag:nothing" matches no assets');
    expect(thrown(SelectionError, () => sel('stg.a and stg.b')).message).toBe('selection "stg.a and stg.b" matches no assets');
    expect(thrown(SelectionError, () => sel('pipeline:ELT')).message).toBe('unknown pipeline "ELT" — did you mean "elt"?');
  });
});

describe('parseSelection', () => {
  it('builds a plain AST', () => {
    expect(parseSelection('2+a.b+1 and not (tag:x, "q\\"k")')).toEqual({
      type: 'and',
      of: [
        { type: 'graph', of: { type: 'key', key: 'a.b' }, upstream: 2, downstream: 1 },
        {
          type: 'not',
          of: {
            type: 'or',
            of: [
              { type: 'attr', name: 'tag', value: 'x', glob: false },
              { type: 'key', key: 'q"k' },
            ],
          },
        },
      ],
    });
    expect(parseSelection('+*_summary')).toEqual({ type: 'graph', of: { type: 'glob', pattern: '*_summary' }, upstream: 'all' });
  });

  const syntax = (text: string) => thrown(SelectionSyntaxError, () => parseSelection(text));

  it('reports syntax errors with their column', () => {
    const e = syntax('tag:elt and (a or');
    expect(e.column).toBe(18);
    expect(e.message).toBe(
      [
        'cannot parse selection at column 18: expected an asset key, pattern, attribute or "(", but the selection ended',
        '  tag:elt and (a or',
        '                   ^',
      ].join('\n'),
    );
    expect(e).toBeInstanceOf(SelectionError);
    expect(syntax('(a or b').message.split('\n')[0]).toBe(
      'cannot parse selection at column 8: expected ")" to close the "(" at column 1',
    );
    expect(syntax('a b').message.split('\n')[0]).toBe(
      'cannot parse selection at column 3: expected "and", "or" or "," before "b" (quote keys that contain spaces, + or commas)',
    );
    expect(syntax('a)').column).toBe(2);
    expect(syntax('a and or b').message.split('\n')[0]).toBe(
      'cannot parse selection at column 7: expected an asset key, pattern, attribute or "(" where "or" is',
    );
    expect(syntax('').message.split('\n')[0]).toBe(
      'cannot parse selection at column 1: the selection is empty; write * to select every asset',
    );
    expect(syntax('a, "open').column).toBe(4);
  });

  it('rejects unknown attributes and kinds, suggesting the intended one', () => {
    expect(syntax('tga:x').message.split('\n')[0]).toBe(
      'cannot parse selection at column 1: unknown attribute "tga" — did you mean "tag"? (attributes: tag, group, kind, owner, pipeline; quote keys that contain ":")',
    );
    expect(syntax('a or kind:tabel').message.split('\n')[0]).toBe(
      'cannot parse selection at column 6: kind:tabel: kind is one of table, file, api, value — did you mean "table"?',
    );
    expect(syntax('owner:').message.split('\n')[0]).toBe(
      'cannot parse selection at column 1: owner: needs a value, like owner:x',
    );
  });
});
