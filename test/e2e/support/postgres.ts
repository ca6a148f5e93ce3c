// A throwaway PostgreSQL database for one test file: created on first use, dropped at the end, never skipped.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests use; both variable names the other suites read are honoured. */
export const ADMIN_URL =
  process.env.SLUICE_TEST_PG_URL ?? process.env.SLUICE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `work` on a client of the admin database; an unreachable server is an error that says how to fix it. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    // A missing server must fail as loudly as a broken pipeline: these tests never skip.
    throw new Error(
      `PostgreSQL is required by the end-to-end tests and is not reachable at ${ADMIN_URL} ` +
        `(${(error as Error).message || (error as { code?: string }).code}). Start it (pg_ctlcluster 15 main start) ` +
        'or point SLUICE_TEST_PG_URL at a server.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own: `url` connects to it; `create()` is idempotent, `drop()` forces other sessions out. */
export interface ThrowawayDatabase {
  name: string;
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Names a fresh database (`<prefix>_<random>`) on the test server; nothing happens until `create()`.
 * @example
 * const db = throwawayDatabase('e2e');
 * beforeAll(() => db.create());
 * afterAll(() => db.drop());
 */
export function throwawayDatabase(prefix: string): ThrowawayDatabase {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let created: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    create() {
      created ??= withAdmin(async (client) => {
        await client.query(`CREATE DATABASE ${name}`);
      });
      return created;
    },
    async drop() {
      // Nothing to drop when creating failed; that failure has been reported by every test already.
      if (!(await created?.then(() => true).catch(() => false))) return;
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
