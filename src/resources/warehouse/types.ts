// The warehouse contract: the SQL work declarative producers need, per dialect.

import type { SqlResource } from '../../definitions/context.js';

export type WarehouseDialect = 'duckdb' | 'postgres' | 'snowflake';

/** A table name split into its parts; each part is quoted by the dialect, never concatenated raw. */
export interface TableName {
  schema: string | undefined;
  name: string;
}

/**
 * One warehouse connection. Implementations: DuckDB (embedded default in .sluice/), PostgreSQL (pg),
 * Snowflake (snowflake-sdk). Errors they throw carry `kind`: 'network' | 'timeout' | 'sql' so the
 * executor's retry policy can decide (see classifyError in runtime).
 */
export interface Warehouse extends SqlResource {
  readonly dialect: WarehouseDialect;
  /**
   * Runs statements for their effect (DDL, DML); many statements may be separated by `;`. Resolves to the
   * rows the last DML statement among them inserted, updated, deleted or merged — undefined when none was
   * DML or the engine does not say, so "0 rows" is never claimed without being known.
   */
  execute(sql: string, signal?: AbortSignal): Promise<number | undefined>;
  /** Quotes one identifier for this dialect: `"a""b"`. */
  quoteIdent(name: string): string;
  /** Creates the schema when missing. */
  ensureSchema(schema: string): Promise<void>;
  tableExists(table: TableName): Promise<boolean>;
  rowCount(table: TableName): Promise<number>;
  /** CREATE OR REPLACE TABLE <table> AS <select>; returns the new row count. */
  createTableAs(table: TableName, select: string, signal?: AbortSignal): Promise<number>;
  /**
   * Atomically makes `source`'s contents the published `target` and drops `source`: Snowflake
   * `ALTER TABLE target SWAP WITH source`, a rename pair in one transaction elsewhere. Creates the
   * target on the first run. Readers never see a missing or half-built target.
   */
  swap(target: TableName, source: TableName): Promise<void>;
  dropTable(table: TableName): Promise<void>;
  close(): Promise<void>;
}
