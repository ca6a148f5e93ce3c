// The embedded local warehouse: DuckDB through @duckdb/node-api, opened on first use and released by close().

import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  blobValue,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
  StatementType,
  timestampValue,
} from '@duckdb/node-api';
import { SqlWarehouse } from './base.js';
import { abortedError, toWarehouseError, WarehouseError } from './errors.js';
import { qualifiedName, sameSchema } from './quote.js';
import { bareSelect, changedRows, createSchemaSql, dropTableSql, renameSql, scratchName, tableExistsQuery } from './sql.js';
import type { TableName } from './types.js';
import { plainDecimal, plainDeep, plainInstant, plainInteger } from './values.js';

interface SharedInstance {
  instance: Promise<DuckDBInstance>;
  users: number;
}

// Two DuckDBInstances on one file in one process do not see each other's writes, so every warehouse on
// the same file shares one instance, closed when its last user closes. (A second *process* is refused by
// DuckDB's file lock; see toWarehouseError.)
const shared = new Map<string, SharedInstance>();

async function acquire(path: string): Promise<DuckDBInstance> {
  if (path === ':memory:') return DuckDBInstance.create(path);
  let entry = shared.get(path);
  if (!entry) {
    const instance = mkdir(dirname(path), { recursive: true }).then(() => DuckDBInstance.create(path));
    entry = { instance, users: 0 };
    shared.set(path, entry);
    instance.catch(() => shared.get(path) === entry && shared.delete(path));
  }
  entry.users++;
  return entry.instance;
}

async function release(path: string, instance: DuckDBInstance): Promise<void> {
  const entry = shared.get(path);
  if (entry && (await entry.instance) === instance) {
    entry.users--;
    if (entry.users > 0) return;
    shared.delete(path);
  }
  instance.closeSync();
}

/**
 * A Warehouse on a DuckDB file (or `:memory:`). The file is opened on the first call and held until
 * `close()`, which lets another process open it again; a later call opens it anew. Each operation runs on
 * its own connection, so concurrent assets do not share transactions and an interrupt hits only its own
 * statement. Swaps rename inside one DuckDB transaction (MVCC: readers see the old or the new table).
 * @example
 * const warehouse = new DuckDbWarehouse('.sluice/warehouse.duckdb');
 * await warehouse.createTableAs({ schema: 'analytics', name: 'x' }, 'SELECT 1 AS one');
 * await warehouse.close();
 */
export class DuckDbWarehouse extends SqlWarehouse {
  readonly dialect = 'duckdb' as const;
  readonly #path: string;
  #instance: Promise<DuckDBInstance> | undefined;

  constructor(path: string) {
    super();
    this.#path = path === ':memory:' ? path : resolve(path);
  }

