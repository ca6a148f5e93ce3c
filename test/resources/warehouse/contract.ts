// The behaviour every Warehouse adapter must show; each adapter's test file runs it against a real database.

import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { seedTablesFromCsv, type TableName, type Warehouse, WarehouseError } from '../../../src/resources/warehouse/index.js';

/** The example pipeline's seed files (RunELT_Alert's raw_data tables). */
export const SEED_DIR = fileURLToPath(new URL('../../../assets/data/', import.meta.url));

/** RunELT_Alert's monthly-active-users SELECT; the same text runs on DuckDB, PostgreSQL and Snowflake. */
export const MAU_SQL = `SELECT DATE_TRUNC('month', s.ts) AS month, COUNT(DISTINCT c.userid) AS mau
  FROM raw_data.session_timestamp s JOIN raw_data.user_session_channel c ON c.sessionid = s.sessionid
  GROUP BY 1`;

/** What MAU_SQL gives on the seed files: users 1–50 are active in January, 1–60 in February, and so on. */
export const EXPECTED_MAU = [
  { month: '2025-01-01T00:00:00.000Z', mau: 50 },
  { month: '2025-02-01T00:00:00.000Z', mau: 60 },
  { month: '2025-03-01T00:00:00.000Z', mau: 70 },
  { month: '2025-04-01T00:00:00.000Z', mau: 80 },
];

// Runs for seconds on both engines (10^10 pairs), so only a working cancel ends it quickly.
const SLOW_SELECT = 'SELECT count(*) AS n FROM generate_series(1, 100000) a, generate_series(1, 100000) b';

const HOSTILE_SCHEMA = 'we"ird sch';
const HOSTILE_TABLE = 'tàble "x" ü.dot';
const HOSTILE_COLUMN = 'col "q" ü';

/**
 * Registers the shared suite. `open` is called once, before the first test; the suite closes the warehouse at
 * the end. If `open` fails, every test fails with its error (none is skipped).
 * @example warehouseContract('duckdb', () => openWarehouse({ type: 'duckdb', path: join(dir, 'w.duckdb') }));
 */
