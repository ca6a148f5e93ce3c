// The JSON API through app.request(): the example project and a SQLite store holding two recorded runs.
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import type { RunStore } from '../../src/storage/types.js';
import { json, loadProjectAt, REPO, recordExampleRuns, tempSqliteStore } from './support.js';

let app: Hono;
let store: RunStore;

beforeAll(async () => {
  const { project, graph } = await loadProjectAt(REPO);
  store = (await tempSqliteStore()).store;
  await recordExampleRuns(store);
  app = createApp({ project, graph, store, log: () => {} });
});
afterAll(() => store.close());

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await app.request(path);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: await json(res) };
}

describe('lineage API', () => {
  it('lists pipelines with their selection and size', async () => {
    const { status, body } = await get('/api/pipelines');
    expect(status).toBe(200);
    expect(body.pipelines).toContainEqual(
      expect.objectContaining({
        name: 'run_elt_alert',
        select: '+analytics.mau_summary',
        assets: 4,
        tags: ['ELT'],
        file: 'assets/run_elt_alert.ts',
      }),
    );
    // Who gets paged is shown as a channel, never as addresses or tokens.
    expect(body.pipelines.find((p: any) => p.name === 'run_elt_alert').onFailure).toEqual([
      { type: 'slack', channel: '#data-alerts' },
    ]);
  });

  it('lists the assets a selection picks, sorted', async () => {
    const { status, body } = await get('/api/assets?select=tag:ELT');
    expect(status).toBe(200);
    expect(body.assets.map((a: any) => a.key)).toEqual(['analytics.mau_summary', 'analytics.temp_mau_summary']);
    expect(body.assets[0]).toEqual({
      key: 'analytics.mau_summary',
      kind: 'table',
      source: false,
      group: 'analytics',
      owner: null,
      tags: ['ELT'],
      description: 'Monthly active users, published atomically from the checked temp table.',
      producer: 'swap',
      file: 'assets/run_elt_alert.ts',
    });
  });

  it('answers a misspelled selection with 400 and "did you mean"', async () => {
    const { status, body } = await get('/api/assets?select=analytics.mau_sumary');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'bad_selection',
      message: 'unknown asset "analytics.mau_sumary" — did you mean "analytics.mau_summary"?',
    });
  });

  it('answers a selection that does not parse with 400 and the column', async () => {
    const { status, body } = await get(`/api/assets?select=${encodeURIComponent('tag:ELT and')}`);
    expect(status).toBe(400);
    expect(body.message).toMatch(/^cannot parse selection at column 12/);
  });

  it('rejects unknown query parameters', async () => {
    const { status, body } = await get('/api/assets?selekt=x');
    expect(status).toBe(400);
    expect(body.error).toBe('bad_request');
  });

  it('describes one asset: producer SQL, checks, policies, neighbours, status, history', async () => {
    const { status, body } = await get('/api/assets/analytics.temp_mau_summary');
    expect(status).toBe(200);
    expect(body.producer).toMatchObject({ type: 'ctas', resource: 'warehouse' });
    expect(body.producer.sql).toContain("DATE_TRUNC('month', s.ts)");
    expect(body.checks).toEqual([{ type: 'row_count', name: 'not_empty', blocking: true, min: 1 }]);
    expect(body.policies.retry).toEqual({
      maxAttempts: 3,
      delay: 60_000,
      backoff: 'exponential',
      retryOn: ['timeout', 'network', 'validation'],
    });
    expect(body.upstream).toEqual(['raw_data.session_timestamp', 'raw_data.user_session_channel']);
    expect(body.downstream).toEqual(['analytics.mau_summary']);
    expect(body.pipelines).toEqual(['run_elt_alert']);
    // The newest materialization (the second run) failed its blocking check.
    expect(body.status).toMatchObject({ status: 'failed', last: 'failed', check: 'failed', runId: '20250111T060000000Z-bbbbbb' });
    expect(body.partitions).toEqual([
      {
        assetKey: 'analytics.temp_mau_summary',
        partition: '',
        status: 'failed',
        runId: '20250111T060000000Z-bbbbbb',
        endedAt: expect.any(String),
      },
    ]);
    expect(body.recent.map((r: any) => [r.runId, r.status, r.attempts])).toEqual([
      ['20250111T060000000Z-bbbbbb', 'failed', 2],
      ['20250110T060000000Z-aaaaaa', 'succeeded', 1],
    ]);
  });

  it('answers an unknown asset with 404 and the nearest key', async () => {
    const { status, body } = await get('/api/assets/analytics.mau_sumary');
    expect(status).toBe(404);
    expect(body.message).toBe('unknown asset "analytics.mau_sumary"; did you mean "analytics.mau_summary"?');
  });

  it('lays out the whole graph left to right, with clusters and statuses', async () => {
    const { status, body } = await get('/api/graph');
    expect(status).toBe(200);
    expect(body.nodes).toHaveLength(body.total);
    const byKey = new Map(body.nodes.map((n: any) => [n.key, n]));
    for (const [from, to] of body.edges) expect(body.nodes[from].x).toBeLessThan(body.nodes[to].x);
    // Every node sits inside its cluster's box, and no two nodes overlap.
    for (const n of body.nodes) {
      const c = body.clusters[n.cluster];
      expect(n.x >= c.x && n.x + body.node.width <= c.x + c.width && n.y >= c.y && n.y + body.node.height <= c.y + c.height).toBe(
        true,
      );
    }
    const spots = new Set(body.nodes.map((n: any) => `${n.x},${n.y}`));
    expect(spots.size).toBe(body.nodes.length);
    expect(byKey.get('analytics.temp_mau_summary')).toMatchObject({ status: 'failed', check: 'failed', group: 'analytics' });
    // upstream_failed in the second run is not a materialization: the first run's success still stands.
    expect(byKey.get('analytics.mau_summary')).toMatchObject({ status: 'succeeded', check: 'none' });
    expect(body.clusters.map((c: any) => c.label)).toContain('analytics');
  });

  it('focuses a selection widened by depth', async () => {
    const { body } = await get('/api/graph?select=analytics.mau_summary&depth=1');
    // One step each way: the temp table it swaps from, and the trend report built on it.
    expect(body.nodes.map((n: any) => n.key)).toEqual([
      'analytics.temp_mau_summary',
      'analytics.mau_summary',
      'analytics.mau_trend',
    ]);
    expect(body.edges).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const grouped = await get('/api/graph?select=%2Banalytics.mau_summary&cluster=pipeline');
    expect(grouped.body.clusters.map((c: any) => c.label)).toEqual(['run_elt_alert']);
  });

  it('validates graph parameters', async () => {
    expect((await get('/api/graph?depth=-1')).status).toBe(400);
    expect((await get('/api/graph?cluster=colour')).body.message).toMatch(/^cluster: /);
    expect((await get('/api/graph?select=nope')).status).toBe(400);
  });

  it('reports statuses of every asset with one', async () => {
    const { body } = await get('/api/status');
    expect(body.statuses['analytics.temp_mau_summary']).toEqual({ status: 'failed', check: 'failed' });
    expect(body.statuses['raw_data.session_timestamp']).toEqual({ status: 'succeeded', check: 'none' });
  });
});

