// Snowflake SQL text: a lexer that knows literals and comments, statement splitting, bind markers, and the DDL sluice emits.

import { qualifiedName } from './quote.js';
import { bareSelect } from './sql.js';
import type { TableName } from './types.js';

/** What a run of SQL text is: plain code, or something whose contents must not be read as code. */
export type SqlPieceKind = 'code' | 'string' | 'identifier' | 'dollar' | 'comment';

/** A run of SQL text and what it is; see scanSql. */
export interface SqlPiece {
  kind: SqlPieceKind;
  text: string;
}

// `$$` opens a dollar-quoted string only where an identifier cannot continue (`a$$b` is one identifier).
const IDENTIFIER_CHAR = /[A-Za-z0-9_$]/;

/**
 * Cuts Snowflake SQL into code and non-code pieces: 'single-quoted' strings (with '' and backslash escapes),
 * "quoted identifiers", $$dollar strings$$, and -- // /* comments. Concatenating the pieces gives the input
 * back. An unterminated literal runs to the end; the server reports it.
 * @example scanSql("SELECT ';' -- x").map((p) => p.kind) // ['code', 'string', 'code', 'comment']
 */
export function scanSql(sql: string): SqlPiece[] {
  const pieces: SqlPiece[] = [];
  let codeStart = 0;
  let i = 0;
  while (i < sql.length) {
    const end = literalEnd(sql, i);
    if (end === undefined) {
      i++;
      continue;
    }
    if (i > codeStart) pieces.push({ kind: 'code', text: sql.slice(codeStart, i) });
    pieces.push({ kind: end.kind, text: sql.slice(i, end.index) });
    i = end.index;
    codeStart = i;
  }
  if (sql.length > codeStart) pieces.push({ kind: 'code', text: sql.slice(codeStart) });
  return pieces;
}

function literalEnd(sql: string, i: number): { kind: SqlPieceKind; index: number } | undefined {
  const char = sql[i];
  const next = sql[i + 1];
  if (char === "'") return { kind: 'string', index: quotedEnd(sql, i, "'", true) };
  if (char === '"') return { kind: 'identifier', index: quotedEnd(sql, i, '"', false) };
  if (char === '$' && next === '$' && !IDENTIFIER_CHAR.test(sql[i - 1] ?? ' ')) {
    const close = sql.indexOf('$$', i + 2);
    return { kind: 'dollar', index: close === -1 ? sql.length : close + 2 };
  }
  if ((char === '-' && next === '-') || (char === '/' && next === '/')) {
    // The newline stays code, so a comment never glues two lines of code together.
    const newline = sql.indexOf('\n', i);
    return { kind: 'comment', index: newline === -1 ? sql.length : newline };
  }
  if (char === '/' && next === '*') {
    const close = sql.indexOf('*/', i + 2);
    return { kind: 'comment', index: close === -1 ? sql.length : close + 2 };
  }
  return undefined;
}

function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const char = sql[i];
    if (backslashEscapes && char === '\\') {
      i += 2;
    } else if (char === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return sql.length;
}

/**
 * Splits a script at top-level semicolons into statements, dropping empty and comment-only ones. Snowflake
 * refuses several statements in one request unless told how many to expect, so `execute()` sends them one by
 * one. Snowflake Scripting blocks belong inside `EXECUTE IMMEDIATE $$…$$`, where their semicolons are safe.
 * @example splitStatements("CREATE TABLE t (s TEXT); INSERT INTO t VALUES (';');") // two statements
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: SqlPiece[] = [];
  const finish = () => {
    if (current.some((piece) => piece.kind !== 'comment' && piece.text.trim() !== '')) {
      statements.push(
        current
          .map((piece) => piece.text)
          .join('')
          .trim(),
      );
    }
    current = [];
  };
  for (const piece of scanSql(sql)) {
    if (piece.kind !== 'code') {
      current.push(piece);
      continue;
    }
    const parts = piece.text.split(';');
    parts.forEach((text, index) => {
      if (index > 0) finish();
      if (text !== '') current.push({ kind: 'code', text });
    });
  }
  finish();
  return statements;
}

/**
 * Rewrites the portable `$1, $2…` bind markers the other adapters use into Snowflake's `:1, :2…`, outside
 * literals and comments. Only called when parameters are given: without them `$1` is Snowflake's positional
 * column reference and stays as written.
 * @example toSnowflakeBinds("SELECT $1 AS a, '$2' AS b") // "SELECT :1 AS a, '$2' AS b"
 */
export function toSnowflakeBinds(sql: string): string {
  return scanSql(sql)
    .map((piece) => (piece.kind === 'code' ? piece.text.replace(/(?<![A-Za-z0-9_$])\$(\d+)/g, ':$1') : piece.text))
    .join('');
}

/**
 * CREATE OR REPLACE TABLE: Snowflake replaces the table in one statement, so readers see the old or the new one.
 * @example ctasSql({ schema: 'a', name: 't' }, 'SELECT 1;') // 'CREATE OR REPLACE TABLE "a"."t" AS SELECT 1'
 */
export function ctasSql(table: TableName, select: string): string {
  return `CREATE OR REPLACE TABLE ${qualifiedName('snowflake', table)} AS ${bareSelect(select)}`;
}

/**
 * Exchanges two tables' contents and metadata in one metadata operation; both must exist.
 * @example swapWithSql({ schema: 'a', name: 'mau' }, { schema: 'a', name: 'tmp' }) // 'ALTER TABLE "a"."mau" SWAP WITH "a"."tmp"'
 */
export function swapWithSql(target: TableName, source: TableName): string {
  return `ALTER TABLE ${qualifiedName('snowflake', target)} SWAP WITH ${qualifiedName('snowflake', source)}`;
}

/**
 * Renames (and, with a schema, moves) a table. The new name is qualified whenever it has a schema because
 * Snowflake puts an unqualified new name in the session's current schema, not the table's.
 * @example renameTableSql({ schema: 'a', name: 'tmp' }, { schema: 'a', name: 'mau' }) // 'ALTER TABLE "a"."tmp" RENAME TO "a"."mau"'
 */
export function renameTableSql(source: TableName, target: TableName): string {
  return `ALTER TABLE ${qualifiedName('snowflake', source)} RENAME TO ${qualifiedName('snowflake', target)}`;
}
