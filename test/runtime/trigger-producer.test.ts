// The trigger producer through the pipeline runner: child runs, partitions, failures, cycles, fire-and-forget.
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/index.js';
import {
  type AssetDefinition,
  asset,
  fn,
  type PipelineDefinition,
  pipeline,
  sensors,
  sourceAsset,
  trigger,
} from '../../src/index.js';
import { ManualClock } from '../../src/runtime/manual-clock.js';
import { RecordingNotifier } from '../../src/runtime/notify.js';
import { graphPlanner, type PipelineRunner, pipelineRunner } from '../../src/runtime/pipeline-runner.js';
import type { RunStore } from '../../src/storage/types.js';
import { assetsOf, deferred, memoryStore, T0 } from './support/harness.js';

const daily = { granularity: 'daily', start: '2025-01-01' } as const;
const NOW = new Date('2025-06-01T00:00:00Z');

interface Project {
  runner: PipelineRunner;
  store: RunStore;
  notifier: RecordingNotifier;
}

async function project(defs: AssetDefinition[], pipelines: PipelineDefinition[]): Promise<Project> {
  const graph = buildGraph({ assets: defs.map((d) => ({ spec: d.spec })), pipelines: pipelines.map((p) => ({ spec: p.spec })) });
  const store = await memoryStore();
  const notifier = new RecordingNotifier();
  const clock = new ManualClock(T0, { auto: true });
  const runner = pipelineRunner({ plan: graphPlanner(graph, () => NOW), assets: assetsOf(defs), store, notifier, clock });
  return { runner, store, notifier };
}

async function childRuns(store: RunStore, name: string) {
  return store.listRuns({ pipeline: name });
}

