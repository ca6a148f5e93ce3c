// The `swap` producer: publishes another asset's table as this asset's table, atomically.

import { tableOf } from '../table.js';
import type { ProducerRunner } from './types.js';

/** Swaps `from`'s table into the asset's table (created on the first run) and reports its rows. */
export const runSwap: ProducerRunner<'swap'> = async (spec, ctx) => {
  const warehouse = await ctx.resources.warehouse(spec.resource);
  const table = ctx.table(warehouse.dialect);
  if (table.schema) await warehouse.ensureSchema(table.schema);
  ctx.signal.throwIfAborted();
  await warehouse.swap(table, tableOf(spec.from, warehouse.dialect));
  return { rowCount: await warehouse.rowCount(table), metadata: { from: spec.from } };
};
