// `sluice serve`: the lineage browser and JSON API on a local port, read-only unless --allow-materialize.

import type { RunningServer } from '../../server/index.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

export interface ServeOptions {
  port?: string | number;
  host?: string;
  token?: string;
  allowMaterialize?: boolean;
  store?: string;
  concurrency?: number;
}

/** A started server and how to stop it (stopping also waits for runs it started and closes the store). */
export interface ServeHandle {
  url: string;
  /** The URL to open: with `?token=` when there is a token, so the page can set its cookie. */
  openUrl: string;
  token: string | undefined;
  stop(): Promise<void>;
}

/**
 * Loads the project, opens the run store and starts the server; what serveCommand does before it waits
 * for Ctrl-C. Exported for tests, which stop it themselves.
 * @example const handle = await startServe(io, { port: 0 }, {}); await handle.stop();
 */
export async function startServe(io: CliIo, options: ServeOptions, globals: GlobalOptions): Promise<ServeHandle> {
  const { SluiceError } = await import('../../definitions/errors.js');
  const port = Number(options.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new SluiceError(`--port: "${options.port}" is not a port (0–65535)`);
  const host = options.host ?? '127.0.0.1';
  const { isLoopbackHost } = await import('../../server/index.js');
  let token = options.token ?? (io.env.SLUICE_TOKEN || undefined);
  if (!isLoopbackHost(host) && !token) {
    throw new SluiceError(
      `refusing to serve on ${host} without a token: anyone who reaches it could read your lineage and runs. ` +
        'Pass --token <secret> or set SLUICE_TOKEN (or keep the default --host 127.0.0.1).',
    );
  }
  if (options.allowMaterialize && !token) {
    // Starting runs from the browser always needs a token; an unguessable one is made up for this session.
    const { randomBytes } = await import('node:crypto');
    token = randomBytes(24).toString('base64url');
  }

  const { loadContext } = await import('../context.js');
  const { openProjectStore, projectNotifier, projectResources } = await import('../run-setup.js');
  const ctx = await loadContext(io, globals.project);
  const { project, graph } = ctx;
  const store = await openProjectStore(project.config, project.root, io.env, options.store);
  const { collectSecrets, redactor } = await import('../../resources/secrets.js');
  const secrets = collectSecrets(io.env);
  if (token) secrets.push(token);
  const warn = (line: string) => io.stderr.write(`warning: ${line}\n`);
  const { createApp, inProcessMaterializer, startServer } = await import('../../server/index.js');

  const resources = options.allowMaterialize ? projectResources(project.config, project.root, io.env) : undefined;
  let runner: ReturnType<typeof inProcessMaterializer> | undefined;
  if (options.allowMaterialize) {
    const { openLineageFromEnv, resourceTypesOf } = await import('../../openlineage/index.js');
    const resourceTypes = resourceTypesOf(project.config.resources);
    runner = inProcessMaterializer({
      project,
      graph,
      store,
      resources,
      secrets,
      concurrency: options.concurrency,
      notifier: projectNotifier(project.config, io.env, redactor(secrets), warn),
      observe: ({ pipeline }) => {
        const lineage = openLineageFromEnv(io.env, { graph, pipeline, resourceTypes, onError: warn });
        return lineage && { onEvent: (e) => lineage.onEvent(e), done: () => lineage.flush() };
      },
      log: (line) => io.stdout.write(`${line}\n`),
    });
  }
  const app = createApp({
    project,
    graph,
    store,
    token,
    secrets,
    allowMaterialize: options.allowMaterialize,
    runMaterialization: runner?.run,
    openLineageNamespace: io.env.OPENLINEAGE_NAMESPACE?.trim() || undefined,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  let server: RunningServer;
  try {
    server = await startServer(app, { host, port, token });
  } catch (error) {
    await store.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new SluiceError(`port ${port} on ${host} is in use; pick another with --port`);
    throw error;
  }
  const openUrl = token ? `${server.url}/?token=${encodeURIComponent(token)}` : `${server.url}/`;
  return {
    url: server.url,
    openUrl,
    token,
    async stop() {
      await server.close();
      await runner?.settled();
      await resources?.close();
      await store.close();
    },
  };
}

export async function serveCommand(io: CliIo, _args: unknown[], options: ServeOptions, globals: GlobalOptions): Promise<number> {
  const handle = await startServe(io, options, globals);
  io.stdout.write(
    `sluice serve: lineage browser at ${handle.openUrl}\n` +
      `  ${options.allowMaterialize ? 'materializing from the browser is ON' : 'read-only'}; Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write('sluice serve: stopping (waiting for runs started here to finish)\n');
  await handle.stop();
  return 0;
}
