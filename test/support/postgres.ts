// A throwaway PostgreSQL database on the local server for tests and benches that need the real thing: the
// end-to-end support's, created before it is handed over.
import { throwawayDatabase as named } from '../e2e/support/postgres.js';

/**
 * Creates a database with a unique name; `drop()` removes it (terminating leftover connections).
 * @example const db = await throwawayDatabase('e2e'); try { use(db.url) } finally { await db.drop() }
 */
export async function throwawayDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const db = named(prefix);
  await db.create();
  return db;
}
