// The embedded run store: SQLite through better-sqlite3, shared safely by several sluice processes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Query, type Stmt, sqlite } from './dialect.js';
import { StoreError, StoreUnavailableError } from './errors.js';
import { migrations, migrationsTable } from './schema.js';
import { type Row, type SqlDriver, SqlRunStore } from './sql-store.js';
import type { RunStore } from './types.js';

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating when missing) a SQLite run store and brings its schema up to date. WAL lets the
 * CLI, `sluice serve` and the daemon read while one of them writes; every write is one short
 * BEGIN IMMEDIATE transaction so writers queue on `busy_timeout` instead of failing mid-way.
 * @example const store = openSqliteStore('/project/.sluice/runs.db', 'sqlite:.sluice/runs.db');
 */
export function openSqliteStore(file: string, describe = `sqlite:${file}`): RunStore {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // NORMAL under WAL never corrupts; a power cut may only lose the last commits.
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (error) {
    throw new StoreUnavailableError(describe, (error as Error).message, { cause: error });
  }
  return new SqlRunStore(new SqliteDriver(db, describe));
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(migrationsTable(sqlite));
    const applied = new Set(db.prepare('SELECT id FROM sluice_migrations').pluck().all() as number[]);
    const record = db.prepare('INSERT INTO sluice_migrations (id, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      for (const statement of m.statements(sqlite)) db.exec(statement);
      record.run(m.id, m.name, new Date().toISOString());
    }
  }).immediate();
}

class SqliteDriver implements SqlDriver {
  readonly dialect = sqlite;
  readonly describe: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #write: (stmts: Stmt[]) => Row[][];

  constructor(db: Database.Database, describe: string) {
    this.#db = db;
    this.describe = describe;
    const tx = db.transaction((stmts: Stmt[]) =>
      stmts.map((s) => {
        const statement = this.#prepare(s.sql);
        if (s.each !== undefined) {
          for (const row of s.each) statement.run(...row);
          return [];
        }
        if (statement.reader) {
          const rows = statement.all(...s.params) as Row[];
          const refused = rows[0]?.refused;
          if (s.refused !== undefined && refused !== undefined) throw new StoreError(s.refused(String(refused)));
          return rows;
        }
        const { changes } = statement.run(...s.params);
        if (s.mustChange !== undefined && changes === 0) throw new StoreError(s.mustChange);
        return [];
      }),
    );
    this.#write = (stmts) => tx.immediate(stmts);
  }

  // Prepared once per text: the executor sends the same few statements thousands of times.
  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size > 1000) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async all(query: Query): Promise<Row[]> {
    return this.#prepare(query.sql).all(...query.params) as Row[];
  }

  async write(stmts: Stmt[]): Promise<Row[][]> {
    return this.#write(stmts);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
