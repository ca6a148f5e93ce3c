// The `fn` producer: calls the user's TypeScript function with a ProducerContext.

import type { ProducerContext } from '../../definitions/context.js';
import { NonRetriableError } from '../../definitions/errors.js';
import type { ProducerOutcome, ProducerRunner } from './types.js';

const RESULT_KEYS = new Set(['rowCount', 'metadata', 'value']);

/**
 * What a function's return value means: a plain object whose keys are only `rowCount`, `metadata`
 * and `value` is a MaterializeResult; anything else is the asset's value.
 * @example toOutcome({ rowCount: 3 }) // { rowCount: 3 }; toOutcome([1, 2]) // { value: [1, 2] }
 */
export function toOutcome(result: unknown): ProducerOutcome {
  if (result === undefined) return {};
  if (result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype) {
    const keys = Object.keys(result);
    if (keys.length > 0 && keys.every((k) => RESULT_KEYS.has(k))) {
      const r = result as { rowCount?: unknown; metadata?: unknown; value?: unknown };
      return {
        rowCount: typeof r.rowCount === 'number' ? r.rowCount : undefined,
        metadata: r.metadata && typeof r.metadata === 'object' ? (r.metadata as Record<string, unknown>) : undefined,
        value: r.value,
      };
    }
  }
  return { value: result };
}

/** Runs an `fn` producer. */
export const runFn: ProducerRunner<'fn'> = async (_spec, ctx) => {
  if (!ctx.run) {
    throw new NonRetriableError(`asset "${ctx.asset.key}" has an fn producer but no function was loaded with its spec`);
  }
  const context: ProducerContext = {
    assetKey: ctx.asset.key,
    runId: ctx.runId,
    attempt: ctx.attempt,
    partition: ctx.partition,
    signal: ctx.signal,
    log: ctx.log,
    upstream: ctx.upstream,
    resource: (name) => (ctx.resources.sql ? ctx.resources.sql(name) : ctx.resources.warehouse(name)),
  };
  return toOutcome(await ctx.run(context));
};
