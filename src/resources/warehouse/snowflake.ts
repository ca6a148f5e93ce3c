// Snowflake as a warehouse through snowflake-sdk: one session per warehouse, cancel on abort, SWAP WITH to publish.

import type { Bind, Connection, ConnectionOptions, RowStatement } from 'snowflake-sdk';
import { SqlWarehouse } from './base.js';
import { abortedError, WarehouseError } from './errors.js';
import { qualifiedName } from './quote.js';
import type { SnowflakeConfig } from './snowflake-config.js';
import { isSessionGone, toSnowflakeError } from './snowflake-errors.js';
import { ctasSql, renameTableSql, splitStatements, swapWithSql, toSnowflakeBinds } from './snowflake-sql.js';
import { plainRows, type ResultColumn } from './snowflake-values.js';
import { changedRows, createSchemaSql } from './sql.js';
import type { TableName } from './types.js';

type Sdk = typeof import('snowflake-sdk');

// After a cancel request, how long to wait for the statement to report back before giving up on it.
const CANCEL_GRACE_MS = 5_000;

let driver: Promise<Sdk> | undefined;

/**
 * Loads snowflake-sdk once. It probes cloud metadata addresses (169.254.169.254, metadata.google.internal)
 * while its module is evaluated unless SNOWFLAKE_DISABLE_PLATFORM_DETECTION is set by then, and posts a
 * telemetry event after login unless SF_TELEMETRY_DISABLE_CONNECTION_SHAPE is set, so both are set before
 * the dynamic import (the CLI entry sets them too; a user's own value wins). Its logger would write
 * ./snowflake.log and the console; it stays off unless SNOWFLAKE_LOG_LEVEL asks for it.
 * @example const sdk = await loadSnowflakeDriver(); // sdk.createConnection(…)
 */
export function loadSnowflakeDriver(): Promise<Sdk> {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= 'true';
  driver ??= import('snowflake-sdk').then((module) => {
    // A CommonJS module: its named exports do not exist under Node ESM, only the default.
    const sdk = (module as unknown as { default: Sdk }).default;
    const level = process.env.SNOWFLAKE_LOG_LEVEL?.toUpperCase();
    sdk.configure({ logLevel: (level as 'OFF' | undefined) ?? 'OFF' });
    return sdk;
  });
  return driver;
}

/**
 * A Warehouse on Snowflake. Nothing connects until the first call; then one session serves every operation
 * (Snowflake runs a session's statements concurrently), and a session that expired or went away is replaced
 * on the next call. `execute()` sends a script's statements one by one; `query()` accepts the portable `$1`
 * markers. `swap` is `ALTER TABLE target SWAP WITH source` + `DROP TABLE source` (a rename on the first run).
 * An aborted signal sends the driver's cancel request and fails with kind 'timeout'. Secrets live in private
 * fields and are masked in every error.
 * @example
 * const warehouse = new SnowflakeWarehouse(snowflakeConfigFromEnv(process.env));
 * const rows = await warehouse.createTableAs({ schema: 'ANALYTICS', name: 'MAU' }, 'SELECT 1 AS n');
 * await warehouse.close();
 */
export class SnowflakeWarehouse extends SqlWarehouse {
  readonly dialect = 'snowflake' as const;
  readonly #config: SnowflakeConfig;
  #session: Promise<Connection> | undefined;

  constructor(config: SnowflakeConfig) {
    super();
    this.#config = { ...config };
  }

