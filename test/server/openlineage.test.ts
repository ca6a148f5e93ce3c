// OpenLineage: run events become valid RunEvents (checked against the spec's schema), static lineage is
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
// deterministic, and the emitter posts to a collector in order without ever failing the run.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineageGraph } from '../../src/graph/index.js';
import {
  lineageOpenLineage,
  lineageOpenLineageEvents,
  openLineageFromEnv,
  openLineageRunId,
  runOpenLineageEvents,
  STATIC_EVENT_TIME,
} from '../../src/openlineage/index.js';
import { createApp } from '../../src/server/index.js';
import { MemoryRunStore } from '../../src/storage/index.js';
import { validate } from './fixtures/json-schema.js';
import { json, loadProjectAt, REPO, recordExampleRuns } from './support.js';

const schema = JSON.parse(readFileSync(new URL('./fixtures/openlineage-2-0-2.schema.json', import.meta.url), 'utf8'));
const FIRST = '20250110T060000000Z-aaaaaa';
const SECOND = '20250111T060000000Z-bbbbbb';

let graph: LineageGraph;
let store: MemoryRunStore;

beforeAll(async () => {
  graph = (await loadProjectAt(REPO)).graph;
  store = new MemoryRunStore();
  await recordExampleRuns(store);
});
afterAll(() => store.close());

describe('run events as OpenLineage RunEvents', () => {
  it('gives each produced asset one START and one COMPLETE or FAIL, all valid', async () => {
    const events = runOpenLineageEvents({ graph }, { pipeline: 'run_elt_alert' }, await store.events(SECOND));
    // Sources are datasets, not jobs; the retry does not START twice; upstream_failed never started.
    expect(events.map((e) => `${e.eventType} ${e.job.name}`)).toEqual([
      'START run_elt_alert.analytics.temp_mau_summary',
      'FAIL run_elt_alert.analytics.temp_mau_summary',
    ]);
    for (const event of events) expect(validate(schema, '#/$defs/RunEvent', event)).toEqual([]);
    const fail = events[1]!;
    expect(fail.run.runId).toBe(openLineageRunId(SECOND, 'analytics.temp_mau_summary', ''));
    expect(fail.run.facets?.errorMessage).toMatchObject({
      message: 'check not_empty failed: 0 rows',
      programmingLanguage: 'TypeScript',
    });
    expect(fail.run.facets?.parent).toMatchObject({
      run: { runId: openLineageRunId(SECOND) },
      job: { namespace: 'sluice', name: 'run_elt_alert' },
    });
    expect(fail.inputs.map((d) => `${d.namespace} ${d.name}`)).toEqual([
      'sluice://warehouse raw_data.session_timestamp',
      'sluice://warehouse raw_data.user_session_channel',
    ]);
    expect(fail.job.facets?.sql).toMatchObject({ query: expect.stringContaining('DATE_TRUNC') });
    expect(fail.eventTime).toBe('2025-01-11T06:00:11.000Z');
  });

  it('reports row counts of completed assets and keeps run ids stable', async () => {
    const events = runOpenLineageEvents(
      { graph, resourceTypes: { warehouse: 'duckdb' } },
      { pipeline: 'run_elt_alert' },
      await store.events(FIRST),
    );
    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE', 'START', 'COMPLETE']);
    for (const event of events) expect(validate(schema, '#/$defs/RunEvent', event)).toEqual([]);
    const complete = events[1]!;
    expect(complete.outputs).toEqual([
      expect.objectContaining({
        namespace: 'duckdb://warehouse',
        name: 'analytics.temp_mau_summary',
        outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 12 }) },
      }),
    ]);
    expect(events[0]!.run.runId).toBe(complete.run.runId);
    expect(openLineageRunId(FIRST, 'a.b', 'c')).not.toBe(openLineageRunId(FIRST, 'a', 'b.c'));
    expect(openLineageRunId(FIRST)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is served per run by /api/runs/:id/openlineage', async () => {
    const { project } = await loadProjectAt(REPO);
    const app = createApp({ project, graph, store, log: () => {} });
    const body = await json(await app.request(`/api/runs/${FIRST}/openlineage`));
    expect(body.runId).toBe(FIRST);
    expect(body.events).toHaveLength(4);
    for (const event of body.events) expect(validate(schema, '#/$defs/RunEvent', event)).toEqual([]);
  });

  it('the validator catches what the spec forbids', () => {
    expect(
      validate(schema, '#/$defs/RunEvent', { eventType: 'DONE', run: { runId: 'r1' }, job: { name: 'x' }, producer: 'sluice' }),
    ).toEqual([
      '$: missing required eventTime',
      '$: missing required schemaURL',
      '$.producer: "sluice" is not a uri',
      '$.eventType: "DONE" is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER',
      '$.run.runId: "r1" is not a uuid',
      '$.job: missing required namespace',
    ]);
  });
});

