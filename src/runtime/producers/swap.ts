// The `swap` producer: publishes another asset's table as this asset's table, atomically.

import { tableOf } from '../table.js';
import type { ProducerRunner } from './types.js';

/** Swaps `from`'s table into the asset's table (created on the first run) and reports its rows. */
export const runSwap: ProducerRunner<'swap'> = async (spec, ctx) => {
  const warehouse = await ctx.resources.warehouse(spec.resource);
  if (ctx.table.schema) await warehouse.ensureSchema(ctx.table.schema);
  ctx.signal.throwIfAborted();
  await warehouse.swap(ctx.table, tableOf(spec.from));
  return { rowCount: await warehouse.rowCount(ctx.table), metadata: { from: spec.from } };
};