  async query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    const binds = params && params.length > 0 ? params.map(toBind) : undefined;
    const { columns, rows } = await this.#run(binds ? toSnowflakeBinds(sql) : sql, binds);
    return plainRows(columns, rows) as Row[];
  }

  async execute(sql: string, signal?: AbortSignal): Promise<number | undefined> {
    const counts: [string, number][] = [];
    // Each statement's own answer; changedRows keeps the last DML one.
    for (const statement of splitStatements(sql)) {
      const { columns, rows } = await this.#run(statement, undefined, signal);
      // Snowflake answers DML with one row of counts: "number of rows inserted", "… updated", "… deleted".
      columns.forEach((column, i) => {
        const verb = /^number of rows (inserted|updated|deleted)$/i.exec(column.getName())?.[1];
        if (verb)
          counts.push([verb === 'inserted' ? 'INSERT' : verb === 'updated' ? 'UPDATE' : 'DELETE', Number(rows[0]?.[i] ?? 0)]);
      });
    }
    return changedRows(counts);
  }

  async ensureSchema(schema: string): Promise<void> {
    // Look first: a role that may use a schema need not hold CREATE SCHEMA on its database.
    const found = await this.query<{ n: number }>(
      'SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = $1',
      [schema],
    );
    if (Number(found[0]?.n) > 0) return;
    await this.#run(createSchemaSql(this.dialect, schema));
  }

  protected async buildTable(table: TableName, select: string, signal?: AbortSignal): Promise<number> {
    await this.#run(ctasSql(table, select), undefined, signal);
    // Snowflake answers a CTAS with a status line, not a row count.
    return this.rowCount(table);
  }

  async swap(target: TableName, source: TableName): Promise<void> {
    if (await this.tableExists(target)) {
      await this.#run(swapWithSql(target, source));
      await this.#run(`DROP TABLE ${qualifiedName(this.dialect, source)}`);
      return;
    }
    if (target.schema !== undefined) await this.ensureSchema(target.schema);
    await this.#run(renameTableSql(source, target));
  }

  /** Waits for running statements, then ends the session (a later call logs in again). */
  async close(): Promise<void> {
    await this.settle();
    const pending = this.#session;
    this.#session = undefined;
    const connection = await pending?.catch(() => undefined);
    // destroy() also closes the driver's keep-alive sockets, which would otherwise hold the process open.
    if (connection) await new Promise<void>((resolve) => connection.destroy(() => resolve()));
  }

  async #run(sqlText: string, binds?: Bind[], signal?: AbortSignal): Promise<{ columns: ResultColumn[]; rows: unknown[][] }> {
    if (signal?.aborted) throw abortedError(this.dialect, signal);
    const session = this.#connect();
    try {
      return await this.track(this.#statement(session, sqlText, binds, signal));
    } catch (error) {
      const failure = toSnowflakeError(error, { signal, secrets: this.#secrets() });
      if (isSessionGone(failure) && this.#session === session) {
        // The server ended the session: the next call logs in again; the dead connection's sockets are released.
        this.#session = undefined;
        session.then((connection) => connection.destroy(() => undefined)).catch(() => undefined);
      }
      throw failure;
    }
  }

  async #statement(session: Promise<Connection>, sqlText: string, binds: Bind[] | undefined, signal?: AbortSignal) {
    const connection = await session;
    if (signal?.aborted) throw abortedError(this.dialect, signal);
    return new Promise<{ columns: ResultColumn[]; rows: unknown[][] }>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (error: unknown, result?: { columns: ResultColumn[]; rows: unknown[][] }) => {
        if (settled) return;
        settled = true;
        clearTimeout(grace);
        signal?.removeEventListener('abort', onAbort);
        if (result) resolve(result);
        else reject(error);
      };
      let statement: RowStatement;
      const onAbort = () => {
        // The driver asks Snowflake to cancel; the statement then completes with an error, reported as 'timeout'.
        statement.cancel(() => undefined);
        grace = setTimeout(() => settle(new Error('the cancelled statement did not report back')), CANCEL_GRACE_MS);
      };
      try {
        statement = connection.execute({
          sqlText,
          ...(binds ? { binds } : {}),
          // Exact text for NUMBER, so 64-bit and decimal values are not rounded through a double.
          fetchAsString: ['Number'],
          rowMode: 'array',
          complete: (error, done, rows) => {
            if (error) settle(error);
            else settle(undefined, { columns: (done.getColumns() ?? []) as ResultColumn[], rows: (rows ?? []) as unknown[][] });
          },
        });
      } catch (error) {
        settle(error); // invalid options or binds are thrown synchronously
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #connect(): Promise<Connection> {
    if (!this.#session) {
      const pending = this.#login();
      this.#session = pending;
      pending.catch(() => {
        // A failed login is not cached: the next call tries again.
        if (this.#session === pending) this.#session = undefined;
      });
    }
    return this.#session;
  }

  async #login(): Promise<Connection> {
    const sdk = await loadSnowflakeDriver();
    const { account, user } = this.#config;
    const context = `login as ${JSON.stringify(user)} to account ${JSON.stringify(account)} failed`;
    let connection: Connection;
    try {
      connection = sdk.createConnection(connectionOptions(this.#config));
    } catch (error) {
      throw toSnowflakeError(error, { secrets: this.#secrets(), context });
    }
    // connect(callback), not connectAsync(): the latter resolves even when the login was refused.
    const refused = await new Promise<unknown>((resolve) => connection.connect((error) => resolve(error ?? undefined)));
    if (refused === undefined) return connection;
    // Release the driver's sockets of the failed attempt; the error is what matters.
    connection.destroy(() => undefined);
    throw toSnowflakeError(refused, { secrets: this.#secrets(), context });
  }

  #secrets(): (string | undefined)[] {
    return [this.#config.password, this.#config.privateKeyPassphrase, this.#config.privateKey];
  }
}

/** The driver's options for a config; retries and timeouts bounded so a dead server fails in seconds, not minutes. */
function connectionOptions(config: SnowflakeConfig): ConnectionOptions {
  const keyPair = config.privateKeyPath !== undefined || config.privateKey !== undefined;
  const optional = {
    role: config.role,
    warehouse: config.warehouse,
    database: config.database,
    schema: config.schema,
    accessUrl: config.accessUrl,
    timeout: config.requestTimeoutMs,
  };
  return {
    account: config.account,
    username: config.user,
    application: 'sluice',
    sfRetryMaxLoginRetries: config.loginRetries ?? 1,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(keyPair
      ? {
          authenticator: 'SNOWFLAKE_JWT',
          ...(config.privateKeyPath !== undefined
            ? { privateKeyPath: config.privateKeyPath }
            : { privateKey: config.privateKey }),
          ...(config.privateKeyPassphrase !== undefined ? { privateKeyPass: config.privateKeyPassphrase } : {}),
        }
      : { password: config.password }),
  };
}

function toBind(value: unknown): Bind {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  throw new WarehouseError(`snowflake: cannot bind a parameter of type ${value.constructor?.name ?? typeof value}`, {
    kind: 'sql',
    dialect: 'snowflake',
  });
}
