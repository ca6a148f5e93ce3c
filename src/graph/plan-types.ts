// The shape of a plan: what the graph layer produces and the runtime executes. Plain data, JSON-safe.

/** One unit of work: an asset for one partition (or unpartitioned), or a wait on a source / sensor. */
export interface PlanStep {
  /** `${key}` or `${key}@${partition}`; unique within a plan. */
  id: string;
  key: string;
  /** The partition key, or null for unpartitioned assets. */
  partition: string | null;
  /** 'wait': a source asset (observed, or polled through its sensor); 'produce': run the producer. */
  action: 'wait' | 'produce';
  /** Topological level, 0-based; steps of one level have no deps on each other. */
  level: number;
  /** Ids of the steps this one waits for, sorted. */
  after: string[];
}

export interface Plan {
  /** The selection expression the plan was made from. */
  selection: string;
  /** Partition keys the plan covers ([] for an unpartitioned plan). */
  partitions: string[];
  /** Steps by level; inside a level sorted by key, then partition. */
  levels: PlanStep[][];
}
