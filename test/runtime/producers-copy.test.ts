// The copy producer on DuckDB and on PostgreSQL by name (SLUICE_CONN_DWH): round trips, atomic files and tables.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectResources } from '../../src/cli/run-setup.js';
import { asset, copy, sourceAsset } from '../../src/index.js';
import { parseConfig } from '../../src/project/config.js';
import { openWarehouse } from '../../src/resources/warehouse/index.js';
import type { Warehouse } from '../../src/resources/warehouse/types.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { csvField, writeFileAtomically } from '../../src/runtime/producers/csv-file.js';
import { staticResources } from '../../src/runtime/resources.js';
import { planFor, run, T0 } from './support/harness.js';

let dir: string;
// Real I/O: time stands still (no auto-advance), so the heartbeat never races ahead of a query.
const still = () => new ManualClock(T0);

let warehouse: Warehouse | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-copy-'));
});
// One hook, in order: DuckDB releases its file before the folder holding it goes.
afterEach(async () => {
  await warehouse?.close();
  warehouse = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const ORDERS = `CREATE SCHEMA raw; CREATE TABLE raw.orders (id INTEGER, customer VARCHAR, note VARCHAR, amount DECIMAL(10,2), day DATE);
  INSERT INTO raw.orders VALUES (1, 'Ann', 'likes "quotes", commas', 12.50, DATE '2025-01-10'),
    (2, 'Bob', '', NULL, DATE '2025-01-11'), (3, 'Cy', 'two
lines', 7, NULL);`;

const EXPECTED_CSV = [
  'id,customer,note,amount,day',
  '1,Ann,"likes ""quotes"", commas",12.5,2025-01-10',
  '2,Bob,"",,2025-01-11',
  '3,Cy,"two\nlines",7,',
  '',
].join('\n');

const daily = { granularity: 'daily' as const, start: '2025-01-01' };

function pipeline(target: string) {
  const orders = sourceAsset('raw.orders');
  const file = asset('files.orders', {
    kind: 'file',
    deps: [orders],
    partitions: daily,
    produce: copy({ resource: 'dwh', direction: 'table_to_file', table: 'raw.orders', path: 'out/orders_{{ ds_nodash }}.csv' }),
  });
  const back = asset(target, {
    deps: [file],
    partitions: daily,
    produce: copy({ resource: 'dwh', direction: 'file_to_table', table: target, path: 'out/orders_{{ ds_nodash }}.csv' }),
  });
  return [orders, file, back];
}

const rowsOf = (wh: Warehouse, table: string) => wh.query(`SELECT * FROM ${table} ORDER BY id`);

describe('copy on DuckDB', () => {
  let duck: Warehouse;
  beforeEach(async () => {
    duck = await openWarehouse({ type: 'duckdb', path: join(dir, 'wh.duckdb') });
    warehouse = duck;
    await duck.execute(ORDERS);
  });
  const options = () => ({ clock: still(), resources: { ...staticResources({ dwh: duck }), root: dir } });

  it('round-trips a table through a CSV file into a new table, reporting rows, leaving no temp files', async () => {
    const { result } = await run(pipeline('mart.orders'), {
      ...options(),
      plan: planFor(pipeline('mart.orders'), '*', '2025-01-10'),
    });
    expect(result.steps.map((s) => [s.id, s.status, s.rowCount])).toEqual([
      ['raw.orders', 'succeeded', null],
      ['files.orders@2025-01-10', 'succeeded', 3],
      ['mart.orders@2025-01-10', 'succeeded', 3],
    ]);
    expect(readdirSync(join(dir, 'out'))).toEqual(['orders_20250110.csv']);
    expect(readFileSync(join(dir, 'out', 'orders_20250110.csv'), 'utf8')).toBe(EXPECTED_CSV);
    expect(await rowsOf(duck, 'mart.orders')).toEqual(await rowsOf(duck, 'raw.orders'));
  });

  it('keeps the column types of an existing table, and leaves it untouched when a value does not fit', async () => {
    await duck.execute(`CREATE SCHEMA mart; CREATE TABLE mart.orders (id BIGINT, customer VARCHAR, note VARCHAR, amount DOUBLE, day DATE);
      INSERT INTO mart.orders VALUES (9, 'old', 'old', 1, NULL)`);
    const { result } = await run(pipeline('mart.orders'), {
      ...options(),
      plan: planFor(pipeline('mart.orders'), '*', '2025-01-10'),
    });
    expect(result.status).toBe('succeeded');
    const types = await duck.query(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND table_schema = 'mart' ORDER BY ordinal_position",
    );
    expect(types.map((t) => t.data_type)).toEqual(['BIGINT', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'DATE']);
    expect((await rowsOf(duck, 'mart.orders')).map((r) => r.id)).toEqual([1, 2, 3]);

    writeFileSync(join(dir, 'bad.csv'), 'id,customer\n4,Dee\nfour,Eve\n');
    const load = asset('mart.orders', {
      produce: copy({ resource: 'dwh', direction: 'file_to_table', table: 'mart.orders', path: 'bad.csv' }),
    });
    const failed = await run([load], options());
    expect(failed.result.steps[0]?.status).toBe('failed');
    expect(failed.result.steps[0]?.error).toContain('four');
    expect((await rowsOf(duck, 'mart.orders')).map((r) => r.id)).toEqual([1, 2, 3]);
    const scratch = await duck.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'sluice_%'");
    expect(scratch).toEqual([]);
  });

  it('writes no file, and no temporary one, when the table cannot be read', async () => {
    const dump = asset('files.none', {
      kind: 'file',
      produce: copy({ resource: 'dwh', direction: 'table_to_file', table: 'raw.missing', path: 'out/none.csv' }),
    });
    const { result } = await run([dump], options());
    expect(result.steps[0]?.status).toBe('failed');
    expect(result.steps[0]?.error).toMatch(/raw\.missing|missing/);
    expect(readdirSync(dir).filter((f) => f !== 'wh.duckdb' && !f.startsWith('wh.duckdb'))).toEqual([]);
  });

  it('writes a header even for an empty table', async () => {
    await duck.execute('CREATE TABLE raw.empty (a INTEGER, "odd, name" VARCHAR)');
    const dump = asset('files.empty', {
      kind: 'file',
      produce: copy({ resource: 'dwh', direction: 'table_to_file', table: 'raw.empty', path: 'empty.csv' }),
    });
    const { result } = await run([dump], options());
    expect(result.steps[0]).toMatchObject({ status: 'succeeded', rowCount: 0 });
    expect(readFileSync(join(dir, 'empty.csv'), 'utf8')).toBe('a,"odd, name"\n');
  });
});

describe('atomic files', () => {
  it('leave the previous file and no temporary file when writing is aborted before the rename', async () => {
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'old\n');
    const controller = new AbortController();
    function* lines() {
      for (let i = 0; i < 50_000; i++) {
        if (i === 40_000) controller.abort(new Error('timed out'));
        yield `${i},${'x'.repeat(20)}\n`;
      }
    }
    await expect(writeFileAtomically(path, lines(), controller.signal)).rejects.toThrow('timed out');
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readFileSync(path, 'utf8')).toBe('old\n');
  });

  it('quote only what needs it and tell NULL from an empty string', () => {
    expect([null, '', 'a', 'a,b', 'say "hi"', 1.5, true, new Date(0), Buffer.from([1, 255]), { a: 1 }].map(csvField)).toEqual([
      '',
      '""',
      'a',
      '"a,b"',
      '"say ""hi"""',
      '1.5',
      'true',
      '1970-01-01T00:00:00.000Z',
      '\\x01ff',
      '"{""a"":1}"',
    ]);
  });
});

