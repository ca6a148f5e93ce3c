// Producer builders: how an asset is made, as data (plus the function for `fn`).

import type { ProducerFn } from './context.js';
import type { ProducerInput } from './schema.js';

type Of<T extends ProducerInput['type']> = Omit<Extract<ProducerInput, { type: T }>, 'type'>;

/** A producer as passed to `asset({ produce })`: the data, and for `fn` the function itself. */
export type Producer = ProducerInput & { run?: ProducerFn };

/**
 * Runs SQL on a resource; the asset is whatever the statement writes.
 * @example sql({ resource: 'dwh', sql: 'INSERT INTO md.load_log SELECT 1' })
 */
export function sql(options: Of<'sql'>): Producer {
  return { type: 'sql', ...options };
}

/**
 * Creates or replaces the asset's table from a SELECT. With `staging`, builds that table first, runs
 * the blocking checks on it and swaps it in, so the published table is never half-built.
 * @example ctas({ sql: 'SELECT 1 AS x' })
 */
export function ctas(options: Of<'ctas'>): Producer {
  return { type: 'ctas', ...options };
}

/**
 * Atomically exchanges the asset's table with another asset's table (Snowflake `SWAP WITH`, a
 * transactional rename elsewhere).
 * @example swap({ from: 'analytics.temp_mau_summary' })
 */
export function swap(options: Of<'swap'>): Producer {
  return { type: 'swap', ...options };
}

/**
 * Runs a bash command; a non-zero exit fails the asset.
 * @example shell({ command: 'bash assets/scripts/dump.sh {{ ds_nodash }}' })
 */
export function shell(options: Of<'shell'>): Producer {
  return { type: 'shell', ...options };
}

/**
 * Calls an HTTP endpoint; 5xx and network errors are retryable, other unexpected statuses are not.
 * @example http({ resource: 'sap', url: '/segmentation/flag', body: '{"load_id": "{{ run_id }}"}' })
 */
export function http(options: Of<'http'>): Producer {
  return { type: 'http', ...options };
}

/**
 * Copies between a table and a CSV file, atomically on the receiving side.
 * @example copy({ direction: 'table_to_file', table: 'public.orders', path: 'out/orders.csv' })
 */
export function copy(options: Of<'copy'>): Producer {
  return { type: 'copy', ...options };
}

/**
 * Starts another pipeline's run and waits for it (Airflow's TriggerDagRunOperator).
 * @example trigger({ pipeline: 'sys_kill_all_session_pg' })
 */
export function trigger(options: Of<'trigger'>): Producer {
  return { type: 'trigger', ...options };
}

/**
 * Runs arbitrary TypeScript. Exports as a task that calls `sluice materialize <key>`.
 * @example fn(async (ctx) => { ctx.log.info(`window ${ctx.partition?.key}`); return { rowCount: 3 }; })
 */
export function fn(run: ProducerFn, options: Of<'fn'> = {}): Producer {
  return { type: 'fn', ...options, run };
}
