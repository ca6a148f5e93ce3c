// Runs the warehouse contract through the real snowflake-sdk against the loopback Snowflake peer, plus what only Snowflake has.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  openWarehouse,
  parseTableName,
  type SnowflakeConfig,
  type Warehouse,
  WarehouseError,
} from '../../../src/resources/warehouse/index.js';
import { SnowflakePeer } from '../../fixtures/snowflake-peer/index.js';
import { warehouseContract } from './contract.js';

const PASSWORD = 'sluice-test-password';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const peer = new SnowflakePeer({
  users: { SLUICE: { password: PASSWORD, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string } },
});
const server = await peer.start();
const dir = await mkdtemp(join(tmpdir(), 'sluice-snowflake-'));
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The adapter pointed at the peer; no login retries, so a refused or failed login reports at once. */
const config = (overrides: Partial<SnowflakeConfig> = {}): SnowflakeConfig => ({
  account: 'sluice_test',
  user: 'sluice',
  password: PASSWORD,
  database: 'SLUICE_TEST',
  warehouse: 'COMPUTE_WH',
  accessUrl: server.url,
  loginRetries: 0,
  ...overrides,
});
const open = (overrides: Partial<SnowflakeConfig> = {}) => openWarehouse({ type: 'snowflake', ...config(overrides) });

/** Runs `work` on a fresh warehouse and always closes it. */
async function withWarehouse<T>(work: (wh: Warehouse) => Promise<T>, overrides: Partial<SnowflakeConfig> = {}): Promise<T> {
  const wh = await open(overrides);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as WarehouseError,
  );

/**
 * Runs `work` while skipping the driver's retry back-off (it sleeps up to 16 s between attempts): timers are
 * faked and advanced, while real I/O keeps flowing between the steps.
 */
async function skippingBackoff<T>(work: () => Promise<T>): Promise<T> {
  const realTimeout = globalThis.setTimeout;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    let outcome: { value: T } | { error: unknown } | undefined;
    work().then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    for (let step = 0; step < 400 && outcome === undefined; step++) {
      await vi.advanceTimersByTimeAsync(2_000);
      await new Promise((resolve) => realTimeout(resolve, 5));
    }
    if (outcome === undefined) throw new Error('still running after 800 s of skipped back-off');
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  } finally {
    vi.useRealTimers();
  }
}

warehouseContract('snowflake', () => open());

