// Asset keys as warehouse tables: 'analytics.mau_summary' is table mau_summary in schema analytics.

import type { TableName, Warehouse } from '../resources/warehouse/types.js';

/**
 * The table an asset key names: everything before the last dot is the schema.
 * @example tableOf('analytics.mau_summary') // { schema: 'analytics', name: 'mau_summary' }
 */
export function tableOf(key: string): TableName {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? { schema: undefined, name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
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
