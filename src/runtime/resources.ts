// What producers and checks may reach outside the process: warehouses (and later Slack, SMTP, HTTP).

import type { SqlResource } from '../definitions/context.js';
import { NonRetriableError } from '../definitions/errors.js';
import type { Warehouse } from '../resources/warehouse/types.js';

/**
 * Named connections the executor hands to producers, checks and sensors. The CLI builds one from
 * the project config (opening each warehouse lazily and once); the executor never closes them.
 * @example const resources: Resources = { warehouse: async (name) => openWarehouse(config.warehouses[name]) };
 */
export interface Resources {
  /** The warehouse called `name` (producer `resource` fields, default 'warehouse'). */
  warehouse(name: string): Promise<Warehouse>;
  /** What `ctx.resource(name)` returns to `fn` producers; falls back to `warehouse(name)`. */
  sql?(name: string): Promise<SqlResource>;
}

/**
 * Resources from already open warehouses, by name. Asking for any other name fails without retry,
 * naming the ones that exist.
 * @example const resources = staticResources({ warehouse: await openWarehouse({ type: 'duckdb', path }) });
 */
export function staticResources(warehouses: Readonly<Record<string, Warehouse>> = {}): Resources {
  return {
    async warehouse(name) {
      const found = warehouses[name];
      if (found) return found;
      const known = Object.keys(warehouses);
      throw new NonRetriableError(
        `no warehouse resource named "${name}"; ${known.length > 0 ? `configured: ${known.join(', ')}` : 'none is configured'}`,
      );
    },
  };
}
