// A layered (Sugiyama-style) left-to-right layout: longest-path layers, barycenter ordering, cluster bands.

import type { LineageGraph } from '../graph/index.js';

/** Geometry constants shared with the page, which draws nodes NODE_WIDTH × NODE_HEIGHT. */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 34;
const COLUMN = 320;
const ROW = 46;
const BAND_GAP = 40;
const SWEEPS = 4;

/** More bands than this are not worth packing (each one asset, say): one band holds everything instead. */
const MAX_BANDS = 400;

export interface LaidOutNode {
  key: string;
  x: number;
  y: number;
  layer: number;
  /** Index into LayoutResult.clusters. */
  cluster: number;
}

export interface LaidOutCluster {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  size: number;
}

export interface LayoutResult {
  /** In the order of `graph.levels(keys)`: by layer, then key. */
  nodes: LaidOutNode[];
  /** [from, to] as indices into nodes, dep → dependent. */
  edges: [number, number][];
  clusters: LaidOutCluster[];
  width: number;
  height: number;
}

/**
 * Lays out the subgraph `keys` induce. Layers are topological generations (longest path from a root), so
 * every edge points right. Within a layer, nodes are ordered by alternating barycenter sweeps (down then
 * up), which untangles most crossings in a few linear passes — O(sweeps × edges), fine at 10,000 nodes
 * where exact crossing minimisation is hopeless. Each cluster (`clusterOf`, e.g. the asset's group) then
 * gets its own horizontal band, as tall as its busiest layer, bands ordered by their members' mean position.
 * @example
 * const layout = layoutGraph(graph, graph.keys(), (key) => graph.asset(key).group ?? '');
 * layout.nodes[0]; // { key: 'raw_data.session_timestamp', x: 0, y: 0, layer: 0, cluster: 0 }
 */
export function layoutGraph(graph: LineageGraph, keys: Iterable<string>, clusterOf: (key: string) => string): LayoutResult {
  const layers = graph.levels(keys);
  const order: string[] = layers.flat();
  const index = new Map<string, number>();
  for (let i = 0; i < order.length; i++) index.set(order[i]!, i);
  const n = order.length;
  const layerOf = new Int32Array(n);
  const members: number[][] = [];
  let next = 0;
  for (let l = 0; l < layers.length; l++) {
    const row: number[] = [];
    for (let j = 0; j < layers[l]!.length; j++) {
      layerOf[next] = l;
      row.push(next++);
    }
    members.push(row);
  }

  const parents: number[][] = new Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const own: number[] = [];
    for (const dep of graph.parents(order[i]!)) {
      const p = index.get(dep);
      if (p === undefined) continue;
      own.push(p);
      children[p]!.push(i);
      edges.push([p, i]);
    }
    parents[i] = own;
  }

  // Position of each node within its layer, normalised to (0, 1) so layers of different sizes compare.
  const rank = new Float64Array(n);
  const renumber = (row: number[]) => {
    for (let j = 0; j < row.length; j++) rank[row[j]!] = (j + 0.5) / row.length;
  };
  for (const row of members) renumber(row);
  const score = new Float64Array(n);
  const sweep = (row: number[], neighbours: number[][]) => {
    for (const v of row) {
      const around = neighbours[v]!;
      if (around.length === 0) {
        score[v] = rank[v]!;
        continue;
      }
      let sum = 0;
      for (const u of around) sum += rank[u]!;
      score[v] = sum / around.length;
    }
    row.sort((a, b) => score[a]! - score[b]! || rank[a]! - rank[b]!);
    renumber(row);
  };
  for (let s = 0; s < SWEEPS; s++) {
    for (let l = 1; l < members.length; l++) sweep(members[l]!, parents);
    for (let l = members.length - 2; l >= 0; l--) sweep(members[l]!, children);
  }

  return placeInBands(order, members, layerOf, rank, edges, clusterOf);
}

