// /api/graph: a selection laid out (cached per selection), with clusters and each node's status.

import type { LineageGraph } from '../graph/index.js';
import { select } from '../graph/index.js';
import { pipelinesOf } from './asset-view.js';
import { ApiError } from './errors.js';
import { type LayoutResult, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { type AssetStatusInfo, NEVER, type StatusBoard } from './status.js';

/** What the graph is clustered by: the asset's group, its first pipeline, or nothing. */
export type ClusterBy = 'group' | 'pipeline' | 'none';

export interface GraphQuery {
  select?: string | undefined;
  /** Widen the selection by this many edges upstream and downstream. */
  depth?: number | undefined;
  cluster: ClusterBy;
}

/** One node as the page draws it. */
export interface GraphNode {
  key: string;
  x: number;
  y: number;
  layer: number;
  cluster: number;
  kind: string;
  source: boolean;
  group: string | null;
  status: AssetStatusInfo['status'];
  check: AssetStatusInfo['check'];
}

export interface GraphResponse {
  select: string | null;
  total: number;
  node: { width: number; height: number };
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: [number, number][];
  clusters: LayoutResult['clusters'];
  clusterBy: ClusterBy;
}

const MAX_CACHED = 32;

/** Lays out selections of one graph; the graph is immutable, so a selection's layout never goes stale. */
export class GraphViews {
  readonly #graph: LineageGraph;
  readonly #layouts = new Map<string, LayoutResult>();
  /** Serialized responses by query, valid while the statuses' version is the same. */
  readonly #bodies = new Map<string, { version: number; text: string }>();

  constructor(graph: LineageGraph) {
    this.#graph = graph;
  }

  /** The keys a query names: the selection (all when empty), widened by `depth` both ways. */
  #keysOf(query: GraphQuery): string[] {
    const graph = this.#graph;
    const text = query.select?.trim();
    let keys = text ? select(graph, text) : graph.keys();
    if (query.depth !== undefined && query.depth > 0) {
      keys = [...new Set([...graph.upstream(keys, query.depth), ...graph.downstream(keys, query.depth)])];
    }
    if (keys.length === 0) throw new ApiError(400, 'bad_selection', 'the graph is empty');
    return keys;
  }

  /**
   * The response as JSON text (passed through `redact`), reused until a status changes: a steady graph of
   * 10,000 nodes is then one string copy per request instead of a walk and a stringify.
   */
  async text(query: GraphQuery, statuses: StatusBoard, redact: (json: string) => string): Promise<string> {
    const id = queryId(query);
    const status = await statuses.all();
    const hit = this.#bodies.get(id);
    if (hit && hit.version === statuses.version) return hit.text;
    const text = redact(JSON.stringify(this.#view(query, status)));
    this.#bodies.delete(id);
    this.#bodies.set(id, { version: statuses.version, text });
    if (this.#bodies.size > MAX_CACHED) this.#bodies.delete(this.#bodies.keys().next().value!);
    return text;
  }

  layout(query: GraphQuery): LayoutResult {
    const id = queryId(query);
    const cached = this.#layouts.get(id);
    if (cached) {
      // Re-inserted so the map's order is least recently used first.
      this.#layouts.delete(id);
      this.#layouts.set(id, cached);
      return cached;
    }
    const result = layoutGraph(this.#graph, this.#keysOf(query), this.#clusterOf(query.cluster));
    this.#layouts.set(id, result);
    if (this.#layouts.size > MAX_CACHED) this.#layouts.delete(this.#layouts.keys().next().value!);
    return result;
  }

  /** The response: layout plus the live part (statuses), which is never cached here. */
  #view(query: GraphQuery, status: ReadonlyMap<string, AssetStatusInfo>): GraphResponse {
    const layout = this.layout(query);
    const graph = this.#graph;
    const nodes = layout.nodes.map((n): GraphNode => {
      const spec = graph.asset(n.key);
      const s = status.get(n.key) ?? NEVER;
      return {
        key: n.key,
        x: n.x,
        y: n.y,
        layer: n.layer,
        cluster: n.cluster,
        kind: spec.kind,
        source: spec.source,
        group: spec.group ?? null,
        status: s.status,
        check: s.check,
      };
    });
    return {
      select: query.select?.trim() || null,
      total: graph.size,
      node: { width: NODE_WIDTH, height: NODE_HEIGHT },
      width: layout.width,
      height: layout.height,
      nodes,
      edges: layout.edges,
      clusters: layout.clusters,
      clusterBy: query.cluster,
    };
  }

  #clusterOf(by: ClusterBy): (key: string) => string {
    const graph = this.#graph;
    if (by === 'none') return () => '';
    if (by === 'group') return (key) => graph.asset(key).group ?? '(no group)';
    const of = pipelinesOf(graph);
    return (key) => of.get(key)?.[0] ?? '(no pipeline)';
  }
}

function queryId(query: GraphQuery): string {
  return JSON.stringify([query.select?.trim() ?? '', query.depth ?? 0, query.cluster]);
}
