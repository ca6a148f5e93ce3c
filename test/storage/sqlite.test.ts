// The SQLite run store: the shared contract, plus what several processes on one file rely on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { runStoreContract } from './contract.js';
import { assetEvents, at, newRun } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract('sqlite', async () => openSqliteStore(join(dir, `contract-${++n}.db`)));

describe('SQLite run store shared by two openers of one file', () => {
  it('sees the other opener’s writes and respects its locks', async () => {
    const file = join(dir, 'shared.db');
    const cli = openSqliteStore(file);
    const daemon = openSqliteStore(file); // finds the schema migrated and leaves it alone
    try {
      await cli.createRun(newRun('r1'));
      await daemon.createRun(newRun('r2', { startedAt: at(5) }));
      await cli.appendEvents(assetEvents('r1', 'a', 0, 'succeeded'));
      await daemon.appendEvents(assetEvents('r1', 'b', 3, 'succeeded'));
      expect((await daemon.events('r1')).map((e) => e.seq)).toStrictEqual([1, 2, 3, 4, 5, 6]);
      expect((await cli.listRuns()).map((r) => r.id)).toStrictEqual(['r2', 'r1']);

      expect(await cli.tryLock('asset:a', 'r1')).toBe(true);
      expect(await daemon.tryLock('asset:a', 'r2')).toBe(false);
      await daemon.unlock('asset:a', 'r2');
      expect(await daemon.tryLock('asset:a', 'r2')).toBe(false);
      await cli.finishRun('r1', 'succeeded', at(9));
      expect(await daemon.tryLock('asset:a', 'r2')).toBe(true);
    } finally {
      await cli.close();
      await daemon.close();
    }
  });

  it('describes itself by path and reports an unusable file as unavailable', () => {
    const store = openSqliteStore(join(dir, 'described.db'), 'sqlite:.sluice/runs.db');
    expect(store.describe).toBe('sqlite:.sluice/runs.db');
    void store.close();
    const notADirectory = join(dir, 'plain-file');
    writeFileSync(notADirectory, '');
    expect(() => openSqliteStore(join(notADirectory, 'runs.db'))).toThrow(
      new RegExp(`^run store sqlite:${notADirectory}/runs.db is unavailable: E[A-Z]+: `),
    );
  });
});
