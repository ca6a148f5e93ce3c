// JSON errors for the API: one shape ({ error, message }), statuses from the kind of failure.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { SelectionError, SluiceError } from '../definitions/errors.js';

/**
 * A failure the API reports as-is: `status` and a message meant for the user.
 * @example throw new ApiError(404, 'not_found', 'no run "r1"');
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses request input (query, params, body) with a zod schema; a mismatch is a 400 naming each field.
 * @example const { limit } = parseInput(z.object({ limit: z.coerce.number() }), c.req.query());
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
  throw new ApiError(400, 'bad_request', detail);
}

/**
 * Turns anything thrown by a handler into a JSON response. Selection and definition problems are the
 * caller's (400, with the "did you mean" the graph layer wrote); anything unexpected is a 500 whose
 * details stay in the server log, so internals never reach the browser.
 */
export function errorResponse(error: unknown, c: Context, log: (line: string) => void): Response {
  if (error instanceof ApiError) return c.json({ error: error.code, message: error.message }, error.status);
  if (error instanceof SelectionError) return c.json({ error: 'bad_selection', message: error.message }, 400);
  if (error instanceof SluiceError && error.exitCode === 2) return c.json({ error: 'bad_request', message: error.message }, 400);
  if (error instanceof HTTPException) {
    return c.json({ error: 'http_error', message: error.message || 'request failed' }, error.status as ContentfulStatusCode);
  }
  log(`error: ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return c.json({ error: 'internal', message: 'internal server error (see the server log)' }, 500);
}
