// startServer(): the app on a real socket, via @hono/node-server, refusing non-loopback hosts without a token.

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { isLoopbackHost } from './security.js';

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** 0 picks a free port. Default 3000. */
  port?: number | undefined;
  /** Must be set to bind anything but a loopback address. */
  token?: string | undefined;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Thrown when asked to listen beyond this machine without a token. */
export class UnsafeBindError extends Error {}

/**
 * Listens and resolves once the socket is bound. Open event streams are cut on close().
 * @example
 * const server = await startServer(createApp({ project, graph, store }), { port: 0 });
 * await fetch(`${server.url}/api/config`);
 * await server.close();
 */
export function startServer(app: Hono, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.token) {
    throw new UnsafeBindError(
      `refusing to listen on ${host} without a token: anyone who can reach it could read your lineage and runs; ` +
        'pass --token (or set SLUICE_TOKEN), or use --host 127.0.0.1',
    );
  }
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 3000 }, (info: AddressInfo) => {
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // SSE responses keep sockets open; without this close() would wait for every run to end.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
