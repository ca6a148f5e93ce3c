// `sluice schedules`: every scheduled pipeline with its next ticks, and every pipeline sensor;
// `sluice ticks`: what the daemon recorded for them.

import type { PipelineSensorSpec } from '../../definitions/schema.js';
import { loadContext } from '../context.js';
import { type CliIo, printJson, table } from '../io.js';
import type { GlobalOptions } from '../main.js';
import { openProjectStore } from '../run-setup.js';

export async function schedules(
  io: CliIo,
  _args: unknown[],
  options: { next: number; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const { graph } = await loadContext(io, globals.project);
  const { nextTicks } = await import('../../schedule/ticks.js');
  const now = new Date();
  const rows = graph
    .pipelines()
    .filter((p) => p.schedule)
    .map((p) => {
      const s = p.schedule!;
      return {
        pipeline: p.name,
        cron: s.cron,
        timezone: s.timezone,
        start: s.start ?? null,
        end: s.end ?? null,
        catchup: s.catchup,
        maxActiveRuns: s.maxActiveRuns,
        nextTicks: nextTicks(s, now, options.next).map((t) => t.toISOString()),
      };
    });
  const sensors = graph
    .pipelines()
    .flatMap((p) =>
      p.sensors.map((s) => ({ pipeline: p.name, sensor: s.name, type: s.type, every: s.pokeInterval, watches: watched(s) })),
    );
  if (options.json) {
    printJson(io, { schedules: rows, sensors });
    return 0;
  }
  const cells = rows.map((r) => [
    r.pipeline,
    r.cron,
    r.timezone,
    r.catchup ? 'yes' : 'no',
    r.nextTicks.join(', ') || 'none (ended)',
  ]);
  io.stdout.write(`${table(cells, ['PIPELINE', 'CRON', 'TIMEZONE', 'CATCHUP', 'NEXT TICKS (UTC)'])}\n`);
  if (sensors.length > 0) {
    const sensorCells = sensors.map((s) => [s.pipeline, s.sensor, s.type, `${s.every / 1000}s`, s.watches]);
    io.stdout.write(`\n${table(sensorCells, ['PIPELINE', 'SENSOR', 'TYPE', 'EVERY', 'WATCHES'])}\n`);
  }
  const untriggered = graph
    .pipelines()
    .filter((p) => !p.schedule && p.sensors.length === 0)
    .map((p) => p.name);
  if (untriggered.length > 0) io.stdout.write(`neither scheduled nor sensed: ${untriggered.join(', ')}\n`);
  return 0;
}

function watched(sensor: PipelineSensorSpec): string {
  switch (sensor.type) {
    case 'sql':
      return `${sensor.resource}: ${sensor.sql.replace(/\s+/g, ' ').trim()}`;
    case 'file':
      return sensor.path;
    case 'external_run':
      return `${sensor.pipeline}${sensor.partitionOffset === 0 ? '' : ` (partition ${sensor.partitionOffset > 0 ? '+' : ''}${sensor.partitionOffset})`}`;
    case 'asset_materialized':
      return sensor.asset;
  }
}

/** `sluice ticks [pipeline]`: the newest schedule ticks and sensor evaluations, with their reasons. */
export async function ticks(
  io: CliIo,
  args: unknown[],
  options: { limit: number; store?: string; json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  const pipeline = typeof args[0] === 'string' ? args[0] : undefined;
  const { project, graph } = await loadContext(io, globals.project);
  if (pipeline !== undefined) graph.pipeline(pipeline); // unknown names fail with the nearest one
  const store = await openProjectStore(project.config, project.root, io.env, options.store);
  try {
    const schedule = await store.ticks({ pipeline, limit: options.limit });
    const sensor = await store.sensorTicks({ pipeline, limit: options.limit });
    if (options.json) {
      printJson(io, { ticks: schedule, sensorTicks: sensor });
      return 0;
    }
    const scheduleCells = schedule.map((t) => [t.tickAt, t.pipeline, t.status, t.runId ?? '', t.reason]);
    io.stdout.write(
      scheduleCells.length > 0
        ? `${table(scheduleCells, ['TICK (UTC)', 'PIPELINE', 'STATUS', 'RUN', 'REASON'])}\n`
        : 'no schedule ticks recorded\n',
    );
    const sensorCells = sensor.map((t) => [
      t.evaluatedAt,
      t.pipeline,
      t.sensor,
      t.status,
      t.runId ?? '',
      t.partition ?? '',
      t.reason,
    ]);
    io.stdout.write(
      sensorCells.length > 0
        ? `\n${table(sensorCells, ['EVALUATED (UTC)', 'PIPELINE', 'SENSOR', 'STATUS', 'RUN', 'PARTITION', 'REASON'])}\n`
        : 'no sensor evaluations recorded\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}
