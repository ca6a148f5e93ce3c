// `sluice types`: writes generated/asset-keys.ts so the editor checks dep keys.

import { loadContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

export async function types(io: CliIo, _args: unknown[], _options: unknown, globals: GlobalOptions): Promise<number> {
  const { project } = await loadContext(io, globals.project);
  const { writeAssetKeys } = await import('../../project/index.js');
  const file = await writeAssetKeys(project);
  io.stdout.write(`wrote ${file}\n`);
  return 0;
}
