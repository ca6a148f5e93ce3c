// Graph benchmark: build + validate + plan('*') of synthetic layered graphs, each phase, and graphology.

import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalGenerations } from 'graphology-dag';
import type { AssetSpec, PipelineSpec } from '../../src/definitions/schema.js';
import { toGraphology } from '../../src/graph/graphology-view.js';
import { buildGraph, indexGraph, scopeOf, sortGraph } from '../../src/graph/lineage-graph.js';
import { PipelineTable } from '../../src/graph/pipelines.js';
import { plan } from '../../src/graph/plan.js';
import { select } from '../../src/graph/selection.js';
import type { SelectionScope } from '../../src/graph/selection-eval.js';
import type { BenchRow } from '../types.js';

const SUITE = 'graph';
const LAYERS = 20;

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same graph. */
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

function spec(key: string, layer: number, i: number, deps: string[]): AssetSpec {
  const base = {
    key,
    kind: 'table' as const,
    group: `layer_${String(layer).padStart(2, '0')}`,
    tags: [`t${i % 10}`],
    metadata: {},
    checks: [],
    trigger: 'all_success' as const,
    dependsOnPast: false,
    notify: [],
  };
  if (layer === 0) return { ...base, source: true, deps: [], producer: null };
  return { ...base, source: false, deps, producer: { type: 'sql', resource: 'warehouse', sql: 'SELECT 1' } };
}

export interface Synthetic {
  assets: { spec: AssetSpec; file: string }[];
  pipelines: { spec: PipelineSpec; file: string }[];
  edges: number;
  deep: string;
}

/**
 * `size` assets in LAYERS layers (layer 0 are sources) with exactly 3 × size deps: two thirds from the
 * layer before, the rest from any earlier layer. Handed over shuffled, as a loader would.
 *
 * A dep is the same string as its asset's key, as in real definitions (a dep given as a definition
 * passes that definition's `key`; a string literal is interned like the key literal), not a fresh copy.
 */
export function synthetic(size: number): Synthetic {
  const rand = random(size);
  const perLayer = size / LAYERS;
  const interned = new Map<string, string>();
  const keyOf = (layer: number, j: number) => {
    const text = `layer_${String(layer).padStart(2, '0')}.asset_${String(j).padStart(6, '0')}`;
    let key = interned.get(text);
    if (key === undefined) {
      // A property name is an internalized, flat string: what V8 makes of a literal in source code.
      key = Object.keys({ [text]: 0 })[0]!;
      interned.set(text, key);
    }
    return key;
  };
  const sources = perLayer;
  // Non-sources get 3 deps, and the first 3 × sources of them a 4th, so edges = 3 × size exactly.
  let extra = 3 * sources;
  let edges = 0;
  const assets: { spec: AssetSpec; file: string }[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let j = 0; j < perLayer; j++) {
      const deps = new Set<string>();
      const want = layer === 0 ? 0 : extra-- > 0 ? 4 : 3;
      while (deps.size < want) {
        const from = rand() < 2 / 3 ? layer - 1 : Math.floor(rand() * layer);
        deps.add(keyOf(from, Math.floor(rand() * perLayer)));
      }
      edges += deps.size;
      const i = layer * perLayer + j;
      assets.push({ spec: spec(keyOf(layer, j), layer, i, [...deps]), file: `assets/layer_${layer}.ts` });
    }
  }
  for (let i = assets.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [assets[i], assets[j]] = [assets[j]!, assets[i]!];
  }
  const deep = keyOf(LAYERS - 1, 0);
  const pipeline = (name: string, select: string) => ({
    spec: { name, select, tags: [], onFailure: [], sensors: [] } as PipelineSpec,
    file: `assets/${name}.ts`,
  });
  const pipelines = [pipeline('tagged', 'tag:t3'), pipeline('deep', `+${deep}`), pipeline('middle', 'layer_1*.* and not tag:t1')];
  return { assets, pipelines, edges, deep };
}

