// The in-memory run store: plain Maps with the SQL stores' exact behaviour, for tests and benchmarks.
import { StoreError } from './errors.js';
import { applyPatch, checkFromEvent, foldEvents, logFromEvent, TERMINAL } from './projection.js';
import type {
  AssetRunRecord,
  CheckResult,
  DriveRow,
  ListRunsOptions,
  LogLine,
  Materialization,
  NewRun,
  RunEvent,
  RunRecord,
  RunStatus,
  RunStore,
  SensorTickRecord,
  SensorTicksOptions,
  StoredRunEvent,
  TickRecord,
} from './types.js';

interface RunState {
  run: RunRecord;
  events: StoredRunEvent[];
  assets: Map<string, AssetRunRecord>;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const assetId = (assetKey: string, partition: string): string => `${assetKey}\u0000${partition}`;
const byAsset = (a: { assetKey: string; partition: string }, b: { assetKey: string; partition: string }): number =>
  cmp(a.assetKey, b.assetKey) || cmp(a.partition, b.partition);
// Stored values go through JSON as they would through SQL, so callers see identical results.
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** An event as the SQL stores give it back: unset fields left out, `data` a fresh copy. */
function stored(e: RunEvent, seq: number): StoredRunEvent {
  const out: StoredRunEvent = { runId: e.runId, seq, type: e.type, at: e.at };
  if (e.assetKey !== undefined) out.assetKey = e.assetKey;
  if (e.partition !== undefined) out.partition = e.partition;
  if (e.attempt !== undefined) out.attempt = e.attempt;
  if (e.message !== undefined) out.message = e.message;
  if (e.data !== undefined) out.data = copy(e.data);
  return out;
}

/**
 * A RunStore that lives and dies with the process. Behaves like the SQLite and PostgreSQL stores
 * (the same contract suite runs against all three) without their I/O.
 * @example const store = new MemoryRunStore(); await store.createRun(run);
 */
export class MemoryRunStore implements RunStore {
  readonly describe = 'memory:';
  readonly #runs = new Map<string, RunState>();
  readonly #locks = new Map<string, { owner: string; acquiredAt: string }>();
  // Logs and checks are kept by run id even for unknown runs, as the SQL tables (without foreign keys) do.
  readonly #logs = new Map<string, LogLine[]>();
  readonly #checks = new Map<string, Map<string, CheckResult>>();
  readonly #ticks = new Map<string, TickRecord>();
  /** Oldest first, as inserted. */
  #sensorTicks: SensorTickRecord[] = [];

