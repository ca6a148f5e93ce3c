// loadProject: which definitions a project's modules export, where they were found, and load errors.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../src/project/index.js';
import { fixture, rejection, removeTempProjects, tempProject } from './helpers.js';

afterAll(removeTempProjects);

const where = (project: Project) => project.assets.map((a) => [a.definition.key, a.file, a.exportName]);

describe('loadProject', () => {
  it('collects named, default, array and object exports with posix paths, counting re-exports once', async () => {
    const project = await loadProject(fixture('basic'));
    expect(project.root).toBe(fixture('basic'));
    expect(project.configFile).toBe('sluice.config.ts');
    expect(where(project)).toStrictEqual([
      ['mart.orders', 'assets/orders.ts', 'martOrders'],
      ['raw.orders', 'assets/orders.ts', 'rawOrders'],
      ['mart.daily_sales', 'assets/sales/daily.ts', 'dailySales'],
      ['mart.monthly_sales', 'assets/sales/daily.ts', 'extras[0]'],
      ['mart.weekly_sales', 'assets/sales/daily.ts', 'rollups.weekly'],
    ]);
    expect(project.pipelines.map((p) => [p.definition.name, p.file, p.exportName])).toStrictEqual([
      ['orders', 'assets/orders.ts', 'default'],
    ]);
    expect(project.assets[2]!.definition.spec.producer).toMatchObject({
      type: 'ctas',
      sql: expect.stringContaining('SUM(amount)'),
    });
  });

  it('applies the config and its defaults', async () => {
    const { config } = await loadProject(fixture('basic'));
    expect(config.assets).toStrictEqual(['assets']);
    expect(config.resources.dwh).toStrictEqual({ type: 'postgres', urlEnv: 'DWH_URL' });
    expect(config.resources.warehouse).toStrictEqual({ type: 'duckdb', path: '.sluice/warehouse.duckdb' });
    expect(config.storage).toStrictEqual({ url: 'sqlite:.sluice/runs.sqlite' });
  });

  it('works without a config file, with the default assets folder and warehouse', async () => {
    const project = await loadProject(fixture('no-config'));
    expect(project.configFile).toBeUndefined();
    expect(project.config.stateDir).toBe('.sluice');
    expect(project.config.resources.warehouse).toStrictEqual({ type: 'duckdb', path: '.sluice/warehouse.duckdb' });
    expect(where(project)).toStrictEqual([['demo.one', 'assets/one.ts', 'one']]);
  });

  it('loads an empty project whose default assets folder does not exist yet', async () => {
    const project = await loadProject(await tempProject());
    expect(project.assets).toStrictEqual([]);
    expect(project.pipelines).toStrictEqual([]);
  });

  it('keeps two different definitions of one key, for the graph to report with both files', async () => {
    const root = await tempProject();
    await mkdir(join(root, 'assets'));
    const decl = "import { asset, sql } from 'sluice';\nexport const a = asset('a.b', { produce: sql({ sql: 'SELECT 1' }) });\n";
    await writeFile(join(root, 'assets/one.ts'), decl);
    await writeFile(join(root, 'assets/two.ts'), decl);
    expect(where(await loadProject(root))).toStrictEqual([
      ['a.b', 'assets/one.ts', 'a'],
      ['a.b', 'assets/two.ts', 'a'],
    ]);
  });

  it('skips declaration files, tests, non-TypeScript files, node_modules and dot folders', async () => {
    const root = await tempProject('no-config');
    const boom = "throw new Error('must not be imported');\n";
    await writeFile(join(root, 'assets/one.test.ts'), boom);
    await writeFile(join(root, 'assets/one.spec.ts'), boom);
    await writeFile(join(root, 'assets/types.d.ts'), 'export interface Row { id: number }\n');
    await writeFile(join(root, 'assets/notes.js'), boom);
    for (const dir of ['node_modules/x', '.cache']) {
      await mkdir(join(root, 'assets', dir), { recursive: true });
      await writeFile(join(root, 'assets', dir, 'index.ts'), boom);
    }
    await writeFile(
      join(root, 'assets/two.mts'),
      "import { sourceAsset } from 'sluice';\nexport const two = sourceAsset('demo.two');\n",
    );
    expect(where(await loadProject(root)).map(([, file]) => file)).toStrictEqual(['assets/one.ts', 'assets/two.mts']);
  });

  it('finds modules by glob', async () => {
    const root = await tempProject();
    await mkdir(join(root, 'pipelines/sales'), { recursive: true });
    const decl = (key: string) => `import { sourceAsset } from 'sluice';\nexport const s = sourceAsset('${key}');\n`;
    await writeFile(join(root, 'pipelines/sales/orders.assets.ts'), decl('sales.orders'));
    await writeFile(join(root, 'pipelines/top.assets.ts'), decl('top'));
    await writeFile(join(root, 'pipelines/sales/helper.ts'), "throw new Error('not an asset module');\n");
    await writeFile(join(root, 'sluice.config.ts'), "export default { assets: ['pipelines/**/*.assets.ts'] };\n");
    expect(where(await loadProject(root))).toStrictEqual([
      ['sales.orders', 'pipelines/sales/orders.assets.ts', 's'],
      ['top', 'pipelines/top.assets.ts', 's'],
    ]);
  });

  it('sees edits when the same project is loaded again in one process', async () => {
    const root = await tempProject('basic');
    const first = await loadProject(root);
    const orders = join(root, 'assets/orders.ts');
    const text = await readFile(orders, 'utf8');
    await writeFile(
      orders,
      `${text.replace('SELECT * FROM raw.orders', 'SELECT id FROM raw.orders')}\nexport const late = sourceAsset('raw.late');\n`,
    );
    const second = await loadProject(root);
    expect(first.assets.map((a) => a.definition.key)).not.toContain('raw.late');
    expect(second.assets.map((a) => a.definition.key)).toContain('raw.late');
    const mart = second.assets.find((a) => a.definition.key === 'mart.orders')!;
    expect(mart.definition.spec.producer).toMatchObject({ sql: expect.stringContaining('SELECT id FROM') });
    // Unchanged modules keep their instances, so re-exported definitions still count once.
    expect(second.assets).toHaveLength(first.assets.length + 1);
    // Edited back, the first version is what loads again.
    await writeFile(orders, text);
    expect((await loadProject(root)).assets.map((a) => a.definition)).toStrictEqual(first.assets.map((a) => a.definition));
  });
});

