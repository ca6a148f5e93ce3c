// addAssetDeclaration: ts-morph edits of asset modules, compared as exact text and re-loaded.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addAssetDeclaration, loadProject } from '../../src/project/index.js';
import { REPO, rejection, removeTempProjects, tempProject } from './helpers.js';

afterAll(removeTempProjects);

/** The text Biome (with the repository's settings) would print for a TypeScript module. */
function biomeFormatted(text: string): string {
  const result = spawnSync(join(REPO, 'node_modules/.bin/biome'), ['format', '--stdin-file-path=module.ts'], {
    cwd: REPO,
    input: text,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`biome failed: ${result.stderr}`);
  return result.stdout;
}

describe('addAssetDeclaration', () => {
  it('adds a declaration to an existing module and merges the imports, keeping it formatted', async () => {
    const root = await tempProject('basic');
    const added = await addAssetDeclaration({
      root,
      module: 'assets/orders.ts',
      key: 'mart.order_items',
      deps: ['raw.orders', "it's"],
    });
    expect(added).toStrictEqual({ file: 'assets/orders.ts', exportName: 'martOrderItems' });
    await addAssetDeclaration({ root, module: 'assets/orders.ts', key: 'ops.cleanup', producer: 'shell' });
    const text = await readFile(join(root, 'assets/orders.ts'), 'utf8');
    expect(text).toBe(`// Orders: a source table and the mart built from it, plus the pipeline that refreshes them.

import { asset, pipeline, shell, sourceAsset, sql } from 'sluice';

export const rawOrders = sourceAsset('raw.orders', { kind: 'table' });

export const martOrders = asset('mart.orders', {
  deps: [rawOrders],
  produce: sql({ sql: 'CREATE OR REPLACE TABLE mart.orders AS SELECT * FROM raw.orders' }),
});

export default pipeline('orders', { select: '+mart.orders' });

export const martOrderItems = asset('mart.order_items', {
  deps: ['raw.orders', "it's"],
  produce: sql({ sql: 'SELECT 1' }),
});

export const opsCleanup = asset('ops.cleanup', {
  produce: shell({ command: 'echo TODO' }),
});
`);
    expect(biomeFormatted(text)).toBe(text);
    const project = await loadProject(root);
    const items = project.assets.find((a) => a.definition.key === 'mart.order_items');
    expect(items).toMatchObject({ file: 'assets/orders.ts', exportName: 'martOrderItems' });
    expect(items!.definition.spec.deps).toStrictEqual(['raw.orders', "it's"]);
    expect(project.assets.find((a) => a.definition.key === 'ops.cleanup')!.definition.spec.producer).toMatchObject({
      type: 'shell',
    });
  });

  it('creates a new module, with folders, for an fn producer', async () => {
    const root = await tempProject('basic');
    const added = await addAssetDeclaration({
      root,
      module: 'assets/finance/revenue.ts',
      key: 'finance.revenue',
      deps: ['mart.orders'],
      producer: 'fn',
    });
    expect(added).toStrictEqual({ file: 'assets/finance/revenue.ts', exportName: 'financeRevenue' });
    const text = await readFile(join(root, 'assets/finance/revenue.ts'), 'utf8');
    expect(text).toBe(`// Assets added with \`sluice new asset\`; edit freely.

import { asset, fn } from 'sluice';

export const financeRevenue = asset('finance.revenue', {
  deps: ['mart.orders'],
  produce: fn(async (ctx) => {
    ctx.log.info('TODO: produce finance.revenue');
  }),
});
`);
    expect(biomeFormatted(text)).toBe(text);
    const revenue = (await loadProject(root)).assets.find((a) => a.definition.key === 'finance.revenue')!;
    expect(revenue.file).toBe('assets/finance/revenue.ts');
    expect(typeof revenue.definition.run).toBe('function');
  });

  it('puts the first import under the header comment, reuses aliases and avoids taken names', async () => {
    const root = await tempProject();
    await mkdir(join(root, 'assets'));
    await writeFile(
      join(root, 'assets/legacy.ts'),
      `// Legacy module with its own names.

import type { AssetDefinition } from 'sluice';

const asset = 'not the sluice one';
export const martItems: string = asset;
export const none: AssetDefinition[] = [];
`,
    );
    await writeFile(join(root, 'assets/plain.ts'), '// A module with no imports yet.\n\nexport const answer = 42;\n');
    await writeFile(
      join(root, 'assets/aliased.ts'),
      "import { asset as define, sql as q } from 'sluice';\n\nexport const base = define('base', { produce: q({ sql: 'SELECT 1' }) });\n",
    );
    const first = await addAssetDeclaration({ root, module: 'assets/legacy.ts', key: 'mart.items' });
    expect(first.exportName).toBe('martItems2');
    expect(await readFile(join(root, 'assets/legacy.ts'), 'utf8')).toBe(`// Legacy module with its own names.

import type { AssetDefinition } from 'sluice';
import { asset as sluiceAsset, sql } from 'sluice';

const asset = 'not the sluice one';
export const martItems: string = asset;
export const none: AssetDefinition[] = [];

export const martItems2 = sluiceAsset('mart.items', {
  produce: sql({ sql: 'SELECT 1' }),
});
`);
    await addAssetDeclaration({ root, module: 'assets/plain.ts', key: 'class' });
    const plain = await readFile(join(root, 'assets/plain.ts'), 'utf8');
    expect(plain).toBe(`// A module with no imports yet.

import { asset, sql } from 'sluice';

export const answer = 42;

export const classAsset = asset('class', {
  produce: sql({ sql: 'SELECT 1' }),
});
`);
    expect(biomeFormatted(plain)).toBe(plain);
    await addAssetDeclaration({ root, module: 'assets/aliased.ts', key: 'mart.aliased' });
    expect(await readFile(join(root, 'assets/aliased.ts'), 'utf8')).toBe(`import { asset as define, sql as q } from 'sluice';

export const base = define('base', { produce: q({ sql: 'SELECT 1' }) });

export const martAliased = define('mart.aliased', {
  produce: q({ sql: 'SELECT 1' }),
});
`);
    const keys = (await loadProject(root)).assets.map((a) => a.definition.key).sort();
    expect(keys).toStrictEqual(['base', 'class', 'mart.aliased', 'mart.items']);
  });

  it('refuses a key the project already has, naming where it is', async () => {
    const root = await tempProject('basic');
    const before = await readFile(join(root, 'assets/sales/daily.ts'), 'utf8');
    const e = await rejection(addAssetDeclaration({ root, module: 'assets/sales/daily.ts', key: 'mart.orders' }));
    expect(e.message).toBe('asset "mart.orders": already exists in assets/orders.ts (export martOrders); choose another key');
    expect(e.exitCode).toBe(2);
    expect(await readFile(join(root, 'assets/sales/daily.ts'), 'utf8')).toBe(before);
  });

  it('refuses invalid keys and deps', async () => {
    const root = await tempProject('basic');
    const key = await rejection(addAssetDeclaration({ root, module: 'assets/orders.ts', key: ' mart.padded' }));
    expect(key.message).toBe('invalid asset key " mart.padded": must not start or end with spaces');
    const dep = await rejection(
      addAssetDeclaration({ root, module: 'assets/orders.ts', key: 'mart.ok', deps: ['raw.orders', ''] }),
    );
    expect(dep.message).toBe('asset "mart.ok": deps.1: "" must not be empty');
  });

  it('refuses a module the project would not load', async () => {
    const root = await tempProject('basic');
    for (const module of ['lib/orders.ts', 'assets/orders.test.ts', '../elsewhere.ts', 'assets/notes.js']) {
      const e = await rejection(addAssetDeclaration({ root, module, key: 'mart.elsewhere' }));
      expect(e.message).toMatch(/: is not an asset module of this project: put it under "assets" \(see sluice\.config\.ts\)$/);
    }
  });
});
