// The page and its files: served from the string modules (so dist/ has them), cacheable, and the script parses.
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import { APP_JS, STATIC_FILES } from '../../src/server/static/index.js';
import { MemoryRunStore } from '../../src/storage/index.js';
import { loadProjectAt, REPO } from './support.js';

describe('the lineage browser files', () => {
  it('serves the page, stylesheet and script with ETags', async () => {
    const { project, graph } = await loadProjectAt(REPO);
    const app = createApp({ project, graph, store: new MemoryRunStore(), log: () => {} });
    const page = await app.request('/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<script src="/static/app.js" defer></script>');
    // Nothing from elsewhere: no CDN, no external fonts, no absolute URLs.
    expect(html).not.toMatch(/https?:\/\//);
    const script = await app.request('/static/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = script.headers.get('etag')!;
    expect((await app.request('/static/app.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await app.request('/static/app.css')).status).toBe(200);
    expect((await app.request('/static/nope.js')).status).toBe(404);
  });

  it('has a script that parses, never uses innerHTML, and fetches only this server', () => {
    expect(() => new Script(APP_JS)).not.toThrow();
    expect(APP_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(APP_JS).not.toMatch(/https?:\/\//);
    for (const file of STATIC_FILES.values()) expect(file.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
