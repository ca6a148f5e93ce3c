// Finding a project: the folder holding sluice.config.ts, found by walking up from where sluice runs.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Config file names, in the order they are looked for. */
export const CONFIG_FILES = ['sluice.config.ts', 'sluice.config.mts'] as const;

/**
 * The config file in `root`, as its name, or undefined when the project has none.
 * @example configFileIn('/home/me/shop') // 'sluice.config.ts'
 */
export function configFileIn(root: string): string | undefined {
  return CONFIG_FILES.find((name) => existsSync(join(root, name)));
}

/**
 * The project root for `cwd`: the nearest folder upwards with a sluice.config.ts; without one, the
 * nearest with a package.json; without either, `cwd` itself.
 * @example findProjectRoot('/home/me/shop/assets/sales') // '/home/me/shop' (has sluice.config.ts)
 */
export function findProjectRoot(cwd: string): string {
  let packageRoot: string | undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (configFileIn(dir)) return dir;
    if (!packageRoot && existsSync(join(dir, 'package.json'))) packageRoot = dir;
    if (dirname(dir) === dir) return packageRoot ?? resolve(cwd);
  }
}
