// Trigger conditions: given how a step's upstream steps ended, run it, skip it, or mark it upstream_failed.

import type { TriggerCondition } from '../definitions/schema.js';

/** How an upstream step ended, as trigger conditions see it (a step reused on resume counts as success). */
export type UpstreamOutcome = 'success' | 'failed' | 'skipped';

export type TriggerDecision = { run: true } | { run: false; status: 'skipped' | 'upstream_failed'; reason: string };

/**
 * - all_success (default): any upstream failed or upstream_failed → upstream_failed; else any skipped → skipped.
 * - all_done: runs whatever the upstream outcome.
 * - one_failed: runs only when at least one upstream failed (or is upstream_failed); else skipped.
 * A step without upstream always runs.
 * @example decideTrigger('one_failed', [{ id: 'a', outcome: 'success' }]) // { run: false, status: 'skipped', ... }
 */
export function decideTrigger(
  condition: TriggerCondition,
  upstream: readonly { id: string; outcome: UpstreamOutcome }[],
): TriggerDecision {
  if (upstream.length === 0) return { run: true };
  const failed = upstream.filter((u) => u.outcome === 'failed').map((u) => u.id);
  switch (condition) {
    case 'all_done':
      return { run: true };
    case 'one_failed':
      return failed.length > 0 ? { run: true } : { run: false, status: 'skipped', reason: 'one_failed: no upstream step failed' };
    case 'all_success': {
      if (failed.length > 0) return { run: false, status: 'upstream_failed', reason: `upstream failed: ${failed.join(', ')}` };
      const skipped = upstream.filter((u) => u.outcome === 'skipped').map((u) => u.id);
      if (skipped.length > 0) return { run: false, status: 'skipped', reason: `upstream skipped: ${skipped.join(', ')}` };
      return { run: true };
    }
  }
}
