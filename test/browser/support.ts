// Launching Debian's chromium for the browser tests, and where their screenshots go.
// biome-ignore-all lint/suspicious/noExplicitAny: these tests walk JSON answers and the page DOM, untyped on purpose
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// Page code runs in Chromium; the project compiles without DOM types, so it reaches the DOM untyped here.
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SHOTS = fileURLToPath(new URL('../../test-results/browser/', import.meta.url));

/** Chromium, or a loud failure naming the fix: these tests never skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install with apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A page that fails the test on any script error, and records console errors. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // Nothing but this server: any other request is a bug (a CDN, a font, an injected image).
  await page.route(/^(?!http:\/\/127\.0\.0\.1:\d+\/)/, (route) => {
    errors.push(`external request: ${route.request().url()}`);
    return route.abort();
  });
  return { page, errors };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png` });
}

/** Waits until the page says it is usable: graph drawn, search box enabled. */
export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForFunction(() => !(document.getElementById('search') as any).disabled);
}

/** Clicks a node on the canvas where the page drew it. */
export async function clickNode(page: Page, key: string, options: { double?: boolean } = {}): Promise<void> {
  const at = await page.evaluate((k) => window.sluiceBrowser.view.screenOf(k), key);
  if (!at) throw new Error(`node ${key} is not in the graph`);
  const box = (await page.locator('#canvas').boundingBox())!;
  const click = options.double ? page.mouse.dblclick.bind(page.mouse) : page.mouse.click.bind(page.mouse);
  await click(box.x + at.x + 30, box.y + at.y);
}

/** The canvas colour (r, g, b) of a node's status strip. */
export async function nodeColour(page: Page, key: string): Promise<[number, number, number]> {
  return page.evaluate((k) => {
    const view = window.sluiceBrowser.view;
    const at = view.screenOf(k);
    const canvas = document.getElementById('canvas') as any;
    const dpr = window.devicePixelRatio || 1;
    const pixel = canvas.getContext('2d')!.getImageData(Math.round(at.x * dpr), Math.round(at.y * dpr), 1, 1).data;
    return [pixel[0]!, pixel[1]!, pixel[2]!] as [number, number, number];
  }, key);
}

export const GREEN: [number, number, number] = [30, 142, 62];
export const RED: [number, number, number] = [217, 48, 37];
export const BLUE: [number, number, number] = [26, 115, 232];
export const GREY: [number, number, number] = [154, 160, 166];
