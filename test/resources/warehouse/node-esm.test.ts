// Under plain Node ESM (not vitest): the drivers load lazily, their imports resolve, and the process exits after close().

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../../../src/resources/warehouse/index.ts', import.meta.url));
const seeds = fileURLToPath(new URL('../../../assets/data/', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'sluice-esm-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// CommonJS modules that ESM code imports still land in require.cache, which tells us what was loaded.
const script = `
import { createRequire } from 'node:module';
const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(name));
const w = await import(${JSON.stringify(entry)});
const before = { duckdb: loaded('@duckdb'), pg: loaded('/pg/') };
const duck = await w.openWarehouse({ type: 'duckdb', path: w.defaultWarehousePath(${JSON.stringify(root)}) });
await w.seedTablesFromCsv(duck, ${JSON.stringify(seeds)});
const months = (await duck.query("SELECT count(*) AS n FROM raw_data.session_timestamp")).at(0);
await duck.close();
const pgw = await w.openWarehouse({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/postgres' });
const one = await pgw.query('SELECT 1 AS v');
await pgw.close();
console.log(JSON.stringify({ before, after: { duckdb: loaded('@duckdb'), pg: loaded('/pg/') }, months, one }));
`;

it('loads DuckDB and pg only when opened, and exits once closed', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    timeout: 20_000, // a connection left open would keep the child alive until this kills it
  });
  expect(JSON.parse(stdout)).toStrictEqual({
    before: { duckdb: false, pg: false },
    after: { duckdb: true, pg: true },
    months: { n: 353 },
    one: [{ v: 1 }],
  });
});
