// The http producer against a loopback Hono app: URLs, headers from env, templated bodies, what is retried.
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectResources } from '../../src/cli/run-setup.js';
import { asset, http } from '../../src/index.js';
import { parseConfig } from '../../src/project/config.js';
import { realClock } from '../../src/runtime/clock.js';
import { joinUrl } from '../../src/runtime/producers/http.js';
import { planFor, run } from './support/harness.js';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const seen: Seen[] = [];
let failuresLeft = 0;
const app = new Hono();
app.all('*', async (c) => {
  seen.push({ method: c.req.method, path: c.req.path, headers: c.req.header(), body: await c.req.text() });
  if (c.req.path === '/api/flaky' && failuresLeft-- > 0) return c.text('upstream overloaded', 500);
  if (c.req.path === '/api/missing') return c.text(`no such flag; you sent ${c.req.header('authorization')}`, 404);
  if (c.req.path === '/api/slow') await new Promise((r) => setTimeout(r, 3_000));
  return c.json({ ok: true });
});

let server: ServerType;
let base = '';

function listen(): Promise<ServerType> {
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
}

beforeAll(async () => {
  server = await listen();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  seen.length = 0;
  failuresLeft = 0;
});

const SECRET = 'Bearer sap-t0ken-123456';

function resources(env: Record<string, string> = {}) {
  const config = parseConfig(
    {
      resources: {
        sap: {
          type: 'http',
          baseUrlEnv: 'SAP_URL',
          headers: { 'X-Client': 'sluice' },
          headersEnv: { Authorization: 'SAP_AUTH' },
        },
      },
    },
    'sluice.config.ts',
  );
  return projectResources(config, process.cwd(), { SAP_URL: `${base}/api/`, SAP_AUTH: SECRET, ...env });
}

describe('http producers', () => {
  it('send the templated body with resource headers, env secrets and spec headers, and log status and time', async () => {
    const a = asset('sap.segmentation_flag', {
      kind: 'api',
      partitions: { granularity: 'daily', start: '2025-01-01' },
      produce: http({
        resource: 'sap',
        url: '/flag?day={{ ds }}',
        headers: { 'X-Load': '{{ run_id }}' },
        body: '{"load_id": "{{ run_id }}", "day": "{{ ds_nodash }}"}',
      }),
    });
    const { result, store } = await run([a], {
      clock: realClock(),
      resources: resources(),
      plan: planFor([a], '*', '2025-01-10'),
      runId: 'run-http',
    });
    expect(result.status).toBe('succeeded');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/flag', body: '{"load_id": "run-http", "day": "20250110"}' });
    expect(seen[0]?.headers).toMatchObject({
      authorization: SECRET,
      'x-client': 'sluice',
      'x-load': 'run-http',
      'content-type': 'application/json',
    });
    const [line] = await store.logs('run-http', 'sap.segmentation_flag');
    expect(line?.message).toMatch(new RegExp(`^POST ${base}/api/flag\\?day=2025-01-10 → 200 OK in \\d+ ms$`));
    const succeeded = (await store.events('run-http')).find((e) => e.type === 'asset_succeeded');
    expect(succeeded?.data).toMatchObject({ metadata: { status: 200 } });
  });

  it('retry a 500 answer as a network error', async () => {
    failuresLeft = 1;
    const a = asset('sap.flaky', {
      produce: http({ resource: 'sap', url: 'flaky', method: 'PUT' }),
      retry: { maxAttempts: 3, delay: 0, retryOn: ['network'] },
    });
    const { result, stored } = await run([a], { clock: realClock(), resources: resources() });
    expect(result.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    const failed = stored.find((e) => e.type === 'attempt_failed');
    expect(failed?.message).toBe(`PUT ${base}/api/flaky answered 500 Internal Server Error: upstream overloaded`);
    expect(failed?.data).toMatchObject({ kind: 'network', retry: true });
  });

  it('fail a 404 at once, with a redacted excerpt of the answer', async () => {
    const a = asset('sap.missing', {
      produce: http({ resource: 'sap', url: '/missing', method: 'GET' }),
      retry: { maxAttempts: 3, delay: 0 },
    });
    const { result } = await run([a], { clock: realClock(), resources: resources() });
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.steps[0]?.error).toBe(
      `GET ${base}/api/missing answered 404 Not Found: no such flag; you sent *** (expected 200, 201, 202, 204; not retried)`,
    );
  });

  it('classify a refused connection as a network error, and retry it', async () => {
    const closed = await listen();
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const a = asset('api.down', {
      produce: http({ url: `http://127.0.0.1:${port}/ping`, method: 'GET' }),
      retry: { maxAttempts: 2, delay: 0, retryOn: ['network'] },
    });
    const { result } = await run([a], { clock: realClock() });
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 2, kind: 'network' });
    expect(result.steps[0]?.error).toContain(`GET http://127.0.0.1:${port}/ping failed: connect ECONNREFUSED`);
  });

  it('abort the request when the asset times out', async () => {
    const a = asset('sap.slow', { produce: http({ resource: 'sap', url: '/slow', method: 'GET' }), timeout: '300ms' });
    const { result } = await run([a], { clock: realClock(), resources: resources() });
    expect(result.steps[0]).toMatchObject({ status: 'failed', kind: 'timeout', error: 'timed out after 300ms' });
  });

  it('take the base URL from SLUICE_CONN_<NAME>, and fail clearly without a resource or a variable', async () => {
    const ok = asset('sap.ping', { produce: http({ resource: 'sap', url: 'ping', method: 'GET' }) });
    const override = await run([ok], { clock: realClock(), resources: resources({ SLUICE_CONN_SAP: `${base}/api/v2` }) });
    expect(override.result.status).toBe('succeeded');
    expect(seen.at(-1)?.path).toBe('/api/v2/ping');

    const unknown = asset('crm.ping', {
      produce: http({ resource: 'crm', url: 'ping', method: 'GET' }),
      retry: { maxAttempts: 3 },
    });
    const noResource = await run([unknown], { clock: realClock(), resources: resources() });
    expect(noResource.result.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(noResource.result.steps[0]?.error).toBe(
      'no http resource named "crm" (configured: sap); declare it in sluice.config.ts or set SLUICE_CONN_CRM',
    );
    const noVariable = await run([ok], { clock: realClock(), resources: resources({ SAP_AUTH: '' }) });
    expect(noVariable.result.steps[0]?.error).toBe('http resource "sap" needs the environment variable SAP_AUTH');
  });

  it('join base and relative URLs with exactly one slash', () => {
    expect(joinUrl('http://h/api/', '/flag')).toBe('http://h/api/flag');
    expect(joinUrl('http://h/api', 'flag')).toBe('http://h/api/flag');
    expect(joinUrl('http://h/api', 'https://other/x')).toBe('https://other/x');
    expect(() => joinUrl(undefined, '/flag')).toThrow('URL "/flag" is relative');
  });
});
