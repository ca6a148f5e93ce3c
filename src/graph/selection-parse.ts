// The selection grammar shared by CLI, API and browser: tokens, a recursive-descent parser, and its AST.

import { SelectionError } from '../definitions/errors.js';
import { didYouMean } from './suggest.js';

/** Attributes an atom may test: `tag:x`, `group:x`, `kind:table`, `owner:x`, `pipeline:NAME`. */
export type SelectionAttribute = 'tag' | 'group' | 'kind' | 'owner' | 'pipeline';

/** How far a `+` reaches: a number of edges, or 'all'. */
export type SelectionDepth = number | 'all';

/** A parsed selection. Plain data: it survives JSON.stringify. */
export type SelectionNode =
  | { type: 'all' }
  | { type: 'key'; key: string }
  | { type: 'glob'; pattern: string }
  | { type: 'attr'; name: SelectionAttribute; value: string; glob: boolean }
  | { type: 'graph'; of: SelectionNode; upstream?: SelectionDepth; downstream?: SelectionDepth }
  | { type: 'not'; of: SelectionNode }
  | { type: 'and'; of: SelectionNode[] }
  | { type: 'or'; of: SelectionNode[] };

/**
 * A selection that does not parse; `column` is 1-based, and the message points at it under the text.
 * @example
 * try { parseSelection('a and'); } catch (e) { if (e instanceof SelectionSyntaxError) e.column; } // 6
 */
export class SelectionSyntaxError extends SelectionError {
  readonly column: number;
  constructor(text: string, column: number, detail: string) {
    super(`cannot parse selection at column ${column}: ${detail}\n  ${text}\n  ${' '.repeat(column - 1)}^`);
    this.column = column;
  }
}

const ATTRIBUTES: readonly SelectionAttribute[] = ['tag', 'group', 'kind', 'owner', 'pipeline'];
const KINDS = ['table', 'file', 'api', 'value'];
const KEYWORDS = new Set(['and', 'or', 'not']);

interface Token {
  kind: 'word' | 'string' | '(' | ')' | ',' | '+' | 'and' | 'or' | 'not' | 'end';
  text: string;
  start: number;
  end: number;
}

const BREAK = /[\s(),"+]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',' || c === '+') {
      tokens.push({ kind: c, text: c, start: i, end: ++i });
    } else if (c === '"') {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== '"') {
        // A backslash keeps the next character as it is: \" and \\ inside quoted keys.
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new SelectionSyntaxError(text, start + 1, 'this quoted key is never closed');
      tokens.push({ kind: 'string', text: value, start, end: ++i });
    } else {
      const start = i;
      while (i < text.length && !BREAK.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      tokens.push({ kind: KEYWORDS.has(lower) ? (lower as Token['kind']) : 'word', text: word, start, end: i });
    }
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

const DIGITS = /^\d+$/;

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private fail(token: Token, detail: string): never {
    throw new SelectionSyntaxError(this.text, token.start + 1, detail);
  }

  parse(): SelectionNode {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'the selection is empty; write * to select every asset');
    const node = this.or();
    const rest = this.peek();
    if (rest.kind === ')') this.fail(rest, 'this ")" closes nothing');
    if (rest.kind !== 'end') {
      this.fail(rest, `expected "and", "or" or "," before "${rest.text}" (quote keys that contain spaces, + or commas)`);
    }
    return node;
  }

  private or(): SelectionNode {
    const items = [this.and()];
    while (this.peek().kind === 'or' || this.peek().kind === ',') {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { type: 'or', of: items };
  }

  private and(): SelectionNode {
    const items = [this.not()];
    while (this.peek().kind === 'and') {
      this.pos++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0]! : { type: 'and', of: items };
  }

  private not(): SelectionNode {
    if (this.peek().kind !== 'not') return this.traversal();
    this.pos++;
    return { type: 'not', of: this.not() };
  }

  private traversal(): SelectionNode {
    let upstream: SelectionDepth | undefined;
    const first = this.peek();
    const second = this.peek(1);
    if (first.kind === 'word' && DIGITS.test(first.text) && second.kind === '+' && second.start === first.end) {
      upstream = Number(first.text);
      this.pos += 2;
    } else if (first.kind === '+') {
      upstream = 'all';
      this.pos++;
    }
    const of = this.primary();
    let downstream: SelectionDepth | undefined;
    if (this.peek().kind === '+') {
      const plus = this.peek();
      this.pos++;
      const depth = this.peek();
      if (depth.kind === 'word' && DIGITS.test(depth.text) && depth.start === plus.end) {
        downstream = Number(depth.text);
        this.pos++;
      } else downstream = 'all';
    }
    if (upstream === undefined && downstream === undefined) return of;
    return {
      type: 'graph',
      of,
      ...(upstream === undefined ? {} : { upstream }),
      ...(downstream === undefined ? {} : { downstream }),
    };
  }

  private primary(): SelectionNode {
    const token = this.peek();
    switch (token.kind) {
      case '(': {
        this.pos++;
        const inner = this.or();
        if (this.peek().kind !== ')') this.fail(this.peek(), `expected ")" to close the "(" at column ${token.start + 1}`);
        this.pos++;
        return inner;
      }
      case 'string':
        this.pos++;
        return { type: 'key', key: token.text };
      case 'word':
        this.pos++;
        return this.word(token);
      case 'end':
        return this.fail(token, 'expected an asset key, pattern, attribute or "(", but the selection ended');
      default:
        return this.fail(token, `expected an asset key, pattern, attribute or "(" where "${token.text}" is`);
    }
  }

  private word(token: Token): SelectionNode {
    const colon = token.text.indexOf(':');
    if (colon === -1) {
      if (token.text === '*') return { type: 'all' };
      return token.text.includes('*') ? { type: 'glob', pattern: token.text } : { type: 'key', key: token.text };
    }
    const name = token.text.slice(0, colon).toLowerCase();
    if (!(ATTRIBUTES as readonly string[]).includes(name)) {
      this.fail(
        token,
        `unknown attribute "${name}"${didYouMean(name, ATTRIBUTES)} (attributes: ${ATTRIBUTES.join(', ')}; quote keys that contain ":")`,
      );
    }
    let value = token.text.slice(colon + 1);
    let quoted = false;
    const next = this.peek();
    if (value === '' && next.kind === 'string' && next.start === token.end) {
      value = next.text;
      quoted = true;
      this.pos++;
    }
    if (value === '') this.fail(token, `${name}: needs a value, like ${name}:${name === 'kind' ? 'table' : 'x'}`);
    if (name === 'kind' && !KINDS.includes(value)) {
      this.fail(token, `kind:${value}: kind is one of ${KINDS.join(', ')}${didYouMean(value, KINDS)}`);
    }
    return { type: 'attr', name: name as SelectionAttribute, value, glob: !quoted && value.includes('*') };
  }
}

/**
 * Parses a selection expression into its AST; throws SelectionSyntaxError (a SelectionError) with the
 * column of the problem.
 * @example
 * parseSelection('+analytics.mau_summary and not tag:slow');
 * // { type: 'and', of: [{ type: 'graph', of: { type: 'key', key: 'analytics.mau_summary' }, upstream: 'all' },
 * //                     { type: 'not', of: { type: 'attr', name: 'tag', value: 'slow', glob: false } }] }
 */
export function parseSelection(text: string): SelectionNode {
  return new Parser(text, tokenize(text)).parse();
}
