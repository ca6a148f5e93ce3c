// The `ctas` producer: CREATE OR REPLACE the asset's table from a SELECT, optionally built aside first.

import { tableOf } from '../table.js';
import type { ProducerRunner } from './types.js';

/**
 * Without `staging`, (re)creates the asset's table; the executor then checks it, and a failed
 * blocking check keeps downstream assets (a `swap`) from running. With `staging`, builds that table,
 * checks it, and only then swaps it into the asset's table, so a failed check leaves the published
 * table as it was.
 */
export const runCtas: ProducerRunner<'ctas'> = async (spec, ctx) => {
  const warehouse = await ctx.resources.warehouse(spec.resource);
  const select = ctx.render(spec.sql);
  const table = ctx.table(warehouse.dialect);
  if (!spec.staging) {
    if (table.schema) await warehouse.ensureSchema(table.schema);
    return { rowCount: await warehouse.createTableAs(table, select, ctx.signal) };
  }
  const staging = tableOf(spec.staging, warehouse.dialect);
  if (staging.schema) await warehouse.ensureSchema(staging.schema);
  const rowCount = await warehouse.createTableAs(staging, select, ctx.signal);
  await ctx.verify(staging, warehouse);
  // A timed-out attempt keeps running in the background; it must not publish after it was given up.
  ctx.signal.throwIfAborted();
  if (table.schema) await warehouse.ensureSchema(table.schema);
  await warehouse.swap(table, staging);
  return { rowCount, verified: true, metadata: { staging: spec.staging } };
};
