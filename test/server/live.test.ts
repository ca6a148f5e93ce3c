// Live runs: the SSE stream (replay, then polling until the end) and POST /api/materialize running in-process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, inProcessMaterializer } from '../../src/server/index.js';
import type { RunStore } from '../../src/storage/types.js';
import { json, loadProjectAt, REPO, readSse, recordExampleRuns, SLOW_PROJECT, tempSqliteStore } from './support.js';

describe('run events over SSE', () => {
  let store: RunStore;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    const { project, graph } = await loadProjectAt(REPO);
    store = (await tempSqliteStore()).store;
    await recordExampleRuns(store);
    app = createApp({ project, graph, store, pollMs: 20, log: () => {} });
  });
  afterAll(() => store.close());

  it('replays a finished run and ends with its status', async () => {
    const res = await app.request('/api/runs/20250110T060000000Z-aaaaaa/events');
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = await readSse(res.body!);
    const events = messages.filter((m) => m.event === 'run-event').map((m) => JSON.parse(m.data));
    expect(events[0].type).toBe('run_started');
    expect(events.at(-1).type).toBe('run_finished');
    expect(messages.filter((m) => m.event === 'run-event').map((m) => Number(m.id))).toEqual(events.map((e) => e.seq));
    expect(messages.at(-1)).toEqual({ event: 'end', data: JSON.stringify({ status: 'succeeded', lastSeq: events.at(-1).seq }) });
  });

  it('resumes after Last-Event-ID', async () => {
    const all = (await readSse((await app.request('/api/runs/20250110T060000000Z-aaaaaa/events')).body!)).filter((m) => m.id);
    const res = await app.request('/api/runs/20250110T060000000Z-aaaaaa/events', { headers: { 'Last-Event-ID': all[2]!.id! } });
    const rest = (await readSse(res.body!)).filter((m) => m.id);
    expect(rest.map((m) => m.id)).toEqual(all.slice(3).map((m) => m.id));
  });

  it('streams events written later, by anyone, until the run finishes', async () => {
    const runId = 'live-run';
    const now = () => new Date().toISOString();
    await store.createRun({ id: runId, selection: 'analytics.mau_summary', partitions: [], startedAt: now(), launchedBy: 'cli' });
    await store.appendEvents([{ runId, type: 'run_started', at: now() }]);
    const res = await app.request(`/api/runs/${runId}/events`);
    const reading = readSse(res.body!);
    // Another writer (as a CLI process would) appends while the page listens.
    await new Promise((r) => setTimeout(r, 100));
    await store.appendEvents([
      { runId, type: 'asset_started', at: now(), assetKey: 'analytics.mau_summary', partition: '', attempt: 1 },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    await store.appendEvents([
      { runId, type: 'asset_succeeded', at: now(), assetKey: 'analytics.mau_summary', partition: '', attempt: 1 },
      { runId, type: 'run_finished', at: now(), data: { status: 'succeeded' } },
    ]);
    await store.finishRun(runId, 'succeeded', now());
    const messages = await reading;
    expect(messages.filter((m) => m.event === 'run-event').map((m) => JSON.parse(m.data).type)).toEqual([
      'run_started',
      'asset_started',
      'asset_succeeded',
      'run_finished',
    ]);
    expect(JSON.parse(messages.at(-1)!.data).status).toBe('succeeded');
  });

  it('ends the stream of a run whose process died (stale heartbeat)', async () => {
    await store.createRun({
      id: 'dead-run',
      selection: '*',
      partitions: [],
      startedAt: '2025-01-01T00:00:00.000Z',
      launchedBy: 'cli',
    });
    const messages = await readSse((await app.request('/api/runs/dead-run/events')).body!);
    expect(messages).toEqual([{ event: 'end', data: JSON.stringify({ status: 'stale', lastSeq: 0 }) }]);
  });
});

describe('POST /api/materialize', () => {
  const token = 'test-token-0123456789';
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let store: RunStore;
  let app: ReturnType<typeof createApp>;
  let runner: ReturnType<typeof inProcessMaterializer>;
  let gate: string;

  beforeAll(async () => {
    gate = join(mkdtempSync(join(tmpdir(), 'sluice-gate-')), 'open');
    process.env.SLUICE_DEMO_GATE = gate;
    const { project, graph } = await loadProjectAt(SLOW_PROJECT);
    store = (await tempSqliteStore()).store;
    runner = inProcessMaterializer({ project, graph, store });
    app = createApp({
      project,
      graph,
      store,
      token,
      allowMaterialize: true,
      runMaterialization: runner.run,
      pollMs: 20,
      statusTtlMs: 0,
      log: () => {},
    });
  });
  afterAll(async () => {
    delete process.env.SLUICE_DEMO_GATE;
    await runner.settled();
    await store.close();
  });

  const post = (body: unknown, headers: Record<string, string> = auth) =>
    app.request('/api/materialize', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('starts a run, which the page can follow live until it succeeds', async () => {
    const res = await post({ selection: '+demo.slow' });
    expect(res.status).toBe(202);
    const { runId, url } = await json(res);
    expect(url).toBe(`/#/runs/${runId}`);
    // Recorded before the answer: the run page can open at once.
    const detail = await json(await app.request(`/api/runs/${runId}`, { headers: auth }));
    expect(detail.run).toMatchObject({ id: runId, status: 'running', launchedBy: 'server', selection: '+demo.slow' });

    const stream = readSse((await app.request(`/api/runs/${runId}/events`, { headers: auth })).body!);
    const status = async () => (await json(await app.request('/api/status', { headers: auth }))).statuses['demo.slow']?.status;
    for (let i = 0; i < 200 && (await status()) !== 'running'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await status()).toBe('running');
    writeFileSync(gate, 'go');
    const messages = await stream;
    const types = messages.filter((m) => m.event === 'run-event').map((m) => JSON.parse(m.data));
    expect(types.filter((e) => e.type === 'asset_succeeded').map((e) => e.assetKey)).toEqual(['demo.seed', 'demo.slow']);
    expect(JSON.parse(messages.at(-1)!.data).status).toBe('succeeded');
    expect(await status()).toBe('succeeded');
  });

  it('refuses bad input before anything runs', async () => {
    const unknown = await post({ selection: 'demo.slwo' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).message).toBe('unknown asset "demo.slwo" — did you mean "demo.slow"?');
    expect((await post({ selection: '' })).status).toBe(400);
    expect((await post({ selection: 'demo.seed', extra: 1 })).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    expect(
      (await post({ selection: 'demo.seed' }, { authorization: `Bearer ${token}`, 'content-type': 'text/plain' })).status,
    ).toBe(415);
  });

  it('needs the token, and a same-origin request', async () => {
    expect((await post({ selection: 'demo.seed' }, { 'content-type': 'application/json' })).status).toBe(401);
    const cross = await post({ selection: 'demo.seed' }, { ...auth, origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect((await store.listRuns()).map((r) => r.selection)).toEqual(['+demo.slow']);
  });
});