describe('copy on PostgreSQL, reached by name through SLUICE_CONN_DWH', () => {
  const ADMIN_URL = process.env.SLUICE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `sluice_copy_${randomBytes(5).toString('hex')}`;
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
    // No PostgreSQL is a failure, never a skip: the message says where it was looked for.
    await client.connect().catch((error: Error) => {
      throw new Error(`PostgreSQL is required at ${ADMIN_URL}: ${error.message}`);
    });
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('round-trips with the pooled connection the CLI builds from the environment', async () => {
    const setup = await openWarehouse({ type: 'postgres', url });
    try {
      await setup.execute(ORDERS.replace('DECIMAL(10,2)', 'NUMERIC(10,2)'));
      const resources = projectResources(parseConfig({}, 'sluice.config.ts'), dir, { SLUICE_CONN_DWH: url });
      try {
        const { result } = await run(pipeline('mart.orders'), {
          clock: still(),
          resources,
          plan: planFor(pipeline('mart.orders'), '*', '2025-01-10'),
        });
        expect(result.steps.map((s) => [s.id, s.status, s.rowCount])).toEqual([
          ['raw.orders', 'succeeded', null],
          ['files.orders@2025-01-10', 'succeeded', 3],
          ['mart.orders@2025-01-10', 'succeeded', 3],
        ]);
      } finally {
        await resources.close();
      }
      expect(readFileSync(join(dir, 'out', 'orders_20250110.csv'), 'utf8')).toBe(EXPECTED_CSV);
      expect(await rowsOf(setup, 'mart.orders')).toEqual(await rowsOf(setup, 'raw.orders'));
    } finally {
      await setup.close();
    }
  });
});
