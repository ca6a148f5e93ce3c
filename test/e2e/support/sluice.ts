// Drives the real `node bin/sluice.js` for end-to-end tests: temp state, runs, stored events, secrets scans.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Warehouse } from '../../../src/resources/warehouse/types.js';
import { openRunStore } from '../../../src/storage/index.js';
import type { AssetRunRecord, CheckResult, RunRecord, StoredRunEvent } from '../../../src/storage/types.js';
import { type CliResult, GUARD, REPO, runNode } from '../../support/cli.js';

/** One test's private state: a folder holding the run store (and, for DuckDB, the warehouse file). */
export interface Workspace {
  dir: string;
  /** The `--store` value: `sqlite:<dir>/runs.db`. */
  store: string;
  storeFile: string;
  remove(): Promise<void>;
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
  const storeFile = join(dir, 'runs.db');
  return { dir, store: `sqlite:${storeFile}`, storeFile, remove: () => rm(dir, { recursive: true, force: true }) };
}

const PIPELINE = 'pipeline:run_elt_alert';
// A run takes seconds; this only ends a CLI that hangs, so the test reports instead of waiting forever.
const CLI_TIMEOUT_MS = 90_000;

/** `sluice materialize pipeline:run_elt_alert` on the example project, recording into the workspace. */
export function materialize(ws: Workspace, env: Record<string, string>): Promise<CliResult> {
  return runNode(['materialize', PIPELINE, '--store', ws.store], { env, timeoutMs: CLI_TIMEOUT_MS });
}

/** A materialize still running, whose output can be waited on (to act at a known point of the run). */
export interface RunningCli {
  /** Resolves once stdout or stderr matches; rejects when the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
  /** Ends the process (a test that gave up on it must not leave it running). */
  kill(): void;
}

/** Like {@link materialize}, but returns while the run is going (same entry point, env and network guard as runNode). */
export function startMaterialize(ws: Workspace, env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [`${REPO}bin/sluice.js`, 'materialize', PIPELINE, '--store', ws.store], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import ${GUARD}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    changed();
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    changed();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ status: code ?? -1, stdout, stderr });
      changed();
    });
  });
  let ended = false;
  void done.then(() => (ended = true));
  return {
    done,
    kill: () => child.kill('SIGKILL'),
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no output matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(new Error(`${error.message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
          else resolve();
        };
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) finish();
          else if (ended) finish(new Error(`the CLI exited before printing ${pattern}`));
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** The run id from materialize's closing line (`run <id> succeeded|failed…`). */
export function runIdOf(result: CliResult): string {
  const id = /^run (\S+) (?:succeeded|failed)/m.exec(result.stdout)?.[1];
  if (!id) throw new Error(`no run id in the CLI output (exit ${result.status})\n${describe(result)}`);
  return id;
}

/** stdout and stderr, for assertion messages. */
export function describe(result: CliResult): string {
  return `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** What `sluice runs show <id> --json` prints. */
export interface ShownRun {
  run: RunRecord;
  assets: AssetRunRecord[];
  checks: CheckResult[];
}

export async function showRun(ws: Workspace, runId: string): Promise<ShownRun> {
  const result = await runNode(['runs', 'show', runId, '--store', ws.store, '--json']);
  if (result.status !== 0) throw new Error(`runs show ${runId} exited ${result.status}\n${describe(result)}`);
  return JSON.parse(result.stdout) as ShownRun;
}

/** Each asset's status and attempts, by key (from `runs show --json` or the store). */
export function assetStates(shown: { assets: AssetRunRecord[] }): Record<string, { status: string; attempts: number }> {
  return Object.fromEntries(shown.assets.map((a) => [a.assetKey, { status: a.status, attempts: a.attempts }]));
}

/** A run as the store holds it: the run, each asset's state and every event. */
export interface StoredRun {
  run: RunRecord | undefined;
  assets: AssetRunRecord[];
  events: StoredRunEvent[];
}

/** Reads a run through the run store API (not the CLI), as another process would. */
export async function storedRun(ws: Workspace, runId: string): Promise<StoredRun> {
  const store = await openRunStore({ url: ws.store, root: ws.dir });
  try {
    const [run, assets, events] = await Promise.all([store.getRun(runId), store.assetRuns(runId), store.events(runId)]);
    return { run, assets, events };
  } finally {
    await store.close();
  }
}

/**
 * Everything the SQLite run store holds, as text: every row of every table, plus the raw bytes of the
 * database and its side files (a value written once and deleted may survive in free pages).
 */
export async function storeContents(ws: Workspace): Promise<string> {
  const db = new Database(ws.storeFile, { readonly: true, fileMustExist: true });
  let rows = '';
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all()) rows += `${JSON.stringify(row)}\n`;
    }
  } finally {
    db.close();
  }
  const files = (await readdir(ws.dir)).filter((f) => f.startsWith('runs.db'));
  const raw = await Promise.all(files.map((f) => readFile(join(ws.dir, f), 'latin1')));
  return `${rows}\n${raw.join('\n')}`;
}

/** One row of analytics.mau_summary, normalised across dialects (timestamp or date month; number or text count). */
export interface MauRow {
  month: string;
  mau: number;
}

/** The README's expected monthly active users. */
export const EXPECTED_MAU: MauRow[] = [
  { month: '2025-01-01', mau: 50 },
  { month: '2025-02-01', mau: 60 },
  { month: '2025-03-01', mau: 70 },
  { month: '2025-04-01', mau: 80 },
];

/** Reads analytics.mau_summary back through a warehouse. Column names are folded: Snowflake answers MONTH, MAU. */
export async function readMau(warehouse: Warehouse): Promise<MauRow[]> {
  const rows = await warehouse.query('SELECT month, mau FROM analytics.mau_summary ORDER BY 1');
  return rows.map((row) => {
    const cells = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    const month = cells.month instanceof Date ? cells.month.toISOString() : String(cells.month);
    return { month: month.slice(0, 10), mau: Number(cells.mau) };
  });
}

/** Runs `work` on a warehouse and always closes it (a DuckDB file stays locked while open). */
export async function withWarehouse<T>(open: () => Promise<Warehouse>, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await open();
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}
