// Shared by the server and browser tests: loading a project, and recording believable runs with the store API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectContext } from '../../src/cli/context.js';
import { loadContext } from '../../src/cli/context.js';
import type { AssetDefinition } from '../../src/definitions/asset.js';
import type { PipelineDefinition } from '../../src/definitions/pipeline.js';
import { openRunStore } from '../../src/storage/index.js';
import type { RunEvent, RunStore } from '../../src/storage/types.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SLOW_PROJECT = fileURLToPath(new URL('./fixtures/slow-project', import.meta.url));

/** A response body as JSON, untyped: the tests assert its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary JSON
export const json = (res: Response): Promise<any> => res.json();

/** Loads a project the way the CLI does. */
export function loadProjectAt(root: string): Promise<ProjectContext> {
  return loadContext({ stdout: { write: () => true }, stderr: { write: () => true }, cwd: root, env: process.env }, root);
}

/** A fresh SQLite run store in a temporary folder. */
export async function tempSqliteStore(): Promise<{ store: RunStore; file: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'sluice-server-')), 'runs.db');
  return { store: await openRunStore({ url: `sqlite:${file}`, root: REPO }), file };
}

export interface StepScript {
  key: string;
  partition?: string;
  outcome: 'succeeded' | 'failed' | 'upstream_failed' | 'running';
  /** Failed attempts before the last one. */
  retries?: number;
  rowCount?: number;
  error?: string;
  checks?: { name: string; passed: boolean; blocking?: boolean; message?: string }[];
  log?: string;
}

export interface RunScript {
  id: string;
  pipeline?: string;
  selection: string;
  /** Seconds after 2025-01-10T06:00:00Z. */
  start: number;
  steps: StepScript[];
  /** Leave the run running (no run_finished, no finishRun). */
  unfinished?: boolean;
}

const BASE = Date.parse('2025-01-10T06:00:00.000Z');
export const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();

/** Writes a run the way the executor would: run record, events (with logs and checks), final status. */
export async function recordRun(store: RunStore, script: RunScript): Promise<void> {
  const { id: runId } = script;
  await store.createRun({
    id: runId,
    pipeline: script.pipeline,
    selection: script.selection,
    partitions: [],
    startedAt: at(script.start),
    launchedBy: 'cli',
  });
  const events: RunEvent[] = [{ runId, type: 'run_started', at: at(script.start), data: { steps: script.steps.length } }];
  for (const s of script.steps)
    events.push({ runId, type: 'asset_planned', at: at(script.start), assetKey: s.key, partition: s.partition ?? '' });
  let t = script.start + 1;
  let failed = 0;
  for (const s of script.steps) {
    const base = { runId, assetKey: s.key, partition: s.partition ?? '' };
    if (s.outcome === 'upstream_failed') {
      events.push({ ...base, type: 'asset_upstream_failed', at: at(t), message: 'an upstream asset failed' });
      continue;
    }
    const attempts = (s.retries ?? 0) + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      events.push({ ...base, type: 'asset_started', at: at(t), attempt });
      if (s.log) events.push({ ...base, type: 'log', at: at(t + 0.5), message: s.log, data: { stream: 'user' } });
      t += 2;
      if (attempt < attempts || s.outcome === 'failed') {
        const last = attempt === attempts;
        events.push({
          ...base,
          type: 'attempt_failed',
          at: at(t),
          attempt,
          message: s.error ?? 'boom',
          data: { kind: 'other', retry: !last },
        });
        if (!last) events.push({ ...base, type: 'asset_retrying', at: at(t), attempt: attempt + 1, data: { delayMs: 1000 } });
      }
    }
    for (const c of s.checks ?? []) {
      events.push({
        ...base,
        type: 'check_evaluated',
        at: at(t),
        message: c.message ?? (c.passed ? 'ok' : 'failed'),
        data: { name: c.name, passed: c.passed, blocking: c.blocking ?? true },
      });
    }
    if (s.outcome === 'succeeded') {
      events.push({
        ...base,
        type: 'asset_succeeded',
        at: at(t),
        attempt: attempts,
        data: { rowCount: s.rowCount ?? 10, durationMs: 2000 },
      });
    } else if (s.outcome === 'failed') {
      failed++;
      events.push({
        ...base,
        type: 'asset_failed',
        at: at(t),
        attempt: attempts,
        message: s.error ?? 'boom',
        data: { kind: 'other', attempts },
      });
    }
    t += 1;
  }
  if (!script.unfinished) {
    events.push({ runId, type: 'run_finished', at: at(t), data: { status: failed ? 'failed' : 'succeeded' } });
  }
  await store.appendEvents(events);
  if (!script.unfinished)
    await store.finishRun(runId, failed ? 'failed' : 'succeeded', at(t), failed ? `${failed} asset(s) failed` : null);
}

