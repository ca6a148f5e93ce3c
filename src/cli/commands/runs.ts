// `sluice runs`, `runs show ID`, `runs drive`: what the run store recorded.

import type { DriveRow, RunStore } from '../../storage/types.js';
import { type CliIo, painter, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { openProjectStore } from '../run-setup.js';

async function withStore<T>(
  io: CliIo,
  globals: GlobalOptions,
  flag: string | undefined,
  work: (store: RunStore) => Promise<T>,
): Promise<T> {
  const { resolve } = await import('node:path');
  const { findProjectRoot, loadProjectConfig } = await import('../../project/index.js');
  const root = globals.project ? resolve(io.cwd, globals.project) : findProjectRoot(io.cwd);
  const config = await loadProjectConfig(root);
  const store = await openProjectStore(config, root, io.env, flag);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * A subcommand's options with what `runs` parsed for it. `runs` declares --store, --json and --limit too and,
 * parsing first, takes them from `runs show ID --store X` itself; commander hands them on only as globals.
 */
function withParent<O extends object>(options: O, globals: GlobalOptions): O {
  return { ...options, ...(globals as Partial<O>) };
}

function duration(startedAt: string | null, endedAt: string | null): string {
  if (!startedAt || !endedAt) return '';
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function status(io: CliIo, s: string): string {
  const paint = painter(io);
  if (s === 'succeeded') return paint('green', s);
  if (s === 'failed' || s === 'upstream_failed') return paint('red', s);
  if (s === 'running' || s === 'retrying') return paint('blue', s);
  return s;
}

export async function listRuns(
  io: CliIo,
  _args: unknown[],
  options: { limit: number; store?: string; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  return withStore(io, globals, options.store, async (store) => {
    const runs = await store.listRuns({ limit: options.limit });
    if (options.json) {
      const withAssets = await Promise.all(runs.map(async (r) => ({ ...r, assets: await store.assetRuns(r.id) })));
      printJson(io, withAssets);
      return 0;
    }
    const rows = runs.map((r) => [
      r.id,
      status(io, r.status),
      r.pipeline ?? '',
      r.selection,
      r.partitions.join(',') || '',
      r.startedAt,
      duration(r.startedAt, r.endedAt),
    ]);
    io.stdout.write(`${table(rows, ['RUN', 'STATUS', 'PIPELINE', 'SELECTION', 'PARTITIONS', 'STARTED', 'TOOK'])}\n`);
    return 0;
  });
}

export async function showRun(
  io: CliIo,
  [runId]: unknown[],
  own: { store?: string; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const options = withParent(own, globals);
  const { SelectionError } = await import('../../definitions/errors.js');
  return withStore(io, globals, options.store, async (store) => {
    const run = await store.getRun(String(runId));
    if (!run) throw new SelectionError(`no run "${String(runId)}" in ${store.describe}; list runs with \`sluice runs\``);
    const [assets, checks] = await Promise.all([store.assetRuns(run.id), store.checkResults(run.id)]);
    const logs = await Promise.all(
      assets.map(async (a) => ({ key: a.assetKey, partition: a.partition, lines: await store.logs(run.id, a.assetKey, 20) })),
    );
    if (options.json) {
      printJson(io, { run, assets, checks, logs });
      return 0;
    }
    io.stdout.write(
      `run ${run.id} ${status(io, run.status)}${run.pipeline ? ` · pipeline ${run.pipeline}` : ''} · ${run.selection}`,
    );
    io.stdout.write(
      `${run.resumedFrom ? ` · resumed from ${run.resumedFrom}` : ''}\nstarted ${run.startedAt}${run.endedAt ? `, ended ${run.endedAt}` : ''}\n`,
    );
    if (run.error) io.stdout.write(`error: ${run.error}\n`);
    const rows = assets.map((a) => [
      `${a.assetKey}${a.partition ? `@${a.partition}` : ''}`,
      status(io, a.status),
      String(a.attempts),
      duration(a.startedAt, a.endedAt),
      a.rowCount === null ? '' : String(a.rowCount),
      a.error ?? '',
    ]);
    io.stdout.write(`\n${table(rows, ['ASSET', 'STATUS', 'ATTEMPTS', 'TOOK', 'ROWS', 'ERROR'])}\n`);
    if (checks.length > 0) {
      const checkRows = checks.map((c) => [
        c.assetKey,
        c.name,
        c.passed ? 'passed' : c.blocking ? 'FAILED' : 'warning',
        c.message,
      ]);
      io.stdout.write(`\n${table(checkRows, ['ASSET', 'CHECK', 'RESULT', 'MESSAGE'])}\n`);
    }
    for (const log of logs) {
      if (log.lines.length === 0) continue;
      io.stdout.write(`\n── log ${log.key}${log.partition ? `@${log.partition}` : ''} (last ${log.lines.length} lines)\n`);
      for (const line of log.lines) io.stdout.write(`${line.at.slice(11, 19)} ${line.stream.padEnd(6)} ${line.message}\n`);
    }
    return 0;
  });
}

/** Window bounds of each partitioned row, from the asset's partition spec; null when it has none (or is gone). */
async function windowsOf(
  io: CliIo,
  globals: GlobalOptions,
  rows: DriveRow[],
): Promise<(row: DriveRow) => { start: string; end: string } | null> {
  if (!rows.some((r) => r.partition !== '')) return () => null;
  const { loadContext } = await import('../context.js');
  const { partitionWindow } = await import('../../definitions/partitions.js');
  const { graph } = await loadContext(io, globals.project);
  return (row) => {
    const spec = row.partition && graph.has(row.assetKey) ? graph.asset(row.assetKey).partitions : undefined;
    const window = spec ? partitionWindow(spec, row.partition) : undefined;
    return window ? { start: window.start.toISOString(), end: window.end.toISOString() } : null;
  };
}

export async function drive(
  io: CliIo,
  _args: unknown[],
  own: { limit: number; store?: string; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const options = withParent(own, globals);
  return withStore(io, globals, options.store, async (store) => {
    const stored = await store.drive({ limit: options.limit });
    const window = await windowsOf(io, globals, stored);
    const rows = stored.map((r) => {
      const w = window(r);
      return { ...r, windowStart: w?.start ?? null, windowEnd: w?.end ?? null };
    });
    if (options.json) {
      printJson(io, rows);
      return 0;
    }
    const cells = rows.map((r) => [
      r.runId,
      r.pipeline ?? '',
      r.assetKey,
      r.partition,
      r.windowStart && r.windowEnd ? `${r.windowStart.slice(0, 16)}–${r.windowEnd.slice(0, 16)}` : '',
      status(io, r.status),
      String(r.attempts),
      r.startedAt ?? '',
      r.durationMs === null ? '' : `${r.durationMs}ms`,
      r.rowCount === null ? '' : String(r.rowCount),
      r.error ?? '',
    ]);
    io.stdout.write(
      `${table(cells, ['RUN', 'PIPELINE', 'ASSET', 'PARTITION', 'WINDOW (UTC)', 'STATUS', 'ATTEMPTS', 'STARTED', 'TOOK', 'ROWS', 'ERROR'])}\n`,
    );
    return 0;
  });
}
