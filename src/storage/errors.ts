// Errors the run stores raise: a store that cannot be reached, and a write the store refuses.
import { SluiceError } from '../definitions/errors.js';

/**
 * The run store cannot be opened or reached. The message names the store (never its password) and
 * the cause, and says where the location came from so it can be fixed. Exit code 2.
 * @example
 * try { await openRunStore({ url, root }); }
 * catch (e) { if (e instanceof StoreUnavailableError) console.error(e.message); }
 */
export class StoreUnavailableError extends SluiceError {
  /** The store as `describe` shows it, e.g. `postgres://sluice@127.0.0.1:5432/runs`. */
  readonly store: string;
  constructor(store: string, detail: string, options?: { cause?: unknown }) {
    super(`run store ${store} is unavailable: ${detail}`, options);
    this.store = store;
  }
}

/**
 * A write broke the store's rules, e.g. events for a run that was never created. Nothing of the
 * write is kept.
 * @example await store.appendEvents([{ runId: 'nope', type: 'run_started', at }]); // throws StoreError
 */
export class StoreError extends SluiceError {}

/**
 * A URL with any password (and its query string, which may hold one) removed, for messages.
 * @example withoutPassword('mysql://me:secret@db/x?password=y') // 'mysql://me@db/x'
 */
export function withoutPassword(url: string): string {
  return url.replace(/\?.*$/, '').replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1@');
}
