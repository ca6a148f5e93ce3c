// The layered layout: every edge points right, no two nodes share a spot, bands pack side by side, and it is fast.
import { describe, expect, it } from 'vitest';
import { synthetic } from '../../bench/suites/graph.js';
import { buildGraph } from '../../src/graph/index.js';
import { asset, fn, sourceAsset } from '../../src/index.js';
import { layoutGraph } from '../../src/server/index.js';
import { projectOf, REPO } from './support.js';

const make = (key: string, deps: string[], group?: string) =>
  deps.length === 0 ? sourceAsset(key, { group }) : asset(key, { deps, group, produce: fn(() => undefined) });

describe('layoutGraph', () => {
  it('puts each asset one column right of its deepest dep and keeps bands apart', async () => {
    const { graph } = await projectOf(REPO, [
      make('raw.a', [], 'raw'),
      make('raw.b', [], 'raw'),
      make('stg.a', ['raw.a'], 'stg'),
      make('stg.b', ['raw.b'], 'stg'),
      make('mart.ab', ['stg.a', 'stg.b', 'raw.a'], 'mart'),
    ]);
    const layout = layoutGraph(graph, graph.keys(), (k) => graph.asset(k).group ?? '');
    const at = Object.fromEntries(layout.nodes.map((n) => [n.key, n]));
    expect([at['raw.a']!.layer, at['stg.a']!.layer, at['mart.ab']!.layer]).toEqual([0, 1, 2]);
    for (const [from, to] of layout.edges) expect(layout.nodes[from]!.x).toBeLessThan(layout.nodes[to]!.x);
    // raw → stg → mart follow each other, so their bands share the same rows instead of a staircase.
    expect(Object.fromEntries(layout.clusters.map((c) => [c.label, c.y]))).toEqual({ raw: -14, stg: -14, mart: -14 });
    // Barycenter ordering keeps raw.a beside stg.a.
    expect(Math.sign(at['raw.a']!.y - at['raw.b']!.y)).toBe(Math.sign(at['stg.a']!.y - at['stg.b']!.y));
  });

  it('lays out 10,000 assets with no overlaps, quickly', () => {
    const s = synthetic(10_000);
    const graph = buildGraph({ assets: s.assets, pipelines: s.pipelines });
    const started = performance.now();
    const layout = layoutGraph(graph, graph.keys(), (k) => graph.asset(k).group ?? '');
    const elapsed = performance.now() - started;
    expect(layout.nodes).toHaveLength(10_000);
    expect(layout.edges).toHaveLength(30_000);
    expect(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(10_000);
    // Generous for a shared CI machine; bench/suites/server.ts measures it properly.
    expect(elapsed).toBeLessThan(3_000);
  });
});
