// Loads the project and its lineage graph once per command, so every command sees validated input.

import type { LineageGraph } from '../graph/index.js';
import type { Project } from '../project/index.js';
import type { CliIo } from './io.js';

export interface ProjectContext {
  project: Project;
  graph: LineageGraph;
}

/** Finds the project from `--project` or the working directory, loads its modules and builds the graph. */
export async function loadContext(io: CliIo, projectDir: string | undefined): Promise<ProjectContext> {
  const { resolve } = await import('node:path');
  const { findProjectRoot, loadProject } = await import('../project/index.js');
  const { buildGraph } = await import('../graph/index.js');
  const root = projectDir ? resolve(io.cwd, projectDir) : findProjectRoot(io.cwd);
  const project = await loadProject(root);
  const graph = buildGraph({
    assets: project.assets.map((a) => ({ spec: a.definition.spec, file: a.file })),
    pipelines: project.pipelines.map((p) => ({ spec: p.definition.spec, file: p.file })),
  });
  return { project, graph };
}
