// Source assets: observed at once, or polled through their sensor until it holds or times out.

import { existsSync } from 'node:fs';
import { NonRetriableError } from '../definitions/errors.js';
import type { SensorSpec } from '../definitions/schema.js';
import type { ProducerOutcome, StepContext } from './producers/types.js';

/**
 * A sensor gave up. Not retried (as Airflow's sensor timeout is not); `kind` says why it failed.
 * @example new SensorTimeoutError('raw.orders', 'sql', 3_600_000)
 */
export class SensorTimeoutError extends NonRetriableError {
  readonly kind = 'timeout';
  constructor(assetKey: string, type: SensorSpec['type'], timeoutMs: number) {
    super(`${type} sensor of "${assetKey}" did not hold within ${Math.round(timeoutMs / 1000)}s`);
    this.name = 'SensorTimeoutError';
  }
}

type Poke = (ctx: StepContext) => Promise<boolean>;

function poker(sensor: SensorSpec, ctx: StepContext): Poke {
  switch (sensor.type) {
    case 'sql':
      return async () => {
        const warehouse = await ctx.resources.warehouse(sensor.resource);
        const rows = await warehouse.query(ctx.render(sensor.sql));
        return rows.length > 0;
      };
    case 'file': {
      const path = ctx.render(sensor.path);
      return async () => existsSync(path);
    }
    case 'external_run':
    case 'asset_materialized':
      throw new NonRetriableError(
        `the ${sensor.type} sensor of "${ctx.asset.key}" is evaluated from issue 5 on; this version cannot wait on it`,
      );
  }
}

/**
 * Observes a source asset: without a sensor it is ready at once; with one, pokes every
 * `pokeInterval` (through the clock) until it holds, failing after `timeout`. Each poke is a
 * `sensor_tick` event.
 * @example const outcome = await observeSource(ctx); // { note: 'sensor held after 3 pokes' }
 */
export async function observeSource(ctx: StepContext): Promise<ProducerOutcome> {
  const sensor = ctx.asset.sensor;
  if (!sensor) return { note: 'source observed', metadata: { observed: true } };
  const poke = poker(sensor, ctx);
  const expired = new AbortController();
  const stopTimer = new AbortController();
  // The deadline is a clock sleep rather than now() arithmetic, so SLUICE_TIME_SCALE shrinks it too.
  ctx.clock.sleep(sensor.timeout, AbortSignal.any([stopTimer.signal, ctx.signal])).then(
    () => expired.abort(new SensorTimeoutError(ctx.asset.key, sensor.type, sensor.timeout)),
    () => {},
  );
  const signal = AbortSignal.any([expired.signal, ctx.signal]);
  try {
    for (let n = 1; ; n++) {
      signal.throwIfAborted();
      const held = await poke(ctx);
      ctx.tick(n, held);
      if (held) return { note: `sensor held after ${n} poke${n === 1 ? '' : 's'}`, metadata: { pokes: n } };
      await ctx.clock.sleep(sensor.pokeInterval, signal);
    }
  } finally {
    stopTimer.abort();
  }
}
