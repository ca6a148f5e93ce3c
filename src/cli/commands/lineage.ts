// `sluice lineage`: the graph as JSON, Mermaid, dot or OpenLineage, printed or written (atomically) into a folder.

import { loadContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { writeFilesAtomically } from '../write.js';

const FILES = { json: 'graph.json', mermaid: 'graph.mmd', dot: 'graph.dot', openlineage: 'openlineage.json' } as const;
type Format = keyof typeof FILES;

export async function lineage(
  io: CliIo,
  [selection]: unknown[],
  options: { format?: Format | 'all'; out?: string },
  globals: GlobalOptions,
): Promise<number> {
  const { project, graph } = await loadContext(io, globals.project);
  const { renderLineage, select } = await import('../../graph/index.js');
  const keys = typeof selection === 'string' ? select(graph, selection) : graph.keys();
  const format = options.format ?? (options.out ? 'all' : 'json');
  const formats: Format[] = format === 'all' ? ['json', 'mermaid', 'dot', 'openlineage'] : [format];
  const { lineageOpenLineage, resourceTypesOf } = await import('../../openlineage/index.js');
  const resourceTypes = resourceTypesOf(project.config.resources);
  const rendered = formats.map((f) => ({
    path: FILES[f],
    content: f === 'openlineage' ? lineageOpenLineage(graph, keys, { resourceTypes }) : renderLineage(graph, keys, f),
  }));
  if (!options.out) {
    for (const file of rendered) io.stdout.write(file.content.endsWith('\n') ? file.content : `${file.content}\n`);
    return 0;
  }
  const { resolve } = await import('node:path');
  const dir = resolve(project.root, options.out);
  await writeFilesAtomically(dir, rendered);
  io.stdout.write(`wrote ${rendered.map((f) => f.path).join(', ')} to ${options.out}\n`);
  return 0;
}
