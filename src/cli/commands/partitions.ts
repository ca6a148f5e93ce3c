// `sluice partitions <asset>`: which partitions are materialized, failed, or missing.

import { loadContext } from '../context.js';
import { type CliIo, painter, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { openProjectStore } from '../run-setup.js';

export async function partitions(
  io: CliIo,
  [key]: unknown[],
  options: { store?: string; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const { project, graph } = await loadContext(io, globals.project);
  const { SelectionError } = await import('../../definitions/errors.js');
  const { partitionKeys } = await import('../../definitions/partitions.js');
  const spec = graph.asset(String(key));
  if (!spec.partitions) throw new SelectionError(`asset "${spec.key}" is not partitioned`);
  const store = await openProjectStore(project.config, project.root, io.env, options.store);
  try {
    const latest = new Map((await store.latestMaterializations([spec.key])).map((m) => [m.partition, m]));
    const rows = partitionKeys(spec.partitions).map((partition) => {
      const m = latest.get(partition);
      return {
        partition,
        status: m ? (m.status === 'succeeded' ? 'materialized' : 'failed') : 'missing',
        runId: m?.runId ?? null,
        endedAt: m?.endedAt ?? null,
      };
    });
    if (options.json) {
      printJson(io, rows);
      return 0;
    }
    const paint = painter(io);
    const shown = (s: string) => (s === 'materialized' ? paint('green', s) : s === 'failed' ? paint('red', s) : paint('dim', s));
    io.stdout.write(
      `${table(
        rows.map((r) => [r.partition, shown(r.status), r.runId ?? '', r.endedAt ?? '']),
        ['PARTITION', 'STATUS', 'RUN', 'ENDED'],
      )}\n`,
    );
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    io.stdout.write(`${count('materialized')} materialized, ${count('failed')} failed, ${count('missing')} missing\n`);
    return 0;
  } finally {
    await store.close();
  }
}
