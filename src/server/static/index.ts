// The lineage browser's files as the server serves them: one page, one stylesheet, one script.

import { createHash } from 'node:crypto';
import { CLIENT_APP } from './client-app.js';
import { CLIENT_CORE } from './client-core.js';
import { CLIENT_GRAPH } from './client-graph.js';
import { CLIENT_PANEL } from './client-panel.js';
import { CLIENT_RUNS } from './client-runs.js';
import { APP_CSS } from './css.js';
import { INDEX_HTML } from './html.js';

/** The page script: every part in one function scope, strict mode, nothing global but two test hooks. */
export const APP_JS = `// sluice lineage browser
(function () {
'use strict';
${CLIENT_CORE}
${CLIENT_GRAPH}
${CLIENT_PANEL}
${CLIENT_RUNS}
${CLIENT_APP}
})();
`;

export interface StaticFile {
  body: string;
  type: string;
  etag: string;
}

const file = (body: string, type: string): StaticFile => ({
  body,
  type,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 20)}"`,
});

/**
 * The files by path. Kept as string modules so that plain `tsc` puts them in dist/ with the rest.
 * @example STATIC_FILES.get('/static/app.js')?.type // 'text/javascript; charset=utf-8'
 */
export const STATIC_FILES: ReadonlyMap<string, StaticFile> = new Map([
  ['/', file(INDEX_HTML, 'text/html; charset=utf-8')],
  ['/static/app.css', file(APP_CSS, 'text/css; charset=utf-8')],
  ['/static/app.js', file(APP_JS, 'text/javascript; charset=utf-8')],
]);
