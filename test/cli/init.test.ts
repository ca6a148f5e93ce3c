// `sluice init`: the scaffold validates as a sluice project, is byte-for-byte deterministic, and never overwrites.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initCommand, packageName, scaffoldFiles } from '../../src/cli/commands/init.js';
import type { CliIo } from '../../src/cli/io.js';
import { SluiceError } from '../../src/definitions/errors.js';
import { buildGraph } from '../../src/graph/index.js';
import { loadProject } from '../../src/project/index.js';
import { runCli } from '../support/cli.js';

const FILES = [
  '.gitignore',
  'README.md',
  'assets/data/raw.orders.csv',
  'assets/example.ts',
  'package.json',
  'sluice.config.ts',
  'tsconfig.json',
];

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-init-'));
  made.push(dir);
  return dir;
}

/** Runs the command the way the CLI does, with captured output; `cwd` is where the user stands. */
async function init(cwd: string, args: unknown[], options: { name?: string } = {}) {
  let stdout = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd, env: {} };
  const status = await initCommand(io, args, options, {});
  return { status, stdout };
}

/** Every file under `dir` with its content, by posix path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
  }
  return out;
}

describe('sluice init', () => {
  it('scaffolds a project that sluice loads and validates', async () => {
    const cwd = tempDir();
    const { status, stdout } = await init(cwd, ['shop']);
    expect(status).toBe(0);
    expect(stdout).toContain('created sluice project "shop" in shop:');
    expect(stdout).toContain('next: cd shop && npm install');
    const root = join(cwd, 'shop');
    expect(Object.keys(snapshot(root)).sort()).toEqual(FILES);

    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'shop', type: 'module', dependencies: { sluice: '^0.1.0' } });
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^\.sluice\/$/m);

    const project = await loadProject(root);
    const graph = buildGraph({
      assets: project.assets.map((a) => ({ spec: a.definition.spec, file: a.file })),
      pipelines: project.pipelines.map((p) => ({ spec: p.definition.spec, file: p.file })),
    });
    expect(graph.keys()).toEqual(['mart.daily_revenue', 'raw.orders']);
    expect(graph.asset('raw.orders').source).toBe(true);
    const revenue = graph.asset('mart.daily_revenue');
    expect(revenue.producer).toMatchObject({ type: 'ctas', staging: 'mart.daily_revenue_staging' });
    expect(revenue.checks).toEqual([{ type: 'row_count', name: 'has_days', blocking: true, min: 1 }]);
    expect(graph.pipeline('daily_revenue').schedule).toMatchObject({ cron: '0 6 * * *', catchup: false });

    const validate = await runCli(['-C', root, 'validate']);
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain('ok: 2 assets (1 sources), 1 pipeline');
  });

  it('refuses a folder holding any of its files: exit 2, nothing written or changed', async () => {
    const root = tempDir();
    await init(root, []);
    writeFileSync(join(root, 'README.md'), 'my own notes\n');
    rmSync(join(root, 'assets'), { recursive: true });
    const before = snapshot(root);

    const error = await init(root, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as SluiceError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      '. already has .gitignore, README.md, package.json, sluice.config.ts, tsconfig.json; sluice init never overwrites files — choose an empty folder, e.g. sluice init my-project',
    );
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, 'assets'))).toBe(false);
  });

  it('writes the same bytes for the same name, wherever it runs', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await init(a, ['one'], { name: 'Shop Data' });
    await init(b, ['two'], { name: 'Shop Data' });
    expect(snapshot(join(a, 'one'))).toEqual(snapshot(join(b, 'two')));
    expect(JSON.parse(snapshot(join(a, 'one'))['package.json'] as string).name).toBe('shop-data');
    expect(await scaffoldFiles('x')).toEqual(await scaffoldFiles('x'));
  });

  it('derives an npm package name from the folder name', () => {
    expect(packageName('My Shop')).toBe('my-shop');
    expect(packageName('.hidden_Data--')).toBe('hidden_data');
    expect(packageName('???')).toBe('sluice-project');
  });
});
