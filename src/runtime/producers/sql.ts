// The `sql` producer: runs statements on a warehouse; the asset is whatever they write, counted when DML.

import type { ProducerRunner } from './types.js';

/** Runs a `sql` producer's statements (placeholders filled) with the attempt's signal. */
export const runSql: ProducerRunner<'sql'> = async (spec, ctx) => {
  const warehouse = await ctx.resources.warehouse(spec.resource);
  const changed = await warehouse.execute(ctx.render(spec.sql), ctx.signal);
  // The rows the last DML statement changed, for the drive table; none when no statement was DML.
  return changed === undefined ? {} : { rowCount: changed };
};
