// plan(): turn a selection (and partitions) into ordered steps — pure data the runtime executes.

import type { PartitionsSpec } from '../definitions/schema.js';
import { ASSET_SOURCE, type GraphCore, topoLevels } from './core.js';
import { type LineageGraph, scopeOf } from './lineage-graph.js';
import { overlapping, type PartitionOptions, resolvePartitions, sameWindows } from './plan-partitions.js';
import type { Plan, PlanStep } from './plan-types.js';
import { selectMask } from './selection.js';

/** Options of plan(): one partition, or an inclusive from/to range; `now` fixes which partitions exist. */
export type PlanOptions = PartitionOptions;

/**
 * Calls `visit(dep, q)` for every step that partition `p` of asset `id` waits for (q = 0 when the dep
 * is unpartitioned). Called twice per step — once for levels, once for ids — so nothing is stored per edge.
 */
function eachWait(
  core: GraphCore,
  member: Uint8Array,
  partitionsOf: ReadonlyMap<number, string[]>,
  id: number,
  p: number,
  visit: (dep: number, q: number) => void,
): void {
  const { parentStart, parents, specs } = core;
  const mine = partitionsOf.get(id);
  for (let e = parentStart[id]!; e < parentStart[id + 1]!; e++) {
    const dep = parents[e]!;
    if (member[dep] !== 1) continue;
    const theirs = partitionsOf.get(dep);
    if (!theirs) visit(dep, 0);
    else if (!mine) for (let q = 0; q < theirs.length; q++) visit(dep, q);
    else {
      const a = specs[dep]!.partitions as PartitionsSpec;
      const b = specs[id]!.partitions as PartitionsSpec;
      if (sameWindows(a, b)) {
        const q = theirs.indexOf(mine[p]!);
        if (q !== -1) visit(dep, q);
      } else for (const q of overlapping(a, theirs, b, mine[p]!)) visit(dep, q);
    }
  }
  if (mine && p > 0 && specs[id]!.dependsOnPast) visit(id, p - 1);
}

/**
 * Plans a run of `selection`. Selected assets become 'produce' steps; source assets they read become
 * 'wait' steps. A partitioned asset gets one step per partition (`key@partition`), others one step
 * (`key`). A step waits for its planned deps: the same partition of a partitioned dep (the overlapping
 * windows when the two cut time differently), the single step of an unpartitioned dep, every planned
 * partition of a partitioned dep when it is itself unpartitioned, and — with dependsOnPast — its own
 * previous partition. Deps outside the plan are taken as already materialized. A step's level is the
 * longest chain of waits before it; inside a level steps are sorted by key, then partition.
 * Deterministic: the same graph, selection and options (with `now`) give the same plan.
 * @example
 * plan(graph, '+analytics.mau_summary', { from: '2025-01-10', to: '2025-01-12', now: new Date('2025-02-01') });
 * // { selection, partitions: ['2025-01-10', '2025-01-11', '2025-01-12'], levels: [[wait steps…], …] }
 */
export function plan(graph: LineageGraph, selection: string, options: PlanOptions = {}): Plan {
  const { core } = scopeOf(graph);
  const { keys, parentStart, parents, size, flags } = core;
  const member = selectMask(graph, selection);
  for (let i = 0; i < size; i++) {
    if (member[i] !== 1 || flags[i]! & ASSET_SOURCE) continue;
    for (let e = parentStart[i]!; e < parentStart[i + 1]!; e++) if (flags[parents[e]!]! & ASSET_SOURCE) member[parents[e]!] = 1;
  }
  const { order } = topoLevels(core, member);
  const partitionsOf = resolvePartitions(core, member, selection, options);
  const partitioned = partitionsOf.size > 0;

  // Levels: one per unpartitioned asset, one per partition of the others, filled in topological order.
  const assetLevel = new Int32Array(size);
  const partitionLevels = new Map<number, Int32Array>();
  const levelOf = (dep: number, q: number) => partitionLevels.get(dep)?.[q] ?? assetLevel[dep]!;
  for (const id of order) {
    const mine = partitionsOf.get(id);
    if (!mine) {
      let level = 0;
      if (!partitioned) {
        // The common, unpartitioned case, without a callback per edge.
        for (let e = parentStart[id]!; e < parentStart[id + 1]!; e++) {
          const dep = parents[e]!;
          if (member[dep] === 1 && assetLevel[dep]! + 1 > level) level = assetLevel[dep]! + 1;
        }
      } else eachWait(core, member, partitionsOf, id, 0, (dep, q) => (level = Math.max(level, levelOf(dep, q) + 1)));
      assetLevel[id] = level;
      continue;
    }
    const levels = new Int32Array(mine.length);
    partitionLevels.set(id, levels);
    for (let p = 0; p < mine.length; p++) {
      let level = 0;
      eachWait(core, member, partitionsOf, id, p, (dep, q) => (level = Math.max(level, levelOf(dep, q) + 1)));
      levels[p] = level;
    }
  }

  const stepId = (dep: number, q: number) => {
    const theirs = partitionsOf.get(dep);
    return theirs ? `${keys[dep]}@${theirs[q]}` : keys[dep]!;
  };
  const out: PlanStep[][] = [];
  // Ids ascend with keys and partitions ascend in time, so pushing in this order keeps levels sorted.
  for (let id = 0; id < size; id++) {
    if (member[id] !== 1) continue;
    const mine = partitionsOf.get(id);
    const action = flags[id]! & ASSET_SOURCE ? 'wait' : 'produce';
    for (let p = 0; p < (mine ? mine.length : 1); p++) {
      const after: string[] = [];
      if (!partitioned) {
        // Unpartitioned step ids are keys, and parents ascend by id, i.e. by key: already sorted.
        for (let e = parentStart[id]!; e < parentStart[id + 1]!; e++)
          if (member[parents[e]!] === 1) after.push(keys[parents[e]!]!);
      } else {
        eachWait(core, member, partitionsOf, id, p, (dep, q) => after.push(stepId(dep, q)));
        after.sort();
      }
      const level = levelOf(id, p);
      const step: PlanStep = { id: stepId(id, p), key: keys[id]!, partition: mine ? mine[p]! : null, action, level, after };
      const bucket = out[level];
      if (bucket) bucket.push(step);
      else out[level] = [step];
    }
  }
  const all = new Set<string>();
  for (const list of partitionsOf.values()) for (const key of list) all.add(key);
  return { selection, partitions: [...all].sort(), levels: out };
}
