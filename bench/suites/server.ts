// Server benchmark on a 10,000-asset graph: API response times, time until the page is usable in Chromium,
// and 50 concurrent loopback clients for 10 s with zero errors allowed.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildGraph, type LineageGraph } from '../../src/graph/index.js';
import { type Project, parseConfig } from '../../src/project/index.js';
import { createApp, startServer } from '../../src/server/index.js';
import { openRunStore } from '../../src/storage/index.js';
import type { RunEvent, RunStore } from '../../src/storage/types.js';
import type { BenchRow } from '../types.js';
import { synthetic } from './graph.js';

const SUITE = 'server';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

function spread(values: number[]): string {
  return `median of ${values.length} (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
}

/** One run that materialized every asset, so every node has a status to look up. */
async function recordEverything(store: RunStore, graph: LineageGraph): Promise<void> {
  const runId = 'bench-run';
  const at = new Date(Date.UTC(2025, 0, 10)).toISOString();
  await store.createRun({ id: runId, selection: '*', partitions: [], startedAt: at, launchedBy: 'bench' });
  const events: RunEvent[] = [];
  for (const [i, assetKey] of graph.keys().entries()) {
    events.push({ runId, type: 'asset_started', at, assetKey, partition: '', attempt: 1 });
    events.push({ runId, type: i % 97 === 0 ? 'asset_failed' : 'asset_succeeded', at, assetKey, partition: '', attempt: 1 });
  }
  for (let i = 0; i < events.length; i += 2_000) await store.appendEvents(events.slice(i, i + 2_000));
  await store.finishRun(runId, 'failed', at);
}

/** Times `work` `runs` times after one warm-up; a work that returns a number reports its own duration. */
async function timed(runs: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  await work(-1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const started = performance.now();
    const own = await work(i);
    times.push(typeof own === 'number' ? own : performance.now() - started);
  }
  return times;
}

async function pageUsable(url: string, runs: number): Promise<number[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install with apt-get install chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const times: number[] = [];
    for (let i = -1; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
      await page.goto(url);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
      // performance.now() in the page counts from navigation start: request, parse, fetch, draw.
      const at: number = await page.evaluate('window.__sluiceReadyAt');
      if (i >= 0) times.push(at);
      await page.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

/** `clients` loops requesting `paths` in turn until `ms` have passed; each loop stops by itself. */
async function load(base: string, paths: string[], clients: number, ms: number) {
  const end = Date.now() + ms;
  const latencies: number[] = [];
  let errors = 0;
  const client = async (offset: number) => {
    for (let i = offset; Date.now() < end; i++) {
      const started = performance.now();
      try {
        const res = await fetch(base + paths[i % paths.length]!);
        await res.arrayBuffer();
        if (!res.ok) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c * 7)));
  return { requests: latencies.length, errors, latencies };
}

export async function run(): Promise<BenchRow[]> {
  const data = synthetic(10_000);
  const graph = buildGraph({ assets: data.assets, pipelines: data.pipelines });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-server-'));
  const store = await openRunStore({ url: `sqlite:${join(dir, 'runs.db')}`, root: dir });
  await recordEverything(store, graph);
  const project: Project = {
    root: join(dir, 'bench'),
    configFile: undefined,
    config: parseConfig(undefined, undefined),
    assets: [],
    pipelines: [],
  };
  // Default settings: statuses are refreshed at most once a second, incrementally (see StatusBoard).
  const app = createApp({ project, graph, store, log: () => {} });
  const rows: BenchRow[] = [];
  const keys = graph.keys();
  const focusKeys = Array.from({ length: 40 }, (_, i) => keys[(i * 2_477) % keys.length]!);

  // The first request pays for the layout (createApp starts it in the background) and the full status read.
  const first = performance.now();
  await (await app.request('/api/graph')).arrayBuffer();
  rows.push({
    suite: SUITE,
    case: 'GET /api/graph 10k/30k, first request',
    value: performance.now() - first,
    unit: 'ms',
    note: 'one request: layout + every status from SQLite',
  });
  let size = 0;
  const full = await timed(15, async () => {
    size = (await (await app.request('/api/graph')).arrayBuffer()).byteLength;
  });
  rows.push({
    suite: SUITE,
    case: 'GET /api/graph 10k/30k (app.request)',
    value: median(full),
    unit: 'ms',
    budget: 100,
    note: `${spread(full)}; ${(size / 1e6).toFixed(1)} MB`,
  });
  // After a run changes a status the body is rebuilt: incremental status refresh, node list, stringify.
  let n = 0;
  const changed = await timed(8, async () => {
    const runId = `bench-change-${n++}`;
    const at = new Date().toISOString();
    await store.createRun({ id: runId, selection: keys[n]!, partitions: [], startedAt: at, launchedBy: 'bench' });
    await store.appendEvents([
      { runId, type: 'asset_started', at, assetKey: keys[n]!, partition: '', attempt: 1 },
      { runId, type: 'asset_succeeded', at, assetKey: keys[n]!, partition: '', attempt: 1 },
    ]);
    await store.finishRun(runId, 'succeeded', at);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const started = performance.now();
    await (await app.request('/api/graph')).arrayBuffer();
    return performance.now() - started;
  });
  rows.push({
    suite: SUITE,
    case: 'GET /api/graph 10k/30k after a run changed a status',
    value: median(changed),
    unit: 'ms',
    budget: 100,
    note: `${spread(changed)}; includes the incremental status refresh`,
  });
  const focus = await timed(focusKeys.length - 1, async (i) => {
    const res = await app.request(`/api/graph?select=${encodeURIComponent(focusKeys[i + 1]!)}&depth=2`);
    if (!res.ok) throw new Error(`focus failed: ${res.status}`);
    await res.arrayBuffer();
  });
  rows.push({
    suite: SUITE,
    case: 'GET /api/graph?select=KEY&depth=2 (new selection each time)',
    value: median(focus),
    unit: 'ms',
    budget: 100,
    note: spread(focus),
  });
  const detail = await timed(20, async (i) => {
    await (await app.request(`/api/assets/${encodeURIComponent(focusKeys[(i + 40) % focusKeys.length]!)}`)).arrayBuffer();
  });
  rows.push({ suite: SUITE, case: 'GET /api/assets/:key', value: median(detail), unit: 'ms', budget: 100, note: spread(detail) });

  const server = await startServer(app, { port: 0 });
  try {
    const http = await timed(10, async () => {
      await (await fetch(`${server.url}/api/graph`)).arrayBuffer();
    });
    rows.push({
      suite: SUITE,
      case: 'GET /api/graph 10k/30k over loopback HTTP',
      value: median(http),
      unit: 'ms',
      budget: 100,
      note: spread(http),
    });

    const usable = await pageUsable(`${server.url}/`, 5);
    rows.push({
      suite: SUITE,
      case: 'page usable in Chromium, 10k assets',
      value: median(usable),
      unit: 'ms',
      budget: 2_000,
      note: `${spread(usable)}; from navigation start until the graph is drawn and the search box is enabled`,
    });

    const paths = focusKeys.flatMap((k) => [
      `/api/graph?select=${encodeURIComponent(`2+${k}+2`)}`,
      `/api/assets/${encodeURIComponent(k)}`,
    ]);
    const result = await load(server.url, paths, 50, 10_000);
    rows.push({
      suite: SUITE,
      case: '50 clients × 10 s: errors',
      value: result.errors,
      unit: 'errors',
      budget: 0,
      note: `${result.requests} requests to /api/graph?select=2+KEY+2 and /api/assets/KEY`,
    });
    rows.push({ suite: SUITE, case: '50 clients × 10 s: throughput', value: result.requests / 10, unit: 'req/s' });
    rows.push({ suite: SUITE, case: '50 clients × 10 s: latency p50', value: percentile(result.latencies, 0.5), unit: 'ms' });
    rows.push({ suite: SUITE, case: '50 clients × 10 s: latency p95', value: percentile(result.latencies, 0.95), unit: 'ms' });
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
