// `sluice materialize`: plan a selection (or the remainder of a failed run), execute it, record it, report it.

import type { Plan } from '../../graph/plan-types.js';
import type { RunResult } from '../../runtime/index.js';
import type { PipelineRunner } from '../../runtime/pipeline-runner.js';
import { loadContext, type ProjectContext } from '../context.js';
import { type CliIo, painter, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { progressPrinter } from '../progress.js';
import { openProjectStore, projectNotifier, projectPipelineRunner, projectResources } from '../run-setup.js';
import { formatPlan, type PartitionOptions, partitionOptions } from './plan.js';

interface MaterializeOptions extends PartitionOptions {
  resume?: string;
  concurrency: number;
  maxPartitions?: number;
  store?: string;
  dryRun?: boolean;
  waitForLocks?: boolean;
  json?: boolean;
}

/** A run of exactly one pipeline's assets is a run of that pipeline: its defaults and alerts apply. */
function pipelineFor(ctx: ProjectContext, selection: string, plan: Plan) {
  const named = /^pipeline:([A-Za-z0-9_.-]+)$/.exec(selection.trim());
  if (named) return ctx.graph.pipeline(named[1] as string);
  const produced = new Set(
    plan.levels
      .flat()
      .filter((s) => s.action === 'produce')
      .map((s) => s.key),
  );
  return ctx.graph.pipelines().find((p) => {
    const own = ctx.graph.pipelineAssets(p.name).filter((k) => !ctx.graph.asset(k).source);
    return own.length === produced.size && own.every((k) => produced.has(k));
  });
}

function summary(io: CliIo, result: RunResult): string {
  const paint = painter(io);
  const rows = result.steps.map((s) => [
    `${s.assetKey}${s.partition ? `@${s.partition}` : ''}`,
    s.status === 'succeeded'
      ? paint('green', s.status)
      : s.status === 'failed' || s.status === 'upstream_failed'
        ? paint('red', s.status)
        : s.status,
    String(s.attempts),
    s.rowCount === null ? '' : String(s.rowCount),
    s.reusedFrom ? `reused from ${s.reusedFrom}` : (s.error ?? s.reason ?? ''),
  ]);
  const head = `run ${result.runId} ${result.status === 'succeeded' ? paint('green', 'succeeded') : paint('red', result.status)}`;
  // Failed assets show their errors in the table; only a failure outside any asset (the store) needs saying.
  const error = result.error && result.failed.length === 0 ? `: ${result.error}` : '';
  return `${table(rows, ['ASSET', 'STATUS', 'ATTEMPTS', 'ROWS', 'DETAIL'])}\n${head}${error}\n`;
}

export async function materialize(
  io: CliIo,
  [selectionArg]: unknown[],
  options: MaterializeOptions,
  globals: GlobalOptions,
): Promise<number> {
  const { SelectionError } = await import('../../definitions/errors.js');
  if (options.resume && (selectionArg || options.partition || options.from)) {
    throw new SelectionError('--resume reruns that run’s own selection and partitions; give no selection or partitions with it');
  }
  if (!options.resume && typeof selectionArg !== 'string')
    throw new SelectionError('give a selection to materialize, e.g. +analytics.mau_summary, or --resume RUN_ID');
  const partitions = await partitionOptions(options);
  const ctx = await loadContext(io, globals.project);
  const { plan } = await import('../../graph/index.js');
  const { execute, resumableRun, timeScale } = await import('../../runtime/index.js');
  // A run is dead when its heartbeat is this old. Heartbeats follow SLUICE_TIME_SCALE, and so does this,
  // but never below 2 s: a live run that is merely busy must not be taken for dead.
  const staleAfterMs = Math.max(2_000, 60_000 * timeScale(io.env));
  const { collectSecrets, redactor } = await import('../../resources/secrets.js');

  if (options.dryRun && !options.resume) {
    const dry = plan(ctx.graph, selectionArg as string, partitions);
    if (options.json) printJson(io, dry);
    else io.stdout.write(formatPlan(io, dry));
    return 0;
  }

  const { project } = ctx;
  const store = await openProjectStore(project.config, project.root, io.env, options.store);
  const resources = projectResources(project.config, project.root, io.env);
  let runner: PipelineRunner | undefined;
  try {
    let selection = selectionArg as string;
    let planOptions: PartitionOptions = partitions;
    if (options.resume) {
      const old = await resumableRun(store, options.resume, { now: Date.now(), staleAfterMs });
      selection = old.selection;
      const keys = old.partitions;
      planOptions =
        keys.length === 0
          ? {}
          : keys.length === 1
            ? { partition: keys[0] as string }
            : { from: keys[0] as string, to: keys.at(-1) as string };
    }
    const thePlan = plan(ctx.graph, selection, planOptions);
    if (options.dryRun) {
      if (options.json) printJson(io, thePlan);
      else io.stdout.write(formatPlan(io, thePlan));
      return 0;
    }
    const secrets = collectSecrets(io.env);
    const redact = redactor(secrets);
    const pipeline = pipelineFor(ctx, selection, thePlan);
    const total = thePlan.levels.reduce((n, level) => n + level.length, 0);
    const progress = options.json ? undefined : progressPrinter(io, total);
    if (!options.json) io.stdout.write(`materializing ${selection} (${total} steps, store ${store.describe})\n`);
    const assets = new Map(project.assets.map((a) => [a.definition.key, a.definition]));
    const notifier = projectNotifier(project.config, io.env, redact, (line) => io.stderr.write(`warning: ${line}\n`));
    // `trigger` producers start other pipelines' runs in this process, with this run's store and resources.
    runner = await projectPipelineRunner(ctx.graph, {
      assets,
      store,
      resources,
      notifier,
      secrets,
      concurrency: options.concurrency,
      pools: project.config.pools,
      staleAfterMs,
    });
    // Sends OpenLineage run events when OPENLINEAGE_URL is set; delivery problems never fail the run.
    const { openLineageFromEnv, resourceTypesOf } = await import('../../openlineage/index.js');
    const lineage = openLineageFromEnv(io.env, {
      graph: ctx.graph,
      pipeline: pipeline?.name,
      resourceTypes: resourceTypesOf(project.config.resources),
      onError: (m: string) => io.stderr.write(`warning: ${m}\n`),
    });
    const result = await execute({
      plan: thePlan,
      assets,
      store,
      pipeline,
      resources,
      concurrency: options.concurrency,
      maxPartitions: options.maxPartitions,
      pools: project.config.pools,
      notifier,
      producers: runner.producers,
      onEvent: (event) => {
        progress?.onEvent(event);
        lineage?.onEvent(event);
      },
      resumeFrom: options.resume,
      staleAfterMs,
      onLocked: options.waitForLocks ? 'wait' : 'fail',
      secrets,
      launchedBy: 'cli',
    });
    progress?.done();
    await lineage?.flush();
    if (options.json) printJson(io, result);
    else io.stdout.write(summary(io, result));
    return result.exitCode;
  } finally {
    // Runs started by fire-and-forget triggers still use the store and resources.
    await runner?.idle();
    await resources.close();
    await store.close();
  }
}
