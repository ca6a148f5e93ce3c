// What the graph colours nodes by: each asset's last materialization, its checks, and runs in progress.

import type { AssetRunRecord, CheckResult, Materialization, RunRecord, RunStore } from '../storage/types.js';

/** A node's colour: its newest finished materialization, unless a live run is working on it right now. */
export type NodeStatus = 'succeeded' | 'failed' | 'running' | 'pending' | 'never';
/** The checks of that materialization: a failed blocking check is `failed`, a failed warning is `warn`. */
export type CheckState = 'passed' | 'failed' | 'warn' | 'none';

export interface AssetStatusInfo {
  status: NodeStatus;
  /** The newest finished materialization's status (any partition). */
  last: 'succeeded' | 'failed' | null;
  check: CheckState;
  runId: string | null;
  endedAt: string | null;
  /** Newest status per partition, counted (an unpartitioned asset counts once). */
  partitions: { succeeded: number; failed: number };
}

export const NEVER: AssetStatusInfo = Object.freeze({
  status: 'never',
  last: null,
  check: 'none',
  runId: null,
  endedAt: null,
  partitions: Object.freeze({ succeeded: 0, failed: 0 }),
}) as AssetStatusInfo;

/** A run whose heartbeat is older than this is presumed dead: its assets are not shown as running, its stream ends. */
export const STALE_MS = 120_000;
/** How many of the newest runs each refresh looks at. */
const WINDOW = 20;
/** A full re-read this often catches what the incremental refresh cannot see (a run older than the window). */
const FULL_EVERY_MS = 60_000;

const UNFINISHED = new Set(['planned', 'waiting', 'running', 'retrying']);
const newer = (a: { endedAt: string | null; runId: string }, b: { endedAt: string | null; runId: string }) =>
  (a.endedAt ?? '') > (b.endedAt ?? '') || ((a.endedAt ?? '') === (b.endedAt ?? '') && a.runId > b.runId);

/**
 * Statuses of every asset. The first read takes the store's newest materialization of every asset; later
 * reads (at most once per `ttlMs`, shared by concurrent requests) only ask for the newest runs and re-read
 * the asset runs of those that changed or are still running, so a quiet store costs one small query.
 * `version` changes whenever any status does, which lets callers cache what they derive from statuses.
 * @example const board = new StatusBoard(store); (await board.all()).get('analytics.mau_summary')?.status
 */
export class StatusBoard {
  readonly #store: RunStore;
  readonly #ttlMs: number;
  /** Newest finished materialization per asset, per partition. */
  readonly #rows = new Map<string, Map<string, Materialization>>();
  /** Run id → `status|endedAt` when last read; finished runs never change after that. */
  readonly #seen = new Map<string, string>();
  /** Unfinished asset runs of live runs, by run id. */
  readonly #live = new Map<string, AssetRunRecord[]>();
  readonly #checks = new Map<string, CheckResult[]>();
  #summary = new Map<string, AssetStatusInfo>();
  #version = 0;
  #fullAt = 0;
  #at = 0;
  #pending: Promise<Map<string, AssetStatusInfo>> | undefined;

  constructor(store: RunStore, ttlMs = 1_000) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  /** Changes whenever a status changes. */
  get version(): number {
    return this.#version;
  }