describe('trigger producer', () => {
  it('runs the other pipeline for the same partition as a child run and waits for it', async () => {
    const seen: (string | undefined)[] = [];
    const extract = asset('c.extract', { partitions: daily, produce: fn((ctx) => seen.push(ctx.partition?.key)) });
    const kick = asset('p.kick', { partitions: daily, produce: trigger({ pipeline: 'child' }) });
    const after = asset('p.after', { deps: [kick], partitions: daily, produce: fn(() => 1) });
    const { runner, store } = await project(
      [extract, kick, after],
      [pipeline('child', { select: 'c.*' }), pipeline('parent', { select: 'p.*' })],
    );
    const parent = await runner.run({ pipeline: 'parent', partition: '2025-01-10', launchedBy: 'daemon' });
    expect(parent.status).toBe('succeeded');
    const [child] = await childRuns(store, 'child');
    expect(child).toMatchObject({
      status: 'succeeded',
      launchedBy: 'trigger',
      partitions: ['2025-01-10'],
      tags: { parent_run_id: parent.runId, parent_asset: 'p.kick', trigger_chain: 'parent' },
    });
    expect(seen).toEqual(['2025-01-10']);
    const events = await store.events(parent.runId);
    const done = events.find((e) => e.type === 'asset_succeeded' && e.assetKey === 'p.kick');
    expect(done?.data?.metadata).toEqual({
      childRunId: child?.id,
      pipeline: 'child',
      partition: '2025-01-10',
      status: 'succeeded',
    });
    expect(await store.logs(parent.runId, 'p.kick')).toMatchObject([
      { message: `triggered run ${child?.id} of pipeline child for 2025-01-10` },
    ]);
  });

  it('fails when the child fails, naming the child run so `sluice runs show` can follow it', async () => {
    const extract = asset('c.extract', { produce: fn(() => Promise.reject(new Error('boom'))) });
    const kick = asset('p.kick', { produce: trigger({ pipeline: 'child' }) });
    const after = asset('p.after', { deps: [kick], produce: fn(() => 1) });
    const { runner, store, notifier } = await project(
      [extract, kick, after],
      [pipeline('child', { select: 'c.*' }), pipeline('parent', { select: 'p.*' })],
    );
    const parent = await runner.run({ pipeline: 'parent', partition: null, launchedBy: 'cli' });
    const [child] = await childRuns(store, 'child');
    const id = child?.id as string;
    expect(parent.steps.map((s) => [s.id, s.status])).toEqual([
      ['p.kick', 'failed'],
      ['p.after', 'upstream_failed'],
    ]);
    expect(parent.steps[0]?.error).toBe(
      `triggered run ${id} of pipeline child failed: pipeline child failed (run ${id}): c.extract after 1 attempt: boom; see \`sluice runs show ${id}\``,
    );
    // The child's own failure notification and the parent's.
    expect(notifier.sent.map((n) => [n.pipeline, n.runId])).toEqual([
      ['child', id],
      ['parent', parent.runId],
    ]);
  });

  it('tags an unpartitioned child with the logical date; without waitForCompletion the parent goes on', async () => {
    const release = deferred();
    const extract = asset('c.extract', { produce: fn(() => release.promise) });
    const kick = asset('p.kick', { partitions: daily, produce: trigger({ pipeline: 'child', waitForCompletion: false }) });
    const { runner, store } = await project(
      [extract, kick],
      [pipeline('child', { select: 'c.*' }), pipeline('parent', { select: 'p.*' })],
    );
    const parent = await runner.run({ pipeline: 'parent', partition: '2025-01-10', launchedBy: 'cli' });
    expect(parent.status).toBe('succeeded');
    const [running] = await childRuns(store, 'child');
    expect(running).toMatchObject({ status: 'running', partitions: [], tags: { logical_date: '2025-01-10' } });
    release.resolve();
    await runner.idle();
    expect((await store.getRun(running?.id as string))?.status).toBe('succeeded');
  });

  it('refuses a trigger cycle and an unknown pipeline without retrying', async () => {
    const retry = { maxAttempts: 3, delay: '1s' } as const;
    const a = asset('a.kick', { produce: trigger({ pipeline: 'b' }), retry });
    const b = asset('b.kick', { produce: trigger({ pipeline: 'a' }), retry });
    const lost = asset('x.kick', { produce: trigger({ pipeline: 'nope' }), retry });
    const { runner, store } = await project(
      [a, b, lost],
      [pipeline('a', { select: 'a.*' }), pipeline('b', { select: 'b.*' }), pipeline('x', { select: 'x.*' })],
    );
    const cycle = await runner.run({ pipeline: 'a', partition: null, launchedBy: 'cli' });
    const [bRun] = await childRuns(store, 'b');
    expect(bRun?.status).toBe('failed');
    expect((await store.assetRuns(bRun?.id as string))[0]).toMatchObject({
      attempts: 1,
      error: 'trigger "b.kick" would start a cycle: a > b > a',
    });
    expect(cycle.steps[0]?.error).toContain(`triggered run ${bRun?.id} of pipeline b failed`);

    const unknown = await runner.run({ pipeline: 'x', partition: null, launchedBy: 'cli' });
    expect(unknown.steps[0]).toMatchObject({
      attempts: 1,
      error: 'trigger "x.kick" cannot start pipeline nope: unknown pipeline "nope"',
    });
  });

  it('cancels a waited-for child when the trigger step times out', async () => {
    const gate = sourceAsset('c.gate', {
      sensor: sensors.file({ path: '/nonexistent/flag', pokeInterval: '10s', timeout: '1h' }),
    });
    const extract = asset('c.extract', { deps: [gate], produce: fn(() => 1) });
    const kick = asset('p.kick', { produce: trigger({ pipeline: 'child' }), timeout: '1m' });
    const { runner, store } = await project(
      [gate, extract, kick],
      [pipeline('child', { select: 'c.*' }), pipeline('parent', { select: 'p.*' })],
    );
    const parent = await runner.run({ pipeline: 'parent', partition: null, launchedBy: 'cli' });
    expect(parent.steps[0]).toMatchObject({ status: 'failed', kind: 'timeout', error: 'timed out after 60s' });
    await runner.idle();
    const [child] = await childRuns(store, 'child');
    expect(child?.status).toBe('cancelled');
  });
});
