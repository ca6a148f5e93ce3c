// The PostgreSQL run store: the shared contract against the real server, in a throwaway database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { applyPatch, foldEvents } from '../../src/storage/projection.js';
import { migrations } from '../../src/storage/schema.js';
import type { AssetRunRecord } from '../../src/storage/types.js';
import { runStoreContract } from './contract.js';
import { assetEvents, at, newRun } from './helpers.js';

const ADMIN_URL = process.env.SLUICE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `sluice_test_${randomBytes(6).toString('hex')}`;
const url = (schema: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  u.searchParams.set('schema', schema);
  return u.toString();
};

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    // Never skip: a missing server must be as loud as a failing test.
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${(error as Error).message || (error as { code?: string }).code}). ` +
        'Start it with `.ci/run` or `pg_ctlcluster 15 main start`, or point SLUICE_TEST_POSTGRES_URL at a server.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(() => admin((c) => c.query(`CREATE DATABASE ${database}`)));
afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)));

// Each test gets its own schema in the file's database, which also runs the migrations each time.
let n = 0;
runStoreContract('postgres', () => openPostgresStore(url(`contract_${++n}`)));

describe('PostgreSQL run store', () => {
  it('migrates once when several processes open a fresh schema at the same moment', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url('racing'))));
    try {
      await stores[0]!.createRun(newRun('r1'));
      await Promise.all(stores.map((s, i) => s.appendEvents(assetEvents('r1', `a${i}`, i, 'succeeded'))));
      expect((await stores[3]!.events('r1')).map((e) => e.seq)).toStrictEqual([...Array(12).keys()].map((i) => i + 1));
      const client = new pg.Client({ connectionString: url('racing').replace(/\?.*$/, '') });
      await client.connect();
      const { rows } = await client.query('SELECT id FROM racing.sluice_migrations');
      await client.end();
      // Each migration is recorded exactly once, however many processes raced to apply it.
      expect(rows.map((r) => r.id)).toStrictEqual(migrations.map((m) => m.id));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('writes each event batch, lock, unlock and heartbeat in one query (no BEGIN/COMMIT round trips)', async () => {
    const store = await openPostgresStore(url('one_query'));
    const query = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await store.createRun(newRun('r1'));
      query.mockClear();
      await store.appendEvents([
        ...assetEvents('r1', 'a', 1, 'succeeded'),
        { runId: 'r1', type: 'log', at: at(4), assetKey: 'a', message: 'done' },
        { runId: 'r1', type: 'check_evaluated', at: at(4), assetKey: 'a', message: 'ok', data: { name: 'n', passed: true } },
      ]);
      expect(query).toHaveBeenCalledTimes(1);
      expect(await store.tryLock('l', 'r1')).toBe(true);
      await store.unlock('l', 'r1');
      await store.heartbeat('r1', at(9));
      expect(query).toHaveBeenCalledTimes(4);
      expect((await store.logs('r1')).map((l) => l.message)).toStrictEqual(['done']);
      expect(await store.checkResults('r1')).toHaveLength(1);
    } finally {
      query.mockRestore();
      await store.close();
    }
  });

  it('projects concurrent writers to one asset run in the order their events are numbered', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url('concurrent'))));
    try {
      await stores[0]!.createRun(newRun('r1'));
      const types = ['asset_started', 'attempt_failed', 'asset_retrying', 'asset_succeeded', 'asset_failed'] as const;
      await Promise.all(
        stores.map(async (store, w) => {
          for (let i = 0; i < 40; i++) {
            const type = types[(i + w) % types.length]!;
            await store.appendEvents([
              {
                runId: 'r1',
                type,
                at: at(w * 100 + i),
                assetKey: 'a',
                partition: '',
                message: `w${w}-${i}`,
                data: { rowCount: i },
              },
            ]);
          }
        }),
      );
      const events = await stores[0]!.events('r1');
      expect(events).toHaveLength(160);
      expect(events.map((e) => e.seq)).toStrictEqual(events.map((_, i) => i + 1));
      const expected = foldEvents(events).reduce<AssetRunRecord | undefined>((row, patch) => applyPatch(row, patch), undefined);
      expect(await stores[0]!.assetRuns('r1')).toStrictEqual([expected]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('describes itself without the password', async () => {
    const store = await openPostgresStore(url('described').replace('postgres@', 'postgres:hunter2@'));
    try {
      expect(store.describe).toBe(`postgres://postgres@127.0.0.1:5432/${database}?schema=described`);
    } finally {
      await store.close();
    }
  });

  it('fails fast with StoreUnavailableError, naming the store and cause but not the password', async () => {
    const started = Date.now();
    const error = await openPostgresStore('postgres://sluice:s3cret-pw@127.0.0.1:1/runs').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const { message, exitCode } = error as StoreUnavailableError;
    expect(message).toMatch(/^run store postgres:\/\/sluice@127\.0\.0\.1:1\/runs is unavailable: .*ECONNREFUSED/);
    expect(message).toContain('is PostgreSQL running there?');
    expect(message).not.toContain('s3cret-pw');
    expect(exitCode).toBe(2);
  });

  it('names a missing database as the cause', async () => {
    const error = await openPostgresStore(url('x').replace(database, 'sluice_no_such_db')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain('database "sluice_no_such_db" does not exist');
  });
});
