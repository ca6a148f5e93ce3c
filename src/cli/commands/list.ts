// `sluice list [selection]`: the project's assets as a table or JSON.

import { loadContext } from '../context.js';
import { type CliIo, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';

export async function list(
  io: CliIo,
  [selection]: unknown[],
  options: { json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const { graph } = await loadContext(io, globals.project);
  const { select } = await import('../../graph/index.js');
  const keys = typeof selection === 'string' ? select(graph, selection) : graph.keys();
  const rows = keys.map((key) => {
    const spec = graph.asset(key);
    return {
      key,
      kind: spec.kind,
      producer: spec.producer?.type ?? 'source',
      group: spec.group ?? null,
      tags: spec.tags,
      deps: spec.deps,
      file: graph.file(key) ?? null,
    };
  });
  if (options.json) {
    printJson(io, rows);
    return 0;
  }
  io.stdout.write(
    `${table(
      rows.map((r) => [r.key, r.kind, r.producer, r.group ?? '', r.file ?? '']),
      ['ASSET', 'KIND', 'PRODUCER', 'GROUP', 'FILE'],
    )}\n${rows.length} asset${rows.length === 1 ? '' : 's'}\n`,
  );
  return 0;
}
