// Which files are asset modules: the configured folders and globs, walked and sorted.

import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { DefinitionError } from '../definitions/errors.js';

const GLOB_CHARS = /[*?{]/;

// Config entries may say 'assets', './assets/' or 'assets\\sales'; matching wants 'assets', 'assets/sales'.
function normalizeEntry(entry: string): string {
  return entry.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/**
 * TypeScript modules, but not declaration files or tests that happen to sit beside the assets.
 * @example isAssetModuleFile('orders.ts') // true; 'orders.test.ts' and 'types.d.ts' are false
 */
export function isAssetModuleFile(name: string): boolean {
  return /\.m?ts$/.test(name) && !/\.d\.m?ts$/.test(name) && !/\.(test|spec)\.m?ts$/.test(name);
}

/**
 * A path relative to the root with forward slashes, whatever the platform.
 * @example toPosixRelative('/shop', '/shop/assets/orders.ts') // 'assets/orders.ts'
 */
export function toPosixRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/**
 * Turns a glob into a regular expression over posix paths: `**` crosses folders, `*` and `?` do not,
 * `{a,b}` is either.
 * @example globToRegExp('assets/**\/*.ts').test('assets/sales/orders.ts') // true
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$(){}|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether a module at `file` (posix, relative to the root) would be loaded with these config entries.
 * @example isLoadedModulePath('assets/sales/orders.ts', ['assets']) // true
 */
export function isLoadedModulePath(file: string, entries: readonly string[]): boolean {
  const parts = file.split('/');
  if (!isAssetModuleFile(file) || parts.some((p) => p === 'node_modules' || p.startsWith('.'))) return false;
  return entries.some((entry) => {
    const pattern = normalizeEntry(entry);
    if (GLOB_CHARS.test(pattern)) return globToRegExp(pattern).test(file);
    return pattern === '.' || file === pattern || file.startsWith(`${pattern}/`);
  });
}

// Dependencies and state never hold the project's modules; skipping them keeps the walk short.
async function walk(dir: string, into: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, into);
    else if (entry.isFile() && isAssetModuleFile(entry.name)) into.push(path);
  }
}

async function kindOf(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lists the asset modules of a project as sorted posix paths relative to `root`. A folder or file
 * named in the config that does not exist is an error; the default `assets` folder may be missing.
 * @example await findAssetModules('/shop', ['assets'], 'sluice.config.ts') // ['assets/orders.ts', 'assets/sales/daily.ts']
 */
export async function findAssetModules(
  root: string,
  entries: readonly string[],
  configFile: string | undefined,
): Promise<string[]> {
  const found = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const pattern = normalizeEntry(entry);
    if (!GLOB_CHARS.test(pattern)) {
      const path = resolve(root, pattern);
      const kind = await kindOf(path);
      if (kind === 'file' && isAssetModuleFile(path)) found.add(toPosixRelative(root, path));
      if (kind === 'dir') {
        const files: string[] = [];
        await walk(path, files);
        for (const f of files) found.add(toPosixRelative(root, f));
      }
      if (kind === undefined && configFile) {
        throw new DefinitionError(`"${entry}" does not exist`, { file: configFile, field: `assets.${index}` });
      }
      continue;
    }
    // Walk from the longest folder prefix without glob characters, then match whole relative paths.
    const parts = pattern.split('/');
    const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
    const base = resolve(root, ...parts.slice(0, firstGlob));
    if ((await kindOf(base)) !== 'dir') continue;
    const files: string[] = [];
    await walk(base, files);
    const regex = globToRegExp(pattern);
    for (const f of files) {
      const rel = toPosixRelative(root, f);
      if (regex.test(rel)) found.add(rel);
    }
  }
  return [...found].sort();
}