function collect(): void {
  globalThis.gc?.();
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Wall-clock median, min and max of `runs` timings of `work` (ms), after one untimed warm-up run, and
 * the median CPU time: on a shared 2-core box, wall time far above CPU time means other processes ran.
 */
function measure(runs: number, work: () => unknown): { median: number; min: number; max: number; cpu: number } {
  work();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    collect();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    work();
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const mid = median(times);
  return { median: mid, min: times[0]!, max: times[times.length - 1]!, cpu: median(cpu) };
}

function row(label: string, runs: number, work: () => unknown, budget?: number): BenchRow {
  const { median, min, max, cpu } = measure(runs, work);
  const note = `median of ${runs} (min ${min.toFixed(1)}, max ${max.toFixed(1)}; CPU ${cpu.toFixed(1)})`;
  return { suite: SUITE, case: label, value: median, unit: 'ms', ...(budget === undefined ? {} : { budget }), note };
}

/** How Definitions would be turned into a graphology graph without the compact index. */
function naiveGraphology(data: Synthetic): DirectedGraph {
  const graph = new DirectedGraph();
  for (const { spec } of data.assets) graph.addNode(spec.key, { spec });
  for (const { spec } of data.assets) for (const dep of spec.deps) graph.addDirectedEdge(dep, spec.key);
  return graph;
}

function sizeCases(size: number, runs: number, budget: number | undefined): BenchRow[] {
  const data = synthetic(size);
  const label = `${size / 1000}k/${data.edges / 1000}k`;
  const input = { assets: data.assets, pipelines: data.pipelines };
  const graph = buildGraph(input);
  if (graph.size !== size || graph.edges().length !== data.edges) throw new Error('synthetic graph came out wrong');
  const rows = [
    row(`build+validate+plan('*') ${label}`, runs, () => plan(buildGraph(input), '*'), budget),
    row(`phase: index + references ${label}`, runs, () => indexGraph(data.assets)),
    row(`phase: cycle check + levels ${label}`, runs, () => sortGraph(scopeOf(graph).core)),
    // A shallow copy of the index, so the attribute index cached per index is rebuilt on every run.
    row(`phase: pipelines (3 selects) ${label}`, runs, () => {
      const scope = scopeOf(graph);
      const table = new PipelineTable(data.pipelines);
      const fresh: SelectionScope = {
        core: { ...scope.core },
        pipelineNames: table.names,
        pipelineMask: (n) => table.mask(fresh, n),
      };
      table.validate(fresh);
    }),
    row(`phase: plan('*') on a built graph ${label}`, runs, () => plan(graph, '*')),
    row(`select('+deep') ${label}`, runs, () => select(graph, `+${data.deep}`)),
  ];
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = buildGraph(input);
  collect();
  const heap = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  rows.push({
    suite: SUITE,
    case: `heap added by a built graph ${label}`,
    value: heap,
    unit: 'MB',
    note: `index only: specs and key strings belong to the input (${kept.size} assets)`,
  });
  return rows;
}

/** Budgets from docs/architecture.md: 10k assets under 250 ms, 100k under 2 s. Dagster needs over 60 s for 2k. */
export async function run(): Promise<BenchRow[]> {
  const rows = [...sizeCases(2_000, 15, undefined), ...sizeCases(10_000, 11, 250), ...sizeCases(100_000, 5, 2000)];
  const big = synthetic(100_000);
  rows.push(
    row('graphology naive build 100k/300k (comparison)', 3, () => naiveGraphology(big)),
    row('graphology naive build + hasCycle + generations 100k/300k', 3, () => {
      const g = naiveGraphology(big);
      hasCycle(g);
      topologicalGenerations(g);
    }),
    // toGraphology caches per graph, so each run builds a fresh graph first.
    row('buildGraph + toGraphology() view 100k/300k (on demand only)', 3, () => toGraphology(buildGraph({ assets: big.assets }))),
  );
  return rows;
}
