// Lineage as text: JSON for tools and the browser, Mermaid for Markdown, DOT for Graphviz. Deterministic.

import { retrySchedule } from '../definitions/retry.js';
import type { RetryPolicy } from '../definitions/schema.js';
import { type LineageGraph, scopeOf } from './lineage-graph.js';

/** A retry policy as the lineage shows it: attempts and the seconds waited before each retry. */
export interface LineageRetry {
  maxAttempts: number;
  waitSeconds: number[];
}

function lineageRetry(policy: RetryPolicy | undefined): LineageRetry | null {
  return policy ? { maxAttempts: policy.maxAttempts, waitSeconds: retrySchedule(policy).map((ms) => ms / 1000) } : null;
}

/** Output formats of renderLineage. */
export type LineageFormat = 'json' | 'mermaid' | 'dot';

/** One asset in the JSON lineage; absent optional fields are null so every entry has the same shape. */
export interface LineageAsset {
  key: string;
  kind: string;
  source: boolean;
  group: string | null;
  tags: string[];
  description: string | null;
  /** The producer type (`ctas`, `swap`, `fn`, …), null for a source. */
  producer: string | null;
  file: string | null;
  /** Every dep, including those outside the rendered keys. */
  deps: string[];
  /** The asset's own retry policy (a pipeline's default applies when null). */
  retry: LineageRetry | null;
}

/** The JSON lineage document. */
export interface LineageDocument {
  assets: LineageAsset[];
  /** [dep, dependent] for deps among the rendered keys. */
  edges: [string, string][];
  /** Pipelines with at least one rendered asset; `assets` lists only rendered ones. */
  pipelines: {
    name: string;
    select: string;
    file: string | null;
    assets: string[];
    schedule: { cron: string; timezone: string; start: string | null; catchup: boolean } | null;
    /** Default retry for the pipeline's assets without their own. */
    retry: LineageRetry | null;
  }[];
}

/** Sorted, deduplicated keys; throws SelectionError (with "did you mean") for a key that is not an asset. */
function rendered(graph: LineageGraph, keys: string | Iterable<string>): string[] {
  const ids = scopeOf(graph).core.ids;
  const list = [...new Set(typeof keys === 'string' ? [keys] : keys)];
  for (const key of list) graph.asset(key);
  return list.sort((a, b) => ids.get(a)! - ids.get(b)!);
}

/**
 * The JSON lineage as data (what renderLineage(…, 'json') prints), for callers that post-process it.
 * @example lineageDocument(graph, ['analytics.mau_summary']).assets[0].producer // 'swap'
 */
export function lineageDocument(graph: LineageGraph, keys: string | Iterable<string>): LineageDocument {
  const list = rendered(graph, keys);
  const inside = new Set(list);
  const assets = list.map((key): LineageAsset => {
    const spec = graph.asset(key);
    return {
      key,
      kind: spec.kind,
      source: spec.source,
      group: spec.group ?? null,
      tags: [...spec.tags],
      description: spec.description ?? null,
      producer: spec.producer?.type ?? null,
      file: graph.file(key) ?? null,
      deps: graph.parents(key),
      retry: lineageRetry(spec.retry),
    };
  });
  const edges: [string, string][] = [];
  for (const key of list) for (const child of graph.children(key)) if (inside.has(child)) edges.push([key, child]);
  const pipelines = graph
    .pipelines()
    .map((p) => ({
      name: p.name,
      select: p.select,
      file: graph.pipelineFile(p.name) ?? null,
      assets: graph.pipelineAssets(p.name).filter((k) => inside.has(k)),
      schedule: p.schedule
        ? { cron: p.schedule.cron, timezone: p.schedule.timezone, start: p.schedule.start ?? null, catchup: p.schedule.catchup }
        : null,
      retry: lineageRetry(p.retry),
    }))
    .filter((p) => p.assets.length > 0);
  return { assets, edges, pipelines };
}

// Characters that could end a <script> block or an HTML attribute when the JSON is inlined in a page;
// escaped as \uXXXX, which JSON parsers read back as the same characters.
const JSON_UNSAFE = /[<>&\u2028\u2029]/g;

function json(document: LineageDocument): string {
  const text = JSON.stringify(document, null, 2).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}

// Mermaid reads `#name;` and `#code;` as entities inside quoted labels; `#` itself must become one too.
const MERMAID_ENTITY: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '`': '#96;',
};

function mermaidLabel(text: string): string {
  return `"${text.replace(/[#"<>&`]/g, (c) => MERMAID_ENTITY[c]!)}"`;
}

function mermaid(document: LineageDocument): string {
  // Node ids are positions, never keys: a key could collide with Mermaid syntax (`end`, `-->`, quotes).
  const ids = new Map(document.assets.map((a, i) => [a.key, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const a of document.assets) lines.push(`  ${ids.get(a.key)}[${mermaidLabel(a.key)}]${a.source ? ':::source' : ''}`);
  for (const [from, to] of document.edges) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  if (document.assets.some((a) => a.source)) lines.push('  classDef source stroke-dasharray: 4 4');
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function dot(document: LineageDocument): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [shape=box];'];
  for (const a of document.assets) lines.push(`  ${dotString(a.key)}${a.source ? ' [style=dashed]' : ''};`);
  for (const [from, to] of document.edges) lines.push(`  ${dotString(from)} -> ${dotString(to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Renders the lineage of `keys` (edges among them; each asset's full dep list in JSON). The output has
 * no timestamps, so the same graph gives byte-identical text, and every key is escaped for its format.
 * @example
 * renderLineage(graph, graph.upstream('analytics.mau_summary'), 'mermaid');
 * // flowchart LR
 * //   n0["analytics.mau_summary"]
 * //   n1["raw_data.session_timestamp"]:::source
 * //   n1 --> n0
 * //   classDef source stroke-dasharray: 4 4
 */
export function renderLineage(graph: LineageGraph, keys: string | Iterable<string>, format: LineageFormat): string {
  const document = lineageDocument(graph, keys);
  switch (format) {
    case 'json':
      return json(document);
    case 'mermaid':
      return mermaid(document);
    case 'dot':
      return dot(document);
  }
}