/** Two runs of the example project: one that succeeded, one whose temp table failed its check. */
export async function recordExampleRuns(store: RunStore): Promise<void> {
  await recordRun(store, {
    id: '20250110T060000000Z-aaaaaa',
    pipeline: 'run_elt_alert',
    selection: 'pipeline:run_elt_alert',
    start: 0,
    steps: [
      { key: 'raw_data.session_timestamp', outcome: 'succeeded' },
      { key: 'raw_data.user_session_channel', outcome: 'succeeded' },
      {
        key: 'analytics.temp_mau_summary',
        outcome: 'succeeded',
        rowCount: 12,
        checks: [{ name: 'not_empty', passed: true }],
        log: 'built 12 rows',
      },
      { key: 'analytics.mau_summary', outcome: 'succeeded', rowCount: 12 },
    ],
  });
  await recordRun(store, {
    id: '20250111T060000000Z-bbbbbb',
    pipeline: 'run_elt_alert',
    selection: 'pipeline:run_elt_alert',
    start: 86_400,
    steps: [
      { key: 'raw_data.session_timestamp', outcome: 'succeeded' },
      { key: 'raw_data.user_session_channel', outcome: 'succeeded' },
      {
        key: 'analytics.temp_mau_summary',
        outcome: 'failed',
        retries: 1,
        error: 'check not_empty failed: 0 rows',
        checks: [{ name: 'not_empty', passed: false, message: '0 rows' }],
      },
      { key: 'analytics.mau_summary', outcome: 'upstream_failed' },
    ],
  });
}

/** A project made of definitions in memory (no loader), for hostile and synthetic graphs. */
export async function projectOf(
  root: string,
  assets: AssetDefinition[],
  pipelines: PipelineDefinition[] = [],
): Promise<ProjectContext> {
  const { parseConfig } = await import('../../src/project/index.js');
  const { buildGraph } = await import('../../src/graph/index.js');
  const project = {
    root,
    configFile: undefined,
    config: parseConfig(undefined, undefined),
    assets: assets.map((definition) => ({ definition, file: 'assets/memory.ts', exportName: definition.key })),
    pipelines: pipelines.map((definition) => ({ definition, file: 'assets/memory.ts', exportName: definition.spec.name })),
  };
  const graph = buildGraph({
    assets: project.assets.map((a) => ({ spec: a.definition.spec, file: a.file })),
    pipelines: project.pipelines.map((p) => ({ spec: p.definition.spec, file: p.file })),
  });
  return { project, graph };
}

/** Reads a Server-Sent Events body until `until` says stop (or the stream ends); returns the messages. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  until: (message: { event: string; id?: string; data: string }) => boolean = () => false,
): Promise<{ event: string; id?: string; data: string }[]> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const out: { event: string; id?: string; data: string }[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return out;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const message: { event: string; id?: string; data: string } = { event: 'message', data: '' };
        let data = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const [field, ...rest] = line.split(':');
          const text = rest.join(':').replace(/^ /, '');
          if (field === 'event') message.event = text;
          else if (field === 'id') message.id = text;
          else if (field === 'data') {
            message.data += (data ? '\n' : '') + text;
            data = true;
          }
        }
        if (!data) continue;
        out.push(message);
        if (until(message)) return out;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
