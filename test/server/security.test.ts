// Who may use the API, and what it never says: tokens, loopback-only hosts, masked secrets, escaped-safe JSON.
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import { MemoryRunStore } from '../../src/storage/index.js';
import type { RunStore } from '../../src/storage/types.js';
import { hostileAssets, hostilePipelines, IMG_KEY, SHELL_SECRET } from './fixtures/hostile.js';
import { json, projectOf, REPO, recordRun } from './support.js';

const TOKEN = 'a-long-enough-test-token';
let store: RunStore;
let open: Hono;
let guarded: Hono;

beforeAll(async () => {
  const { project, graph } = await projectOf(REPO, hostileAssets, hostilePipelines);
  store = new MemoryRunStore();
  await recordRun(store, {
    id: 'r1',
    selection: '*',
    start: 0,
    steps: [{ key: IMG_KEY, outcome: 'failed', error: `login failed for ${SHELL_SECRET}`, log: `token=${SHELL_SECRET}` }],
  });
  open = createApp({ project, graph, store, secrets: [SHELL_SECRET], log: () => {} });
  guarded = createApp({ project, graph, store, token: TOKEN, log: () => {} });
});
afterAll(() => store.close());

describe('without a token', () => {
  it('answers loopback hosts only (no DNS rebinding)', async () => {
    expect((await open.request('/api/config', { headers: { host: '127.0.0.1:3000' } })).status).toBe(200);
    expect((await open.request('/api/config', { headers: { host: '[::1]:3000' } })).status).toBe(200);
    const res = await open.request('/api/config', { headers: { host: 'evil.example:3000' } });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('forbidden');
  });

  it('sends a strict content security policy with every answer', async () => {
    const res = await open.request('/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options') ?? res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});

describe('with a token', () => {
  it('refuses requests without it', async () => {
    const res = await guarded.request('/api/assets');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await guarded.request('/')).status).toBe(401);
    expect((await guarded.request('/api/assets', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    // A token in the query is only honoured by the page itself, which trades it for a cookie.
    expect((await guarded.request(`/api/assets?token=${TOKEN}`)).status).toBe(401);
  });

  it('accepts the bearer token from any host', async () => {
    const res = await guarded.request('/api/assets', {
      headers: { authorization: `Bearer ${TOKEN}`, host: 'sluice.internal:3000' },
    });
    expect(res.status).toBe(200);
  });

  it('trades ?token= on the page for an HttpOnly cookie and a clean address', async () => {
    const res = await guarded.request(`/?token=${TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sluice_token=[0-9a-f]{64}; Path=\//);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const pair = cookie.split(';')[0]!;
    expect((await guarded.request('/api/config', { headers: { cookie: pair } })).status).toBe(200);
    expect((await guarded.request('/', { headers: { cookie: 'sluice_token=forged' } })).status).toBe(401);
    expect((await guarded.request('/?token=wrong')).status).toBe(401);
  });
});

describe('secrets', () => {
  it('masks environment values of producers', async () => {
    const body = await json(await open.request(`/api/assets/${encodeURIComponent(IMG_KEY)}`));
    expect(body.producer).toEqual({
      type: 'shell',
      command: 'echo "<script>window.__xss=6</script>"',
      env: { API_TOKEN: '***' },
    });
  });

  it('masks secret values in run errors, logs and event streams', async () => {
    const run = await (await open.request('/api/runs/r1')).text();
    expect(run).not.toContain(SHELL_SECRET);
    expect(run).toContain('login failed for ***');
    expect(run).toContain('token=***');
    const events = await (await open.request('/api/runs/r1/events')).text();
    expect(events).not.toContain(SHELL_SECRET);
    expect(events).toContain('token=***');
    const lineage = await (await open.request('/api/runs/r1/openlineage')).text();
    expect(lineage).not.toContain(SHELL_SECRET);
  });

  it('keeps markup in keys as data: JSON carries it verbatim, the page escapes it', async () => {
    const body = await json(await open.request('/api/graph'));
    expect(body.nodes.map((n: any) => n.key)).toContain(IMG_KEY);
    const res = await open.request(`/api/assets/${encodeURIComponent(IMG_KEY)}`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await json(res)).key).toBe(IMG_KEY);
  });
});
