// Several real processes writing one SQLite run store at once: no lost events, no duplicate seq, one lock winner.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { newRun } from './helpers.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sluice-procs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps every event of three concurrent writer processes, numbered without gaps', async () => {
  const file = join(dir, 'runs.db');
  const store = openSqliteStore(file);
  try {
    await store.createRun(newRun('shared'));
    const writer = join(import.meta.dirname, 'fixtures', 'writer.ts');
    const names = ['cli', 'daemon', 'serve'];
    const outputs = await Promise.all(
      names.map((name) => run(process.execPath, ['--import', 'tsx', writer, file, name, '150'], { timeout: 60_000 })),
    );
    const won = outputs.map((o) => (JSON.parse(o.stdout) as { won: boolean }).won);
    expect(won.filter(Boolean)).toHaveLength(1);
    const events = await store.events('shared');
    expect(events).toHaveLength(3 * 150 * 3);
    expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
    const assets = await store.assetRuns('shared');
    expect(assets).toHaveLength(3 * 150);
    expect(assets.every((a) => a.status === 'succeeded' && a.attempts === 1)).toBe(true);
  } finally {
    await store.close();
  }
});
