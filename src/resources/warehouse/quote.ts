// Identifier quoting and table-name parsing: the one place SQL names are built, with each dialect's rules.

import { WarehouseError } from './errors.js';
import type { TableName, WarehouseDialect } from './types.js';

interface IdentifierRules {
  /** How the dialect resolves an unquoted name; applied to bare simple parts so `a.b` means what SQL means. */
  fold: (name: string) => string;
  /** Longer names would be truncated silently (PostgreSQL) or rejected late; we refuse them up front. */
  maxBytes: number | undefined;
}

const RULES: Record<WarehouseDialect, IdentifierRules> = {
  // DuckDB matches identifiers case-insensitively, quoted or not, and keeps the spelling it was given.
  duckdb: { fold: (name) => name, maxBytes: undefined },
  postgres: { fold: (name) => name.toLowerCase(), maxBytes: 63 },
  snowflake: { fold: (name) => name.toUpperCase(), maxBytes: 255 },
};

const SIMPLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Quotes one identifier for `dialect`: wraps it in double quotes and doubles embedded ones. Rejects empty
 * names, NUL characters and names over the dialect's length limit instead of letting the server mangle them.
 * @example quoteIdent('postgres', 'my "odd" col') // '"my ""odd"" col"'
 */
export function quoteIdent(dialect: WarehouseDialect, name: string): string {
  const rules = RULES[dialect];
  if (name === '') throw badName(dialect, 'an identifier may not be empty');
  if (name.includes('\0')) throw badName(dialect, `identifier ${JSON.stringify(name)} contains a NUL character`);
  if (rules.maxBytes !== undefined && Buffer.byteLength(name, 'utf8') > rules.maxBytes) {
    throw badName(dialect, `identifier ${JSON.stringify(name)} is longer than ${rules.maxBytes} bytes`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The quoted, schema-qualified name of a table: `"analytics"."mau_summary"`.
 * @example qualifiedName('duckdb', { schema: 'analytics', name: 'mau_summary' }) // '"analytics"."mau_summary"'
 */
export function qualifiedName(dialect: WarehouseDialect, table: TableName): string {
  const name = quoteIdent(dialect, table.name);
  return table.schema === undefined ? name : `${quoteIdent(dialect, table.schema)}.${name}`;
}

/**
 * Splits `schema.table` (an asset key) into its parts. A part may be double-quoted to hold dots or quotes
 * (`"my.schema"."t"`); it is then kept exactly. With a `dialect`, bare simple parts are case-folded as that
 * dialect folds unquoted SQL names (PostgreSQL lower, Snowflake upper), so the table sluice writes is the one
 * a hand-written `SELECT … FROM analytics.mau_summary` reads.
 * @example parseTableName('analytics.mau_summary') // { schema: 'analytics', name: 'mau_summary' }
 */
export function parseTableName(text: string, dialect?: WarehouseDialect): TableName {
  const parts = splitParts(text, dialect);
  const names = parts.map((part) => (part.quoted || !dialect ? part.text : unquotedName(dialect, part.text)));
  if (names.length === 1) return { schema: undefined, name: names[0]! };
  if (names.length === 2) return { schema: names[0]!, name: names[1]! };
  throw badName(dialect, `table name ${JSON.stringify(text)} has ${names.length} parts; expected "table" or "schema.table"`);
}

/**
 * The name `dialect` gives an unquoted identifier: simple names are case-folded (PostgreSQL lower, Snowflake
 * upper, DuckDB as written); anything else is kept exactly, as only quoting could express it anyway.
 * @example unquotedName('snowflake', 'mau_summary') // 'MAU_SUMMARY'
 */
export function unquotedName(dialect: WarehouseDialect, name: string): string {
  return SIMPLE_IDENTIFIER.test(name) ? RULES[dialect].fold(name) : name;
}

/** A table name for messages: `analytics.mau_summary`, unquoted. */
export function displayName(table: TableName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}

/** Two names of the same schema (both unqualified, or equal). */
export function sameSchema(a: TableName, b: TableName): boolean {
  return a.schema === b.schema;
}

function splitParts(text: string, dialect: WarehouseDialect | undefined): { text: string; quoted: boolean }[] {
  const parts: { text: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw badName(dialect, `table name ${JSON.stringify(text)} has an unterminated quote`);
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        }
        value += text[i];
        i++;
      }
      i++;
      parts.push({ text: value, quoted: true });
    } else {
      const end = text.indexOf('.', i);
      const raw = (end === -1 ? text.slice(i) : text.slice(i, end)).trim();
      if (raw.includes('"')) throw badName(dialect, `table name ${JSON.stringify(text)} has a quote inside an unquoted part`);
      parts.push({ text: raw, quoted: false });
      i = end === -1 ? text.length : end;
    }
    if (parts.at(-1)!.text === '') throw badName(dialect, `table name ${JSON.stringify(text)} has an empty part`);
    if (i >= text.length) return parts;
    if (text[i] !== '.') throw badName(dialect, `table name ${JSON.stringify(text)}: expected "." after a quoted part`);
    i++;
  }
}

function badName(dialect: WarehouseDialect | undefined, message: string): WarehouseError {
  return new WarehouseError(dialect ? `${dialect}: ${message}` : message, { kind: 'sql', dialect, code: 'INVALID_NAME' });
}
