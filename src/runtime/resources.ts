// What producers and checks may reach outside the process: warehouses, HTTP endpoints (and later Slack, SMTP).

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
  /** The HTTP resource called `name` (`http` producers' `resource` field), its secrets read from the environment. */
  http?(name: string): Promise<HttpEndpoint>;
  /** The project root: relative `cwd` (shell) and `path` (copy) fields resolve against it. Default: the working directory. */
  readonly root?: string;
}

/**
 * An HTTP resource ready to call: relative producer URLs resolve against `baseUrl`; `headers` go with every
 * request. `secrets` lists the header values that came from the environment, so whatever reports on a call
 * (logs, errors with a response excerpt) can mask them even when their variable's name does not look secret.
 * @example const sap: HttpEndpoint = { baseUrl: 'http://127.0.0.1:8080/api', headers: { Authorization: 'Bearer t0k3n' }, secrets: ['Bearer t0k3n'] };
 */
export interface HttpEndpoint {
  baseUrl: string;
  headers: Readonly<Record<string, string>>;
  secrets: readonly string[];
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