describe('runs API', () => {
  it('pages through runs, newest first', async () => {
    const first = await get('/api/runs?limit=1');
    expect(first.body.runs.map((r: any) => [r.id, r.status, r.durationMs])).toEqual([
      ['20250111T060000000Z-bbbbbb', 'failed', 12_000],
    ]);
    const second = await get('/api/runs?limit=1&offset=1');
    expect(second.body.runs.map((r: any) => r.id)).toEqual(['20250110T060000000Z-aaaaaa']);
    expect((await get('/api/runs?limit=0')).status).toBe(400);
  });

  it('shows one run: per-asset states in plan order, attempts, timings, errors, checks, logs', async () => {
    const { body } = await get('/api/runs/20250111T060000000Z-bbbbbb');
    expect(body.run).toMatchObject({
      id: '20250111T060000000Z-bbbbbb',
      status: 'failed',
      pipeline: 'run_elt_alert',
      error: '1 asset(s) failed',
    });
    expect(body.assets.map((a: any) => [a.assetKey, a.status])).toEqual([
      ['raw_data.session_timestamp', 'succeeded'],
      ['raw_data.user_session_channel', 'succeeded'],
      ['analytics.temp_mau_summary', 'failed'],
      ['analytics.mau_summary', 'upstream_failed'],
    ]);
    const temp = body.assets[2];
    expect(temp).toMatchObject({ attempts: 2, error: 'check not_empty failed: 0 rows', durationMs: 4_000 });
    expect(temp.attemptList.map((a: any) => [a.attempt, a.status, a.error])).toEqual([
      [1, 'failed', 'check not_empty failed: 0 rows'],
      [2, 'failed', 'check not_empty failed: 0 rows'],
    ]);
    expect(body.checks).toEqual([
      expect.objectContaining({ name: 'not_empty', passed: false, blocking: true, message: '0 rows' }),
    ]);
    expect(body.lastSeq).toBeGreaterThan(0);
    const first = await get('/api/runs/20250110T060000000Z-aaaaaa');
    expect(first.body.logs).toEqual([
      expect.objectContaining({ assetKey: 'analytics.temp_mau_summary', message: 'built 12 rows', stream: 'user' }),
    ]);
  });

  it('answers an unknown run with 404', async () => {
    expect(await get('/api/runs/nope')).toEqual({ status: 404, body: { error: 'not_found', message: 'no run "nope"' } });
    expect((await get('/api/runs/nope/openlineage')).status).toBe(404);
    expect((await get('/api/runs/nope/events')).status).toBe(404);
  });

  it('is read-only by default', async () => {
    const res = await app.request('/api/materialize', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ selection: '*' }),
    });
    expect(res.status).toBe(403);
    expect((await json(res)).message).toMatch(/--allow-materialize/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    expect(await get('/api/nothing')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no route GET /api/nothing' },
    });
  });
});
