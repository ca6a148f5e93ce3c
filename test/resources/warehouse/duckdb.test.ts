// Runs the warehouse contract on DuckDB in a temp dir, plus what only an embedded file database has: sharing and locks.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultWarehousePath, openWarehouse } from '../../../src/resources/warehouse/index.js';
import { warehouseContract } from './contract.js';

const root = await mkdtemp(join(tmpdir(), 'sluice-duckdb-'));
afterAll(() => rm(root, { recursive: true, force: true }));

warehouseContract('duckdb', () => openWarehouse({ type: 'duckdb', path: defaultWarehousePath(join(root, 'contract')) }));

describe('DuckDB warehouse file', () => {
  it('creates <root>/.sluice/warehouse.duckdb on first use, not on open', async () => {
    const path = defaultWarehousePath(join(root, 'fresh'));
    expect(path).toBe(join(root, 'fresh', '.sluice', 'warehouse.duckdb'));
    const wh = await openWarehouse({ type: 'duckdb', path });
    expect(existsSync(path)).toBe(false);
    await wh.execute('CREATE TABLE t AS SELECT 1 AS v');
    expect(existsSync(path)).toBe(true);
    await wh.close();
  });

  it('shares one database between warehouses on the same file in one process, and keeps data after close', async () => {
    const path = join(root, 'shared.duckdb');
    const a = await openWarehouse({ type: 'duckdb', path });
    const b = await openWarehouse({ type: 'duckdb', path });
    await a.createTableAs({ schema: 'main', name: 'x' }, 'SELECT 42 AS v');
    expect(await b.query('SELECT v FROM main.x')).toStrictEqual([{ v: 42 }]);
    await a.close();
    expect(await b.rowCount({ schema: 'main', name: 'x' })).toBe(1); // b still holds the file
    await b.close();
    expect(await a.query('SELECT v FROM main.x')).toStrictEqual([{ v: 42 }]); // reopened on demand
    await a.close();
  });

  it("reports a file locked by another process as kind 'network' (retryable), and works once it is released", async () => {
    const path = join(root, 'locked.duckdb');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { DuckDBInstance } = await import('@duckdb/node-api');
         const db = await DuckDBInstance.create(${JSON.stringify(path)});
         console.log('ready');
         process.stdin.once('data', () => { db.closeSync(); process.exit(0); });`,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((ready) => holder.stdout.once('data', () => ready()));
    const wh = await openWarehouse({ type: 'duckdb', path });
    try {
      const error = await wh.query('SELECT 1 AS v').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'network', dialect: 'duckdb', code: 'IO' });
      holder.stdin.write('close\n');
      await new Promise((exited) => holder.once('exit', exited));
      expect(await wh.query('SELECT 1 AS v')).toStrictEqual([{ v: 1 }]);
    } finally {
      holder.kill();
      await wh.close();
    }
  });

  it('converts DuckDB-only types to plain values', async () => {
    const wh = await openWarehouse({ type: 'duckdb', path: ':memory:' });
    try {
      const [row] = await wh.query(`SELECT [CAST(1 AS BIGINT), 2] AS list, {'d': DATE '2025-01-01'} AS struct,
        CAST('infinity' AS TIMESTAMP) AS inf, TIMESTAMPTZ '2025-01-01 00:00:00+02' AS tz, TIME '01:02:03' AS t,
        CAST(12345678901234567890.12 AS DECIMAL(38, 2)) AS dec`);
      expect(row).toStrictEqual({
        list: [1, 2],
        struct: { d: '2025-01-01' },
        inf: 'infinity',
        tz: '2024-12-31T22:00:00.000Z',
        t: '01:02:03',
        dec: '12345678901234567890.12',
      });
      expect(await wh.query('SELECT $1 AS ts', [new Date('2025-03-04T05:06:07.000Z')])).toStrictEqual([
        { ts: '2025-03-04T05:06:07.000Z' },
      ]);
    } finally {
      await wh.close();
    }
  });
});
