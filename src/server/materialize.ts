// POST /api/materialize's engine: plan a selection and execute it in this process, the way the CLI does.

import type { LineageGraph } from '../graph/index.js';
import { plan } from '../graph/index.js';
import type { Project } from '../project/index.js';
import { execute, type Notifier, newRunId, type Resources } from '../runtime/index.js';
import type { RunEvent, RunStore } from '../storage/types.js';

/** What a client may ask to materialize: a selection, optionally one partition or a range. */
export interface MaterializeRequest {
  selection: string;
  partition?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Sees one run's events as they happen; `done` is awaited after the run ends. */
export interface RunObserver {
  onEvent(event: RunEvent): void;
  done(): Promise<void>;
}

/** Starts a run and resolves with its id once the run is recorded (it goes on in the background). */
export type RunMaterialization = (request: MaterializeRequest) => Promise<{ runId: string }>;

export interface InProcessOptions {
  project: Project;
  graph: LineageGraph;
  store: RunStore;
  resources?: Resources | undefined;
  notifier?: Notifier | undefined;
  secrets?: Iterable<string> | undefined;
  concurrency?: number | undefined;
  /**
   * Called as each run starts; what it returns sees the run's events and is awaited when the run ends
   * (an OpenLineage emitter: `onEvent` and `flush`).
   */
  observe?: ((run: { runId: string; pipeline: string | undefined }) => RunObserver | undefined) | undefined;
  /** Told when a run started here ends (its result) or crashes. */
  log?: ((line: string) => void) | undefined;
}

/**
 * A RunMaterialization executing in this process with the project's definitions. A selection of exactly
 * `pipeline:NAME` runs as that pipeline (its retry, timeout and alerts apply). Planning errors (unknown
 * asset, bad partition) reject before anything starts; the run itself is awaited by `settled()`.
 * @example
 * const runner = inProcessMaterializer({ project, graph, store });
 * const { runId } = await runner.run({ selection: '+analytics.mau_summary' });
 */
export function inProcessMaterializer(options: InProcessOptions): { run: RunMaterialization; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const assets = new Map(options.project.assets.map((a) => [a.definition.key, a.definition]));
  const run: RunMaterialization = async (request) => {
    const thePlan = plan(options.graph, request.selection, { partition: request.partition, from: request.from, to: request.to });
    const named = /^pipeline:([A-Za-z0-9_.-]+)$/.exec(request.selection.trim());
    const pipeline = named ? options.graph.pipeline(named[1]!) : undefined;
    const runId = newRunId();
    const observer = options.observe?.({ runId, pipeline: pipeline?.name });
    let recorded!: () => void;
    const started = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    const work = execute({
      plan: thePlan,
      assets,
      store: options.store,
      pipeline,
      resources: options.resources,
      notifier: options.notifier,
      secrets: options.secrets,
      concurrency: options.concurrency,
      runId,
      launchedBy: 'server',
      onEvent(event) {
        // The first event (run_started) comes after the run record exists, so the page can open it at once.
        recorded();
        observer?.onEvent(event);
      },
    });
    const tracked = work
      .then(
        (result) => options.log?.(`run ${runId} ${result.status}`),
        (error) => options.log?.(`run ${runId} crashed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .then(() => observer?.done());
    running.add(tracked);
    void tracked.finally(() => running.delete(tracked));
    await Promise.race([started, work]);
    return { runId };
  };
  return {
    run,
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
