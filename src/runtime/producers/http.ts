// The `http` producer: one request through global fetch; the status decides success, retry or a final failure.

import { NonRetriableError, RetryAfterError, SluiceError } from '../../definitions/errors.js';
import { redactor, redactUrl } from '../../resources/secrets.js';
import type { HttpEndpoint } from '../resources.js';
import type { ProducerRunner, StepContext } from './types.js';

// Enough of an error page to recognise it, not so much that a run's record fills with HTML.
const EXCERPT_CHARS = 300;
const MAX_READ_BYTES = 64 * 1024;

/**
 * An HTTP call that may work when tried again: a 5xx, 408 or 429 answer, or no answer at all (refused,
 * reset, DNS). Kind 'network', so `retryOn: ['network']` retries it.
 * @example new HttpError('POST http://sap/flag answered 503 Service Unavailable', { status: 503 })
 */
export class HttpError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly kind = 'network';
  readonly status: number | undefined;
  constructor(message: string, details: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.status = details.status;
  }
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The URL to call: absolute as written, or `url` appended to the resource's base URL with exactly one slash
 * between them (so a base of `http://h/api` keeps its `/api`, unlike `new URL('/x', base)`).
 * @example joinUrl('http://127.0.0.1:8080/api/', '/flag') // 'http://127.0.0.1:8080/api/flag'
 */
export function joinUrl(base: string | undefined, url: string): string {
  if (ABSOLUTE.test(url)) return url;
  if (base === undefined) {
    throw new NonRetriableError(
      `URL "${url}" is relative: give the producer an http resource with a base URL, or an absolute URL`,
    );
  }
  return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

async function endpointOf(ctx: StepContext, name: string | undefined): Promise<HttpEndpoint | undefined> {
  if (name === undefined) return undefined;
  if (!ctx.resources.http) throw new NonRetriableError(`no http resource named "${name}": this run has no http resources`);
  return ctx.resources.http(name);
}

/** The first part of a response body, one line, secrets masked. */
async function excerpt(response: Response, mask: (text: string) => string): Promise<string> {
  let text = '';
  try {
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let bytes = 0;
    while (reader && bytes < MAX_READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
    await reader?.cancel().catch(() => undefined);
  } catch {
    // A body that breaks off is still worth showing as far as it came.
  }
  const line = mask(text.replace(/\s+/g, ' ').trim());
  if (line === '') return '';
  return `: ${line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line}`;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function looksLikeJson(body: string): boolean {
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs an `http` producer: `method url` (absolute, or relative to the named resource's base URL) with the
 * resource's headers, then the spec's (templated), and the templated body (sent as application/json when it
 * is JSON and no content-type is given). A status in `expectStatus` succeeds and is logged with the time it
 * took; 5xx, 408 and 429 (honouring Retry-After) and network errors are retryable (kind 'network'); any
 * other status fails at once (NonRetriableError). Errors carry a short, redacted excerpt of the body. The
 * step's signal aborts the request (timeout, cancel).
 * @example await runHttp({ type: 'http', resource: 'sap', method: 'POST', url: '/flag', headers: {}, body: '{"day":"{{ ds }}"}', expectStatus: [200] }, ctx);
 */
export const runHttp: ProducerRunner<'http'> = async (spec, ctx) => {
  const endpoint = await endpointOf(ctx, spec.resource);
  const url = joinUrl(endpoint?.baseUrl, ctx.render(spec.url));
  const headers = new Headers(endpoint?.headers);
  for (const [name, value] of Object.entries(spec.headers)) headers.set(name, ctx.render(value));
  const body = spec.body === undefined ? undefined : ctx.render(spec.body);
  if (body !== undefined && spec.method === 'GET')
    throw new NonRetriableError('a GET request cannot have a body; use POST or drop `body`');
  if (body !== undefined && !headers.has('content-type') && looksLikeJson(body)) headers.set('content-type', 'application/json');
  const mask = redactor(endpoint?.secrets ?? []);
  const shown = `${spec.method} ${mask(redactUrl(url))}`;

  const startedAt = Date.now();
  let response: Response;
  try {
    response = await fetch(url, { method: spec.method, headers, body, signal: ctx.signal, redirect: 'follow' });
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const cause = (error as { cause?: unknown }).cause ?? error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new HttpError(`${shown} failed: ${mask(detail)}`, { cause: error });
  }
  const durationMs = Date.now() - startedAt;
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (spec.expectStatus.includes(response.status)) {
    ctx.log.info(`${shown} → ${status} in ${durationMs} ms`);
    await response.body?.cancel().catch(() => undefined);
    return { metadata: { status: response.status, durationMs } };
  }
  ctx.log.warn(`${shown} → ${status} in ${durationMs} ms (expected ${spec.expectStatus.join(', ')})`);
  const message = `${shown} answered ${status}${await excerpt(response, mask)}`;
  if (response.status === 429 || response.status === 503) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    if (wait !== undefined)
      throw new RetryAfterError(message, wait, { cause: new HttpError(message, { status: response.status }) });
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    throw new HttpError(message, { status: response.status });
  }
  throw new NonRetriableError(`${message} (expected ${spec.expectStatus.join(', ')}; not retried)`);
};
