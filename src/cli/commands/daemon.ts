// `sluice daemon`: evaluate schedules and pipeline sensors on a tick and launch the runs that are due; `--once` for cron and tests.

import type { DaemonTickResult } from '../../schedule/daemon.js';
import { loadContext } from '../context.js';
import { type CliIo, printJson } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { openProjectStore, projectNotifier, projectPipelineRunner, projectResources } from '../run-setup.js';

interface DaemonOptions {
  once?: boolean;
  interval: string;
  pipeline?: string;
  store?: string;
  json?: boolean;
}

function describeTick(result: DaemonTickResult): string[] {
  return [
    ...result.recorded.map((t) => `${t.tickAt} ${t.pipeline}: ${t.status}${t.runId ? ` run ${t.runId}` : ''} (${t.reason})`),
    ...result.sensorTicks.map(
      (t) =>
        `${t.evaluatedAt} ${t.pipeline} sensor ${t.sensor}: ${t.status}${t.runId ? ` run ${t.runId}` : ''}` +
        `${t.partition ? ` for ${t.partition}` : ''} (${t.reason})`,
    ),
    ...result.deferred.map((d) => `${d.tickAt} ${d.pipeline}: deferred (${d.reason})`),
  ];
}

export async function daemon(io: CliIo, _args: unknown[], options: DaemonOptions, globals: GlobalOptions): Promise<number> {
  const { parseDuration, SelectionError } = await import('../../definitions/index.js');
  const interval = parseDuration(options.interval);
  if ('error' in interval) throw new SelectionError(`--interval: ${interval.error}`);
  const ctx = await loadContext(io, globals.project);
  const { project, graph } = ctx;
  const only = options.pipeline
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of only ?? []) graph.pipeline(name); // an unknown name fails here, with the nearest one
  const { daemonTick } = await import('../../schedule/daemon.js');
  const { graphPlanner, realClock, timeScale } = await import('../../runtime/index.js');
  const { collectSecrets, redactor } = await import('../../resources/secrets.js');
  const store = await openProjectStore(project.config, project.root, io.env, options.store);
  const resources = projectResources(project.config, project.root, io.env);
  const secrets = collectSecrets(io.env);
  const notifier = projectNotifier(project.config, io.env, redactor(secrets), (line) => io.stderr.write(`warning: ${line}\n`));
  const assets = new Map(project.assets.map((a) => [a.definition.key, a.definition]));
  const runner = await projectPipelineRunner(graph, { assets, store, resources, notifier, secrets, pools: project.config.pools });
  const planner = graphPlanner(graph);
  // SIGTERM / SIGINT: stop evaluating, cancel what runs (it can be resumed), exit 0.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let failed = 0;
  // The clock's timers are unref'd (a forgotten wait must not keep a CLI alive); a daemon between ticks
  // has nothing else pending, so it holds the process open itself until it is told to stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    const clock = realClock();
    do {
      const result = await daemonTick({
        graph,
        store,
        runner,
        planner,
        now: new Date(),
        signal: stop.signal,
        pipelines: only,
        resources,
        root: project.root,
        timeScale: timeScale(io.env),
        redact: redactor(secrets),
      });
      if (options.json) printJson(io, { recorded: result.recorded, sensorTicks: result.sensorTicks, deferred: result.deferred });
      else for (const line of describeTick(result)) io.stdout.write(`${line}\n`);
      if (options.once) {
        // For system cron and tests: wait for what this tick launched, and report it in the exit status.
        const results = await Promise.all(result.launched.map((run) => run.result));
        failed += results.filter((r) => r.status !== 'succeeded').length;
        break;
      }
      await clock.sleep(interval.ms, stop.signal).catch(() => undefined);
    } while (!stop.signal.aborted);
    if (stop.signal.aborted && !options.json)
      io.stdout.write('daemon stopping: launched runs were cancelled and can be resumed\n');
    return failed > 0 ? 1 : 0;
  } finally {
    clearInterval(keepAlive);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await runner.idle();
    await resources.close();
    await store.close();
  }
}
