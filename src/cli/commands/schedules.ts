// `sluice schedules`: every scheduled pipeline with its cron, zone, catchup and next ticks.

import { loadContext } from '../context.js';
import { type CliIo, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';

export async function schedules(
  io: CliIo,
  _args: unknown[],
  options: { next: number; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const { graph } = await loadContext(io, globals.project);
  const { nextTicks } = await import('../../schedule/ticks.js');
  const now = new Date();
  const rows = graph
    .pipelines()
    .filter((p) => p.schedule)
    .map((p) => {
      const s = p.schedule!;
      return {
        pipeline: p.name,
        cron: s.cron,
        timezone: s.timezone,
        start: s.start ?? null,
        end: s.end ?? null,
        catchup: s.catchup,
        maxActiveRuns: s.maxActiveRuns,
        nextTicks: nextTicks(s, now, options.next).map((t) => t.toISOString()),
      };
    });
  if (options.json) {
    printJson(io, rows);
    return 0;
  }
  const cells = rows.map((r) => [
    r.pipeline,
    r.cron,
    r.timezone,
    r.catchup ? 'yes' : 'no',
    r.nextTicks.join(', ') || 'none (ended)',
  ]);
  io.stdout.write(`${table(cells, ['PIPELINE', 'CRON', 'TIMEZONE', 'CATCHUP', 'NEXT TICKS (UTC)'])}\n`);
  const unscheduled = graph
    .pipelines()
    .filter((p) => !p.schedule)
    .map((p) => p.name);
  if (unscheduled.length > 0) io.stdout.write(`not scheduled: ${unscheduled.join(', ')}\n`);
  return 0;
}
