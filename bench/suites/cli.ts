// CLI start-up: `sluice --help` must answer within 300 ms, so heavy modules stay behind lazy imports.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../types.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [label, args, budget] of [
    ['sluice --help', ['--help'], 300],
    ['sluice materialize --help', ['materialize', '--help'], 300],
    ['sluice plan +analytics.mau_summary (loads the project)', ['plan', '+analytics.mau_summary'], undefined],
  ] as const) {
    timeOnce([...args]); // warm the file cache
    const samples = Array.from({ length: 11 }, () => timeOnce([...args]));
    rows.push({
      suite: 'cli',
      case: label,
      value: median(samples),
      unit: 'ms',
      ...(budget ? { budget } : {}),
      note: `median of 11 process starts (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)})`,
    });
  }
  return rows;
}
