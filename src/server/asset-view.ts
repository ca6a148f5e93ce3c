// /api/assets/:key and /api/pipelines: specs as the browser sees them, with nothing secret in them.

import type { AssetSpec, NotificationSpec, PipelineSpec, ProducerSpec } from '../definitions/schema.js';
import type { LineageGraph } from '../graph/index.js';
import { MASK } from '../resources/secrets.js';
import type { AssetRunRecord, Materialization, RunStore } from '../storage/types.js';
import { NEVER, type StatusBoard } from './status.js';

/** Values of a string map replaced by the mask: names are useful to see, values may be credentials. */
function masked(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
}

/**
 * A producer as shown: its SQL, command, URL and body are the definition itself and stay; environment
 * and header values are masked, because those are where credentials are passed in.
 * @example publicProducer({ type: 'shell', command: 'dump.sh', env: { PGPASSWORD: 'x' } }) // env: { PGPASSWORD: '***' }
 */
function publicProducer(producer: ProducerSpec | null): Record<string, unknown> | null {
  if (producer === null) return null;
  if (producer.type === 'shell') return { ...producer, env: masked(producer.env) };
  if (producer.type === 'http') return { ...producer, headers: masked(producer.headers) };
  return { ...producer };
}

/** Notification targets without addresses: who is paged is not the browser's business. */
function publicNotifications(list: readonly NotificationSpec[]): Record<string, unknown>[] {
  return list.map((n) =>
    n.type === 'slack'
      ? { type: 'slack', channel: n.channel }
      : { type: 'email', recipients: n.to.length, toEnv: n.toEnv ?? null },
  );
}

export function pipelineSummary(graph: LineageGraph, p: PipelineSpec): Record<string, unknown> {
  return {
    name: p.name,
    select: p.select,
    description: p.description ?? null,
    schedule: p.schedule ?? null,
    tags: p.tags,
    owner: p.owner ?? null,
    retry: p.retry ?? null,
    timeout: p.timeout ?? null,
    onFailure: publicNotifications(p.onFailure),
    file: graph.pipelineFile(p.name) ?? null,
    assets: graph.pipelineAssets(p.name).length,
  };
}

/** One row of /api/assets. */
export function assetSummary(graph: LineageGraph, spec: AssetSpec): Record<string, unknown> {
  return {
    key: spec.key,
    kind: spec.kind,
    source: spec.source,
    group: spec.group ?? null,
    owner: spec.owner ?? null,
    tags: spec.tags,
    description: spec.description ?? null,
    producer: spec.producer?.type ?? null,
    file: graph.file(spec.key) ?? null,
  };
}

const RECENT_RUNS = 10;

const memberships = new WeakMap<LineageGraph, Map<string, string[]>>();

/** The pipelines selecting each asset, sorted; computed once per graph (a pipeline may select 10,000 assets). */
export function pipelinesOf(graph: LineageGraph): Map<string, string[]> {
  let out = memberships.get(graph);
  if (!out) {
    out = new Map();
    for (const p of graph.pipelines()) {
      for (const key of graph.pipelineAssets(p.name)) {
        const list = out.get(key);
        if (list) list.push(p.name);
        else out.set(key, [p.name]);
      }
    }
    memberships.set(graph, out);
  }
  return out;
}

/** Asset runs of finished runs, by run id then asset key; a finished run's records never change. */
export class RunRecordCache {
  readonly #cache = new Map<string, Map<string, AssetRunRecord[]>>();

  async forRun(store: RunStore, runId: string, finished: boolean): Promise<Map<string, AssetRunRecord[]>> {
    const hit = this.#cache.get(runId);
    if (hit) return hit;
    const byKey = new Map<string, AssetRunRecord[]>();
    for (const record of await store.assetRuns(runId)) {
      const list = byKey.get(record.assetKey);
      if (list) list.push(record);
      else byKey.set(record.assetKey, [record]);
    }
    if (finished) {
      this.#cache.set(runId, byKey);
      if (this.#cache.size > 2 * RECENT_RUNS) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return byKey;
  }
}

/**
 * Everything the side panel shows about one asset: spec, producer, policies, checks, neighbours, status,
 * the newest materialization of each partition, and its state in the last runs.
 */
export async function assetDetail(
  graph: LineageGraph,
  store: RunStore,
  statuses: StatusBoard,
  runs: RunRecordCache,
  key: string,
): Promise<Record<string, unknown>> {
  const spec = graph.asset(key);
  const [status, latest, recentRuns] = await Promise.all([
    statuses.all(),
    store.latestMaterializations([key]),
    store.listRuns({ limit: RECENT_RUNS }),
  ]);
  const recent: (AssetRunRecord & { pipeline: string | null })[] = [];
  for (const run of recentRuns) {
    const records = (await runs.forRun(store, run.id, run.status !== 'running')).get(key) ?? [];
    for (const r of records) recent.push({ ...r, pipeline: run.pipeline ?? null });
  }
  const partitions = [...latest].sort((a: Materialization, b: Materialization) =>
    (b.endedAt ?? '').localeCompare(a.endedAt ?? ''),
  );
  return {
    ...assetSummary(graph, spec),
    metadata: spec.metadata,
    resource: spec.resource ?? null,
    pipelines: pipelinesOf(graph).get(key) ?? [],
    producer: publicProducer(spec.producer),
    policies: {
      retry: spec.retry ?? null,
      timeout: spec.timeout ?? null,
      trigger: spec.trigger,
      pool: spec.pool ?? null,
      partitions: spec.partitions ?? null,
      dependsOnPast: spec.dependsOnPast,
      notify: publicNotifications(spec.notify),
      sensor: spec.sensor ?? null,
    },
    checks: spec.checks,
    upstream: graph.parents(key),
    downstream: graph.children(key),
    status: status.get(key) ?? NEVER,
    partitions: partitions.slice(0, 200),
    partitionCount: partitions.length,
    recent,
  };
}
