// The storage layer's surface: open a run store from a URL, and the contract every store fulfils.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { StoreUnavailableError, withoutPassword } from './errors.js';
import { MemoryRunStore } from './memory.js';
import type { RunStore } from './types.js';

export { StoreError, StoreUnavailableError, withoutPassword } from './errors.js';
export { MemoryRunStore } from './memory.js';
export type * from './types.js';

/** Where the run store is: a URL (or none), and the project it belongs to. */
export interface OpenRunStoreOptions {
  /**
   * `postgres://…` / `postgresql://…` (add `?schema=name` to leave the default schema `sluice`),
   * `sqlite:PATH` (relative to `root`), `memory:`, or undefined for SQLite at `<stateDir>/runs.db`.
   */
  url?: string | undefined;
  /** The project root. */
  root: string;
  /** Where sluice keeps local state; `<root>/.sluice` by default. */
  stateDir?: string | undefined;
}

/**
 * Opens the run store a URL names, creating and migrating it as needed. Fails with
 * StoreUnavailableError (exit code 2) when it cannot be reached; its message never holds a password.
 * @example
 * const store = await openRunStore({ url: options.store ?? process.env.DATABASE_URL, root: process.cwd() });
 * try { … } finally { await store.close(); }
 */
export async function openRunStore(options: OpenRunStoreOptions): Promise<RunStore> {
  const { url, root } = options;
  if (url === undefined || url === '') {
    const file = join(resolve(root, options.stateDir ?? '.sluice'), 'runs.db');
    const { openSqliteStore } = await import('./sqlite.js');
    return openSqliteStore(file, `sqlite:${shown(root, file)}`);
  }
  // The drivers load on demand so commands that never touch runs (e.g. `sluice --help`) stay fast.
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(url);
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new StoreUnavailableError(url, 'sqlite: needs a file path, e.g. sqlite:.sluice/runs.db');
    const file = path === ':memory:' ? path : resolve(root, path);
    const { openSqliteStore } = await import('./sqlite.js');
    return openSqliteStore(file, `sqlite:${file === ':memory:' ? file : shown(root, file)}`);
  }
  if (url === 'memory:') return new MemoryRunStore();
  throw new StoreUnavailableError(
    withoutPassword(url),
    'unknown kind of store; use postgres://…, postgresql://…, sqlite:PATH or memory:',
  );
}

/** Paths inside the project are shown relative to it, like `sqlite:.sluice/runs.db`. */
function shown(root: string, file: string): string {
  const rel = relative(resolve(root), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
