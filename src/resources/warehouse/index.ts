// The warehouse layer's entry: openWarehouse picks an adapter and loads its driver only when one is asked for.

import { join } from 'node:path';
import type { SnowflakeConfig } from './snowflake-config.js';
import type { Warehouse } from './types.js';

export type { CsvField, SeedColumnType } from './csv.js';
export { inferColumnType, parseCsv } from './csv.js';
export type { WarehouseErrorKind } from './errors.js';
export { toWarehouseError, WarehouseError } from './errors.js';
export { displayName, parseTableName, qualifiedName, quoteIdent, unquotedName } from './quote.js';
export type { SeededTable, SeedOptions } from './seed.js';
export { seedTablesFromCsv } from './seed.js';
export type { SnowflakeConfig } from './snowflake-config.js';
export { snowflakeConfigFromEnv } from './snowflake-config.js';
export type { TableName, Warehouse, WarehouseDialect } from './types.js';

/** Where a warehouse lives: a DuckDB file (or `:memory:`), a PostgreSQL URL, or a Snowflake account (see snowflakeConfigFromEnv). */
export type WarehouseConfig =
  | { type: 'duckdb'; path: string }
  | { type: 'postgres'; url: string }
  | ({ type: 'snowflake' } & SnowflakeConfig);

/**
 * Opens a warehouse. Nothing connects yet: the driver module is imported here (DuckDB's native binding and
 * pg stay out of CLI start-up) and the database is opened by the first call. Always `close()` it — an open
 * DuckDB file blocks other processes and keeps this one alive.
 * @example
 * const warehouse = await openWarehouse({ type: 'duckdb', path: defaultWarehousePath(root) });
 * try { await warehouse.query('SELECT 1 AS one'); } finally { await warehouse.close(); }
 */
export async function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  switch (config.type) {
    case 'duckdb': {
      const { DuckDbWarehouse } = await import('./duckdb.js');
      return new DuckDbWarehouse(config.path);
    }
    case 'postgres': {
      const { PostgresWarehouse } = await import('./postgres.js');
      return new PostgresWarehouse(config.url);
    }
    case 'snowflake': {
      // snowflake-sdk itself loads on first use, after the adapter has disabled its cloud-metadata probes.
      const { SnowflakeWarehouse } = await import('./snowflake.js');
      const { type: _type, ...snowflake } = config;
      return new SnowflakeWarehouse(snowflake);
    }
  }
}

/**
 * The embedded default warehouse of a project: `<root>/.sluice/warehouse.duckdb`.
 * @example defaultWarehousePath('/work/project') // '/work/project/.sluice/warehouse.duckdb'
 */
export function defaultWarehousePath(root: string): string {
  return join(root, '.sluice', 'warehouse.duckdb');
}