  async query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.#session(async (connection) => {
      const reader = await connection.runAndReadAll(sql, params?.map(toDuckValue));
      return plainRows(reader) as Row[];
    });
  }

  async execute(sql: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.#session(async (connection) => {
      // One statement at a time: a multi-statement run answers for its last statement only.
      const statements = await connection.extractStatements(sql);
      const counts: [string | undefined, number][] = [];
      for (let i = 0; i < statements.count; i++) {
        const result = await (await statements.prepare(i)).run();
        counts.push([StatementType[result.statementType], result.rowsChanged]);
      }
      return changedRows(counts);
    }, signal);
  }

  async ensureSchema(schema: string): Promise<void> {
    await this.execute(createSchemaSql(this.dialect, schema));
  }

  protected async buildTable(table: TableName, select: string, signal?: AbortSignal): Promise<number> {
    // One statement, so DuckDB replaces the table atomically; it answers with the inserted row count.
    const sql = `CREATE OR REPLACE TABLE ${qualifiedName(this.dialect, table)} AS ${bareSelect(select)}`;
    const rows = await this.#session(async (connection) => (await connection.runAndReadAll(sql)).getRows(), signal);
    return Number(rows[0]?.[0] ?? 0);
  }

  async swap(target: TableName, source: TableName): Promise<void> {
    if (!sameSchema(target, source) && target.schema !== undefined) await this.ensureSchema(target.schema);
    await this.#session(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        if (sameSchema(target, source)) {
          // Verified on DuckDB 1.5: ALTER TABLE … RENAME is transactional; a failure rolls the first rename back.
          const { sql, params } = tableExistsQuery(target);
          const found = (await connection.runAndReadAll(sql, params.map(toDuckValue))).getRows()[0]?.[0];
          const old = Number(found) > 0 ? scratchName('old') : undefined;
          if (old) await connection.run(renameSql(this.dialect, target, old));
          await connection.run(renameSql(this.dialect, source, target.name));
          if (old) await connection.run(dropTableSql(this.dialect, { schema: target.schema, name: old }));
        } else {
          // DuckDB cannot move a table between schemas (no ALTER TABLE … SET SCHEMA), so copy inside the
          // same transaction: still all-or-nothing, at the cost of one scan.
          const from = qualifiedName(this.dialect, source);
          await connection.run(`CREATE OR REPLACE TABLE ${qualifiedName(this.dialect, target)} AS SELECT * FROM ${from}`);
          await connection.run(`DROP TABLE ${from}`);
        }
        await connection.run('COMMIT');
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Waits for running operations, then releases the file (other processes may open it again). */
  async close(): Promise<void> {
    await this.settle();
    const pending = this.#instance;
    this.#instance = undefined;
    if (!pending) return;
    let instance: DuckDBInstance;
    try {
      instance = await pending;
    } catch {
      return; // it never opened, so there is nothing to release
    }
    await release(this.#path, instance);
  }

  async #session<T>(work: (connection: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortedError(this.dialect, signal);
    return this.track(this.#withConnection(work, signal));
  }

  async #withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let connection: DuckDBConnection | undefined;
    const interrupt = () => connection?.interrupt();
    try {
      this.#instance ??= acquire(this.#path);
      const pending = this.#instance;
      pending.catch(() => {
        // A failed open (e.g. the file is locked by another process) is retried by the next call.
        if (this.#instance === pending) this.#instance = undefined;
      });
      connection = await (await pending).connect();
      signal?.addEventListener('abort', interrupt, { once: true });
      if (signal?.aborted) throw abortedError(this.dialect, signal);
      return await work(connection);
    } catch (error) {
      throw toWarehouseError(error, this.dialect, signal);
    } finally {
      signal?.removeEventListener('abort', interrupt);
      // An unclosed connection keeps the process alive (STACK.md); closing also rolls back a dangling transaction.
      connection?.closeSync();
    }
  }
}

function toDuckValue(value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n);
  if (value instanceof Uint8Array) return blobValue(value);
  if (['string', 'number', 'boolean', 'bigint'].includes(typeof value)) return value as DuckDBValue;
  throw new WarehouseError(`duckdb: cannot bind a parameter of type ${value.constructor?.name ?? typeof value}`, {
    kind: 'sql',
    dialect: 'duckdb',
  });
}

function plainRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const names = reader.columnNames();
  return reader.convertRows(plainConverter).map((row) => {
    const out: Record<string, unknown> = {};
    row.forEach((value, index) => {
      out[names[index]!] = plainDeep(value);
    });
    return out;
  });
}

// Starts from the driver's JS conversion and overrides what would not be plain or would throw:
// BIGINT → number when exact, DATE → 'YYYY-MM-DD', timestamps → ISO strings (infinity kept as text).
const plainConverter: DuckDBValueConverter<unknown> = (value, type: DuckDBType, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return plainInteger(value as bigint);
    case DuckDBTypeId.DECIMAL:
      return plainDecimal(String(value));
    case DuckDBTypeId.DATE:
      return finite(value) ? String(value) : Number((value as { days: number }).days) > 0 ? 'infinity' : '-infinity';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
      return String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      if (!finite(value)) return String(value);
      const converted = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
      return converted instanceof Date ? plainInstant(converted) : String(value);
    }
    default:
      return JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<JS>);
  }
};

function finite(value: DuckDBValue): boolean {
  return (value as { isFinite?: boolean }).isFinite !== false;
}
