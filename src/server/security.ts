// Who may talk to the server: loopback-only Host checks without a token, a bearer token or cookie with one.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** The cookie the page's `?token=` link leaves behind, so the page's own requests carry the token. */
export const TOKEN_COOKIE = 'sluice_token';

const LOOPBACK_NAME = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** True for host names that only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAME.test(host.trim());
}

/** The host name of a Host header (`127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `[::1]`). */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function sameSecret(given: string | undefined, expected: Buffer): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and never leaks the length.
  return given !== undefined && timingSafeEqual(digest(given), expected);
}

/** Response headers for every answer: nothing loads from elsewhere, nothing frames the page. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Guards every request.
 * - Without a token the server is loopback-only: a Host header naming anything but localhost / 127.x / ::1
 *   is refused, which also defeats DNS rebinding (a page on evil.example resolving to 127.0.0.1).
 * - With a token every request needs it: `Authorization: Bearer T`, or the cookie set when the page is
 *   opened as `/?token=T` (the page then reloads without the token in its address).
 * - Requests that change things must come from this origin (Origin header, when sent, matches Host).
 * @example app.use('*', guard({ token: process.env.SLUICE_TOKEN }));
 */
export function guard(options: { token?: string | undefined }): MiddlewareHandler {
  const expected = options.token ? digest(options.token) : undefined;
  // The cookie holds a value derived from the token, not the token itself.
  const cookieValue = options.token ? digest(`cookie:${options.token}`).toString('hex') : undefined;
  const expectedCookie = cookieValue ? digest(cookieValue) : undefined;
  return async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!expected && !isLoopbackHost(hostName(host))) {
      return c.json(
        { error: 'forbidden', message: 'this server answers on loopback only; start it with a token to serve other hosts' },
        403,
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== 'null' && new URL(origin).host !== host) {
        return c.json({ error: 'forbidden', message: 'cross-origin requests may not change anything' }, 403);
      }
    }
    if (!expected) return next();

    const query = c.req.query('token');
    if (c.req.method === 'GET' && c.req.path === '/' && query !== undefined) {
      if (!sameSecret(query, expected)) return c.json({ error: 'unauthorized', message: 'wrong token' }, 401);
      setCookie(c, TOKEN_COOKIE, cookieValue!, { httpOnly: true, sameSite: 'Strict', path: '/' });
      // Reload without ?token= so the secret leaves the address bar and the history.
      return c.redirect('/', 303);
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    const cookie = getCookie(c, TOKEN_COOKIE);
    if (sameSecret(bearer, expected) || sameSecret(cookie, expectedCookie!)) {
      return next();
    }
    c.header('WWW-Authenticate', 'Bearer realm="sluice"');
    const message = 'this server needs its token: open the URL sluice serve printed, or send Authorization: Bearer <token>';
    return c.req.path.startsWith('/api/') ? c.json({ error: 'unauthorized', message }, 401) : c.text(message, 401);
  };
}
