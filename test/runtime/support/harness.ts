// Test helpers for the executor: plan a few definitions, run them on a memory store and a fake clock.
import { buildGraph, plan } from '../../../src/graph/index.js';
import type { Plan } from '../../../src/graph/plan-types.js';
import type { AssetDefinition } from '../../../src/index.js';
import { execute } from '../../../src/runtime/execute.js';
import { ManualClock } from '../../../src/runtime/manual-clock.js';
import { RecordingNotifier } from '../../../src/runtime/notify.js';
import type { ExecuteOptions, RunResult } from '../../../src/runtime/options.js';
import { openRunStore } from '../../../src/storage/index.js';
import type { RunEvent, RunStore, StoredRunEvent } from '../../../src/storage/types.js';

export const T0 = Date.parse('2025-01-10T06:00:00Z');

/** Plans `selection` (default: everything) over the given definitions with the real planner. */
export function planFor(defs: readonly AssetDefinition[], selection = '*', partition?: string): Plan {
  const graph = buildGraph({ assets: defs.map((d) => ({ spec: d.spec })) });
  return plan(graph, selection, partition ? { partition, now: new Date('2025-06-01T00:00:00Z') } : {});
}

export function assetsOf(defs: readonly AssetDefinition[]): Map<string, AssetDefinition> {
  return new Map(defs.map((d) => [d.key, d]));
}

export async function memoryStore(): Promise<RunStore> {
  return openRunStore({ url: 'memory:', root: process.cwd() });
}

export interface Harness {
  result: RunResult;
  store: RunStore;
  clock: ManualClock;
  notifier: RecordingNotifier;
  /** Every event as onEvent saw it, in order. */
  seen: RunEvent[];
  /** The events as stored. */
  stored: StoredRunEvent[];
}

/** Runs `defs` with an auto-advancing fake clock and a recording notifier; `extra` overrides anything. */
export async function run(defs: readonly AssetDefinition[], extra: Partial<ExecuteOptions> = {}): Promise<Harness> {
  const store = extra.store ?? (await memoryStore());
  const clock = (extra.clock as ManualClock | undefined) ?? new ManualClock(T0, { auto: true });
  const notifier = (extra.notifier as RecordingNotifier | undefined) ?? new RecordingNotifier();
  const seen: RunEvent[] = [];
  const result = await execute({
    plan: extra.plan ?? planFor(defs),
    assets: assetsOf(defs),
    ...extra,
    store,
    clock,
    notifier,
    onEvent: (e) => {
      seen.push(e);
      extra.onEvent?.(e);
    },
  });
  return { result, store, clock, notifier, seen, stored: await store.events(result.runId) };
}

/** `type key` of every event about assets, in order: a compact way to assert sequences. */
export function trace(events: readonly RunEvent[], types?: readonly RunEvent['type'][]): string[] {
  return events
    .filter((e) => e.assetKey !== undefined && (!types || types.includes(e.type)))
    .map((e) => `${e.type} ${e.assetKey}${e.partition ? `@${e.partition}` : ''}`);
}

/** A promise with its resolve handle, for producers a test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
