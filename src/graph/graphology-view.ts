// The lineage graph as a graphology DirectedGraph, built on demand for consumers of graphology's algorithms.
//
// LineageGraph itself never builds one (see lineage-graph.ts): at 100k assets a graphology build costs
// seconds. Callers that want graphology (layout, export formats, its algorithm libraries) pay once here.

import { DirectedGraph } from 'graphology';
import type { AssetSpec } from '../definitions/schema.js';
import { type LineageGraph, scopeOf } from './lineage-graph.js';

/** Node attributes of the graphology view. */
export interface LineageNodeAttributes {
  spec: AssetSpec;
  file: string | undefined;
}

const cache = new WeakMap<LineageGraph, DirectedGraph<LineageNodeAttributes>>();

/**
 * The graph as a graphology DirectedGraph: node key = asset key (attributes: spec, file), edge
 * dep → dependent with key `e<n>` in sorted edge order. Built on the first call and cached per graph;
 * it is shared, so call `.copy()` before changing it.
 * @example
 * import { topologicalGenerations } from 'graphology-dag';
 * const generations = topologicalGenerations(toGraphology(graph));
 */
export function toGraphology(graph: LineageGraph): DirectedGraph<LineageNodeAttributes> {
  const cached = cache.get(graph);
  if (cached) return cached;
  const { keys, specs, files, childStart, children, size } = scopeOf(graph).core;
  const out = new DirectedGraph<LineageNodeAttributes>();
  for (let i = 0; i < size; i++) out.addNode(keys[i]!, { spec: specs[i]!, file: files[i] });
  let edge = 0;
  for (let i = 0; i < size; i++) {
    for (let e = childStart[i]!; e < childStart[i + 1]!; e++)
      out.addDirectedEdgeWithKey(`e${edge++}`, keys[i]!, keys[children[e]!]!);
  }
  cache.set(graph, out);
  return out;
}
