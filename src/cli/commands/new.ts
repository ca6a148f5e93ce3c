// `sluice new asset`: adds a declaration to an asset module through the project layer's ts-morph edit.

import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

export async function newAsset(
  io: CliIo,
  [key]: unknown[],
  options: { in: string; deps: string[]; producer: 'sql' | 'shell' | 'fn' },
  globals: GlobalOptions,
): Promise<number> {
  const { resolve } = await import('node:path');
  const { addAssetDeclaration, findProjectRoot } = await import('../../project/index.js');
  const root = globals.project ? resolve(io.cwd, globals.project) : findProjectRoot(io.cwd);
  const added = await addAssetDeclaration({
    root,
    module: options.in,
    key: String(key),
    deps: options.deps,
    producer: options.producer,
  });
  io.stdout.write(`added asset "${String(key)}" as \`${added.exportName}\` to ${added.file}\n`);
  return 0;
}
