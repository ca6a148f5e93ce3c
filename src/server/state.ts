// What every route handler shares: the project, graph, store, redactor, and the caches built on them.

import { basename } from 'node:path';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { LineageGraph } from '../graph/index.js';
import { OpenLineageModel, resourceTypesOf } from '../openlineage/index.js';
import type { Project } from '../project/index.js';
import { redactor } from '../resources/secrets.js';
import type { RunStore } from '../storage/types.js';
import { RunRecordCache } from './asset-view.js';
import { GraphViews } from './graph-view.js';
import type { RunMaterialization } from './materialize.js';
import { StatusBoard } from './status.js';

/** What createApp takes. */
export interface AppOptions {
  /** The loaded project: its root names it, its config types the resources, its definitions run. */
  project: Project;
  graph: LineageGraph;
  store: RunStore;
  /** When set, every request must present it (bearer header, or the cookie `/?token=` sets). */
  token?: string | undefined;
  /** POST /api/materialize works only with a token, this flag and a runMaterialization. */
  allowMaterialize?: boolean | undefined;
  runMaterialization?: RunMaterialization | undefined;
  /** Values masked as '***' in everything the API sends (the CLI passes collectSecrets(env)). */
  secrets?: Iterable<string> | undefined;
  /** How often live event streams poll the store. Default 250 ms. */
  pollMs?: number | undefined;
  /** How long node statuses are reused between requests. Default 1 s. */
  statusTtlMs?: number | undefined;
  /** OpenLineage job namespace for /api/runs/:id/openlineage (the CLI passes OPENLINEAGE_NAMESPACE). Default 'sluice'. */
  openLineageNamespace?: string | undefined;
  /** Where unexpected errors are written. Default console.error. */
  log?: ((line: string) => void) | undefined;
}

export interface ServerState {
  options: AppOptions;
  /** Set only when POST /api/materialize is on: a token, `allowMaterialize` and a runner were all given. */
  materialize: RunMaterialization | undefined;
  projectName: string;
  graph: LineageGraph;
  store: RunStore;
  /**
   * Masks secrets in serialized JSON: one pass over the text rather than a deep copy of every object, which
   * matters for a 10,000-node graph.
   */
  redactText: (json: string) => string;
  /** A JSON response with every secret masked. */
  json: (c: Context, value: unknown, status?: ContentfulStatusCode) => Response;
  statuses: StatusBoard;
  views: GraphViews;
  runRecords: RunRecordCache;
  openLineage: OpenLineageModel;
  log: (line: string) => void;
}

export function serverState(options: AppOptions): ServerState {
  const projectName = basename(options.project.root) || 'project';
  const redactText = redactor(options.secrets ?? []);
  const resourceTypes = resourceTypesOf(options.project.config.resources);
  return {
    options,
    materialize: options.token && options.allowMaterialize ? options.runMaterialization : undefined,
    projectName,
    graph: options.graph,
    store: options.store,
    redactText,
    json: (c, value, status = 200) =>
      c.body(redactText(JSON.stringify(value)), status, { 'Content-Type': 'application/json; charset=utf-8' }),
    statuses: new StatusBoard(options.store, options.statusTtlMs),
    views: new GraphViews(options.graph),
    runRecords: new RunRecordCache(),
    // The same names as the emitter and `sluice lineage --format openlineage` use, whatever the folder is called.
    openLineage: new OpenLineageModel({ graph: options.graph, namespace: options.openLineageNamespace, resourceTypes }),
    log: options.log ?? ((line) => console.error(line)),
  };
}
