// The compact index behind LineageGraph: sorted keys, int ids and CSR adjacency, built in one pass.
//
// Why not graphology on the hot path: building a graphology DirectedGraph of 100k assets / 300k edges
// costs 2.3–3.7 s on this machine (docs/benchmarks.md), over the whole 2 s budget for build + validate
// + plan. Asset ids are positions in the sorted key list, so sorting ids sorts keys, and every traversal
// runs on typed arrays.

import type { AssetSpec } from '../definitions/schema.js';

/** Immutable adjacency and topology of the asset graph. Internal: not part of the public API. */
export interface GraphCore {
  readonly size: number;
  /** Keys sorted by UTF-16 code units; an asset's id is its position here. */
  readonly keys: readonly string[];
  readonly specs: readonly AssetSpec[];
  readonly files: readonly (string | undefined)[];
  readonly ids: ReadonlyMap<string, number>;
  /** parents of id i are parents[parentStart[i] .. parentStart[i+1]), ascending. */
  readonly parentStart: Int32Array;
  readonly parents: Int32Array;
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Per id, the ASSET_* bits below: read on hot paths instead of touching (scattered) spec objects. */
  readonly flags: Uint8Array;
}

/** A source asset: never produced, only waited for. */
export const ASSET_SOURCE = 1;
/** An asset with time-window partitions. */
export const ASSET_PARTITIONED = 2;
/** Names other assets outside deps (swap.from, ctas.staging, checks, sensor): validate.ts looks closer. */
export const ASSET_REFERENCES = 4;

function flagsOf(spec: AssetSpec): number {
  let flags = spec.source ? ASSET_SOURCE : 0;
  if (spec.partitions !== undefined) flags |= ASSET_PARTITIONED;
  const type = spec.producer?.type;
  if (type === 'swap' || type === 'ctas' || spec.checks.length > 0 || spec.sensor !== undefined) flags |= ASSET_REFERENCES;
  return flags;
}

/** An asset as handed to buildGraph: its spec, and the file that declared it when known. */
export interface AssetEntry {
  spec: AssetSpec;
  file?: string | undefined;
}

/** A dep that names no asset, reported by linkDeps. */
export interface UnknownDep {
  asset: number;
  dep: string;
}

/** Sorts assets by key and gives them ids; returns the groups of entries that share a key. */
export function indexAssets(assets: readonly AssetEntry[]): {
  keys: string[];
  specs: AssetSpec[];
  files: (string | undefined)[];
  ids: Map<string, number>;
  duplicates: AssetEntry[][];
} {
  // One pass over the (scattered) entries, copying what is needed into flat arrays; the map first
  // holds input positions, then sorted ids.
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const specsIn: AssetSpec[] = [];
  const filesIn: (string | undefined)[] = [];
  let dupKeys: Set<string> | undefined;
  for (const entry of assets) {
    const key = entry.spec.key;
    if (ids.has(key)) {
      dupKeys ??= new Set();
      dupKeys.add(key);
      continue;
    }
    ids.set(key, keys.length);
    keys.push(key);
    specsIn.push(entry.spec);
    filesIn.push(entry.file);
  }
  // Default sort compares strings by code units, the same order as `<`, and is the fastest V8 offers.
  keys.sort();
  const specs = new Array<AssetSpec>(keys.length);
  const files = new Array<string | undefined>(keys.length);
  for (let id = 0; id < keys.length; id++) {
    const key = keys[id]!;
    const at = ids.get(key)!;
    specs[id] = specsIn[at]!;
    files[id] = filesIn[at];
    ids.set(key, id);
  }
  const duplicates = dupKeys ? [...dupKeys].sort().map((k) => assets.filter((a) => a.spec.key === k)) : [];
  return { keys, specs, files, ids, duplicates };
}

/**
 * Resolves every dep to an id and lays parents and children out as CSR arrays (sorted, deduplicated);
 * records each asset's flags in the same pass, while its spec is at hand.
 */
export function linkDeps(
  specs: readonly AssetSpec[],
  ids: ReadonlyMap<string, number>,
): {
  parentStart: Int32Array;
  parents: Int32Array;
  childStart: Int32Array;
  children: Int32Array;
  flags: Uint8Array;
  unknown: UnknownDep[];
} {
  const n = specs.length;
  const flags = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += specs[i]!.deps.length;
  const parentStart = new Int32Array(n + 1);
  const parents = new Int32Array(total);
  const unknown: UnknownDep[] = [];
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    const begin = cursor;
    const spec = specs[i]!;
    flags[i] = flagsOf(spec);
    for (const dep of spec.deps) {
      const id = ids.get(dep);
      if (id === undefined) unknown.push({ asset: i, dep });
      else parents[cursor++] = id;
    }
    if (cursor - begin > 1) cursor = begin + sortUnique(parents, begin, cursor);
    parentStart[i + 1] = cursor;
  }
  const edges = cursor;
  const childStart = new Int32Array(n + 1);
  for (let e = 0; e < edges; e++) childStart[parents[e]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const children = new Int32Array(edges);
  // Visiting children in id order appends them to each parent's slot already sorted.
  for (let i = 0; i < n; i++) {
    for (let e = parentStart[i]!; e < parentStart[i + 1]!; e++) children[fill[parents[e]!]!++] = i;
  }
  return { parentStart, parents: parents.subarray(0, edges), childStart, children, flags, unknown };
}

