// pyStr and pyIdent against Python itself: every literal must evaluate to its input, every name must be usable.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PY_RESERVED, pyIdent, pyListBlock, pyStr, pyValue } from '../../src/export/python.js';

const HOSTILE = [
  '',
  'plain',
  'it\'s "quoted"',
  '"""',
  '""""',
  "'''",
  'ends with quote"',
  'ends with backslash\\',
  'back\\slash \\n not a newline \\\\',
  'line\nbreak',
  'crlf\r\nand cr\r',
  'tab\tform\fvertical\v',
  'nul\u0000byte',
  'bell\u0007 del\u007f c1\u0085',
  'ünïcödé → 日本語 🙂',
  'lone high \ud800 and low \udc00',
  'separators \u2028 \u2029 bom \ufeff',
  '{{ ds }} {% if x %} {# c #}',
  '"""\nSELECT "a"""\n',
  '\n',
  '\\\n',
  '"\n"',
];

// A fixed pseudo-random sequence: hostile characters in every order, reproducible on every run.
function fuzz(count: number): string[] {
  const alphabet = ['"', "'", '\\', '\n', '\r', '\t', '\u0000', '{', '}', '%', '#', 'é', '🙂', '\ud800', 'a', ' ', '\u2028'];
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

/** Asks Python whether each literal evaluates to the expected string. */
function evaluates(pairs: [string, string][]): boolean[] {
  const script = [
    'import ast, json, sys',
    'pairs = json.loads(sys.stdin.read())',
    'print(json.dumps([ast.literal_eval(literal) == expected for literal, expected in pairs]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' })) as boolean[];
}

describe('pyStr', () => {
  const values = [...HOSTILE, ...fuzz(300)];

  it('writes a literal that Python reads back as exactly the input, single-line or multiline', () => {
    const pairs: [string, string][] = values.flatMap((v) => [
      [pyStr(v), v],
      [pyStr(v, { multiline: true }), v],
    ]);
    expect(evaluates(pairs).every(Boolean)).toBe(true);
  });

  it('keeps single-line literals on one line, whatever the input', () => {
    for (const v of values) expect(pyStr(v)).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it('writes multiline text as a readable triple-quoted block', () => {
    expect(pyStr('SELECT 1\nFROM t', { multiline: true })).toBe('"""\\\nSELECT 1\nFROM t"""');
    expect(pyStr('one line', { multiline: true })).toBe('"one line"');
  });

  it('escapes exactly what needs escaping', () => {
    expect(pyStr('it\'s "x"\\')).toBe('"it\'s \\"x\\"\\\\"');
    expect(pyStr('a\u0000b')).toBe('"a\\x00b"');
    expect(pyStr('é🙂')).toBe('"é🙂"');
    expect(pyStr('\ud800')).toBe('"\\ud800"');
  });
});

describe('pyValue and pyListBlock', () => {
  it('writes JSON data as Python literals', () => {
    expect(pyValue({ a: [1, null, true, 'x'], b: { c: 1.5 } })).toBe('{"a": [1, None, True, "x"], "b": {"c": 1.5}}');
  });

  it('breaks long lists one item per line', () => {
    expect(pyListBlock(['a', 'b'], 4)).toBe('[a, b]');
    expect(pyListBlock(['x'.repeat(60), 'y'.repeat(60)], 4)).toBe(
      `[\n        ${'x'.repeat(60)},\n        ${'y'.repeat(60)},\n    ]`,
    );
  });
});

describe('pyIdent', () => {
  it('makes identifiers from keys', () => {
    const taken = new Set<string>();
    expect(pyIdent('analytics.mau_summary', taken)).toBe('analytics_mau_summary');
    expect(pyIdent('class', taken)).toBe('class_');
    expect(pyIdent('list', taken)).toBe('list_');
    expect(pyIdent('2024.report', taken)).toBe('n_2024_report');
    expect(pyIdent('é.ü', taken)).toBe('e_u');
    expect(pyIdent('🙂', taken)).toBe('asset');
  });

  it('never repeats a name, and repeats the same choices for the same keys', () => {
    const run = () => {
      const taken = new Set<string>();
      return ['a.b', 'a_b', 'a-b', 'a b', 'a.b'].map((k) => pyIdent(k, taken));
    };
    expect(run()).toEqual(['a_b', 'a_b_2', 'a_b_3', 'a_b_4', 'a_b_5']);
    expect(run()).toEqual(run());
  });

  it('gives names Python accepts, never keywords or builtins', () => {
    const keys = [...PY_RESERVED, 'None.True', 'import.lambda.return', ...fuzz(200)];
    const taken = new Set<string>();
    const names = keys.map((k) => pyIdent(k, taken));
    for (const name of names) expect(PY_RESERVED.has(name)).toBe(false);
    const script = [
      'import builtins, json, keyword, sys',
      'names = json.loads(sys.stdin.read())',
      'ok = [n.isidentifier() and n.isascii() and not keyword.iskeyword(n) and not keyword.issoftkeyword(n) and n not in dir(builtins) for n in names]',
      'print(json.dumps(all(ok) and len(set(names)) == len(names)))',
    ].join('\n');
    expect(execFileSync('python3', ['-c', script], { input: JSON.stringify(names), encoding: 'utf8' }).trim()).toBe('true');
  });
});
