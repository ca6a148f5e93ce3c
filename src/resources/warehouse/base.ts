// The part of a Warehouse every adapter does alike: quoting, lookups, CTAS set-up, drops, running work awaited on close.

import { abortedError } from './errors.js';
import { quoteIdent } from './quote.js';
import { countSql, dropTableSql, tableExistsQuery } from './sql.js';
import type { TableName, Warehouse, WarehouseDialect } from './types.js';

/**
 * The dialect-independent half of a Warehouse. An adapter extends it with its driver work — `query`, `execute`,
 * `ensureSchema`, `swap`, `close` — and `buildTable`, the dialect's way to create or replace a table from a
 * SELECT; everything else here is the same SQL run through the adapter's own `query` and `execute`.
 * @example
 * class MyWarehouse extends SqlWarehouse {
 *   readonly dialect = 'postgres' as const;
 *   protected async buildTable(table: TableName, select: string) { … return rowCount; }
 *   // query, execute, ensureSchema, swap, close
 * }
 */
export abstract class SqlWarehouse implements Warehouse {
  abstract readonly dialect: WarehouseDialect;
  abstract query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  abstract execute(sql: string, signal?: AbortSignal): Promise<number | undefined>;
  abstract ensureSchema(schema: string): Promise<void>;
  abstract swap(target: TableName, source: TableName): Promise<void>;
  abstract close(): Promise<void>;

  /** Creates or replaces `table` from `select` once its schema exists; answers the new row count. */
  protected abstract buildTable(table: TableName, select: string, signal?: AbortSignal): Promise<number>;

  readonly #inFlight = new Set<Promise<unknown>>();

  quoteIdent(name: string): string {
    return quoteIdent(this.dialect, name);
  }

  async tableExists(table: TableName): Promise<boolean> {
    const { sql, params } = tableExistsQuery(table);
    const [row] = await this.query<{ n: number }>(sql, params);
    return Number(row?.n) > 0;
  }

  async rowCount(table: TableName): Promise<number> {
    const [row] = await this.query<{ n: number }>(countSql(this.dialect, table));
    return Number(row?.n);
  }

  async createTableAs(table: TableName, select: string, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) throw abortedError(this.dialect, signal);
    if (table.schema !== undefined) await this.ensureSchema(table.schema);
    return this.buildTable(table, select, signal);
  }

  async dropTable(table: TableName): Promise<void> {
    await this.execute(dropTableSql(this.dialect, table));
  }

  /** Answers `operation`'s result, counting it as running until it settles (see `settle`). */
  protected async track<T>(operation: Promise<T>): Promise<T> {
    this.#inFlight.add(operation);
    try {
      return await operation;
    } finally {
      this.#inFlight.delete(operation);
    }
  }

  /**
   * Waits until every tracked operation has settled, succeeded or not. A `close()` calls it before it ends the
   * session or releases the file, where the driver would not wait by itself (a pg pool does).
   */
  protected async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }
}
