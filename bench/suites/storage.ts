// Benchmark: run-store write cost per asset (10,000 no-op assets × 3 events, batched as the executor does).
// Run alone with `node --import tsx bench/suites/storage.ts [postgres-url]`; prints one line per store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryRunStore } from '../../src/storage/memory.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { RunEvent, RunStore } from '../../src/storage/types.js';
import type { BenchRow } from '../types.js';

export interface StorageFigures {
  store: string;
  assets: number;
  batch: number;
  /** Wall time of all appendEvents calls. */
  appendMs: number;
  /** appendMs per asset, in milliseconds. */
  msPerAsset: number;
  /** One tryLock + unlock per asset, per asset, in milliseconds. */
  lockMsPerAsset: number;
  /** Reading the finished run's drive rows back. */
  driveMs: number;
}

const iso = (ms: number) => new Date(Date.UTC(2025, 0, 10) + ms).toISOString();

function eventsFor(runId: string, assets: number): RunEvent[] {
  const out: RunEvent[] = [];
  for (let i = 0; i < assets; i++) {
    const assetKey = `bench.asset_${i}`;
    out.push({ runId, type: 'asset_planned', at: iso(i), assetKey, partition: '' });
    out.push({ runId, type: 'asset_started', at: iso(i + 1), assetKey, partition: '', attempt: 1 });
    out.push({ runId, type: 'asset_succeeded', at: iso(i + 2), assetKey, partition: '', attempt: 1, data: { rowCount: i } });
  }
  return out;
}

/** Measures one store; the store is closed afterwards. */
export async function measure(store: RunStore, assets = 10_000, batch = 50): Promise<StorageFigures> {
  const runId = `bench-${Date.now()}`;
  await store.createRun({ id: runId, selection: '*', partitions: [], startedAt: iso(0), launchedBy: 'bench' });
  const events = eventsFor(runId, assets);
  let started = performance.now();
  for (let i = 0; i < events.length; i += batch) await store.appendEvents(events.slice(i, i + batch));
  const appendMs = performance.now() - started;
  const locks = Math.min(assets, 2_000);
  started = performance.now();
  for (let i = 0; i < locks; i++) {
    await store.tryLock(`asset:bench.asset_${i}|`, runId);
    await store.unlock(`asset:bench.asset_${i}|`, runId);
  }
  const lockMsPerAsset = (performance.now() - started) / locks;
  started = performance.now();
  const rows = await store.drive({ limit: 1 });
  const driveMs = performance.now() - started;
  if (rows.length !== assets) throw new Error(`expected ${assets} drive rows, got ${rows.length}`);
  await store.close();
  return { store: store.describe, assets, batch, appendMs, msPerAsset: appendMs / assets, lockMsPerAsset, driveMs };
}

/** For bench/run.ts: memory, SQLite and (on the local server) PostgreSQL, in a throwaway database. */
export async function run(): Promise<BenchRow[]> {
  const { throwawayDatabase } = await import('../../test/support/postgres.js');
  // The database first: without a server it throws, and there is no folder yet to leave behind.
  const db = await throwawayDatabase('sluice_bench_store');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  try {
    const results = [
      await measure(new MemoryRunStore()),
      await measure(openSqliteStore(join(dir, 'runs.db'))),
      await measure(await openPostgresStore(db.url)),
    ];
    return results.flatMap((r) => {
      const name = r.store.startsWith('postgres') ? 'postgres' : r.store.startsWith('sqlite') ? 'sqlite' : 'memory';
      const note = `${r.assets} assets × 3 events in batches of ${r.batch}`;
      return [
        { suite: 'storage', case: `${name}: appendEvents per asset`, value: r.msPerAsset, unit: 'ms', note },
        { suite: 'storage', case: `${name}: tryLock + unlock per asset`, value: r.lockMsPerAsset, unit: 'ms' },
        { suite: 'storage', case: `${name}: read ${r.assets} drive rows`, value: r.driveMs, unit: 'ms' },
      ];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  try {
    const results = [await measure(new MemoryRunStore()), await measure(openSqliteStore(join(dir, 'runs.db')))];
    const url = process.argv[2] ?? process.env.DATABASE_URL;
    if (url) results.push(await measure(await openPostgresStore(url)));
    for (const r of results) {
      const f = (n: number, d = 3) => n.toFixed(d);
      console.log(
        `${r.store}: ${r.assets} assets × 3 events in batches of ${r.batch}: ${f(r.appendMs, 0)} ms, ` +
          `${f(r.msPerAsset)} ms/asset; lock+unlock ${f(r.lockMsPerAsset)} ms/asset; drive read ${f(r.driveMs, 0)} ms`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
