// The lineage browser in Chromium: load, search, focus, open a run, and watch a live run turn green.
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, inProcessMaterializer, type RunningServer, startServer } from '../../src/server/index.js';
import type { RunStore } from '../../src/storage/types.js';
import { loadProjectAt, REPO, recordExampleRuns, SLOW_PROJECT, tempSqliteStore } from '../server/support.js';
import { BLUE, clickNode, GREEN, GREY, launchChromium, newPage, nodeColour, RED, ready, shot } from './support.js';

// Page code runs in Chromium; the project compiles without DOM types, so it reaches the DOM untyped here.
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser?.close());

describe('the example project in the browser', { timeout: 60_000 }, () => {
  let server: RunningServer;
  let store: RunStore;
  beforeAll(async () => {
    const { project, graph } = await loadProjectAt(REPO);
    store = (await tempSqliteStore()).store;
    await recordExampleRuns(store);
    server = await startServer(createApp({ project, graph, store, log: () => {} }), { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('draws the graph, searches, focuses an asset and opens a run', async () => {
    const { page, errors } = await newPage(browser);
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await ready(page);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await nodeColour(page, 'analytics.temp_mau_summary')).toEqual(RED);
    expect(await nodeColour(page, 'analytics.mau_summary')).toEqual(GREEN);
    await shot(page, 'graph');

    // Search with the selection grammar.
    await page.fill('#search', '+analytics.mau_summary');
    await page.press('#search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#graph-nodes button').length === 4);
    expect(await page.locator('#graph-nodes button').evaluateAll((b) => b.map((x) => x.textContent).sort())).toEqual([
      'analytics.mau_summary',
      'analytics.temp_mau_summary',
      'raw_data.session_timestamp',
      'raw_data.user_session_channel',
    ]);
    expect(page.url()).toContain('#/graph?select=%2Banalytics.mau_summary');

    // A typo is answered with the graph layer's "did you mean", and the graph stays.
    await page.fill('#search', 'analytics.mau_sumary');
    await page.press('#search', 'Enter');
    await page.waitForSelector('#search-error:not([hidden])');
    expect(await page.textContent('#search-error')).toBe(
      'unknown asset "analytics.mau_sumary" — did you mean "analytics.mau_summary"?',
    );
    expect(await page.textContent('#graph-count')).toMatch(/^4 of /);

    // Click a node: the side panel; then focus on it one edge downstream only.
    await clickNode(page, 'analytics.temp_mau_summary');
    await page.waitForSelector('#panel-title');
    expect(await page.textContent('#panel-title')).toBe('analytics.temp_mau_summary');
    expect(await page.textContent('#panel')).toContain("SELECT DATE_TRUNC('month', s.ts)");
    await shot(page, 'panel');
    await page.fill('#focus-up', '0');
    await page.fill('#focus-down', '1');
    await page.click('#focus-go');
    await page.waitForFunction(() => document.getElementById('graph-count')!.textContent!.startsWith('2 of '));
    expect(await page.inputValue('#search')).toBe('analytics.temp_mau_summary+1');

    // Runs list → a run page with its timeline.
    await page.click('#nav-runs');
    await page.waitForSelector('#runs-table');
    expect(await page.locator('#runs-table tbody tr').count()).toBe(2);
    await page.click('#runs-table a[href="#/runs/20250111T060000000Z-bbbbbb"]');
    await page.waitForSelector('#timeline');
    const rows = await page
      .locator('.tl-row')
      .evaluateAll((r) => r.map((x) => [(x as any).dataset.key, (x as any).dataset.status]));
    expect(rows).toEqual([
      ['raw_data.session_timestamp', 'succeeded'],
      ['raw_data.user_session_channel', 'succeeded'],
      ['analytics.temp_mau_summary', 'failed'],
      ['analytics.mau_summary', 'upstream_failed'],
    ]);
    const bars = page.locator('.tl-row[data-key="analytics.temp_mau_summary"] .tl-bar');
    expect(await bars.count()).toBe(2);
    expect(await bars.first().evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(`rgb(${RED.join(', ')})`);
    await shot(page, 'run');
    // The typo's 400 is logged by Chromium itself; nothing else may be.
    expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});

describe('a live run in the browser', { timeout: 60_000 }, () => {
  const token = 'browser-test-token-42';
  let server: RunningServer;
  let store: RunStore;
  let runner: ReturnType<typeof inProcessMaterializer>;
  let gate: string;
  beforeAll(async () => {
    gate = join(mkdtempSync(join(tmpdir(), 'sluice-gate-')), 'open');
    process.env.SLUICE_DEMO_GATE = gate;
    const { project, graph } = await loadProjectAt(SLOW_PROJECT);
    store = (await tempSqliteStore()).store;
    runner = inProcessMaterializer({ project, graph, store });
    const app = createApp({
      project,
      graph,
      store,
      token,
      allowMaterialize: true,
      runMaterialization: runner.run,
      pollMs: 50,
      log: () => {},
    });
    server = await startServer(app, { port: 0, token });
  });
  afterAll(async () => {
    writeFileSync(gate, 'go');
    delete process.env.SLUICE_DEMO_GATE;
    await server?.close();
    await runner?.settled();
    await store?.close();
  });

  it('materializes from the panel and watches the timeline and the node turn green', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${server.url}/?token=${token}`);
    await ready(page);
    // The token went into an HttpOnly cookie; the address bar no longer shows it.
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await nodeColour(page, 'demo.slow')).toEqual(GREY);

    await clickNode(page, 'demo.slow');
    await page.waitForSelector('#materialize');
    await page.click('#materialize');
    await page.waitForURL(/#\/runs\//);
    const slowRow = page.locator('.tl-row[data-key="demo.slow"]');
    await slowRow.and(page.locator('[data-status="running"]')).waitFor();
    const bar = slowRow.locator('.tl-bar');
    expect(await bar.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(`rgb(${BLUE.join(', ')})`);
    await shot(page, 'live-running');

    writeFileSync(gate, 'go');
    await slowRow.and(page.locator('[data-status="succeeded"]')).waitFor();
    expect(await bar.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(`rgb(${GREEN.join(', ')})`);
    await page.locator('#run-status [data-status="succeeded"]').waitFor();
    await shot(page, 'live-succeeded');

    // Back on the graph the node is green too (statuses refresh every 2 s).
    await page.click('#nav-graph');
    await page.waitForFunction(
      () => document.querySelector('#graph-nodes button[data-key="demo.slow"]')?.getAttribute('data-status') === 'succeeded',
    );
    await page.waitForTimeout(100);
    expect(await nodeColour(page, 'demo.slow')).toEqual(GREEN);
    expect(errors).toEqual([]);
  });
});
