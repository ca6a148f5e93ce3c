// The shared run store: PostgreSQL through a pg Pool, in its own schema so it can share a database.
import pg from 'pg';
import { postgres, type Query, type Stmt, toNumbered } from './dialect.js';
import { StoreError, StoreUnavailableError, withoutPassword } from './errors.js';
import { migrations, migrationsTable } from './schema.js';
import { type Row, type SqlDriver, SqlRunStore } from './sql-store.js';
import type { RunStore } from './types.js';

/** Fail fast: a CLI waiting minutes for a dead server is worse than a clear error. */
const CONNECT_TIMEOUT_MS = 5_000;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A PostgreSQL URL split into what pg needs and what may be shown. `?schema=name` picks the schema
 * (default `sluice`); `describe` never carries the password or other query parameters.
 * @example parsePostgresUrl('postgres://u:pw@db:5432/x').describe // 'postgres://u@db:5432/x'
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string; describe: string; secrets: string[] } {
  let u: URL;
  try {
    u = new URL(url);
  } catch (error) {
    throw new StoreUnavailableError(withoutPassword(url), 'not a valid URL', { cause: error });
  }
  const schema = u.searchParams.get('schema') ?? 'sluice';
  u.searchParams.delete('schema');
  const secrets = [u.password, decoded(u.password), u.searchParams.get('password') ?? ''].filter((s) => s !== '');
  const user = u.username === '' ? '' : `${u.username}@`;
  const describe = `${u.protocol}//${user}${u.host}${u.pathname}${schema === 'sluice' ? '' : `?schema=${schema}`}`;
  if (!SCHEMA.test(schema)) throw new StoreUnavailableError(describe, `schema "${schema}" must be a lower-case SQL identifier`);
  // The schema goes on every connection's search_path, so queries stay unqualified and identical to SQLite's.
  // synchronous_commit=off is the PostgreSQL twin of SQLite's synchronous=NORMAL: a server crash may
  // lose the last few hundred milliseconds of commits, never consistency; it saves a flush per write.
  const options = u.searchParams.get('options');
  const ours = `-c search_path=${schema} -c synchronous_commit=off`;
  u.searchParams.set('options', options === null ? ours : `${options} ${ours}`);
  return { connectionString: u.toString(), schema, describe, secrets };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Connects, creates the schema and runs pending migrations once (under an advisory lock, so two
 * processes starting together do not race). An unreachable server is a StoreUnavailableError
 * within about 5 s, naming the store and the cause but never the password.
 * @example const store = await openPostgresStore(process.env.DATABASE_URL!);
 */
export async function openPostgresStore(url: string): Promise<RunStore> {
  const { connectionString, schema, describe, secrets } = parsePostgresUrl(url);
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, max: 8, allowExitOnIdle: true });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreUnavailableError(describe, explain(error, secrets), { cause: error });
  }
  return new SqlRunStore(new PostgresDriver(pool, describe));
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('sluice_migrations'), hashtext($1))", [schema]);
    // Checked first because CREATE SCHEMA IF NOT EXISTS still needs CREATE rights on the database.
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query(migrationsTable(postgres));
    const applied = new Set((await client.query('SELECT id FROM sluice_migrations')).rows.map((r) => Number(r.id)));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      for (const statement of m.statements(postgres)) await client.query(statement);
      await client.query('INSERT INTO sluice_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
        m.id,
        m.name,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The cause in one line, with a hint for the usual suspects and any password scrubbed out. */
function explain(error: unknown, secrets: string[]): string {
  const e = error as Error & { code?: string; errors?: Error[] };
  // Node reports a refused dual-stack connect as an AggregateError with an empty message.
  let text = e.message || e.errors?.map((x) => x.message).join('; ') || e.code || String(error);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || /timeout/i.test(text)) {
    text += ' — is PostgreSQL running there? Check DATABASE_URL or --store.';
  }
  for (const secret of secrets) text = text.split(secret).join('***');
  return text;
}

class PostgresDriver implements SqlDriver {
  readonly dialect = postgres;
  readonly describe: string;
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();

  constructor(pool: pg.Pool, describe: string) {
    this.#pool = pool;
    this.describe = describe;
  }

  /**
   * Named statements are parsed and planned once per connection; the executor sends the same few
   * thousands of times. The texts are a small fixed set; a cap keeps a surprise from growing it forever.
   */
  #config(s: Query): pg.QueryConfig {
    const text = toNumbered(s.sql);
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < 200) {
      name = `sluice_${this.#names.size + 1}`;
      this.#names.set(text, name);
    }
    return name === undefined ? { text, values: s.params } : { name, text, values: s.params };
  }

  async all(query: Query): Promise<Row[]> {
    return (await this.#pool.query(this.#config(query))).rows;
  }

  async write(stmts: Stmt[]): Promise<Row[][]> {
    // A single statement is atomic on its own: skip BEGIN/COMMIT and their two round trips.
    if (stmts.length === 1) return [checked(stmts[0]!, await this.#pool.query(this.#config(stmts[0]!)))];
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const out: Row[][] = [];
      for (const s of stmts) out.push(checked(s, await client.query(this.#config(s))));
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** The statement's rows, or the StoreError it calls for (see Stmt). */
function checked(s: Stmt, result: pg.QueryResult): Row[] {
  if (s.mustChange !== undefined && result.rowCount === 0) throw new StoreError(s.mustChange);
  const refused = result.rows[0]?.refused;
  if (s.refused !== undefined && refused !== undefined) throw new StoreError(s.refused(String(refused)));
  return result.rows;
}