describe('Snowflake adapter', () => {
  it('refuses a wrong password within a second, naming the user, never the password', async () => {
    const wrong = 'not-the-right-password-7f3a';
    const started = Date.now();
    const error = await withWarehouse((wh) => failure(wh.query('SELECT 1 AS one')), { password: wrong });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ kind: 'sql', code: '390100', dialect: 'snowflake' });
    expect(error?.message).toContain(
      'login as "sluice" to account "sluice_test" failed: Incorrect username or password was specified.',
    );
    const everything = `${error?.message}\n${error?.stack}\n${inspect(error, { depth: 5 })}\n${JSON.stringify(error)}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(PASSWORD);
  });

  it("classifies Snowflake's 002003 (object does not exist) as kind 'sql', from the peer's DuckDB and from an injected answer", async () => {
    await withWarehouse(async (wh) => {
      const missing = await failure(wh.query('SELECT * FROM no_such_schema.no_such_table'));
      expect(missing).toMatchObject({ kind: 'sql', code: '002003', cause: { sqlState: '42S02' } });
      peer.failNextQueries(1, {
        code: '002003',
        message: "SQL compilation error:\nObject 'X' does not exist or not authorized.",
        sqlState: '42S02',
      });
      const injected = await failure(wh.query('SELECT 1 AS one'));
      expect(injected).toMatchObject({ kind: 'sql', code: '002003' });
      expect(injected?.message).toContain("Object 'X' does not exist");
      expect(await wh.query('SELECT 1 AS one')).toStrictEqual([{ one: 1 }]);
    });
  });

  it("reports a connection dropped during login as kind 'network' at once", async () => {
    peer.failNextLogins(1, 'drop');
    const started = Date.now();
    const error = await withWarehouse((wh) => failure(wh.query('SELECT 1 AS one')));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ kind: 'network', dialect: 'snowflake' });
    expect(error?.code).toMatch(/^(ECONNRESET|401001)$/);
  });

  it('lets the driver resend a query whose connection dropped once; the peer runs it once', async () => {
    await withWarehouse(async (wh) => {
      await wh.query('SELECT 1 AS warm_up');
      peer.failNextQueries(1, 'drop');
      const before = peer.queries.length;
      expect(await skippingBackoff(() => wh.query('SELECT 2 AS resent'))).toStrictEqual([{ resent: 2 }]);
      const sent = peer.queries.slice(before);
      expect(sent.map((q) => [q.sqlText, q.retry])).toStrictEqual([
        ['SELECT 2 AS resent', false],
        ['SELECT 2 AS resent', true],
      ]);
      expect(sent[1]!.requestId).toBe(sent[0]!.requestId);
    });
  });

  it("reports a query whose connection keeps dropping as kind 'network' once the driver's retries are spent", async () => {
    await withWarehouse(async (wh) => {
      await wh.query('SELECT 1 AS warm_up');
      peer.failNextQueries(40, 'drop');
      try {
        const error = await skippingBackoff(() => failure(wh.query('SELECT 3 AS never')));
        expect(error).toMatchObject({ kind: 'network', dialect: 'snowflake' });
      } finally {
        peer.clearFaults();
      }
      // 1 + 7 retries, then the driver refreshes the failed result once more: one request id throughout.
      const sent = peer.queries.filter((q) => q.sqlText === 'SELECT 3 AS never');
      expect(sent.length).toBeGreaterThanOrEqual(8);
      expect(new Set(sent.map((q) => q.requestId)).size).toBe(1);
    });
  });

  it('publishes with ALTER TABLE … SWAP WITH, then drops the source; the first run renames', async () => {
    await withWarehouse(async (wh) => {
      const target = parseTableName('analytics.mau_summary', 'snowflake');
      const source = parseTableName('analytics.temp_mau_summary', 'snowflake');
      await wh.dropTable(target);
      await wh.createTableAs(source, 'SELECT 1 AS mau');
      let before = peer.queries.length;
      await wh.swap(target, source);
      expect(peer.queries.slice(before).map((q) => q.sqlText)).toContain(
        'ALTER TABLE "ANALYTICS"."TEMP_MAU_SUMMARY" RENAME TO "ANALYTICS"."MAU_SUMMARY"',
      );
      await wh.createTableAs(source, 'SELECT 2 AS mau UNION ALL SELECT 3');
      before = peer.queries.length;
      await wh.swap(target, source);
      const sent = peer.queries.slice(before).map((q) => q.sqlText);
      const swapAt = sent.indexOf('ALTER TABLE "ANALYTICS"."MAU_SUMMARY" SWAP WITH "ANALYTICS"."TEMP_MAU_SUMMARY"');
      expect(swapAt).toBeGreaterThanOrEqual(0);
      expect(sent[swapAt + 1]).toBe('DROP TABLE "ANALYTICS"."TEMP_MAU_SUMMARY"');
      expect(await wh.query('SELECT mau FROM analytics.mau_summary ORDER BY mau')).toStrictEqual([{ mau: 2 }, { mau: 3 }]);
      expect(await wh.tableExists(source)).toBe(false);
    });
  });

  it('sends CREATE OR REPLACE TABLE for createTableAs and one request per statement for execute', async () => {
    await withWarehouse(async (wh) => {
      const before = peer.queries.length;
      await wh.createTableAs({ schema: 'ANALYTICS', name: 'ONE' }, 'SELECT 1 AS v;');
      await wh.execute("CREATE OR REPLACE TABLE analytics.notes (s TEXT); INSERT INTO analytics.notes VALUES ('a;b'); -- done");
      const sent = peer.queries.slice(before).map((q) => q.sqlText);
      expect(sent).toContain('CREATE OR REPLACE TABLE "ANALYTICS"."ONE" AS SELECT 1 AS v');
      expect(sent.slice(-2)).toStrictEqual([
        'CREATE OR REPLACE TABLE analytics.notes (s TEXT)',
        "INSERT INTO analytics.notes VALUES ('a;b')",
      ]);
      expect(await wh.query('SELECT s FROM analytics.notes')).toStrictEqual([{ s: 'a;b' }]);
    });
  });

  it('cancels through the abort request and stays usable', async () => {
    await withWarehouse(async (wh) => {
      const before = peer.requests.length;
      const error = await failure(wh.execute('SELECT count(*) FROM range(100000) a, range(100000) b', AbortSignal.timeout(150)));
      expect(error).toMatchObject({ kind: 'timeout', code: '000604' });
      expect(peer.requests.slice(before)).toContain('POST /queries/v1/abort-request');
      expect(await wh.query('SELECT 1 AS one')).toStrictEqual([{ one: 1 }]);
    });
  });

  it('logs in again after the server forgot the session (kind network, retryable)', async () => {
    await withWarehouse(async (wh) => {
      await wh.query('SELECT 1 AS one');
      peer.failNextQueries(1, {
        code: '390111',
        message: 'Session no longer exists.  New login required to access the service.',
      });
      // The driver turns the server's 390111 into its own "terminated connection" (407002).
      expect(await failure(wh.query('SELECT 2 AS two'))).toMatchObject({ kind: 'network', code: '407002' });
      const logins = peer.requests.filter((r) => r === 'POST /session/v1/login-request').length;
      expect(await wh.query('SELECT 3 AS three')).toStrictEqual([{ three: 3 }]);
      expect(peer.requests.filter((r) => r === 'POST /session/v1/login-request').length).toBe(logins + 1);
    });
  });

  it('logs in with a key pair (SNOWFLAKE_JWT) and refuses a key the user does not have', async () => {
    const keyPath = join(dir, 'rsa_key.p8');
    await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    const rows = await withWarehouse((wh) => wh.query('SELECT current_schema() AS s'), {
      password: undefined,
      privateKeyPath: keyPath,
    });
    expect(rows).toStrictEqual([{ s: 'PUBLIC' }]);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const error = await withWarehouse((wh) => failure(wh.query('SELECT 1 AS one')), { password: undefined, privateKey: other });
    expect(error).toMatchObject({ kind: 'sql', code: '390144' });
    expect(`${error?.message}${inspect(error)}`).not.toContain('PRIVATE KEY');
  });

  it('ends the session on close and can be used again afterwards', async () => {
    const wh = await open();
    await wh.query('SELECT 1 AS one');
    const sessions = peer.sessionCount;
    await wh.close();
    expect(peer.sessionCount).toBe(sessions - 1);
    expect(await wh.query('SELECT 2 AS two')).toStrictEqual([{ two: 2 }]);
    await wh.close();
  });
});
