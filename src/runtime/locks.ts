// One writer per asset × partition: lock names, and finding who holds a lock to say so.

import type { RunStore } from '../storage/types.js';

/**
 * The store lock that guards one asset × partition ('' when unpartitioned).
 * @example lockName('analytics.mau_summary', null) // 'asset:analytics.mau_summary@'
 */
export function lockName(assetKey: string, partition: string | null): string {
  return `asset:${assetKey}@${partition ?? ''}`;
}

const ACTIVE = new Set(['waiting', 'running', 'retrying']);

/**
 * The id of the running run that is working on `assetKey` × `partition`, found from run state
 * (the RunStore contract has no lock-owner lookup). Undefined when no single run can be named.
 * @example await findLockHolder(store, 'a.b', null, myRunId) // '20250110T000000000Z-1a2b3c'
 */
export async function findLockHolder(
  store: RunStore,
  assetKey: string,
  partition: string | null,
  self: string,
): Promise<string | undefined> {
  const runs = await store.listRuns({ status: 'running', limit: 50 });
  let onlyOther: string | undefined;
  let others = 0;
  for (const run of runs) {
    if (run.id === self) continue;
    others++;
    onlyOther = run.id;
    const assets = await store.assetRuns(run.id);
    const busy = assets.some((a) => a.assetKey === assetKey && a.partition === (partition ?? '') && ACTIVE.has(a.status));
    if (busy) return run.id;
  }
  // A holder that has not recorded its step yet: name it when it is the only candidate.
  return others === 1 ? onlyOther : undefined;
}
