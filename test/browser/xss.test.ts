// Hostile keys, descriptions, groups, errors and logs: the page shows them as text and runs none of them.
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningServer, startServer } from '../../src/server/index.js';
import { MemoryRunStore } from '../../src/storage/index.js';
import { hostileAssets, hostilePipelines, IMG_KEY, QUOTE_KEY, SCRIPT_KEY } from '../server/fixtures/hostile.js';
import { projectOf, REPO, recordRun } from '../server/support.js';
import { launchChromium, newPage, ready, shot } from './support.js';

// Page code runs in Chromium; the project compiles without DOM types, so it reaches the DOM untyped here.
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;

const RUN = 'r-<img src=x onerror="window.__xss=10">';
let browser: Browser;
let server: RunningServer;
const store = new MemoryRunStore();

beforeAll(async () => {
  browser = await launchChromium();
  const { project, graph } = await projectOf(REPO, hostileAssets, hostilePipelines);
  await recordRun(store, {
    id: RUN,
    pipeline: 'hostile',
    selection: '*',
    start: 0,
    steps: [
      { key: SCRIPT_KEY, outcome: 'succeeded' },
      {
        key: IMG_KEY,
        outcome: 'failed',
        error: '<img src=x onerror="window.__xss=11">',
        log: '<script>window.__xss=12</script>',
      },
      { key: QUOTE_KEY, outcome: 'upstream_failed' },
    ],
  });
  server = await startServer(createApp({ project, graph, store, log: () => {} }), { port: 0 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Elements that only injected markup could have created. */
const injected = () => document.querySelectorAll('body img, body svg, body iframe, body script, body b, body textarea').length;

describe('escaping in the browser', { timeout: 60_000 }, () => {
  it('shows markup in keys, descriptions, errors and logs as text and runs none of it', async () => {
    const { page, errors } = await newPage(browser);
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${server.url}/`);
    await ready(page);
    const listed = await page.locator('#graph-nodes button').evaluateAll((b) => b.map((x) => x.textContent));
    expect(listed.sort()).toEqual([IMG_KEY, QUOTE_KEY, SCRIPT_KEY].sort());

    // The panel of each hostile asset, opened the way a keyboard user would (the list of assets in view).
    for (const key of [SCRIPT_KEY, IMG_KEY, QUOTE_KEY]) {
      await page.evaluate((k) => {
        for (const b of document.querySelectorAll('#graph-nodes button')) if (b.dataset.key === k) b.click();
      }, key);
      await page.waitForFunction((k) => document.getElementById('panel-title')?.textContent === k, key);
    }
    await page.evaluate((k) => {
      for (const b of document.querySelectorAll('#graph-nodes button')) if (b.dataset.key === k) b.click();
    }, IMG_KEY);
    await page.waitForFunction((k) => document.getElementById('panel-title')?.textContent === k, IMG_KEY);
    const panel = await page.textContent('#panel');
    expect(panel).toContain('<svg onload="window.__xss=5"></svg>');
    expect(panel).toContain('echo "<script>window.__xss=6</script>"');
    expect(panel).toContain(SCRIPT_KEY);
    await shot(page, 'xss-panel');

    // A selection error echoing markup.
    await page.fill('#search', '"<img src=x onerror=window.__xss=9>"');
    await page.press('#search', 'Enter');
    await page.waitForSelector('#search-error:not([hidden])');
    expect(await page.textContent('#search-error')).toBe('unknown asset "<img src=x onerror=window.__xss=9>"');

    // The run page: id, error and log line.
    await page.goto(`${server.url}/#/runs/${encodeURIComponent(RUN)}`);
    await page.waitForSelector('#timeline');
    const run = await page.textContent('#view-run');
    expect(run).toContain(`Run ${RUN}`);
    expect(run).toContain('<img src=x onerror="window.__xss=11">');
    expect(run).toContain('<script>window.__xss=12</script>');
    await page.goto(`${server.url}/#/runs`);
    await page.waitForSelector('#runs-table');
    expect(await page.textContent('#runs-table')).toContain(RUN);
    await shot(page, 'xss-run');

    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.evaluate(injected)).toBe(0);
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
