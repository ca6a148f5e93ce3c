// Loading a project: its config, then every asset module, collecting the definitions they export.

import { join, resolve } from 'node:path';
import { type AssetDefinition, isAssetDefinition } from '../definitions/asset.js';
import { DefinitionError } from '../definitions/errors.js';
import { isPipelineDefinition, type PipelineDefinition } from '../definitions/pipeline.js';
import { parseConfig, type SluiceConfig } from './config.js';
import { findAssetModules } from './files.js';
import { type ModuleSession, openSession } from './importer.js';
import { configFileIn } from './root.js';

/** Where a definition was found: the module (posix, relative to the root) and the export holding it. */
export interface Located<D> {
  definition: D;
  file: string;
  /** `orders`, `default`, or one level into an exported array or object: `all[2]`, `byName.orders`. */
  exportName: string;
}

/** A loaded project: validated config and every definition its modules export, in a stable order. */
export interface Project {
  /** Absolute path of the project root. */
  root: string;
  /** The config file's name (e.g. 'sluice.config.ts'), or undefined when the project has none. */
  configFile: string | undefined;
  config: SluiceConfig;
  /** Sorted by file, then export name. Two different definitions with one key are both kept. */
  assets: Located<AssetDefinition>[];
  pipelines: Located<PipelineDefinition>[];
}

/**
 * Loads the project at `root`: validates sluice.config.ts (defaults when there is none), imports every
 * asset module and collects the asset and pipeline definitions they export. A definition re-exported
 * from a second module counts once, where it is first found. Loading again sees edited files.
 * @throws DefinitionError (exit status 2) naming the file, and the key and field when known.
 * @example
 * const project = await loadProject('/home/me/shop');
 * project.assets.map((a) => `${a.file}#${a.exportName}: ${a.definition.key}`);
 */
/**
 * Reads and validates only sluice.config.ts (defaults when there is none), for commands that need the
 * store or resources but not the asset modules, such as `sluice runs`.
 * @example const config = await loadProjectConfig(findProjectRoot(process.cwd()));
 */
export async function loadProjectConfig(root: string): Promise<SluiceConfig> {
  const absRoot = resolve(root);
  const configFile = configFileIn(absRoot);
  if (!configFile) return parseConfig(undefined, undefined);
  const session = await openSession(absRoot);
  return parseConfig(await defaultExport(session, absRoot, configFile), configFile);
}

export async function loadProject(root: string): Promise<Project> {
  const absRoot = resolve(root);
  const session = await openSession(absRoot);
  const configFile = configFileIn(absRoot);
  const input = configFile ? await defaultExport(session, absRoot, configFile) : undefined;
  const config = parseConfig(input, configFile);
  // Only a folder the user named must exist; the default `assets` folder may be missing from a new project.
  const named = typeof input === 'object' && input !== null && 'assets' in input;
  const files = await findAssetModules(absRoot, config.assets, named ? configFile : undefined);

  const project: Project = { root: absRoot, configFile, config, assets: [], pipelines: [] };
  const seen = new Set<object>();
  const collect = (value: unknown, file: string, exportName: string): boolean => {
    if (isAssetDefinition(value)) {
      if (!seen.has(value)) project.assets.push({ definition: value, file, exportName });
    } else if (isPipelineDefinition(value)) {
      if (!seen.has(value)) project.pipelines.push({ definition: value, file, exportName });
    } else {
      return false;
    }
    seen.add(value);
    return true;
  };

  for (const file of files) {
    if (file === configFile) continue;
    const exports = await session.import(join(absRoot, file), file);
    for (const name of Object.keys(exports).sort()) {
      const value = exports[name];
      if (collect(value, file, name)) continue;
      // One level into arrays and plain objects, e.g. `export const all = [orders, customers]`.
      const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [`${name}[${i}]`, item]) : [];
      if (isPlainObject(value)) for (const [k, item] of Object.entries(value)) entries.push([`${name}.${k}`, item]);
      for (const [inner, item] of entries) collect(item, file, inner);
    }
  }
  return project;
}

async function defaultExport(session: ModuleSession, root: string, configFile: string): Promise<unknown> {
  const exports = await session.import(join(root, configFile), configFile);
  if (!('default' in exports) || exports.default === undefined) {
    throw new DefinitionError('must default-export the config: export default defineConfig({ ... })', { file: configFile });
  }
  return exports.default;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