describe('static lineage (sluice lineage --format openlineage)', () => {
  it('writes one valid JobEvent per produced asset, with no clock in it', () => {
    const events = lineageOpenLineageEvents(graph, graph.upstream('analytics.mau_summary'));
    expect(events.map((e) => e.job.name)).toEqual([
      'run_elt_alert.analytics.mau_summary',
      'run_elt_alert.analytics.temp_mau_summary',
    ]);
    for (const event of events) {
      expect(validate(schema, '#/$defs/JobEvent', event)).toEqual([]);
      expect(event.eventTime).toBe(STATIC_EVENT_TIME);
    }
    expect(events[0]!.inputs.map((d) => d.name)).toEqual(['analytics.temp_mau_summary']);
    const text = lineageOpenLineage(graph, graph.keys());
    expect(lineageOpenLineage(graph, [...graph.keys()].reverse())).toBe(text);
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text).length).toBe(graph.keys().filter((k) => !graph.asset(k).source).length);
  });
});

describe('the emitter', () => {
  let received: { body: any; auth: string | undefined }[];
  let server: ReturnType<typeof serve>;
  let url: string;
  let status = 200;

  beforeAll(async () => {
    received = [];
    const collector = new Hono();
    collector.post('/api/v1/lineage', async (c) => {
      received.push({ body: await c.req.json(), auth: c.req.header('authorization') });
      return c.body(null, status as 200);
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: collector.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is off without OPENLINEAGE_URL', () => {
    expect(openLineageFromEnv({}, { graph })).toBeUndefined();
    expect(openLineageFromEnv({ OPENLINEAGE_URL: ' ' }, { graph })).toBeUndefined();
  });

  it('posts START then COMPLETE for each asset, in order, with the API key', async () => {
    const emitter = openLineageFromEnv(
      { OPENLINEAGE_URL: url, OPENLINEAGE_API_KEY: 'k-123' },
      { graph, pipeline: 'run_elt_alert' },
    )!;
    for (const event of await store.events(FIRST)) emitter.onEvent(event);
    await emitter.flush();
    expect(emitter.sent).toBe(4);
    expect(received.map((r) => `${r.body.eventType} ${r.body.job.name}`)).toEqual([
      'START run_elt_alert.analytics.temp_mau_summary',
      'COMPLETE run_elt_alert.analytics.temp_mau_summary',
      'START run_elt_alert.analytics.mau_summary',
      'COMPLETE run_elt_alert.analytics.mau_summary',
    ]);
    expect(received.every((r) => r.auth === 'Bearer k-123')).toBe(true);
    for (const r of received) expect(validate(schema, '#/$defs/RunEvent', r.body)).toEqual([]);
  });

  it('reports a failing collector without throwing', async () => {
    status = 503;
    const problems: string[] = [];
    const emitter = openLineageFromEnv({ OPENLINEAGE_URL: `${url}/` }, { graph, onError: (m) => problems.push(m) })!;
    for (const event of await store.events(SECOND)) emitter.onEvent(event);
    await emitter.flush();
    expect(emitter.failed).toBe(2);
    expect(problems[0]).toBe(
      `OpenLineage: could not send START of run_elt_alert.analytics.temp_mau_summary to ${url}/api/v1/lineage: HTTP 503`,
    );
    const dead = openLineageFromEnv({ OPENLINEAGE_URL: 'http://127.0.0.1:9' }, { graph, onError: (m) => problems.push(m) })!;
    for (const event of await store.events(SECOND)) dead.onEvent(event);
    await dead.flush();
    expect(dead.failed).toBe(2);
  });
});
