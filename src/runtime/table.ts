// Asset keys as warehouse tables: 'analytics.mau_summary' is table mau_summary in schema analytics.

import { unquotedName } from '../resources/warehouse/quote.js';
import type { TableName, Warehouse, WarehouseDialect } from '../resources/warehouse/types.js';

/**
 * The table an asset key names: everything before the last dot is the schema. Given the warehouse's
 * dialect, simple names are folded the way that dialect reads them unquoted (Snowflake upper case,
 * PostgreSQL lower case), so `analytics.mau_summary` is the table a hand-written
 * `SELECT * FROM analytics.mau_summary` reads — not a quoted lower-case twin of it.
 * @example tableOf('analytics.mau_summary', 'snowflake') // { schema: 'ANALYTICS', name: 'MAU_SUMMARY' }
 */
export function tableOf(key: string, dialect?: WarehouseDialect): TableName {
  const dot = key.lastIndexOf('.');
  const fold = (name: string) => (dialect ? unquotedName(dialect, name) : name);
  return dot === -1
    ? { schema: undefined, name: fold(key) }
    : { schema: fold(key.slice(0, dot)), name: fold(key.slice(dot + 1)) };
}

/**
 * The table quoted for `warehouse`'s dialect, for SQL the executor writes itself.
 * @example quoteTable(duckdb, tableOf('a.b')) // '"a"."b"'
 */
export function quoteTable(warehouse: Warehouse, table: TableName): string {
  return table.schema === undefined
    ? warehouse.quoteIdent(table.name)
    : `${warehouse.quoteIdent(table.schema)}.${warehouse.quoteIdent(table.name)}`;
}

/**
 * 'schema.name' for messages.
 * @example tableText({ schema: 'a', name: 'b' }) // 'a.b'
 */
export function tableText(table: TableName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}
