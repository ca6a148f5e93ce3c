// Read-only lineage routes: config, pipelines, assets (list and one), the laid-out graph, node statuses.

import { Hono } from 'hono';
import { z } from 'zod';
import { select } from '../../graph/index.js';
import { assetDetail, assetSummary, pipelineSummary } from '../asset-view.js';
import { parseInput } from '../errors.js';
import type { ServerState } from '../state.js';

const selection = z.string().trim().max(4_000, 'must be at most 4000 characters');
const assetsQuery = z.strictObject({ select: selection.optional() });
const graphQuery = z.strictObject({
  select: selection.optional(),
  depth: z.coerce.number().int().min(0).max(100).optional(),
  cluster: z.enum(['group', 'pipeline', 'none']).default('group'),
});

/**
 * GET /api/config, /api/pipelines, /api/assets?select=, /api/assets/:key, /api/graph?select=&depth=&cluster=,
 * /api/status. Every answer goes through the redactor.
 * @example app.route('/api', lineageRoutes(state));
 */
export function lineageRoutes(state: ServerState): Hono {
  const { graph } = state;
  const api = new Hono();
  const json = state.json;

  api.get('/config', (c) =>
    json(c, {
      project: state.projectName,
      assets: graph.size,
      pipelines: graph.pipelines().length,
      store: state.store.describe,
      allowMaterialize: state.materialize !== undefined,
    }),
  );

  api.get('/pipelines', (c) => json(c, { pipelines: graph.pipelines().map((p) => pipelineSummary(graph, p)) }));

  api.get('/assets', (c) => {
    const query = parseInput(assetsQuery, c.req.query());
    const keys = query.select ? select(graph, query.select) : graph.keys();
    return json(c, { assets: keys.map((k) => assetSummary(graph, graph.asset(k))) });
  });

  api.get('/assets/:key', async (c) => {
    const key = c.req.param('key');
    // graph.asset() throws SelectionError ("unknown asset … did you mean …"), which must be a 404 here.
    if (!graph.has(key)) {
      const near = graph.suggest(key);
      return json(c, { error: 'not_found', message: `unknown asset "${key}"${near ? `; did you mean "${near}"?` : ''}` }, 404);
    }
    return json(c, await assetDetail(graph, state.store, state.statuses, state.runRecords, key));
  });

  api.get('/graph', async (c) => {
    const query = parseInput(graphQuery, c.req.query());
    const text = await state.views.text(query, state.statuses, state.redactText);
    return c.body(text, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  api.get('/status', async (c) => {
    const statuses: Record<string, { status: string; check: string }> = {};
    for (const [key, s] of await state.statuses.all()) statuses[key] = { status: s.status, check: s.check };
    return json(c, { statuses });
  });

  return api;
}
