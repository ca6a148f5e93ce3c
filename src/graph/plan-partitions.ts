// Which partitions each planned asset gets, from a plan's partition or from/to options, with clear errors.

import { SelectionError } from '../definitions/errors.js';
import { checkPartitionKey, partitionRange, partitionWindow } from '../definitions/partitions.js';
import type { PartitionsSpec } from '../definitions/schema.js';
import { ASSET_PARTITIONED, type GraphCore } from './core.js';

/** How a plan chooses partitions: one key, or an inclusive range. `now` decides which keys exist yet. */
export interface PartitionOptions {
  partition?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  now?: Date | undefined;
}

function describe(spec: PartitionsSpec): string {
  return `${spec.granularity} from ${spec.start}${spec.timezone === 'UTC' ? '' : ` in ${spec.timezone}`}`;
}

function requested(options: PartitionOptions): string {
  return options.partition !== undefined ? `partition "${options.partition}"` : `partitions "${options.from}" to "${options.to}"`;
}

/**
 * Partition keys per asset id for the partitioned assets in `member` (oldest first). Throws SelectionError
 * when options conflict, when partitioned assets get no partition (or unpartitioned ones get one), or
 * when a key is not in an asset's set.
 */
export function resolvePartitions(
  core: GraphCore,
  member: Uint8Array,
  selection: string,
  options: PartitionOptions,
): Map<number, string[]> {
  const { partition, from, to } = options;
  const now = options.now ?? new Date();
  if (partition !== undefined && (from !== undefined || to !== undefined)) {
    throw new SelectionError('give either a partition or a from/to range, not both');
  }
  if ((from === undefined) !== (to === undefined)) {
    throw new SelectionError('a partition range needs both from and to (both inclusive)');
  }
  const given = partition !== undefined || from !== undefined;
  const partitioned: number[] = [];
  for (let id = 0; id < core.size; id++) if (member[id] === 1 && core.flags[id]! & ASSET_PARTITIONED) partitioned.push(id);
  if (partitioned.length === 0) {
    if (given) throw new SelectionError(`${requested(options)} given, but no asset in selection "${selection}" is partitioned`);
    return new Map();
  }
  if (!given) {
    const id = partitioned[0]!;
    throw new SelectionError(
      `asset "${core.keys[id]}" is partitioned (${describe(core.specs[id]!.partitions!)}): choose a partition or a from/to range`,
    );
  }
  const out = new Map<number, string[]>();
  for (const id of partitioned) {
    const spec = core.specs[id]!.partitions!;
    const bad = (reason: string) => new SelectionError(`asset "${core.keys[id]}": partition: ${reason}`);
    if (partition !== undefined) {
      const reason = checkPartitionKey(spec, partition, now);
      if (reason) throw bad(reason);
      out.set(id, [partition]);
      continue;
    }
    for (const end of [from!, to!]) {
      const reason = checkPartitionKey(spec, end, now);
      if (reason) throw bad(reason);
    }
    const keys = partitionRange(spec, from!, to!, now);
    if (keys.length === 0) throw bad(`the range starts at "${from}", after its end "${to}"`);
    out.set(id, keys);
  }
  return out;
}

/** Whether two partition sets cut time the same way, so equal keys mean equal windows. */
export function sameWindows(a: PartitionsSpec, b: PartitionsSpec): boolean {
  return a.granularity === b.granularity && a.timezone === b.timezone;
}

/** Indices of the `parentKeys` whose windows overlap the window of `childKey` (specs cut time differently). */
export function overlapping(
  parent: PartitionsSpec,
  parentKeys: readonly string[],
  child: PartitionsSpec,
  childKey: string,
): number[] {
  const window = partitionWindow(child, childKey)!;
  const out: number[] = [];
  parentKeys.forEach((key, i) => {
    const w = partitionWindow(parent, key)!;
    if (w.start < window.end && window.start < w.end) out.push(i);
  });
  return out;
}
