// openRunStore: which store a URL names, where SQLite lives by default, and what errors show.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRunStore, openRunStore, StoreUnavailableError, withoutPassword } from '../../src/storage/index.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openRunStore', () => {
  it('opens SQLite at <root>/.sluice/runs.db when no URL is given', async () => {
    const store = await openRunStore({ root });
    await store.close();
    expect(store.describe).toBe('sqlite:.sluice/runs.db');
    expect(existsSync(join(root, '.sluice', 'runs.db'))).toBe(true);
  });

  it('honours a state directory and sqlite: paths relative to the root', async () => {
    const inState = await openRunStore({ root, stateDir: 'state', url: '' });
    await inState.close();
    expect(inState.describe).toBe('sqlite:state/runs.db');
    const named = await openRunStore({ root, url: 'sqlite:data/other.db' });
    await named.close();
    expect(named.describe).toBe('sqlite:data/other.db');
    expect(existsSync(join(root, 'data', 'other.db'))).toBe(true);
    const outside = join(mkdtempSync(join(tmpdir(), 'sluice-outside-')), 'runs.db');
    const absolute = await openRunStore({ root, url: `sqlite:${outside}` });
    await absolute.close();
    expect(absolute.describe).toBe(`sqlite:${outside}`);
  });

  it('opens the memory store for memory:', async () => {
    const store = await openRunStore({ root, url: 'memory:' });
    expect(store).toBeInstanceOf(MemoryRunStore);
    expect(store.describe).toBe('memory:');
  });

  it('sends postgres:// and postgresql:// URLs to PostgreSQL', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const error = await openRunStore({ root, url: `${scheme}://u:pw@127.0.0.1:1/db` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toContain(`run store ${scheme}://u@127.0.0.1:1/db is unavailable`);
    }
  });

  it('rejects unknown kinds of store without showing their password', async () => {
    const error = await openRunStore({ root, url: 'mysql://me:secret@db/x?password=y' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(
      'run store mysql://me@db/x is unavailable: unknown kind of store; use postgres://…, postgresql://…, sqlite:PATH or memory:',
    );
  });
});

describe('withoutPassword', () => {
  it('drops the password and query string, and leaves URLs without one alone', () => {
    expect(withoutPassword('postgres://me:p%40ss@db:5432/x?sslmode=require&password=z')).toBe('postgres://me@db:5432/x');
    expect(withoutPassword('postgres://me@db/x')).toBe('postgres://me@db/x');
    expect(withoutPassword('postgres://db/x')).toBe('postgres://db/x');
  });
});
