// `sluice init [dir]`: scaffolds a new project from templates/init/, refusing to overwrite anything.

import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

// src/cli/commands/init.ts and dist/cli/commands/init.js both sit three levels below the package root.
const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** Template files whose names npm would drop or act on when publishing, stored without their dot. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** One file of the scaffold: its path in the new project and its content. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/**
 * A package name npm accepts, from a folder name: lower case, URL-safe, no leading dot or underscore.
 * @example packageName('My Shop') // 'my-shop'
 */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name.slice(0, 214) || 'sluice-project';
}

/**
 * The scaffold's files, sorted by path, with `__NAME__` and `__SLUICE_VERSION__` filled in. The same name
 * and sluice version always give the same bytes.
 * @example (await scaffoldFiles('shop')).map((f) => f.path) // ['.gitignore', 'README.md', 'assets/data/raw.orders.csv', …]
 */
export async function scaffoldFiles(name: string): Promise<ScaffoldFile[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const { join } = await import('node:path');
  const root = fileURLToPath(new URL('templates/init/', PACKAGE_ROOT));
  const manifest = JSON.parse(await readFile(fileURLToPath(new URL('package.json', PACKAGE_ROOT)), 'utf8')) as {
    version: string;
  };
  const files: ScaffoldFile[] = [];
  // A walk by hand: Dirent.parentPath (for readdir's `recursive`) is missing from the Node 20 releases before 20.12.
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${path}/`);
      else if (entry.isFile()) {
        const text = await readFile(join(dir, entry.name), 'utf8');
        const content = text.replaceAll('__NAME__', name).replaceAll('__SLUICE_VERSION__', manifest.version);
        files.push({ path: RENAMED[path] ?? path, content });
      }
    }
  };
  await walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Writes the scaffold into `dir` (default: the working folder, or -C), created when missing. When any of its
 * files already exists nothing is written and the command exits 2, naming them.
 */
export async function initCommand(
  io: CliIo,
  [dir]: unknown[],
  options: { name?: string },
  globals: GlobalOptions,
): Promise<number> {
  const { existsSync } = await import('node:fs');
  const { basename, join, relative, resolve } = await import('node:path');
  const { SluiceError } = await import('../../definitions/errors.js');
  const { writeFilesAtomically } = await import('../write.js');
  const target = resolve(io.cwd, globals.project ?? '.', typeof dir === 'string' ? dir : '.');
  const name = packageName(options.name ?? basename(target));
  const files = await scaffoldFiles(name);
  const shown = relative(io.cwd, target) || '.';
  const existing = files.filter((f) => existsSync(join(target, f.path))).map((f) => f.path);
  if (existing.length > 0) {
    throw new SluiceError(
      `${shown} already has ${existing.join(', ')}; sluice init never overwrites files — choose an empty folder, e.g. sluice init my-project`,
    );
  }
  await writeFilesAtomically(target, files);
  io.stdout.write(`created sluice project "${name}" in ${shown}:\n`);
  for (const f of files) io.stdout.write(`  ${f.path}\n`);
  const folder = /^[\w./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
  const cd = shown === '.' ? '' : `cd ${folder} && `;
  io.stdout.write(`next: ${cd}npm install && npx sluice validate && npx sluice materialize pipeline:daily_revenue\n`);
  return 0;
}