function placeInBands(
  order: string[],
  members: number[][],
  layerOf: Int32Array,
  rank: Float64Array,
  edges: [number, number][],
  clusterOf: (key: string) => string,
): LayoutResult {
  const n = order.length;
  const clusterIds = new Map<string, number>();
  const clusterIndex = new Int32Array(n);
  const sums: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = clusterOf(order[i]!);
    let c = clusterIds.get(label);
    if (c === undefined) {
      c = clusterIds.size;
      clusterIds.set(label, c);
      sums.push(0);
      sizes.push(0);
    }
    clusterIndex[i] = c;
    sums[c]! += rank[i]!;
    sizes[c]!++;
  }
  if (clusterIds.size > MAX_BANDS) return placeInBands(order, members, layerOf, rank, edges, () => '');
  const labels = [...clusterIds.keys()];
  // Bands top to bottom by their members' mean position, so edges between bands stay short.
  const bandOrder = labels
    .map((_, c) => c)
    .sort((a, b) => sums[a]! / sizes[a]! - sums[b]! / sizes[b]! || (labels[a]! < labels[b]! ? -1 : 1));
  const bandRank = new Int32Array(labels.length);
  bandOrder.forEach((c, r) => {
    bandRank[c] = r;
  });

  // Rows each band needs: its largest count in any one layer.
  const rows = new Int32Array(labels.length);
  const minLayer = new Int32Array(labels.length).fill(2 ** 30);
  const maxLayer = new Int32Array(labels.length).fill(-1);
  const inLayer: Map<number, number[]>[] = [];
  for (const row of members) {
    const byCluster = new Map<number, number[]>();
    for (const v of row) {
      const c = clusterIndex[v]!;
      const list = byCluster.get(c);
      if (list) list.push(v);
      else byCluster.set(c, [v]);
    }
    for (const [c, list] of byCluster) {
      rows[c] = Math.max(rows[c]!, list.length);
      minLayer[c] = Math.min(minLayer[c]!, layerOf[list[0]!]!);
      maxLayer[c] = Math.max(maxLayer[c]!, layerOf[list[0]!]!);
    }
    inLayer.push(byCluster);
  }
  const top = stackBands(bandOrder, rows, minLayer, maxLayer);
  let height = 0;
  for (const c of bandOrder) height = Math.max(height, top[c]! + rows[c]! * ROW);

  const nodes: LaidOutNode[] = new Array(n);
  for (const byCluster of inLayer) {
    for (const [c, list] of byCluster) {
      // Centred in the band: a layer with fewer members than the band's busiest layer sits in its middle.
      const offset = ((rows[c]! - list.length) * ROW) / 2;
      list.forEach((v, j) => {
        nodes[v] = {
          key: order[v]!,
          x: layerOf[v]! * COLUMN,
          y: top[c]! + offset + j * ROW,
          layer: layerOf[v]!,
          cluster: bandRank[c]!,
        };
      });
    }
  }
  const pad = 14;
  const clusters: LaidOutCluster[] = bandOrder.map((c) => ({
    label: labels[c]!,
    x: minLayer[c]! * COLUMN - pad,
    y: top[c]! - pad,
    width: (maxLayer[c]! - minLayer[c]!) * COLUMN + NODE_WIDTH + 2 * pad,
    height: rows[c]! * ROW - (ROW - NODE_HEIGHT) + 2 * pad,
    size: sizes[c]!,
  }));
  const width = members.length === 0 ? 0 : (members.length - 1) * COLUMN + NODE_WIDTH;
  return { nodes, edges, clusters, width, height };
}

/**
 * Band tops: each band goes as high as it can without overlapping a band that shares one of its layers,
 * so groups that follow each other (raw → staging → marts) sit side by side rather than in a staircase.
 */
function stackBands(bandOrder: number[], rows: Int32Array, minLayer: Int32Array, maxLayer: Int32Array): Float64Array {
  const top = new Float64Array(rows.length);
  const placed: number[] = [];
  for (const c of bandOrder) {
    const taken = placed
      .filter((p) => minLayer[p]! <= maxLayer[c]! && minLayer[c]! <= maxLayer[p]!)
      .map((p) => [top[p]!, top[p]! + rows[p]! * ROW + BAND_GAP] as const)
      .sort((a, b) => a[0] - b[0]);
    const height = rows[c]! * ROW + BAND_GAP;
    let y = 0;
    for (const [from, to] of taken) {
      if (y + height <= from) break;
      y = Math.max(y, to);
    }
    top[c] = y;
    placed.push(c);
  }
  return top;
}
