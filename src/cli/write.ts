// Writes a set of files so that readers see all the old ones or all the new ones, never a mix.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes every file to a temporary name first, then renames them into place; a failure before the
 * renames leaves the folder untouched.
 * @example await writeFilesAtomically('lineage', [{ path: 'graph.json', content: '{}' }]);
 */
export async function writeFilesAtomically(dir: string, files: { path: string; content: string }[]): Promise<void> {
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const staged: [string, string][] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target + suffix, file.content);
    staged.push([target + suffix, target]);
  }
  for (const [from, to] of staged) await rename(from, to);
}
