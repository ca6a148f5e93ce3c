// Importing a project's TypeScript modules with no build step: tsx under node, Vite's runner under vitest.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefinitionError } from '../definitions/errors.js';

/** Imports modules for one load of a project; a new session sees files as they are now. */
export interface ModuleSession {
  /** Imports an absolute path; `display` is the posix path relative to the root used in errors. */
  import(file: string, display: string): Promise<Record<string, unknown>>;
}

let loads = 0;

/**
 * Opens an import session for the project at `root`. Under node every session registers its own tsx
 * namespace, so each load re-evaluates the whole module graph (helpers included) while modules within
 * one load share instances, which keeps re-exported definitions identical.
 * @example const session = await openSession('/shop'); await session.import('/shop/assets/orders.ts', 'assets/orders.ts');
 */
export async function openSession(root: string): Promise<ModuleSession> {
  const load = runningInVitest() ? viteImport : await tsxImport(root);
  const scopes = new Map<string, boolean>();
  return {
    async import(file, display) {
      if (file.endsWith('.ts') && !isEsmScope(dirname(file), scopes)) {
        throw new DefinitionError(
          'is loaded as CommonJS because the nearest package.json has no "type": "module"; add it, or rename the file to .mts',
          { file: display },
        );
      }
      try {
        return await load(file);
      } catch (error) {
        throw importError(error, display);
      }
    },
  };
}

// VITEST alone is not enough: child processes a test spawns (the real CLI) inherit it but run plain node.
function runningInVitest(): boolean {
  return process.env.VITEST !== undefined && '__vitest_worker__' in globalThis;
}

async function tsxImport(root: string): Promise<(file: string) => Promise<Record<string, unknown>>> {
  // Loaded on first use only: tsx pulls in esbuild, far over the CLI's start-up budget.
  const { register } = await import('tsx/esm/api');
  // The root's tsconfig (paths such as sluice → src/index.ts) rather than whatever the working folder has.
  const tsconfig = join(root, 'tsconfig.json');
  // Never unregistered: an fn producer may import lazily long after loading, through this namespace.
  const api = register({ namespace: `sluice-load-${++loads}`, tsconfig: existsSync(tsconfig) ? tsconfig : false });
  return (file) => api.import(pathToFileURL(file).href, import.meta.url);
}

// Vite caches modules by id for the life of the worker and offers no way to drop them from here. A file is
// imported by its plain URL while it reads as when first seen (so modules importing each other share
// instances) and by its content hash once edited. The limit, under vitest only: a module that did not
// change keeps the instances of what it imports, so tests edit asset modules rather than their helpers.
const firstSeen = new Map<string, string>();

async function viteImport(file: string): Promise<Record<string, unknown>> {
  const hash = createHash('sha1')
    .update(await readFile(file))
    .digest('hex')
    .slice(0, 12);
  const first = firstSeen.get(file) ?? hash;
  firstSeen.set(file, first);
  const url = pathToFileURL(file).href + (hash === first ? '' : `?v=${hash}`);
  return import(/* @vite-ignore */ url);
}

function isEsmScope(dir: string, cache: Map<string, boolean>): boolean {
  const cached = cache.get(dir);
  if (cached !== undefined) return cached;
  let esm = false;
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    try {
      esm = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
    } catch {
      esm = false;
    }
  } else if (dirname(dir) !== dir) {
    esm = isEsmScope(dirname(dir), cache);
  }
  cache.set(dir, esm);
  return esm;
}

/** What went wrong importing a module, with the file in front; a DefinitionError keeps its key and field. */
function importError(error: unknown, display: string): DefinitionError {
  if (error instanceof DefinitionError) return error.inFile(display);
  // An older copy of sluice in the user's node_modules may lack the cross-copy brand; its fields still tell.
  if (error instanceof Error && error.name === 'DefinitionError' && typeof (error as DefinitionError).detail === 'string') {
    const { detail, file, key, pipeline, field } = error as DefinitionError;
    return new DefinitionError(detail, { file: file ?? display, key, pipeline, field }, { cause: error.cause });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DefinitionError(`failed to import: ${message}`, { file: display }, { cause: error });
}
