// PostgreSQL as a warehouse through a pg pool; tables are built aside and published by a rename pair in one transaction.

import pg from 'pg';
import { SqlWarehouse } from './base.js';
import { abortedError, toWarehouseError } from './errors.js';
import { qualifiedName, quoteIdent, sameSchema } from './quote.js';
import { bareSelect, changedRows, createSchemaSql, renameSql, scratchName, tableExistsQuery } from './sql.js';
import type { TableName } from './types.js';
import { plainDecimal, plainInteger, plainPgTimestamp } from './values.js';

// Parsers for this pool only: the global pg.types other modules (run storage) rely on stay untouched.
const typeParsers = new pg.TypeOverrides();
typeParsers.setTypeParser(pg.types.builtins.INT8, plainInteger);
typeParsers.setTypeParser(pg.types.builtins.NUMERIC, plainDecimal);
typeParsers.setTypeParser(pg.types.builtins.TIMESTAMP, plainPgTimestamp);
typeParsers.setTypeParser(pg.types.builtins.TIMESTAMPTZ, plainPgTimestamp);
typeParsers.setTypeParser(pg.types.builtins.DATE, (text: string) => text);

// 42P06 duplicate_schema, 23505 unique_violation: another session created the schema between check and insert.
const SCHEMA_RACE_CODES = new Set(['42P06', '23505']);

/**
 * A Warehouse on PostgreSQL from a connection URL; the pool connects on first use and `close()` ends it (a
 * later call starts a new pool). `swap` renames in one transaction, so readers see the old or the new table;
 * `createTableAs` builds aside and swaps, so readers never wait for the SELECT. An aborted signal cancels the
 * running statement with pg_cancel_backend. The URL (and its password) is kept private and never in messages.
 * @example
 * const warehouse = new PostgresWarehouse('postgres://postgres@127.0.0.1:5432/postgres');
 * const rows = await warehouse.createTableAs({ schema: 'analytics', name: 'x' }, 'SELECT 1 AS one');
 * await warehouse.close();
 */
export class PostgresWarehouse extends SqlWarehouse {
  readonly dialect = 'postgres' as const;
  readonly #url: string;
  #pool: pg.Pool | undefined;

  constructor(url: string) {
    super();
    this.#url = url;
  }

  async query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.#session(async (client) => {
      const result: pg.QueryResult | pg.QueryResult[] = await client.query(sql, params);
      // Several statements without parameters answer one result each; the last one is the answer.
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as Row[];
    });
  }

  async execute(sql: string, signal?: AbortSignal): Promise<number | undefined> {
    const result: pg.QueryResult | pg.QueryResult[] = await this.#session((client) => client.query(sql), signal);
    return changedRows((Array.isArray(result) ? result : [result]).map((r) => [r.command, r.rowCount]));
  }

  async ensureSchema(schema: string): Promise<void> {
    // Look first: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, which a reader may lack.
    const found = await this.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
    if (found.length > 0) return;
    try {
      await this.execute(createSchemaSql(this.dialect, schema));
    } catch (error) {
      if (!SCHEMA_RACE_CODES.has((error as { code?: string }).code ?? '')) throw error;
    }
  }

  protected async buildTable(table: TableName, select: string, signal?: AbortSignal): Promise<number> {
    // PostgreSQL has no CREATE OR REPLACE TABLE; DROP + CREATE in one transaction would hold the published
    // table's exclusive lock for the whole SELECT. Building aside keeps that lock to the rename's instant.
    const aside: TableName = { schema: table.schema, name: scratchName('new') };
    try {
      const sql = `CREATE TABLE ${qualifiedName(this.dialect, aside)} AS ${bareSelect(select)}`;
      const result = await this.#session((client) => client.query(sql), signal);
      await this.swap(table, aside);
      return result.rowCount ?? 0;
    } catch (error) {
      await this.dropTable(aside).catch(() => undefined);
      throw error;
    }
  }

  async swap(target: TableName, source: TableName): Promise<void> {
    if (!sameSchema(target, source) && target.schema !== undefined) await this.ensureSchema(target.schema);
    await this.#session(async (client) => {
      await client.query('BEGIN');
      try {
        const { sql, params } = tableExistsQuery(target);
        const existing = Number((await client.query(sql, params)).rows[0]?.n) > 0;
        // Order matters for "a failure leaves the target untouched": each step is undone by the ROLLBACK.
        const old = existing ? scratchName('old') : undefined;
        if (old) await client.query(renameSql(this.dialect, target, old));
        if (sameSchema(target, source)) {
          await client.query(renameSql(this.dialect, source, target.name));
        } else {
          // Rename first so the move cannot collide with a same-named table in the target schema.
          const schema = target.schema ?? (await client.query('SELECT current_schema() AS s')).rows[0].s;
          const moving = scratchName('move');
          await client.query(renameSql(this.dialect, source, moving));
          const moved = { schema: source.schema, name: moving };
          await client.query(`ALTER TABLE ${qualifiedName(this.dialect, moved)} SET SCHEMA ${quoteIdent(this.dialect, schema)}`);
          await client.query(renameSql(this.dialect, { schema, name: moving }, target.name));
        }
        if (old) await client.query(`DROP TABLE ${qualifiedName(this.dialect, { schema: target.schema, name: old })}`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #getPool(): pg.Pool {
    if (!this.#pool) {
      this.#pool = new pg.Pool({
        connectionString: this.#url,
        types: typeParsers,
        application_name: 'sluice',
        max: 8,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: 15_000,
      });
      // An idle client whose server went away emits 'error'; unhandled, it would crash the process. The
      // pool drops that client and the next checkout connects afresh.
      this.#pool.on('error', () => undefined);
    }
    return this.#pool;
  }

  async #session<T>(work: (client: pg.PoolClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortedError(this.dialect, signal);
    let client: pg.PoolClient | undefined;
    let cancelling: Promise<void> | undefined;
    let failed = false;
    let released = false;
    const onAbort = (pid: number) => () => {
      cancelling = this.#cancel(pid).catch(() => {
        // No cancel connection: closing the socket at least fails the pending query at once.
        released = true;
        client?.release(true);
      });
    };
    let abortListener: (() => void) | undefined;
    try {
      client = await this.#getPool().connect();
      if (signal) {
        const pid: number = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        if (signal.aborted) throw abortedError(this.dialect, signal);
        abortListener = onAbort(pid);
        signal.addEventListener('abort', abortListener, { once: true });
      }
      return await work(client);
    } catch (error) {
      failed = true;
      throw toWarehouseError(error, this.dialect, signal);
    } finally {
      if (abortListener) signal?.removeEventListener('abort', abortListener);
      // Wait for a sent cancel before the client goes back, so it cannot hit the next user's statement;
      // after any failure the client is destroyed rather than reused in an unknown transaction state.
      if (cancelling) await cancelling;
      if (client && !released) client.release(failed || cancelling !== undefined);
    }
  }

  async #cancel(pid: number): Promise<void> {
    // A separate short-lived client: the pool may be exhausted by the very statements being cancelled.
    const canceller = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: 5_000 });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }
}
