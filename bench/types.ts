// The row every benchmark suite returns; bench/run.ts prints them and writes docs/benchmarks.md.

/** One measured figure. With a budget, the row passes when value <= budget (same unit). */
export interface BenchRow {
  /** The suite (section of docs/benchmarks.md) the row belongs to, e.g. 'graph'. */
  suite: string;
  /** What was measured, e.g. 'build+validate+plan 10k/30k'. */
  case: string;
  value: number;
  /** e.g. 'ms', 'MB'. */
  unit: string;
  budget?: number;
  /** How it was measured: runs, spread, caveats. */
  note?: string;
}

/** What a module in bench/suites/ exports. */
export type BenchSuite = () => Promise<BenchRow[]>;
