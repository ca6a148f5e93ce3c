// Export benchmark: a synthetic 10,000-asset pipeline written as Airflow 2, Airflow 3, Prefect and Dagster code.

import { asset, checks, ctas, pipeline, shell, sourceAsset, sql } from '../../src/definitions/index.js';
import type { AssetSpec } from '../../src/definitions/schema.js';
import { type ExportInput, type ExportOptions, exportPipeline, type TargetName } from '../../src/export/index.js';
import type { BenchRow } from '../types.js';

const SUITE = 'export';
const ASSETS = 10_000;
const SOURCES = 100;
const BUDGET_MS = 2_000;
const RUNS = 3;

/** A small deterministic PRNG (mulberry32), so every run exports the same pipeline. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The benchmarked pipeline: 100 sources and 9,900 assets in topological order, each reading up to three earlier ones: SQL, CTAS with a check,
 * shell commands with placeholders, and every backoff, daily partitions and a schedule, as real pipelines mix them.
 */
export function syntheticInput(): ExportInput {
  const next = random(7);
  const daily = { granularity: 'daily' as const, start: '2025-01-01', timezone: 'UTC' };
  const specs: AssetSpec[] = [];
  for (let i = 0; i < SOURCES; i++) specs.push(sourceAsset(`raw.source_${i}`).spec);
  const backoffs = ['fixed', 'linear', 'exponential'] as const;
  for (let i = SOURCES; i < ASSETS; i++) {
    const deps = [...new Set([0, 1, 2].map(() => specs[Math.floor(next() * specs.length)]?.key as string))];
    const key = `mart_${Math.floor(i / 1000)}.asset_${i}`;
    const produce =
      i % 3 === 0
        ? sql({ sql: `INSERT INTO ${key} SELECT * FROM ${deps[0]} WHERE d = '{{ ds }}'` })
        : i % 3 === 1
          ? ctas({ sql: `SELECT * FROM ${deps.join(' JOIN ')}` })
          : shell({ command: `bash scripts/load.sh ${key} {{ ds_nodash }}` });
    specs.push(
      asset(key, {
        deps,
        produce,
        checks: i % 3 === 1 ? [checks.rowCount({ min: 1 })] : [],
        retry: { maxAttempts: 3, delay: '30s', backoff: backoffs[i % 3] },
        partitions: daily,
        description: `synthetic asset ${i}`,
        tags: [`t${i % 10}`],
      }).spec,
    );
  }
  const p = pipeline('synthetic_10k', { select: '*', schedule: { cron: '0 2 * * *', start: '2025-01-01' } });
  return { pipeline: p.spec, assets: specs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Exports the synthetic pipeline to every target and reports the median wall time of three runs each. */
export async function run(): Promise<BenchRow[]> {
  const input = syntheticInput();
  const variants: [string, TargetName, ExportOptions][] = [
    ['airflow 2', 'airflow', {}],
    ['airflow 3', 'airflow', { airflowVersion: 3 }],
    ['prefect', 'prefect', {}],
    ['dagster', 'dagster', {}],
  ];
  const rows: BenchRow[] = [];
  // One warm-up so template compilation and JIT are not billed to the first target.
  exportPipeline('airflow', input);
  for (const [name, target, options] of variants) {
    const times: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS; r++) {
      // Collect first (under --expose-gc, as bench/run.ts starts node) so one run's garbage is not billed to the next.
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      const files = exportPipeline(target, input, options);
      times.push(performance.now() - start);
      bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    }
    rows.push({
      suite: SUITE,
      case: `export 10k assets to ${name}`,
      value: median(times),
      unit: 'ms',
      budget: BUDGET_MS,
      note: `median of ${RUNS} (min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))} ms); ${(bytes / 2 ** 20).toFixed(1)} MiB of Python`,
    });
  }
  return rows;
}
