// createApp(): the Hono app — guard, the lineage browser's files, the JSON API, JSON errors.

import { Hono } from 'hono';
import { errorResponse } from './errors.js';
import { lineageRoutes } from './routes/api.js';
import { runRoutes } from './routes/runs.js';
import { guard } from './security.js';
import { type AppOptions, serverState } from './state.js';
import { STATIC_FILES } from './static/index.js';

/**
 * The sluice server as a plain Hono app: test it with `app.request()`, serve it with startServer().
 * Read-only unless a token, `allowMaterialize` and `runMaterialization` are all given.
 * @example
 * const app = createApp({ project, graph, store });
 * const res = await app.request('/api/assets?select=tag:ELT');
 * (await res.json()).assets.map((a) => a.key); // ['analytics.mau_summary', 'analytics.temp_mau_summary']
 */
export function createApp(options: AppOptions): Hono {
  const state = serverState(options);
  const app = new Hono();
  app.use('*', guard({ token: options.token }));
  app.onError((error, c) => errorResponse(error, c, state.log));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));

  for (const [path, file] of STATIC_FILES) {
    app.get(path, (c) => {
      if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
      // The page is small and changes with every sluice version: revalidate each time, by ETag.
      return c.body(file.body, 200, { 'Content-Type': file.type, ETag: file.etag, 'Cache-Control': 'no-cache' });
    });
  }
  app.route('/api', lineageRoutes(state));
  app.route('/api', runRoutes(state));
  // The full graph's layout is the slowest thing the page asks for; compute it before anyone does.
  setImmediate(() => {
    try {
      state.views.layout({ cluster: 'group' });
    } catch {
      // An empty project has nothing to lay out; the request will say so.
    }
  });
  return app;
}
