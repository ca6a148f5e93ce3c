// The few places where SQLite and PostgreSQL SQL differ, so every query can be written once.

/** What a SQL text needs to know about the engine it will run on. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Column type for identifiers and ISO timestamps; byte-wise collation so both engines sort alike. */
  readonly key: string;
  /** Column type for JSON payloads stored as text. */
  readonly json: string;
  /** Column type for booleans. */
  readonly bool: string;
  /** A surrogate, ever-growing primary key column type. */
  readonly autoId: string;
  /** The expression as a value of the JSON column type (it is JSON text already). */
  toJson(expr: string): string;
  /** A FROM item with one row, column `value`, per element of a JSON array given as text. */
  elements(param: string): string;
  /** Like `elements`, for an array of strings, with `value` as plain text. */
  textElements(param: string): string;
  /** How a batch of rows reaches one statement: a JSON-array parameter, or one execution per row. */
  readonly batchRows: 'json' | 'each';
  /** Appended to tables with a composite primary key (SQLite then keeps one b-tree instead of two). */
  readonly clustered: string;
  /** The LIMIT value that means "no limit" (SQLite wants a LIMIT before any OFFSET). */
  readonly noLimit: number | null;
  /** Milliseconds between two ISO-8601 text columns, as an integer (null when either is null). */
  durationMs(from: string, to: string): string;
}

export const sqlite: Dialect = {
  name: 'sqlite',
  key: 'TEXT',
  json: 'TEXT',
  bool: 'INTEGER',
  autoId: 'INTEGER PRIMARY KEY',
  toJson: (expr) => expr,
  elements: (param) => `json_each(${param})`,
  textElements: (param) => `json_each(${param})`,
  batchRows: 'each',
  clustered: ' WITHOUT ROWID',
  noLimit: -1,
  durationMs: (from, to) => `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400000.0) AS INTEGER)`,
};

export const postgres: Dialect = {
  name: 'postgres',
  key: 'TEXT COLLATE "C"',
  // json (not jsonb) keeps the text as written, so both stores hand back identical payloads.
  json: 'JSON',
  bool: 'BOOLEAN',
  autoId: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  toJson: (expr) => `CAST(${expr} AS JSON)`,
  elements: (param) => `json_array_elements(CAST(${param} AS JSON))`,
  textElements: (param) => `json_array_elements_text(CAST(${param} AS JSON))`,
  batchRows: 'json',
  clustered: '',
  noLimit: null,
  durationMs: (from, to) =>
    `CAST(ROUND(EXTRACT(EPOCH FROM (CAST(${to} AS TIMESTAMPTZ) - CAST(${from} AS TIMESTAMPTZ))) * 1000) AS BIGINT)`,
};

const numbered = new Map<string, string>();

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`. Queries never contain a literal `?`, so a
 * plain scan is enough; results are cached because the same texts come back constantly.
 * @example toNumbered('SELECT * FROM runs WHERE id = ? AND status = ?') // '… id = $1 AND status = $2'
 */
export function toNumbered(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size > 2000) numbered.clear();
    numbered.set(sql, text);
  }
  return text;
}

/** A bound parameter. Booleans travel as 0/1, which SQLite cannot bind otherwise. */
export type Param = string | number | null;

/** One statement of a write transaction. */
export interface Stmt {
  sql: string;
  params: Param[];
  /** When set, the statement runs once per row with these parameters (see `rowsOf` in statements.ts). */
  each?: Param[][];
  /** When set, the statement must change a row; otherwise the transaction is rolled back with this message. */
  mustChange?: string;
  /**
   * When set, a row the statement returns refuses the write, which the statement must then have kept
   * nothing of: the message is this applied to the row's `refused` column. A single statement cannot
   * roll back what it wrote, so it says no instead of raising.
   */
  refused?: (value: string) => string;
}

/** A read query. */
export interface Query {
  sql: string;
  params: Param[];
}
