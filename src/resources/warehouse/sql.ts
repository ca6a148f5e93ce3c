// SQL text both local adapters share (DuckDB and PostgreSQL agree on information_schema and DDL spelling).

import { randomBytes } from 'node:crypto';
import { qualifiedName, quoteIdent } from './quote.js';
import type { TableName, WarehouseDialect } from './types.js';

/** Looks a table (or view) up in the current database; an unqualified name means the current schema. */
export function tableExistsQuery(table: TableName): { sql: string; params: unknown[] } {
  return {
    sql:
      'SELECT count(*) AS n FROM information_schema.tables' +
      ' WHERE table_catalog = current_database() AND table_schema = coalesce($1, current_schema()) AND table_name = $2',
    params: [table.schema ?? null, table.name],
  };
}

export function createSchemaSql(dialect: WarehouseDialect, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(dialect, schema)}`;
}

export function countSql(dialect: WarehouseDialect, table: TableName): string {
  return `SELECT count(*) AS n FROM ${qualifiedName(dialect, table)}`;
}

export function dropTableSql(dialect: WarehouseDialect, table: TableName): string {
  return `DROP TABLE IF EXISTS ${qualifiedName(dialect, table)}`;
}

export function renameSql(dialect: WarehouseDialect, table: TableName, newName: string): string {
  return `ALTER TABLE ${qualifiedName(dialect, table)} RENAME TO ${quoteIdent(dialect, newName)}`;
}

/**
 * A name for a short-lived helper table, unique enough that concurrent runs never collide and short
 * enough for PostgreSQL's 63-byte limit whatever the published table is called.
 */
export function scratchName(purpose: 'old' | 'new' | 'move' | 'seed' | 'load'): string {
  return `sluice_${purpose}_${randomBytes(6).toString('hex')}`;
}

/** The n-th (1-based) bind parameter: `$1` for DuckDB and PostgreSQL, `:1` for Snowflake. */
export function placeholder(dialect: WarehouseDialect, index: number): string {
  return dialect === 'snowflake' ? `:${index}` : `$${index}`;
}

/** A producer's SELECT without trailing semicolons, so it can sit inside CREATE TABLE … AS. */
export function bareSelect(select: string): string {
  return select.replace(/[\s;]+$/, '');
}

/** Statements whose count is rows changed; a SELECT's (or CREATE TABLE AS's) count is not. */
const DML_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/**
 * The rows changed by the last DML statement among `statements` ((command, count) pairs, as drivers
 * report them); undefined when none of them was DML with a count. The last, not the sum: a window load
 * is typically DELETE-then-INSERT, and its row count is what the INSERT wrote.
 * @example changedRows([['DELETE', 5], ['INSERT', 3], ['COMMIT', null]]) // 3
 */
export function changedRows(
  statements: Iterable<readonly [command: string | null | undefined, count: number | bigint | null | undefined]>,
): number | undefined {
  let last: number | undefined;
  for (const [command, count] of statements) {
    if (count === null || count === undefined || !DML_COMMANDS.has((command ?? '').toUpperCase())) continue;
    last = Number(count);
  }
  return last;
}