export function warehouseContract(name: string, open: () => Promise<Warehouse>): void {
  describe(`warehouse contract: ${name}`, () => {
    let wh: Warehouse;
    const t = (table: string): TableName => ({ schema: 'contract', name: table });
    const q = (table: TableName) => `${wh.quoteIdent(table.schema!)}.${wh.quoteIdent(table.name)}`;
    const values = async (table: TableName) =>
      (await wh.query<{ v: number }>(`SELECT v FROM ${q(table)} ORDER BY v`)).map((r) => r.v);

    let opened: Promise<Warehouse> | undefined;

    // beforeEach, not beforeAll: when the database is missing every test fails with the reason, where a
    // failed beforeAll would only mark them skipped.
    beforeEach(async () => {
      opened ??= open().then(async (warehouse) => {
        await warehouse.ensureSchema('contract');
        return warehouse;
      });
      wh = await opened;
    });
    afterAll(async () => {
      await (await opened?.catch(() => undefined))?.close();
    });

    it('returns plain JS values from query()', async () => {
      const rows = await wh.query(`SELECT 1 AS i, CAST(2 AS BIGINT) AS b, CAST(9007199254740993 AS BIGINT) AS big, 1.5 AS d,
        'x' AS s, CAST(NULL AS VARCHAR) AS n, CAST('2025-01-31 23:59:59' AS TIMESTAMP) AS ts, CAST('2025-01-02' AS DATE) AS dt`);
      expect(rows).toStrictEqual([
        { i: 1, b: 2, big: '9007199254740993', d: 1.5, s: 'x', n: null, ts: '2025-01-31T23:59:59.000Z', dt: '2025-01-02' },
      ]);
    });

    it('binds positional parameters and runs several statements in execute()', async () => {
      const rows = await wh.query('SELECT CAST($1 AS INTEGER) + 1 AS v, CAST($2 AS VARCHAR) AS s', [41, "it's"]);
      expect(rows).toStrictEqual([{ v: 42, s: "it's" }]);
      await wh.execute(`DROP TABLE IF EXISTS ${q(t('multi'))}; CREATE TABLE ${q(t('multi'))} (v INTEGER);
        INSERT INTO ${q(t('multi'))} VALUES (1), (2)`);
      expect(await values(t('multi'))).toStrictEqual([1, 2]);
    });

    it('answers execute() with the rows its DML changed, and with nothing for DDL alone', async () => {
      expect(
        await wh.execute(`DROP TABLE IF EXISTS ${q(t('changed'))}; CREATE TABLE ${q(t('changed'))} (v INTEGER)`),
      ).toBeUndefined();
      expect(await wh.execute(`INSERT INTO ${q(t('changed'))} VALUES (1), (2), (3)`)).toBe(3);
      // Several statements: the last DML statement's count (a window load deletes, then inserts the window).
      expect(
        await wh.execute(`DELETE FROM ${q(t('changed'))} WHERE v = 1; UPDATE ${q(t('changed'))} SET v = v + 10 WHERE v > 1`),
      ).toBe(2);
      expect(await wh.execute(`DELETE FROM ${q(t('changed'))} WHERE v < 0`)).toBe(0);
      expect(await values(t('changed'))).toStrictEqual([12, 13]);
    });

    it('quotes hostile identifiers: quotes, spaces, dots and non-ASCII letters', async () => {
      const table = { schema: HOSTILE_SCHEMA, name: HOSTILE_TABLE };
      expect(wh.quoteIdent('a"b')).toBe('"a""b"');
      expect(await wh.createTableAs(table, `SELECT 7 AS ${wh.quoteIdent(HOSTILE_COLUMN)}`)).toBe(1);
      expect(await wh.tableExists(table)).toBe(true);
      expect(await wh.tableExists({ schema: HOSTILE_SCHEMA, name: 'tàble' })).toBe(false);
      expect(await wh.query(`SELECT ${wh.quoteIdent(HOSTILE_COLUMN)} AS v FROM ${q(table)}`)).toStrictEqual([{ v: 7 }]);
      const staged = { schema: HOSTILE_SCHEMA, name: `${HOSTILE_TABLE} new` };
      await wh.createTableAs(staged, `SELECT 8 AS ${wh.quoteIdent(HOSTILE_COLUMN)} UNION ALL SELECT 9`);
      await wh.swap(table, staged);
      expect(await wh.rowCount(table)).toBe(2);
      await wh.dropTable(table);
      expect(await wh.tableExists(table)).toBe(false);
    });

    it('createTableAs returns the row count and replaces an existing table', async () => {
      expect(await wh.createTableAs(t('ctas'), 'SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3;')).toBe(3);
      expect(await wh.createTableAs(t('ctas'), 'SELECT 10 AS v')).toBe(1);
      expect(await values(t('ctas'))).toStrictEqual([10]);
      expect(await wh.createTableAs(t('ctas_empty'), 'SELECT 1 AS v WHERE 1 = 0')).toBe(0);
      expect(await wh.createTableAs({ schema: 'contract_new_schema', name: 'x' }, 'SELECT 1 AS v')).toBe(1);
    });

    it('swap creates the target on the first run, then replaces it and drops the source', async () => {
      await wh.createTableAs(t('swap_src'), 'SELECT 1 AS v UNION ALL SELECT 2');
      await wh.swap(t('swap_target'), t('swap_src'));
      expect(await values(t('swap_target'))).toStrictEqual([1, 2]);
      expect(await wh.tableExists(t('swap_src'))).toBe(false);

      await wh.createTableAs(t('swap_src'), 'SELECT 3 AS v');
      await wh.swap(t('swap_target'), t('swap_src'));
      expect(await values(t('swap_target'))).toStrictEqual([3]);
      expect(await wh.tableExists(t('swap_src'))).toBe(false);
      expect(await tablesIn(wh, 'contract', 'sluice_')).toStrictEqual([]);
    });

    it('swap moves a table between schemas', async () => {
      await wh.createTableAs({ schema: 'contract_staging', name: 'moved' }, 'SELECT 5 AS v');
      await wh.createTableAs(t('moved'), 'SELECT 4 AS v');
      await wh.swap(t('moved'), { schema: 'contract_staging', name: 'moved' });
      expect(await values(t('moved'))).toStrictEqual([5]);
      expect(await wh.tableExists({ schema: 'contract_staging', name: 'moved' })).toBe(false);
    });

    it('a failed statement inside swap leaves the target untouched', async () => {
      await wh.createTableAs(t('kept'), 'SELECT 1 AS v');
      const failure = await wh.swap(t('kept'), t('no_such_source')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WarehouseError);
      expect(failure).toMatchObject({ kind: 'sql', dialect: wh.dialect });
      expect(await values(t('kept'))).toStrictEqual([1]);
      expect(await tablesIn(wh, 'contract', 'sluice_')).toStrictEqual([]);
    });

    it('readers never see a missing target while swaps replace it', async () => {
      await wh.createTableAs(t('busy'), 'SELECT 0 AS v');
      let swapping = true;
      const reads: number[] = [];
      const reader = (async () => {
        while (swapping) reads.push(await wh.rowCount(t('busy')));
      })();
      for (let i = 1; i <= 15; i++) {
        await wh.createTableAs(t('busy_next'), `SELECT ${i} AS v`);
        await wh.swap(t('busy'), t('busy_next'));
      }
      swapping = false;
      await reader;
      expect(reads.length).toBeGreaterThan(0);
      expect(new Set(reads)).toStrictEqual(new Set([1]));
    });

    it('rowCount and tableExists', async () => {
      await wh.createTableAs(t('counted'), 'SELECT 1 AS v UNION ALL SELECT 2');
      expect(await wh.rowCount(t('counted'))).toBe(2);
      expect(await wh.tableExists(t('counted'))).toBe(true);
      expect(await wh.tableExists(t('absent'))).toBe(false);
      const missing = await wh.rowCount(t('absent')).catch((error: unknown) => error);
      expect(missing).toMatchObject({ kind: 'sql' });
    });

    it("classifies a syntax error as kind 'sql' with the driver's code", async () => {
      const error = await wh.execute('SELEC 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error).toMatchObject({ kind: 'sql', dialect: wh.dialect, name: 'WarehouseError' });
      expect((error as WarehouseError).code).toBeTruthy();
      expect((error as WarehouseError).cause).toBeInstanceOf(Error);
    });

    it("cancels a long statement when its signal aborts: kind 'timeout', nothing created", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('asset timed out after 200ms')), 200);
      const started = Date.now();
      const error = await wh.createTableAs(t('slow'), SLOW_SELECT, controller.signal).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('asset timed out') });
      expect(await wh.tableExists(t('slow'))).toBe(false);
      expect(await wh.query('SELECT 1 AS v')).toStrictEqual([{ v: 1 }]); // the warehouse is still usable

      const execError = await wh.execute(SLOW_SELECT, AbortSignal.timeout(150)).catch((e: unknown) => e);
      expect(execError).toMatchObject({ kind: 'timeout' });
    });

    it('does not start a statement whose signal is already aborted', async () => {
      const error = await wh.execute(`CREATE TABLE ${q(t('never'))} (v INTEGER)`, AbortSignal.abort()).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout' });
      expect(await wh.tableExists(t('never'))).toBe(false);
    });

    it('seeds assets/data and gives the expected monthly active users', async () => {
      const seeded = await seedTablesFromCsv(wh, SEED_DIR);
      expect(seeded.map(({ file, rows, created }) => ({ file, rows, created }))).toStrictEqual([
        { file: 'raw_data.session_timestamp.csv', rows: 353, created: true },
        { file: 'raw_data.user_session_channel.csv', rows: 353, created: true },
      ]);
      expect(await wh.query(`${MAU_SQL} ORDER BY 1`)).toStrictEqual(EXPECTED_MAU);
      // Typed columns, not all text: integers come back as numbers, timestamps as ISO strings.
      const [first] = await wh.query(`SELECT c.userid, c.sessionid, c.channel, s.ts
        FROM raw_data.user_session_channel c JOIN raw_data.session_timestamp s ON s.sessionid = c.sessionid
        ORDER BY s.ts, c.sessionid LIMIT 1`);
      expect(first).toStrictEqual({
        userid: 24,
        sessionid: 'fa288b032d0171448af977f8f6bb1591',
        channel: 'Instagram',
        ts: '2025-01-02T05:13:49.000Z',
      });
      const types = await wh.query<{ t: string }>(`SELECT data_type AS t FROM information_schema.columns
        WHERE table_schema = 'raw_data' AND table_name = 'session_timestamp' ORDER BY ordinal_position`);
      expect(types.map((row) => row.t.toLowerCase().replace('character varying', 'varchar'))).toStrictEqual([
        'varchar',
        expect.stringMatching(/^timestamp( without time zone)?$/),
      ]);
      expect(await tablesIn(wh, 'raw_data', 'sluice_')).toStrictEqual([]);
    });

    it('seeding again keeps existing tables unless asked to rebuild them', async () => {
      await seedTablesFromCsv(wh, SEED_DIR);
      await wh.execute("DELETE FROM raw_data.session_timestamp WHERE ts < CAST('2025-02-01' AS TIMESTAMP)");
      const kept = await seedTablesFromCsv(wh, SEED_DIR, { onlyIfMissing: true });
      expect(kept.map((s) => s.created)).toStrictEqual([false, false]);
      expect(kept[0]!.rows).toBeLessThan(353);
      const rebuilt = await seedTablesFromCsv(wh, SEED_DIR, { onlyIfMissing: false });
      expect(rebuilt.map((s) => [s.rows, s.created])).toStrictEqual([
        [353, true],
        [353, true],
      ]);
      expect(await wh.query(`${MAU_SQL} ORDER BY 1`)).toStrictEqual(EXPECTED_MAU);
    });
  });
}

async function tablesIn(wh: Warehouse, schema: string, prefix: string): Promise<string[]> {
  const rows = await wh.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
    [schema],
  );
  return rows.map((row) => row.name).filter((name) => name.startsWith(prefix));
}
