// Pipeline sensors evaluated by the daemon: each change upstream launches one run, recorded with its reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, type LineageGraph } from '../../src/graph/index.js';
import { type AssetDefinition, asset, fn, type PipelineDefinition, pipeline, sensors } from '../../src/index.js';
import { openWarehouse } from '../../src/resources/warehouse/index.js';
import type { Warehouse } from '../../src/resources/warehouse/types.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { graphPlanner, type PipelineRunner, pipelineRunner } from '../../src/runtime/pipeline-runner.js';
import { staticResources } from '../../src/runtime/resources.js';
import { daemonTick } from '../../src/schedule/daemon.js';
import { openRunStore } from '../../src/storage/index.js';
import type { RunStore } from '../../src/storage/types.js';
import { assetsOf, memoryStore, T0 } from '../runtime/support/harness.js';

const daily = { granularity: 'daily', start: '2025-01-01' } as const;
const NOW = new Date('2025-06-01T08:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

interface Daemon {
  graph: LineageGraph;
  store: RunStore;
  runner: PipelineRunner;
  clock: ManualClock;
  /** One daemon evaluation at `now`, waiting for the runs it launched. */
  tick(now: Date, extra?: Partial<Parameters<typeof daemonTick>[0]>): Promise<Awaited<ReturnType<typeof daemonTick>>>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sensed-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function daemon(
  defs: AssetDefinition[],
  pipelines: PipelineDefinition[],
  options: { store?: RunStore; warehouse?: Warehouse } = {},
) {
  const graph = buildGraph({ assets: defs.map((d) => ({ spec: d.spec })), pipelines: pipelines.map((p) => ({ spec: p.spec })) });
  const store = options.store ?? (await memoryStore());
  const resources = staticResources(options.warehouse ? { warehouse: options.warehouse } : {});
  const clock = new ManualClock(T0, { auto: true });
  const planner = graphPlanner(graph, () => NOW);
  const runner = pipelineRunner({ plan: planner, assets: assetsOf(defs), store, clock, resources });
  const result: Daemon = {
    graph,
    store,
    runner,
    clock,
    async tick(now, extra = {}) {
      const r = await daemonTick({ graph, store, runner, planner, now, resources, ...extra });
      await Promise.all(r.launched.map((run) => run.result));
      return r;
    },
  };
  return result;
}

const summary = (ticks: { status: string; reason: string }[]) => ticks.map((t) => `${t.status}: ${t.reason}`);

describe('file sensor', () => {
  it('launches once when the file lands, again only when it changes, and records every evaluation', async () => {
    const dir = scratch();
    const file = join(dir, 'orders.csv');
    const load = asset('in.orders', { produce: fn(() => 1) });
    const d = await daemon(
      [load],
      [pipeline('load_orders', { select: 'in.orders', sensors: [sensors.file({ path: file, pokeInterval: '30s' })] })],
    );

    const first = await d.tick(at(0));
    expect(first.launched).toHaveLength(0);
    expect(summary(first.sensorTicks)).toEqual([`skipped: no ${file} yet`]);
    // Within the poke interval the sensor is not evaluated at all.
    expect((await d.tick(at(10))).sensorTicks).toEqual([]);

    writeFileSync(file, 'id\n1\n');
    const landed = await d.tick(at(30));
    expect(landed.sensorTicks).toMatchObject([{ sensor: 'file', status: 'launched', partition: null }]);
    const [run] = await d.store.listRuns({ pipeline: 'load_orders' });
    expect(run).toMatchObject({ status: 'succeeded', launchedBy: 'sensor', tags: { sensor: 'file' } });
    expect(landed.sensorTicks[0]!.runId).toBe(run!.id);

    const same = await d.tick(at(60));
    expect(same.launched).toHaveLength(0);
    expect(same.sensorTicks[0]!.reason).toMatch(/^nothing new: .*orders\.csv exists.*already launched run /);

    writeFileSync(file, 'id\n1\n2\n');
    expect((await d.tick(at(90))).launched).toHaveLength(1);
    expect(await d.store.listRuns({ pipeline: 'load_orders' })).toHaveLength(2);
    const recorded = await d.store.sensorTicks({ pipeline: 'load_orders' });
    expect(recorded.map((t) => t.status)).toEqual(['launched', 'skipped', 'launched', 'skipped']);
  });

  it('renders placeholders for the newest complete window and launches that partition', async () => {
    const dir = scratch();
    const seen: (string | undefined)[] = [];
    const day = asset('in.day', { partitions: daily, produce: fn((ctx) => seen.push(ctx.partition?.key)) });
    const sensor = sensors.file({ path: join(dir, '{{ ds_nodash }}.done'), pokeInterval: '1m' });
    const d = await daemon([day], [pipeline('daily_in', { select: 'in.day', sensors: [sensor] })]);
    expect(summary((await d.tick(at(0))).sensorTicks)).toEqual([`skipped: no ${join(dir, '20250531.done')} yet`]);
    writeFileSync(join(dir, '20250531.done'), '');
    expect((await d.tick(at(60))).sensorTicks[0]).toMatchObject({ status: 'launched', partition: '2025-05-31' });
    expect(seen).toEqual(['2025-05-31']);
  });
});

describe('asset_materialized sensor', () => {
  it('runs the downstream pipeline for the partition upstream materialized, once per materialization', async () => {
    const seen: (string | undefined)[] = [];
    const raw = asset('raw.events', { partitions: daily, produce: fn(() => 3) });
    const mart = asset('mart.events', { deps: [raw], partitions: daily, produce: fn((ctx) => seen.push(ctx.partition?.key)) });
    const d = await daemon(
      [raw, mart],
      [
        pipeline('ingest', { select: 'raw.events' }),
        pipeline('marts', {
          select: 'mart.events',
          sensors: [sensors.assetMaterialized({ asset: 'raw.events', pokeInterval: '1s' })],
        }),
      ],
    );
    expect(summary((await d.tick(at(0))).sensorTicks)).toEqual(['skipped: raw.events not materialized yet']);

    await d.runner.run({ pipeline: 'ingest', partition: '2025-03-14', launchedBy: 'cli' });
    const launched = await d.tick(at(5));
    expect(launched.sensorTicks[0]).toMatchObject({ status: 'launched', partition: '2025-03-14' });
    expect(launched.sensorTicks[0]!.reason).toMatch(/^raw\.events materialized for 2025-03-14 by run /);
    expect(seen).toEqual(['2025-03-14']);

    expect((await d.tick(at(10))).launched).toHaveLength(0);
    await d.clock.advance(60_000); // the rerun ends later than the first materialization
    await d.runner.run({ pipeline: 'ingest', partition: '2025-03-14', launchedBy: 'cli' });
    expect((await d.tick(at(15))).launched).toHaveLength(1);
    expect(seen).toEqual(['2025-03-14', '2025-03-14']);
  });

  it('is refused when the asset belongs to the pipeline it would trigger', () => {
    const raw = asset('raw.events', { produce: fn(() => 3) });
    expect(() =>
      buildGraph({
        assets: [{ spec: raw.spec }],
        pipelines: [
          {
            spec: pipeline('loop', { select: '*', sensors: [sensors.assetMaterialized({ asset: 'raw.events' })] }).spec,
            file: 'assets/loop.ts',
          },
        ],
      }),
    ).toThrow(
      'assets/loop.ts: pipeline "loop": sensors.0.asset: "raw.events" is in this pipeline, so each of its runs would trigger the next',
    );
  });
});

describe('external_run sensor', () => {
  it('launches the window once the other pipeline succeeded for it, and never twice', async () => {
    const up = asset('up.day', { partitions: daily, produce: fn(() => 1) });
    const down = asset('down.day', { partitions: daily, produce: fn(() => 1) });
    const d = await daemon(
      [up, down],
      [
        pipeline('upstream', { select: 'up.day' }),
        pipeline('downstream', {
          select: 'down.day',
          sensors: [sensors.externalRun({ pipeline: 'upstream', pokeInterval: '1s' })],
        }),
      ],
    );
    expect(summary((await d.tick(at(0))).sensorTicks)).toEqual(['skipped: no succeeded run of upstream for 2025-05-31 yet']);
    await d.runner.run({ pipeline: 'upstream', partition: '2025-05-30', launchedBy: 'cli' });
    expect((await d.tick(at(5))).launched).toHaveLength(0);
    await d.runner.run({ pipeline: 'upstream', partition: '2025-05-31', launchedBy: 'cli' });
    expect((await d.tick(at(10))).sensorTicks[0]).toMatchObject({
      status: 'launched',
      partition: '2025-05-31',
      runKey: '2025-05-31',
    });
    // A rerun upstream is not a new window: the downstream window already ran.
    await d.runner.run({ pipeline: 'upstream', partition: '2025-05-31', launchedBy: 'cli' });
    expect((await d.tick(at(15))).launched).toHaveLength(0);
    expect((await d.store.listRuns({ pipeline: 'downstream' })).map((r) => r.partitions)).toEqual([['2025-05-31']]);
  });
});

describe('sql sensor', () => {
  it('launches once per distinct first row, and records a failing query without launching', async () => {
    const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' });
    cleanup.push(() => warehouse.close());
    await warehouse.execute('CREATE TABLE loads (load_id INTEGER, ready BOOLEAN)');
    const report = asset('rpt.loads', { produce: fn(() => 1) });
    const sensor = sensors.sql({
      sql: 'SELECT max(load_id) AS load_id FROM loads WHERE ready HAVING count(*) > 0',
      pokeInterval: '1s',
    });
    const d = await daemon([report], [pipeline('report', { select: 'rpt.loads', sensors: [sensor] })], { warehouse });

    expect(summary((await d.tick(at(0))).sensorTicks)).toEqual(['skipped: the query returned no row']);
    await warehouse.execute('INSERT INTO loads VALUES (41, true)');
    const first = await d.tick(at(5));
    expect(summary(first.sensorTicks)).toEqual(['launched: the query returned {"load_id":41}']);
    expect((await d.tick(at(10))).launched).toHaveLength(0);
    await warehouse.execute('INSERT INTO loads VALUES (42, false)');
    expect((await d.tick(at(15))).launched).toHaveLength(0);
    await warehouse.execute('UPDATE loads SET ready = true');
    expect((await d.tick(at(20))).launched).toHaveLength(1);

    await warehouse.execute('DROP TABLE loads');
    const broken = await d.tick(at(25), { redact: (text) => text.replaceAll('loads', '***') });
    expect(broken.sensorTicks).toMatchObject([{ status: 'failed', runId: null }]);
    expect(broken.sensorTicks[0]!.reason).toMatch(/^evaluation failed: .*\*\*\*/);
    expect(broken.sensorTicks[0]!.reason).not.toContain('loads');
    expect(await d.store.listRuns({ pipeline: 'report' })).toHaveLength(2);
  });
});

describe('launch rules', () => {
  it('holds a new run key back while the pipeline has a run active, and launches it afterwards', async () => {
    const dir = scratch();
    const file = join(dir, 'go');
    writeFileSync(file, '1');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = asset('job.slow', { produce: fn(() => gate.then(() => 1)) });
    const d = await daemon(
      [slow],
      [pipeline('job', { select: 'job.slow', sensors: [sensors.file({ path: file, pokeInterval: '1s' })] })],
    );
    const held = await daemonTick({
      graph: d.graph,
      store: d.store,
      runner: d.runner,
      planner: graphPlanner(d.graph, () => NOW),
      now: at(0),
    });
    expect(held.launched).toHaveLength(1);
    writeFileSync(file, '22');
    const waiting = await d.tick(at(5));
    expect(waiting.launched).toHaveLength(0);
    expect(waiting.sensorTicks[0]!.reason).toMatch(/waiting: max active runs \(1\) reached$/);
    release();
    await held.launched[0]!.result;
    expect((await d.tick(at(10))).launched).toHaveLength(1);
  });

  it('two daemons on one SQLite store launch a run key once', async () => {
    const dir = scratch();
    const file = join(dir, 'go');
    writeFileSync(file, '1');
    const job = asset('job.once', { produce: fn(() => 1) });
    const defs = [job];
    const pipelines = [pipeline('job', { select: 'job.once', sensors: [sensors.file({ path: file })] })];
    const url = `sqlite:${join(dir, 'runs.db')}`;
    const a = await daemon(defs, pipelines, { store: await openRunStore({ url, root: dir }) });
    const b = await daemon(defs, pipelines, { store: await openRunStore({ url, root: dir }) });
    cleanup.push(async () => {
      await a.store.close();
      await b.store.close();
    });
    const [ra, rb] = await Promise.all([a.tick(at(0)), b.tick(at(0))]);
    expect(ra.launched.length + rb.launched.length).toBe(1);
    expect(await a.store.listRuns({ pipeline: 'job' })).toHaveLength(1);
    expect((await a.store.sensorTicks({ status: 'launched' })).length).toBe(1);
  });
});

describe('pipeline sensor definitions', () => {
  it('names sensors by type, numbers repeats, and rejects duplicate names and a timeout', () => {
    const p = pipeline('p', {
      select: '*',
      sensors: [sensors.file({ path: 'a' }), sensors.file({ path: 'b' }), sensors.sql({ sql: 'SELECT 1', name: 'flag' })],
    });
    expect(p.spec.sensors.map((s) => s.name)).toEqual(['file_1', 'file_2', 'flag']);
    expect(p.spec.sensors[0]!.pokeInterval).toBe(30_000);
    expect(() =>
      pipeline('p', { select: '*', sensors: [sensors.file({ path: 'a', name: 'x' }), sensors.file({ path: 'b', name: 'x' })] }),
    ).toThrow(/pipeline "p".*sensors\.1\.name.*"x" names two sensors/);
    expect(() => pipeline('p', { select: '*', sensors: [sensors.file({ path: 'a', timeout: '1h' })] })).toThrow(
      /sensors\.0.*timeout/,
    );
  });

  it('names an unknown pipeline or asset with the nearest one', () => {
    const a = asset('raw.events', { produce: fn(() => 1) });
    const build = (sensor: ReturnType<typeof sensors.file>) =>
      buildGraph({
        assets: [{ spec: a.spec }],
        pipelines: [
          { spec: pipeline('ingest', { select: '*' }).spec },
          { spec: pipeline('other', { select: '*', sensors: [sensor] }).spec, file: 'assets/o.ts' },
        ],
      });
    expect(() => build(sensors.externalRun({ pipeline: 'ingset' }))).toThrow(
      'assets/o.ts: pipeline "other": sensors.0.pipeline: unknown pipeline "ingset" — did you mean "ingest"?',
    );
    expect(() => build(sensors.assetMaterialized({ asset: 'raw.event' }))).toThrow(
      /sensors\.0\.asset: unknown asset "raw\.event"/,
    );
  });
});
