// Run routes: the list, one run, its live events (SSE), its OpenLineage events, and starting a run.

import { Hono } from 'hono';
import { z } from 'zod';
import { runOpenLineageEvents } from '../../openlineage/index.js';
import type { StoredRunEvent } from '../../storage/types.js';
import { ApiError, parseInput } from '../errors.js';
import { publicRun, requireRun, runDetail } from '../run-view.js';
import { runEventStream } from '../sse.js';
import type { ServerState } from '../state.js';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  pipeline: z.string().min(1).optional(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']).optional(),
});
const eventsQuery = z.strictObject({ after: z.coerce.number().int().min(0).optional() });
const partitionKey = z.string().min(1).max(64);
const materializeBody = z.strictObject({
  selection: z.string().trim().min(1, 'give a selection, e.g. +analytics.mau_summary').max(4_000),
  partition: partitionKey.optional(),
  from: partitionKey.optional(),
  to: partitionKey.optional(),
});

/**
 * GET /api/runs?limit&offset, /api/runs/:id, /api/runs/:id/events (SSE), /api/runs/:id/openlineage and
 * POST /api/materialize (token + --allow-materialize only).
 * @example app.route('/api', runRoutes(state));
 */
export function runRoutes(state: ServerState): Hono {
  const { store, json } = state;
  const api = new Hono();

  api.get('/runs', async (c) => {
    const query = parseInput(listQuery, c.req.query());
    const runs = await store.listRuns(query);
    return json(c, { runs: runs.map(publicRun), limit: query.limit, offset: query.offset });
  });

  api.get('/runs/:id', async (c) => json(c, await runDetail(store, c.req.param('id'))));

  api.get('/runs/:id/events', async (c) => {
    const id = c.req.param('id');
    const query = parseInput(eventsQuery, c.req.query());
    await requireRun(store, id);
    // A reconnecting EventSource says where it stopped; that wins over the page's first ?after=.
    const lastId = Number(c.req.header('last-event-id'));
    const after = Number.isInteger(lastId) && lastId >= 0 ? lastId : (query.after ?? 0);
    return runEventStream(c, store, id, after, { pollMs: state.options.pollMs ?? 250, redact: state.redactText });
  });

  api.get('/runs/:id/openlineage', async (c) => {
    const id = c.req.param('id');
    const run = await requireRun(store, id);
    const events: StoredRunEvent[] = await store.events(id);
    return json(c, { runId: id, events: runOpenLineageEvents(state.openLineage, { pipeline: run.pipeline }, events) });
  });

  api.post('/materialize', async (c) => {
    const run = state.materialize;
    if (!run) {
      throw new ApiError(
        403,
        'forbidden',
        'materializing from the browser is off: start `sluice serve --allow-materialize` with a token (--token or SLUICE_TOKEN)',
      );
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(415, 'unsupported_media_type', 'send the request as application/json');
    }
    const body = parseInput(
      materializeBody,
      await c.req.json().catch(() => {
        throw new ApiError(400, 'bad_request', 'the body is not valid JSON');
      }),
    );
    const { runId } = await run(body);
    return json(c, { runId, url: `/#/runs/${encodeURIComponent(runId)}` }, 202);
  });

  return api;
}
