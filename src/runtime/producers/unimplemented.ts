// Placeholder runners for producer types that arrive in later issues: they fail clearly, never silently.

import { NonRetriableError } from '../../definitions/errors.js';
import type { ProducerSpec } from '../../definitions/schema.js';
import type { ProducerRunner } from './types.js';

/**
 * A runner that fails without retry, naming the producer type and the asset.
 * @example unimplemented('shell') // fails: 'the shell producer is not available in this version of sluice yet (asset "a.b")'
 */
export function unimplemented<T extends ProducerSpec['type']>(type: T): ProducerRunner<T> {
  return async (_spec, ctx) => {
    throw new NonRetriableError(`the ${type} producer is not available in this version of sluice yet (asset "${ctx.asset.key}")`);
  };
}