  /** Assets with any status; those missing have NEVER. */
  all(): Promise<Map<string, AssetStatusInfo>> {
    if (this.#fullAt > 0 && Date.now() - this.#at < this.#ttlMs) return Promise.resolve(this.#summary);
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #refresh(): Promise<Map<string, AssetStatusInfo>> {
    const now = Date.now();
    const [recent, running] = await Promise.all([
      this.#store.listRuns({ limit: WINDOW }),
      this.#store.listRuns({ status: 'running', limit: 50 }),
    ]);
    const runs = new Map<string, RunRecord>([...recent, ...running].map((r) => [r.id, r]));
    // Every run in the window is new: more happened than the window shows, so read everything again.
    const overflow = recent.length === WINDOW && recent.every((r) => !this.#seen.has(r.id));
    let changed = false;
    if (this.#fullAt === 0 || overflow || now - this.#fullAt > FULL_EVERY_MS) {
      await this.#fullRead(runs);
      changed = true;
    } else {
      for (const id of [...this.#live.keys()]) if (!runs.has(id)) this.#live.delete(id);
      for (const run of runs.values()) {
        const signature = `${run.status}|${run.endedAt ?? ''}`;
        if (this.#seen.get(run.id) === signature && run.status !== 'running') continue;
        changed = (await this.#readRun(run, now)) || changed;
        this.#seen.set(run.id, signature);
      }
    }
    if (changed) this.#rebuild();
    this.#at = Date.now();
    return this.#summary;
  }

  async #fullRead(runs: Map<string, RunRecord>): Promise<void> {
    const latest = await this.#store.latestMaterializations();
    this.#rows.clear();
    this.#live.clear();
    for (const m of latest) this.#put(m);
    const now = Date.now();
    for (const run of runs.values()) {
      this.#seen.set(run.id, `${run.status}|${run.endedAt ?? ''}`);
      if (run.status === 'running') await this.#readRun(run, now);
    }
    const ids = new Set<string>();
    for (const byPartition of this.#rows.values()) for (const m of byPartition.values()) ids.add(m.runId);
    await Promise.all([...ids].map((id) => this.#checksOf(id)));
    this.#fullAt = now;
  }

  /** Applies one run's asset runs; true when anything shown changed. */
  async #readRun(run: RunRecord, now: number): Promise<boolean> {
    const records = await this.#store.assetRuns(run.id);
    let changed = false;
    for (const r of records) {
      if ((r.status === 'succeeded' || r.status === 'failed') && r.endedAt) {
        changed =
          this.#put({ assetKey: r.assetKey, partition: r.partition, status: r.status, runId: r.runId, endedAt: r.endedAt }) ||
          changed;
      }
    }
    const alive = run.status === 'running' && now - Date.parse(run.heartbeatAt) < STALE_MS;
    const before = this.#live.get(run.id);
    const unfinished = alive ? records.filter((r) => UNFINISHED.has(r.status)) : [];
    if (unfinished.length > 0) this.#live.set(run.id, unfinished);
    else this.#live.delete(run.id);
    const liveChanged =
      JSON.stringify(before?.map((r) => [r.assetKey, r.status]) ?? []) !==
      JSON.stringify(unfinished.map((r) => [r.assetKey, r.status]));
    if (changed) await this.#checksOf(run.id, true);
    return changed || liveChanged;
  }

  #put(m: Materialization): boolean {
    const byPartition = this.#rows.get(m.assetKey) ?? new Map<string, Materialization>();
    this.#rows.set(m.assetKey, byPartition);
    const seen = byPartition.get(m.partition);
    if (seen && !newer(m, seen)) return false;
    byPartition.set(m.partition, m);
    return true;
  }

  /** Check results of a run; `fresh` re-reads them (a running run's results grow as its assets finish). */
  async #checksOf(runId: string, fresh = false): Promise<void> {
    if (!fresh && this.#checks.has(runId)) return;
    const results = await this.#store.checkResults(runId);
    if (this.#checks.size > 5_000) this.#checks.clear();
    this.#checks.set(runId, results);
  }

  #rebuild(): void {
    const out = new Map<string, AssetStatusInfo>();
    for (const [key, byPartition] of this.#rows) {
      let last: Materialization | undefined;
      const info: AssetStatusInfo = { ...NEVER, partitions: { succeeded: 0, failed: 0 } };
      for (const m of byPartition.values()) {
        if (m.status === 'succeeded') info.partitions.succeeded++;
        else info.partitions.failed++;
        if (!last || newer(m, last)) last = m;
      }
      info.last = last!.status === 'succeeded' ? 'succeeded' : 'failed';
      info.status = info.last;
      info.runId = last!.runId;
      info.endedAt = last!.endedAt;
      info.check = checkState(
        (this.#checks.get(last!.runId) ?? []).filter((r) => r.assetKey === key && r.partition === last!.partition),
      );
      out.set(key, info);
    }
    for (const records of this.#live.values()) {
      for (const a of records) {
        const info = out.get(a.assetKey) ?? { ...NEVER, partitions: { succeeded: 0, failed: 0 } };
        out.set(a.assetKey, info);
        if (info.status !== 'running') info.status = a.status === 'running' || a.status === 'retrying' ? 'running' : 'pending';
      }
    }
    this.#summary = out;
    this.#version++;
  }
}

function checkState(results: CheckResult[]): CheckState {
  if (results.length === 0) return 'none';
  // The newest result per check name counts: a retried check that passed the second time passed.
  const byName = new Map<string, CheckResult>();
  for (const r of results) byName.set(r.name, r);
  const failed = [...byName.values()].filter((r) => !r.passed);
  if (failed.some((r) => r.blocking)) return 'failed';
  return failed.length > 0 ? 'warn' : 'passed';
}
