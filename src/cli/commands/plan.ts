// `sluice plan <selection>`: the deterministic plan, level by level, without running anything.

import type { Plan } from '../../graph/plan-types.js';
import { loadContext } from '../context.js';
import { type CliIo, painter, printJson } from '../io.js';
import type { GlobalOptions } from '../main.js';

export interface PartitionOptions {
  partition?: string;
  from?: string;
  to?: string;
}

/** Turns --partition / --from / --to into plan options, refusing contradictory combinations. */
export async function partitionOptions(options: PartitionOptions): Promise<PartitionOptions> {
  const { SelectionError } = await import('../../definitions/errors.js');
  if (options.partition && (options.from || options.to)) {
    throw new SelectionError('--partition cannot be combined with --from/--to; use one partition or one range');
  }
  if (Boolean(options.from) !== Boolean(options.to))
    throw new SelectionError('--from and --to go together: give both ends of the range');
  const out: PartitionOptions = {};
  if (options.partition) out.partition = options.partition;
  if (options.from) out.from = options.from;
  if (options.to) out.to = options.to;
  return out;
}

/** Human-readable plan: one block per level, waits marked. */
export function formatPlan(io: CliIo, plan: Plan): string {
  const paint = painter(io);
  const lines: string[] = [];
  plan.levels.forEach((level, i) => {
    lines.push(paint('bold', `level ${i}`));
    for (const step of level) {
      const what = step.action === 'wait' ? paint('dim', 'wait   ') : 'produce';
      lines.push(`  ${what} ${step.key}${step.partition ? paint('dim', ` @ ${step.partition}`) : ''}`);
    }
  });
  const steps = plan.levels.reduce((n, level) => n + level.length, 0);
  lines.push(`${steps} step${steps === 1 ? '' : 's'} in ${plan.levels.length} level${plan.levels.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

export async function planCommand(
  io: CliIo,
  [selection]: unknown[],
  options: PartitionOptions & { json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const partitions = await partitionOptions(options);
  const { graph } = await loadContext(io, globals.project);
  const { plan } = await import('../../graph/index.js');
  const result = plan(graph, String(selection), partitions);
  if (options.json) printJson(io, result);
  else io.stdout.write(formatPlan(io, result));
  return 0;
}
