// The backfill bound: at most N partitions of a run in flight, admitted oldest first.

import { SluiceError } from '../definitions/errors.js';

/**
 * A sliding window over a run's partitions in key order. A partition is admitted — its steps may take
 * run slots — only after every older partition was, and at most `max` admitted partitions have steps
 * left. Admitting strictly in key order is what keeps the gate deadlock-free: steps depend only on
 * their own partition, on older ones (dependsOnPast) or on unpartitioned steps, and all of those are
 * admitted already. Steps without a partition never wait here.
 * @example
 * const gate = new PartitionGate(2, ['2025-01-01', '2025-01-01', '2025-01-02', '2025-01-03']);
 * await gate.enter('2025-01-03'); // waits until one of the first two days has no steps left
 */
export class PartitionGate {
  private readonly order: string[];
  private readonly left = new Map<string, number>();
  private readonly admitted = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private next = 0;
  private active = 0;
  private closed: unknown;

  /** `partitions`: the partition of every step of the run (null or empty for unpartitioned steps). */
  constructor(
    private readonly max: number,
    partitions: readonly (string | null | undefined)[],
  ) {
    if (!Number.isInteger(max) || max < 1) {
      throw new SluiceError(`the partition bound must be a whole number of at least 1, not ${max}`);
    }
    for (const p of partitions) if (p) this.left.set(p, (this.left.get(p) ?? 0) + 1);
    this.order = [...this.left.keys()].sort();
    this.pump();
  }

  /** Resolves once steps of `partition` may run; rejects once the gate is closed (the run was cancelled). */
  enter(partition: string | null | undefined): Promise<void> {
    if (this.closed !== undefined) return Promise.reject(this.closed);
    if (!partition || this.admitted.has(partition)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(partition) ?? [];
      list.push(() => (this.closed === undefined ? resolve() : reject(this.closed)));
      this.waiting.set(partition, list);
    });
  }

  /** A step of `partition` ended, however (run, skipped, upstream failed); its last step frees the partition's place. */
  stepDone(partition: string | null | undefined): void {
    if (!partition) return;
    const left = (this.left.get(partition) ?? 1) - 1;
    this.left.set(partition, left);
    if (left === 0 && this.admitted.has(partition)) {
      this.active--;
      this.pump();
    }
  }

  /** Rejects every waiting step with `reason`, and later enters at once. */
  close(reason: unknown): void {
    this.closed = reason;
    for (const list of this.waiting.values()) for (const wake of list) wake();
    this.waiting.clear();
  }

  private pump(): void {
    while (this.next < this.order.length && this.active < this.max) {
      const partition = this.order[this.next++] as string;
      this.admitted.add(partition);
      // A partition whose steps all ended before its turn (skipped downstream of a failure) takes no place.
      if ((this.left.get(partition) ?? 0) > 0) this.active++;
      for (const wake of this.waiting.get(partition) ?? []) wake();
      this.waiting.delete(partition);
    }
  }
}
