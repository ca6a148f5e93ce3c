// Source assets: observed at once, or polled through their sensor until it holds or times out.

import { existsSync } from 'node:fs';
import { NonRetriableError } from '../definitions/errors.js';
import { partitionWindow } from '../definitions/partitions.js';
import type { SensorSpec } from '../definitions/schema.js';
import type { Materialization, RunStore } from '../storage/types.js';
import type { ProducerOutcome, StepContext } from './producers/types.js';
import { externalRunPoke } from './sensor-runs.js';
import { renderTemplate } from './template.js';

/**
 * A sensor gave up. Not retried (as Airflow's sensor timeout is not); `kind` says why it failed.
 * `detail` says what the last poke saw, so the failure names what was missing.
 * @example new SensorTimeoutError('raw.orders', 'sql', 3_600_000, '60 pokes; last: no row yet')
 */
export class SensorTimeoutError extends NonRetriableError {
  readonly kind = 'timeout';
  constructor(assetKey: string, type: SensorSpec['type'], timeoutMs: number, detail?: string) {
    super(`${type} sensor of "${assetKey}" did not hold within ${Math.round(timeoutMs / 1000)}s${detail ? ` (${detail})` : ''}`);
    this.name = 'SensorTimeoutError';
  }
}

/** What one poke saw: whether the condition holds, and a line for the sensor_tick event. */
export interface PokeResult {
  held: boolean;
  message?: string | undefined;
}

/** One evaluation of a sensor's condition. */
export type Poke = () => Promise<PokeResult>;

/**
 * Fills a sensor's placeholders (`{{ ds }}`…) from the step's own window, else from the run's partition when
 * the run covers exactly one. Source steps are unpartitioned, yet "the flag of this partition's day" is what
 * a sensor in a daily pipeline almost always asks for.
 */
function renderer(ctx: StepContext): (text: string) => string {
  const { keys, spec } = ctx.runPartitions;
  const window = !ctx.partition && keys.length === 1 && spec ? partitionWindow(spec, keys[0] as string) : undefined;
  if (!window) return (text) => ctx.render(text);
  return (text) => renderTemplate(text, { runId: ctx.runId, partition: window, runStartedAt: window.start.getTime() });
}

/** Partition keys an asset_materialized sensor needs: the step's own, else the run's (none: any will do). */
function wantedPartitions(ctx: StepContext): readonly string[] {
  return ctx.partition ? [ctx.partition.key] : ctx.runPartitions.keys;
}

/**
 * What an asset_materialized sensor may count, newest first: per partition of `asset`, its newest finished
 * materialization when that succeeded (a newer failure means "not now"), ended within `within` of `now`.
 * Shared by the wait inside a run and the daemon's trigger.
 */
export async function freshMaterializations(
  store: RunStore,
  sensor: { asset: string; within?: number | undefined },
  now: number,
): Promise<Materialization[]> {
  const since = sensor.within === undefined ? undefined : now - sensor.within;
  return (await store.latestMaterializations([sensor.asset]))
    .filter((m) => m.status === 'succeeded' && (since === undefined || (m.endedAt !== null && Date.parse(m.endedAt) >= since)))
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
}

/** ` within 60s`, or nothing without a bound: how "not materialized yet" says which materializations count. */
export const withinText = (within: number | undefined): string =>
  within === undefined ? '' : ` within ${Math.round(within / 1000)}s`;

function assetMaterializedPoke(sensor: Extract<SensorSpec, { type: 'asset_materialized' }>, ctx: StepContext): Poke {
  const wanted = wantedPartitions(ctx);
  return async () => {
    const fresh = await freshMaterializations(ctx.store, sensor, ctx.clock.now());
    const partitioned = fresh.some((m) => m.partition !== '');
    const recent = withinText(sensor.within);
    if (partitioned && wanted.length > 0) {
      const have = new Set(fresh.map((m) => m.partition));
      const missing = wanted.filter((k) => !have.has(k));
      if (missing.length === 0) return { held: true, message: `${sensor.asset} materialized for ${wanted.join(', ')}` };
      return { held: false, message: `${sensor.asset} not materialized${recent} for ${missing.join(', ')} yet` };
    }
    const [newest] = fresh;
    if (newest) return { held: true, message: `${sensor.asset} materialized by run ${newest.runId}` };
    return { held: false, message: `${sensor.asset} not materialized${recent} yet` };
  };
}

async function poker(sensor: SensorSpec, ctx: StepContext): Promise<Poke> {
  const render = renderer(ctx);
  switch (sensor.type) {
    case 'sql': {
      const sql = render(sensor.sql);
      return async () => {
        const warehouse = await ctx.resources.warehouse(sensor.resource);
        const rows = await warehouse.query(sql);
        return rows.length > 0 ? { held: true, message: 'query returned a row' } : { held: false, message: 'no row yet' };
      };
    }
    case 'file': {
      const path = render(sensor.path);
      return async () =>
        existsSync(path) ? { held: true, message: `${path} exists` } : { held: false, message: `no ${path} yet` };
    }
    case 'external_run':
      return externalRunPoke(sensor, ctx);
    case 'asset_materialized':
      return assetMaterializedPoke(sensor, ctx);
  }
}

/** Settles with `work`, or rejects as soon as `signal` aborts: a hanging poke must not outlive the deadline. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Observes a source asset: without a sensor it is ready at once; with one, pokes every
 * `pokeInterval` (through the clock) until it holds, failing with SensorTimeoutError (not retried)
 * after `timeout`. Each poke is a `sensor_tick` event saying what it saw.
 * @example const outcome = await observeSource(ctx); // { note: 'sensor held after 3 pokes' }
 */
export async function observeSource(ctx: StepContext): Promise<ProducerOutcome> {
  const sensor = ctx.asset.sensor;
  if (!sensor) return { note: 'source observed', metadata: { observed: true } };
  const poke = await poker(sensor, ctx);
  const expired = new AbortController();
  const stopTimer = new AbortController();
  // The deadline is a clock sleep rather than now() arithmetic, so SLUICE_TIME_SCALE shrinks it too.
  ctx.clock.sleep(sensor.timeout, AbortSignal.any([stopTimer.signal, ctx.signal])).then(
    () => expired.abort(),
    () => {},
  );
  const signal = AbortSignal.any([expired.signal, ctx.signal]);
  let last: string | undefined;
  let n = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      n++;
      const seen = await unlessAborted(poke(), signal);
      last = seen.message;
      ctx.tick(n, seen.held, seen.message && `poke ${n}: ${seen.message}`);
      if (seen.held) {
        return { note: `sensor held after ${n} poke${n === 1 ? '' : 's'}`, metadata: { pokes: n, detail: seen.message ?? null } };
      }
      await ctx.clock.sleep(sensor.pokeInterval, signal);
    }
  } catch (error) {
    // Cancellation and attempt timeouts keep their own reason; only our deadline becomes a sensor timeout.
    if (expired.signal.aborted && !ctx.signal.aborted) {
      const pokes = `${n} poke${n === 1 ? '' : 's'}`;
      throw new SensorTimeoutError(ctx.asset.key, sensor.type, sensor.timeout, last ? `${pokes}; last: ${last}` : pokes);
    }
    throw error;
  } finally {
    stopTimer.abort();
  }
}