/** Sorts a[begin..end) ascending, drops repeats, and returns how many remain. Dep lists are short. */
function sortUnique(a: Int32Array, begin: number, end: number): number {
  for (let i = begin + 1; i < end; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= begin && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  let w = begin + 1;
  for (let r = begin + 1; r < end; r++) if (a[r] !== a[w - 1]) a[w++] = a[r]!;
  return w - begin;
}

/** Topological generations: `order` holds ids level by level (ascending inside a level). */
export interface Levels {
  order: Int32Array;
  /** Level l is order[levelStart[l] .. levelStart[l+1]). */
  levelStart: Int32Array;
  /** How many ids were placed; fewer than there are members means a cycle among the rest. */
  placed: number;
}

/**
 * Kahn's algorithm over the ids where `member[id]` is 1 (all ids when omitted), counting only edges
 * between members.
 */
export function topoLevels(core: GraphCore, member?: Uint8Array): Levels {
  const { size, parentStart, parents, childStart, children } = core;
  const indegree = new Int32Array(size);
  const order = new Int32Array(size);
  let end = 0;
  for (let i = 0; i < size; i++) {
    if (member && member[i] === 0) continue;
    let d = 0;
    if (member) {
      for (let e = parentStart[i]!; e < parentStart[i + 1]!; e++) d += member[parents[e]!]!;
    } else d = parentStart[i + 1]! - parentStart[i]!;
    indegree[i] = d;
    if (d === 0) order[end++] = i;
  }
  const starts = [0];
  let begin = 0;
  while (begin < end) {
    const levelEnd = end;
    for (let k = begin; k < levelEnd; k++) {
      const v = order[k]!;
      for (let e = childStart[v]!; e < childStart[v + 1]!; e++) {
        const c = children[e]!;
        if (member && member[c] === 0) continue;
        if (--indegree[c]! === 0) order[end++] = c;
      }
    }
    if (end > levelEnd) order.subarray(levelEnd, end).sort();
    starts.push(levelEnd);
    begin = levelEnd;
  }
  return { order: order.subarray(0, end), levelStart: Int32Array.from(starts), placed: end };
}

/**
 * One cycle among the ids Kahn could not place, as ids in edge direction with the first repeated at
 * the end, rotated to start at its smallest id so the same graph always reports the same cycle.
 */
export function findCycle(core: GraphCore, levels: Levels): number[] {
  const placed = new Uint8Array(core.size);
  for (const id of levels.order) placed[id] = 1;
  let start = 0;
  while (placed[start] === 1) start++;
  // Every unplaced id keeps an unplaced parent, so walking to parents must revisit an id.
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  let v = start;
  while (!seenAt.has(v)) {
    seenAt.set(v, walk.length);
    walk.push(v);
    const { parentStart, parents } = core;
    for (let e = parentStart[v]!; e < parentStart[v + 1]!; e++) {
      if (placed[parents[e]!] === 0) {
        v = parents[e]!;
        break;
      }
    }
  }
  const cycle = walk.slice(seenAt.get(v)).reverse();
  let min = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[min]!) min = i;
  const rotated = [...cycle.slice(min), ...cycle.slice(0, min)];
  return [...rotated, rotated[0]!];
}

/** Ids reachable from the ids set in `start` by walking up to `depth` edges (unbounded when omitted). */
export function reach(core: GraphCore, start: Uint8Array, direction: 'up' | 'down', depth?: number): Uint8Array {
  const [offsets, targets] = direction === 'up' ? [core.parentStart, core.parents] : [core.childStart, core.children];
  const seen = start.slice();
  let frontier: number[] = [];
  for (let i = 0; i < core.size; i++) if (start[i] === 1) frontier.push(i);
  for (let d = 0; frontier.length > 0 && (depth === undefined || d < depth); d++) {
    const next: number[] = [];
    for (const v of frontier) {
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
        const t = targets[e]!;
        if (seen[t] === 0) {
          seen[t] = 1;
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return seen;
}
