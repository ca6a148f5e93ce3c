// The compact index against graphology on random graphs, and the on-demand graphology view.
import { hasCycle, topologicalGenerations } from 'graphology-dag';
import { describe, expect, it } from 'vitest';
import { toGraphology } from '../../src/graph/graphology-view.js';
import { buildGraph, select } from '../../src/graph/index.js';
import type { AssetSpec } from '../../src/index.js';
import { GraphError } from '../../src/index.js';
import { thrown } from './fixture.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function spec(key: string, deps: string[]): AssetSpec {
  return {
    key,
    source: deps.length === 0,
    kind: 'table',
    tags: [],
    metadata: {},
    deps,
    producer: deps.length === 0 ? null : { type: 'sql', resource: 'warehouse', sql: 'SELECT 1' },
    trigger: 'all_success',
    checks: [],
    dependsOnPast: false,
    notify: [],
  };
}

/** A random DAG: asset i may depend only on assets created before it; keys are not in creation order. */
function randomSpecs(seed: number, size: number): AssetSpec[] {
  const rand = random(seed);
  const key = (i: number) => `k${(i * 7919) % 1000}.${i}`;
  return Array.from({ length: size }, (_, i) => {
    const deps = new Set<string>();
    if (i > 0) for (let d = Math.floor(rand() * 4); d > 0; d--) deps.add(key(Math.floor(rand() * i)));
    return spec(key(i), [...deps]);
  });
}

describe('the compact index agrees with graphology', () => {
  for (const seed of [1, 2, 3]) {
    it(`on random graph ${seed}: levels, edges and upstream`, () => {
      const specs = randomSpecs(seed, 300);
      const graph = buildGraph({ assets: specs.map((s) => ({ spec: s })) });
      const view = toGraphology(graph);
      expect(view.order).toBe(300);
      expect(view.size).toBe(specs.reduce((n, s) => n + s.deps.length, 0));
      expect(graph.levels()).toEqual(topologicalGenerations(view).map((level) => level.sort()));
      const picked = specs[250]!.key;
      const expected = new Set([picked]);
      for (let frontier = [picked]; frontier.length > 0; ) {
        frontier = frontier.flatMap((k) => view.inNeighbors(k)).filter((k) => !expected.has(k));
        for (const k of frontier) expected.add(k);
      }
      expect(select(graph, `+"${picked}"`)).toEqual([...expected].sort());
    });
  }

  it('finds a real cycle when one back edge is added', () => {
    const specs = randomSpecs(7, 200);
    const last = specs[199]!;
    const first = specs.find((s) => s.deps.length > 0 && graphHasPath(specs, s.key, last.key))!;
    const looped = specs.map((s) => (s === first ? spec(s.key, [...s.deps, last.key]) : s));
    const e = thrown(GraphError, () => buildGraph({ assets: looped.map((s) => ({ spec: s })) }));
    const cycle = e.cycle!;
    expect(cycle[0]).toBe(cycle.at(-1));
    const byKey = new Map(looped.map((s) => [s.key, s]));
    // Each asset on the path feeds the next one.
    for (let i = 0; i + 1 < cycle.length; i++) expect(byKey.get(cycle[i + 1]!)!.deps).toContain(cycle[i]);
    expect(e.message).toBe(`dependency cycle (each feeds the next): ${cycle.join(' → ')}`);
  });
});

function graphHasPath(specs: AssetSpec[], from: string, to: string): boolean {
  const graph = buildGraph({ assets: specs.map((s) => ({ spec: s })) });
  return graph.downstream(from).has(to);
}

describe('toGraphology', () => {
  it('builds once per graph, with specs and files on the nodes', () => {
    const specs = randomSpecs(4, 20);
    const graph = buildGraph({ assets: specs.map((s) => ({ spec: s, file: `assets/${s.key}.ts` })) });
    const view = toGraphology(graph);
    expect(toGraphology(graph)).toBe(view);
    expect(hasCycle(view)).toBe(false);
    expect(view.nodes()).toEqual(graph.keys());
    expect(view.edges().map((e) => [view.source(e), view.target(e)])).toEqual(graph.edges());
    expect(view.getNodeAttributes(specs[5]!.key)).toEqual({ spec: specs[5], file: `assets/${specs[5]!.key}.ts` });
  });
});