  async createRun(run: NewRun): Promise<RunRecord> {
    if (this.#runs.has(run.id)) throw new StoreError(`run "${run.id}" already exists`);
    const record: RunRecord = { ...copy(run), status: 'running', endedAt: null, heartbeatAt: run.startedAt, error: null };
    this.#runs.set(run.id, { run: record, events: [], assets: new Map() });
    return copy(record);
  }

  async appendEvents(events: RunEvent[]): Promise<void> {
    // Check every run first so a bad batch changes nothing, as a rolled-back transaction would.
    for (const e of events) {
      if (!this.#runs.has(e.runId)) throw new StoreError(`cannot append events: run "${e.runId}" does not exist`);
    }
    for (const e of events) {
      const state = this.#runs.get(e.runId)!;
      state.events.push(stored(e, state.events.length + 1));
      if (e.at > state.run.heartbeatAt) state.run.heartbeatAt = e.at;
    }
    for (const p of foldEvents(events)) {
      const assets = this.#runs.get(p.runId)!.assets;
      const id = assetId(p.assetKey, p.partition);
      assets.set(id, applyPatch(assets.get(id), p));
    }
    await this.appendCheckResults(events.map(checkFromEvent).filter((c) => c !== undefined));
    await this.appendLogs(events.map(logFromEvent).filter((l) => l !== undefined));
  }

  async appendLogs(lines: LogLine[]): Promise<void> {
    for (const line of lines) {
      const logs = this.#logs.get(line.runId);
      if (logs === undefined) this.#logs.set(line.runId, [{ ...line }]);
      else logs.push({ ...line });
    }
  }

  async appendCheckResults(results: CheckResult[]): Promise<void> {
    for (const c of results) {
      const checks = this.#checks.get(c.runId) ?? new Map<string, CheckResult>();
      this.#checks.set(c.runId, checks);
      const id = [c.assetKey, c.partition, c.name, c.at].join('\u0000');
      if (!checks.has(id)) checks.set(id, { ...c });
    }
  }

  async heartbeat(runId: string, at: string): Promise<void> {
    const state = this.#runs.get(runId);
    if (state !== undefined) state.run.heartbeatAt = at;
  }

  async finishRun(runId: string, status: RunStatus, at: string, error: string | null = null): Promise<void> {
    const state = this.#runs.get(runId);
    if (state === undefined) throw new StoreError(`cannot finish run "${runId}": it does not exist`);
    Object.assign(state.run, { status, endedAt: at, error });
    for (const [name, lock] of this.#locks) if (lock.owner === runId) this.#locks.delete(name);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const state = this.#runs.get(runId);
    return state === undefined ? undefined : copy(state.run);
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    return this.#select(options).map((s) => copy(s.run));
  }

  #select(o: ListRunsOptions): RunState[] {
    const matching = [...this.#runs.values()].filter(
      (s) => (o.pipeline === undefined || s.run.pipeline === o.pipeline) && (o.status === undefined || s.run.status === o.status),
    );
    matching.sort((a, b) => cmp(b.run.startedAt, a.run.startedAt) || cmp(b.run.id, a.run.id));
    const offset = Math.max(0, Math.trunc(o.offset ?? 0));
    const end = o.limit === undefined ? undefined : offset + Math.max(0, Math.trunc(o.limit));
    return matching.slice(offset, end);
  }

  async assetRuns(runId: string): Promise<AssetRunRecord[]> {
    const assets = this.#runs.get(runId)?.assets;
    return assets === undefined ? [] : [...assets.values()].sort(byAsset).map((a) => ({ ...a }));
  }

  async events(runId: string, afterSeq = 0): Promise<StoredRunEvent[]> {
    const events = this.#runs.get(runId)?.events ?? [];
    return events.filter((e) => e.seq > afterSeq).map((e) => stored(e, e.seq));
  }

  async logs(runId: string, assetKey?: string, limit?: number): Promise<LogLine[]> {
    const lines = (this.#logs.get(runId) ?? []).filter((l) => assetKey === undefined || l.assetKey === assetKey);
    // A stable sort keeps arrival order among lines of the same instant, like SQL's `ORDER BY at, id`.
    const ordered = lines.sort((a, b) => cmp(a.at, b.at));
    const newest = limit === undefined ? ordered : ordered.slice(Math.max(0, ordered.length - Math.max(0, Math.trunc(limit))));
    return newest.map((l) => ({ ...l }));
  }

  async checkResults(runId: string): Promise<CheckResult[]> {
    const checks = [...(this.#checks.get(runId)?.values() ?? [])];
    return checks.sort((a, b) => cmp(a.at, b.at)).map((c) => ({ ...c }));
  }

  async drive(options: ListRunsOptions = {}): Promise<DriveRow[]> {
    return this.#select(options).flatMap(({ run, assets }) =>
      [...assets.values()].sort(byAsset).map((a) => ({
        runId: run.id,
        pipeline: run.pipeline ?? null,
        runStatus: run.status,
        resumedFrom: run.resumedFrom ?? null,
        assetKey: a.assetKey,
        partition: a.partition,
        status: a.status,
        attempts: a.attempts,
        startedAt: a.startedAt,
        endedAt: a.endedAt,
        durationMs:
          a.startedAt === null || a.endedAt === null ? null : Math.round(Date.parse(a.endedAt) - Date.parse(a.startedAt)),
        rowCount: a.rowCount,
        error: a.error,
      })),
    );
  }

  async latestMaterializations(assetKeys?: string[]): Promise<Materialization[]> {
    const wanted = assetKeys === undefined ? undefined : new Set(assetKeys);
    const newest = new Map<string, Materialization>();
    for (const { assets } of this.#runs.values()) {
      for (const a of assets.values()) {
        if ((a.status !== 'succeeded' && a.status !== 'failed') || a.endedAt === null) continue;
        if (wanted !== undefined && !wanted.has(a.assetKey)) continue;
        const id = assetId(a.assetKey, a.partition);
        const seen = newest.get(id);
        const newer =
          seen === undefined || cmp(a.endedAt, seen.endedAt!) > 0 || (a.endedAt === seen.endedAt && a.runId > seen.runId);
        if (newer)
          newest.set(id, { assetKey: a.assetKey, partition: a.partition, status: a.status, runId: a.runId, endedAt: a.endedAt });
      }
    }
    return [...newest.values()].sort(byAsset);
  }

  async failStaleRuns(before: string, at: string): Promise<string[]> {
    const failed: string[] = [];
    for (const { run, assets } of this.#runs.values()) {
      if (run.status !== 'running' || !(run.heartbeatAt < before)) continue;
      Object.assign(run, { status: 'failed', endedAt: at, error: `stale: no heartbeat since ${run.heartbeatAt}` });
      for (const a of assets.values()) {
        if (!TERMINAL.includes(a.status)) Object.assign(a, { status: 'failed', endedAt: at, error: run.error });
      }
      failed.push(run.id);
    }
    return failed.sort();
  }

  async recordTick(tick: TickRecord): Promise<boolean> {
    const id = `${tick.pipeline}\u0000${tick.tickAt}`;
    if (this.#ticks.has(id)) return false;
    this.#ticks.set(id, { ...tick });
    return true;
  }

  async lastTick(pipeline: string): Promise<TickRecord | undefined> {
    return (await this.ticks({ pipeline, limit: 1 }))[0];
  }

  async ticks(options: { pipeline?: string; limit?: number } = {}): Promise<TickRecord[]> {
    return [...this.#ticks.values()]
      .filter((t) => options.pipeline === undefined || t.pipeline === options.pipeline)
      .sort((a, b) => (a.tickAt < b.tickAt ? 1 : a.tickAt > b.tickAt ? -1 : a.pipeline < b.pipeline ? -1 : 1))
      .slice(0, options.limit ?? 100)
      .map((t) => ({ ...t }));
  }

  async recordSensorTick(tick: SensorTickRecord): Promise<boolean> {
    const { pipeline, sensor, runKey } = tick;
    const taken = (t: SensorTickRecord) => t.pipeline === pipeline && t.sensor === sensor && t.runKey === runKey;
    if (runKey !== null && this.#sensorTicks.some(taken)) return false;
    this.#sensorTicks.push({ ...tick });
    return true;
  }

  async sensorTicks(options: SensorTicksOptions = {}): Promise<SensorTickRecord[]> {
    const { pipeline, sensor, status } = options;
    const found: SensorTickRecord[] = [];
    const limit = options.limit ?? 100;
    // Newest first: insertion order breaks ties of evaluatedAt, as the id column does in SQL.
    const byTime = this.#sensorTicks
      .map((t, i) => [t, i] as const)
      .sort(([a, i], [b, j]) => (a.evaluatedAt === b.evaluatedAt ? j - i : a.evaluatedAt < b.evaluatedAt ? 1 : -1));
    for (const [t] of byTime) {
      if (found.length >= limit) break;
      if (pipeline !== undefined && t.pipeline !== pipeline) continue;
      if (sensor !== undefined && t.sensor !== sensor) continue;
      if (status !== undefined && t.status !== status) continue;
      found.push({ ...t });
    }
    return found;
  }

  async pruneSensorTicks(before: string): Promise<number> {
    const kept = this.#sensorTicks.filter((t) => t.status === 'launched' || !(t.evaluatedAt < before));
    const pruned = this.#sensorTicks.length - kept.length;
    this.#sensorTicks = kept;
    return pruned;
  }

  async tryLock(name: string, owner: string): Promise<boolean> {
    const held = this.#locks.get(name);
    if (held !== undefined && held.owner !== owner && this.#runs.get(held.owner)?.run.status === 'running') return false;
    if (held?.owner !== owner) this.#locks.set(name, { owner, acquiredAt: new Date().toISOString() });
    return true;
  }

  async unlock(name: string, owner: string): Promise<void> {
    if (this.#locks.get(name)?.owner === owner) this.#locks.delete(name);
  }

  async close(): Promise<void> {}
}
