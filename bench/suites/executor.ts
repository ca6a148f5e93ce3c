// Executor benchmark: per-asset overhead for 10,000 no-op assets (chain and fan-out) on each run store,
// and how busy a wide graph keeps the configured parallelism.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ProducerFn } from '../../src/definitions/context.js';
import type { AssetSpec } from '../../src/definitions/schema.js';
import type { Plan, PlanStep } from '../../src/graph/plan-types.js';
import { execute } from '../../src/runtime/execute.js';
import type { RunnableAsset } from '../../src/runtime/options.js';
import { openRunStore } from '../../src/storage/index.js';
import type { RunStore } from '../../src/storage/types.js';
import type { BenchRow } from '../types.js';

const SUITE = 'executor';
const N = 10_000;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';

function spec(key: string, deps: string[]): AssetSpec {
  return {
    key,
    source: false,
    kind: 'value',
    tags: [],
    metadata: {},
    deps,
    producer: { type: 'fn' },
    trigger: 'all_success',
    checks: [],
    dependsOnPast: false,
    notify: [],
  };
}

interface Workload {
  plan: Plan;
  assets: Map<string, RunnableAsset>;
}

const key = (i: number) => `bench.a${String(i).padStart(5, '0')}`;
const step = (i: number, level: number, after: string[]): PlanStep => ({
  id: key(i),
  key: key(i),
  partition: null,
  action: 'produce',
  level,
  after,
});

/** a0 ← a1 ← … ← a9999: every step waits for the one before, so nothing overlaps. */
function chain(run: ProducerFn): Workload {
  const assets = new Map<string, RunnableAsset>();
  const levels: PlanStep[][] = [];
  for (let i = 0; i < N; i++) {
    const deps = i === 0 ? [] : [key(i - 1)];
    assets.set(key(i), { spec: spec(key(i), deps), run });
    levels.push([step(i, i, deps)]);
  }
  return { plan: { selection: '*', partitions: [], levels }, assets };
}

/** One root, then 9,999 leaves that all become ready together. */
function wide(run: ProducerFn): Workload {
  const assets = new Map<string, RunnableAsset>([[key(0), { spec: spec(key(0), []), run }]]);
  const leaves: PlanStep[] = [];
  for (let i = 1; i < N; i++) {
    assets.set(key(i), { spec: spec(key(i), [key(0)]), run });
    leaves.push(step(i, 1, [key(0)]));
  }
  return { plan: { selection: '*', partitions: [], levels: [[step(0, 0, [])], leaves] }, assets };
}

interface StoreKind {
  name: string;
  budget: number;
  open(): Promise<{ store: RunStore; dispose(): Promise<void> }>;
}

const stores: StoreKind[] = [
  {
    name: 'memory',
    budget: 1,
    async open() {
      const store = await openRunStore({ url: 'memory:', root: process.cwd() });
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'sqlite',
    budget: 5,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
      const store = await openRunStore({ url: `sqlite:${join(dir, 'runs.db')}`, root: dir });
      return {
        store,
        async dispose() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    budget: 5,
    async open() {
      // A throwaway database, so the figures never depend on what earlier runs left behind.
      const db = `sluice_bench_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
      try {
        await admin.connect();
      } catch (error) {
        throw new Error(`executor bench needs PostgreSQL on ${PG_SERVER} (.ci/run starts it): ${(error as Error).message}`);
      }
      await admin.query(`CREATE DATABASE ${db}`);
      const store = await openRunStore({ url: `${PG_SERVER}/${db}`, root: process.cwd() });
      return {
        store,
        async dispose() {
          await store.close();
          await admin.query(`DROP DATABASE ${db} WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  },
];

async function timed(kind: StoreKind, work: Workload, concurrency: number): Promise<{ ms: number; status: string }> {
  const { store, dispose } = await kind.open();
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const result = await execute({ ...work, store, concurrency });
    const ms = performance.now() - started;
    if (result.status !== 'succeeded') throw new Error(`bench run ${result.status}: ${result.error}`);
    return { ms, status: result.status };
  } finally {
    await dispose();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Per-asset overhead (ms) and, for the sleeping fan-out, average parallelism and busy fraction. */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const noop: ProducerFn = () => undefined;
  // SLUICE_BENCH_STORES=memory,sqlite limits the stores measured (for quick local comparisons).
  const only = process.env.SLUICE_BENCH_STORES?.split(',');
  for (const kind of stores.filter((k) => !only || only.includes(k.name))) {
    const repeats = kind.name === 'memory' ? 5 : 3;
    for (const [shape, make, concurrency] of [
      ['chain', chain, 4],
      ['fan-out', wide, 8],
    ] as const) {
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) times.push((await timed(kind, make(noop), concurrency)).ms);
      rows.push({
        suite: SUITE,
        case: `${kind.name}: 10k no-op ${shape}, overhead per asset`,
        value: median(times) / N,
        unit: 'ms',
        budget: kind.budget,
        note: `median of ${repeats} runs (whole execute(), incl. run record, events, locks); concurrency ${concurrency}`,
      });
    }

    // Parallelism: 9,999 leaves that each sleep ~5 ms, 8 at a time. Busy time is measured inside the producers.
    let busy = 0;
    const sleeper: ProducerFn = async () => {
      const t = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy += performance.now() - t;
    };
    const { ms } = await timed(kind, wide(sleeper), 8);
    const parallelism = busy / ms;
    rows.push({
      suite: SUITE,
      case: `${kind.name}: 10k fan-out, 5 ms producers, concurrency 8: average parallelism`,
      value: parallelism,
      unit: 'producers',
      note: `busy fraction ${((parallelism / 8) * 100).toFixed(1)}% of 8 slots; wall ${(ms / 1000).toFixed(1)} s`,
    });
  }
  return rows;
}
