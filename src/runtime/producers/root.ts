// Where a producer's relative paths point: the project root the run was started for.

import type { StepContext } from './types.js';

/**
 * The project root when the run's resources know it (the CLI sets it), else the working directory.
 * Relative `cwd` (shell) and `path` (copy) fields resolve against it.
 * @example resolve(projectRoot(ctx), 'out/orders.csv') // '/work/project/out/orders.csv'
 */
export function projectRoot(ctx: StepContext): string {
  return ctx.resources.root ?? process.cwd();
}
