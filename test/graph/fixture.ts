// Small graphs shared by the graph tests, declared through the public asset()/pipeline() API.
import { buildGraph, type LineageGraph } from '../../src/graph/index.js';
import { type AssetDefinition, asset, type PipelineDefinition, pipeline, sourceAsset, sql } from '../../src/index.js';

export const produce = sql({ sql: 'SELECT 1' });

/** Builds a graph from definitions, all declared in `file` unless an entry says otherwise. */
export function graphOf(
  assets: (AssetDefinition | [AssetDefinition, string])[],
  pipelines: (PipelineDefinition | [PipelineDefinition, string])[] = [],
  file = 'assets/x.ts',
): LineageGraph {
  const entry = <T extends { spec: unknown }>(d: T | [T, string]) =>
    Array.isArray(d) ? { spec: d[0].spec, file: d[1] } : { spec: d.spec, file };
  return buildGraph({
    assets: assets.map((a) => entry(a) as { spec: AssetDefinition['spec']; file: string }),
    pipelines: pipelines.map((p) => entry(p) as { spec: PipelineDefinition['spec']; file: string }),
  });
}

/** The error `f` throws; fails the test when it throws nothing or something of another class. */
export function thrown<E extends Error>(kind: new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected ${kind.name}, but nothing was thrown`);
}

/**
 * raw.a, raw.b (sources) → stg.a, stg.b → mart.x → mart.y_summary and "weird key+"; other.z_summary
 * stands alone. Tags, groups, owners and kinds differ so every attribute selects a distinct set.
 */
export function shopGraph(): LineageGraph {
  const rawA = sourceAsset('raw.a', { tags: ['raw'], group: 'raw' });
  const rawB = sourceAsset('raw.b', { tags: ['raw'], group: 'raw', kind: 'file' });
  const stgA = asset('stg.a', { deps: [rawA], produce, group: 'staging', tags: ['elt'] });
  const stgB = asset('stg.b', { deps: [rawB], produce, group: 'staging' });
  const martX = asset('mart.x', { deps: [stgA, stgB], produce, group: 'mart', owner: 'ana', tags: ['elt', 'daily'] });
  const martY = asset('mart.y_summary', { deps: [martX], produce, group: 'mart', kind: 'file', owner: 'ana' });
  const weird = asset('weird key+', { deps: [martX], produce, kind: 'value' });
  const other = asset('other.z_summary', { produce, owner: 'bob', tags: ['daily'] });
  return graphOf(
    [rawA, rawB, stgA, stgB, martX, martY, weird, other],
    [pipeline('elt', { select: 'tag:elt' }), pipeline('marts', { select: '+mart.y_summary' })],
  );
}
