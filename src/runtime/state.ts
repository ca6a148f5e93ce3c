// The per-step state machine: which status may follow which, checked on every change.

import { SluiceError } from '../definitions/errors.js';
import type { AssetStatus } from '../storage/types.js';

/**
 * Allowed transitions. planned: upstream not done yet; waiting: ready, queued for a slot or a lock,
 * or polling a sensor; running: an attempt is in flight; retrying: between attempts.
 * A step reused from a resumed run goes planned → skipped.
 */
export const TRANSITIONS: Readonly<Record<AssetStatus, readonly AssetStatus[]>> = {
  planned: ['waiting', 'skipped', 'upstream_failed'],
  waiting: ['running', 'succeeded', 'failed', 'skipped'],
  running: ['succeeded', 'failed', 'retrying'],
  retrying: ['waiting', 'failed'],
  succeeded: [],
  failed: [],
  skipped: [],
  upstream_failed: [],
};

/**
 * True when no further transition is possible.
 * @example isTerminal('upstream_failed') // true
 */
export function isTerminal(status: AssetStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/**
 * The statuses of every step of a run, by plan position.
 * @example const s = new StepStates(3); s.move(0, 'waiting'); s.get(0) // 'waiting'
 */
export class StepStates {
  private readonly status: AssetStatus[];

  constructor(size: number) {
    this.status = new Array<AssetStatus>(size).fill('planned');
  }

  get(index: number): AssetStatus {
    return this.status[index] as AssetStatus;
  }

  /** Moves step `index` to `to`; an illegal move is a bug in the executor, so it throws. */
  move(index: number, to: AssetStatus): void {
    const from = this.get(index);
    if (!TRANSITIONS[from].includes(to)) throw new SluiceError(`internal: step ${index} cannot go from ${from} to ${to}`);
    this.status[index] = to;
  }
}