describe('loadProject errors', () => {
  it('names the config file and the unknown field', async () => {
    const e = await rejection(loadProject(fixture('bad-config')));
    expect(e.message).toBe('sluice.config.ts: assetz: unknown field "assetz"');
    expect(e.exitCode).toBe(2);
  });

  it('names the module that throws on import, with the original message', async () => {
    const e = await rejection(loadProject(fixture('throws')));
    expect(e.message).toBe('assets/broken.ts: failed to import: cannot reach the warehouse');
    expect(e.file).toBe('assets/broken.ts');
    expect((e.cause as Error).message).toBe('cannot reach the warehouse');
    expect(e.exitCode).toBe(2);
  });

  it('names file, key and field of an invalid definition', async () => {
    const e = await rejection(loadProject(fixture('invalid')));
    expect(e.message).toBe('assets/retry.ts: asset "a.b": retry.delay: must not be negative');
    expect([e.file, e.key, e.field]).toStrictEqual(['assets/retry.ts', 'a.b', 'retry.delay']);
  });

  it('names a configured folder that does not exist', async () => {
    const root = await tempProject();
    await writeFile(join(root, 'sluice.config.ts'), "export default { assets: ['assets', 'pipelines'] };\n");
    await mkdir(join(root, 'assets'));
    const e = await rejection(loadProject(root));
    expect(e.message).toBe('sluice.config.ts: assets.1: "pipelines" does not exist');
  });

  it('asks for a default export from the config file', async () => {
    const root = await tempProject();
    await writeFile(join(root, 'sluice.config.ts'), 'export const assets = ["assets"];\n');
    const e = await rejection(loadProject(root));
    expect(e.message).toBe('sluice.config.ts: must default-export the config: export default defineConfig({ ... })');
  });

  it('refuses .ts modules that node would load as CommonJS, saying how to fix it', async () => {
    const root = await tempProject('no-config');
    await writeFile(join(root, 'package.json'), '{ "name": "cjs-project" }\n');
    const e = await rejection(loadProject(root));
    expect(e.message).toBe(
      'assets/one.ts: is loaded as CommonJS because the nearest package.json has no "type": "module"; add it, or rename the file to .mts',
    );
  });
});
