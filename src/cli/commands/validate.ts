// `sluice validate`: load everything, build and check the graph; problems surface as errors (exit 2).

import { loadContext } from '../context.js';
import { type CliIo, printJson } from '../io.js';
import type { GlobalOptions } from '../main.js';

export async function validate(
  io: CliIo,
  _args: unknown[],
  options: { json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const { project, graph } = await loadContext(io, globals.project);
  const summary = {
    ok: true,
    root: project.root,
    assets: graph.size,
    sources: graph.keys().filter((k) => graph.asset(k).source).length,
    pipelines: graph.pipelines().map((p) => ({ name: p.name, assets: graph.pipelineAssets(p.name).length })),
  };
  if (options.json) printJson(io, summary);
  else {
    io.stdout.write(
      `ok: ${summary.assets} assets (${summary.sources} sources), ${summary.pipelines.length} pipeline${summary.pipelines.length === 1 ? '' : 's'}\n`,
    );
    for (const p of summary.pipelines) io.stdout.write(`  ${p.name}: ${p.assets} assets\n`);
  }
  return 0;
}
