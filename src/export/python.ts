// The one place Python source literals and identifiers are made: every string that reaches generated code goes through here.

const KEYWORDS = (
  'False None True and as assert async await break class continue def del elif else except finally for from ' +
  'global if import in is lambda nonlocal not or pass raise return try while with yield _ case match type'
).split(' ');

// Python 3.11's builtins (dir(builtins)): a generated name that shadows one of them breaks code that reads naturally.
const BUILTINS = (
  'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError ' +
  'BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ' +
  'ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning ' +
  'EnvironmentError Exception ExceptionGroup FileExistsError FileNotFoundError FloatingPointError FutureWarning ' +
  'GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError ' +
  'IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError ' +
  'NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning ' +
  'PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning ' +
  'StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError ' +
  'TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError ' +
  'UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs aiter all anext any ascii bin bool ' +
  'breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir ' +
  'divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input ' +
  'int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow ' +
  'print property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple vars ' +
  'zip'
).split(' ');

/** Names no generated identifier may take: Python keywords (hard and soft) and builtins. */
export const PY_RESERVED: ReadonlySet<string> = new Set([...KEYWORDS, ...BUILTINS]);

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

function escapeCodePoint(cp: number, quote: '"' | null): string {
  switch (cp) {
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
  }
  if (quote !== null && cp === 0x22) return '\\"';
  // Control characters (NUL included), DEL and C1 controls are invisible or rejected by the tokenizer: spell them out.
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `\\x${hex(cp, 2)}`;
  // Lone surrogates cannot be written as UTF-8; line and paragraph separators and the BOM are easy to lose in editors.
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return `\\u${hex(cp, 4)}`;
  return String.fromCodePoint(cp);
}

// Characters that may appear in a literal as they are (no quote, backslash, control, separator, BOM or surrogate).
const PLAIN = /^[^"\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]*$/;

function* codePoints(value: string): Generator<number> {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      yield ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      i++;
    } else {
      yield unit;
    }
  }
}

function tripleQuoted(value: string): string {
  let body = '';
  for (let i = 0; i < value.length; ) {
    const cp = value.codePointAt(i) as number;
    const width = cp > 0xffff && (value.charCodeAt(i) & 0xfc00) === 0xd800 ? 2 : 1;
    if (cp === 0x0a) body += '\n';
    else if (cp === 0x22) {
      // A quote is escaped when it could start a closing """ or end the literal next to the closing quotes.
      const next = value[i + 1];
      body += next === '"' || next === undefined ? '\\"' : '"';
    } else body += escapeCodePoint(cp, null);
    i += width;
  }
  // The backslash-newline after the opening quotes is a line continuation, so the value starts on its own line.
  return `"""\\\n${body}"""`;
}

/**
 * A Python string literal whose value is exactly `value`: quotes, backslashes, newlines, NUL, lone surrogates and
 * non-ASCII text all survive. With `multiline`, text that has newlines is written as a triple-quoted block so SQL
 * stays readable in the generated file (the value is the same either way).
 * @example pyStr('it\'s "x"') // "it's \"x\""
 * @example pyStr('SELECT 1\nFROM t', { multiline: true }) // """\⏎SELECT 1⏎FROM t"""
 */
export function pyStr(value: string, options: { multiline?: boolean } = {}): string {
  // Most text needs no escape at all; checking that first keeps exports of 10,000 assets fast.
  if (PLAIN.test(value)) return `"${value}"`;
  if (options.multiline && value.includes('\n')) return tripleQuoted(value);
  let body = '';
  for (const cp of codePoints(value)) body += escapeCodePoint(cp, '"');
  return `"${body}"`;
}

/**
 * A Python number literal. Only finite numbers exist in validated specs; anything else is a bug, not user input.
 * @example pyNum(60) // '60'
 */
export function pyNum(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

/** @example pyBool(true) // 'True' */
export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** A list literal of items that are already Python expressions. @example pyList(['1', '2']) // '[1, 2]' */
export function pyList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/**
 * A list literal laid out like a formatter would: on one line when it fits in 100 columns at `indent`, else one item
 * per line with a trailing comma.
 * @example pyListBlock(['a', 'b'], 4) // '[a, b]'
 */
export function pyListBlock(items: readonly string[], indent: number): string {
  const flat = pyList(items);
  if (indent + flat.length <= 100 && !flat.includes('\n')) return flat;
  const pad = ' '.repeat(indent + 4);
  return `[\n${items.map((item) => `${pad}${item},`).join('\n')}\n${' '.repeat(indent)}]`;
}

/** A tuple literal; a one-item tuple keeps its trailing comma. @example pyTuple(['1']) // '(1,)' */
export function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A dict literal with string keys; values are already Python expressions. @example pyDict([['a', '1']]) // '{"a": 1}' */
export function pyDict(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${v}`).join(', ')}}`;
}

/**
 * Any JSON value (asset metadata) as a Python literal: objects become dicts, null becomes None.
 * @example pyValue({ a: [1, null] }) // '{"a": [1, None]}'
 */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'number') return pyNum(value);
  if (typeof value === 'boolean') return pyBool(value);
  if (Array.isArray(value)) return pyList(value.map(pyValue));
  if (typeof value === 'object') {
    return pyDict(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, pyValue(v)] as const));
  }
  throw new TypeError(`not JSON data: ${typeof value}`);
}

/**
 * Turns a key into a Python identifier that is ASCII, never a keyword or builtin, never a name in `taken`, and adds
 * it to `taken`. Same keys in the same order give the same names, so output stays deterministic.
 * @example pyIdent('analytics.mau_summary', new Set()) // 'analytics_mau_summary'
 * @example pyIdent('class', new Set()) // 'class_'
 */
export function pyIdent(key: string, taken: Set<string>): string {
  // NFKD turns accented letters into ASCII ones plus marks (é → e); pure ASCII keys skip it.
  let base = (/^[\x00-\x7f]*$/.test(key) ? key : key.normalize('NFKD'))
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (base === '') base = 'asset';
  if (/^[0-9]/.test(base)) base = `n_${base}`;
  if (PY_RESERVED.has(base)) base = `${base}_`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}
