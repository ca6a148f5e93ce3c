// Runs the warehouse contract on the real PostgreSQL server, in a throwaway database; fails loudly without one.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type WarehouseError } from '../../../src/resources/warehouse/index.js';
import { warehouseContract } from './contract.js';

const ADMIN_URL = process.env.SLUICE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `wh_test_${randomBytes(5).toString('hex')}`;
const url = new URL(ADMIN_URL);
url.pathname = `/${database}`;
const DB_URL = url.toString();

/** A client on the admin database, or an error that says what is missing and never lets the suite skip. */
async function admin(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is required by the warehouse tests and is not reachable at ${ADMIN_URL} ` +
        `(${(error as Error).message}). Start it (.ci/run does) or set SLUICE_TEST_PG_URL; these tests never skip.`,
      { cause: error },
    );
  }
  return client;
}

let created: Promise<void> | undefined;

/** Creates this file's database once; every test awaits it, so a missing server fails each test, none skips. */
function createDatabase(): Promise<void> {
  created ??= (async () => {
    const client = await admin();
    try {
      await client.query(`CREATE DATABASE ${database}`);
    } finally {
      await client.end();
    }
  })();
  return created;
}

beforeEach(createDatabase);

afterAll(async () => {
  if (!(await created?.then(() => true).catch(() => false))) return;
  const client = await admin();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
});

warehouseContract('postgres', async () => {
  await createDatabase();
  return openWarehouse({ type: 'postgres', url: DB_URL });
});

describe('PostgreSQL warehouse connection', () => {
  it("reports an unreachable server as kind 'network', without the URL's password", async () => {
    const wh = await openWarehouse({ type: 'postgres', url: 'postgres://sluice:s3cret-pw@127.0.0.1:1/postgres' });
    try {
      const error = (await wh.query('SELECT 1').catch((e: unknown) => e)) as WarehouseError;
      expect(error).toMatchObject({ name: 'WarehouseError', kind: 'network', dialect: 'postgres', code: 'ECONNREFUSED' });
      expect(error.message).not.toContain('s3cret-pw');
    } finally {
      await wh.close();
    }
  });

  it('cancels the statement on the server, not just the client, when the signal aborts', async () => {
    const wh = await openWarehouse({ type: 'postgres', url: DB_URL });
    try {
      const marker = `sluice_cancel_${randomBytes(4).toString('hex')}`;
      const error = await wh
        .execute(`SELECT pg_sleep(20) AS ${marker}`, AbortSignal.timeout(200))
        .catch((e: unknown) => e as WarehouseError);
      expect(error).toMatchObject({ kind: 'timeout', code: '57014' });
      const running = await wh.query("SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'", [
        `%AS ${marker}`,
      ]);
      expect(running).toStrictEqual([]);
    } finally {
      await wh.close();
    }
  });

  it('folds bare names the way PostgreSQL reads unquoted SQL', async () => {
    const wh = await openWarehouse({ type: 'postgres', url: DB_URL });
    try {
      const { parseTableName } = await import('../../../src/resources/warehouse/index.js');
      const table = parseTableName('Contract.Mixed_Case', wh.dialect);
      await wh.createTableAs(table, 'SELECT 1 AS v');
      expect(await wh.query('SELECT v FROM contract.mixed_case')).toStrictEqual([{ v: 1 }]);
    } finally {
      await wh.close();
    }
  });
});
