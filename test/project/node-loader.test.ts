// The loader outside vitest: a plain node process importing asset modules through tsx, as the CLI does.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, removeTempProjects, tempProject } from './helpers.js';

afterAll(removeTempProjects);

// Loads the project twice with an edit to a helper module in between, then loads an invalid project.
const SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
const { loadProject } = await import(process.env.SLUICE_PROJECT_MODULE);
const [root, invalid] = JSON.parse(process.env.SLUICE_ROOTS);
const summary = (p) => p.assets.map((a) => [a.definition.key, a.file, a.exportName, a.definition.spec.producer?.sql ?? null]);
const first = summary(await loadProject(root));
const query = root + '/assets/sales/query.ts';
writeFileSync(query, readFileSync(query, 'utf8').replace('SUM(amount)', 'SUM(net_amount)'));
const second = summary(await loadProject(root));
let error;
try { await loadProject(invalid); } catch (e) { error = { name: e.name, message: e.message, exitCode: e.exitCode }; }
console.log(JSON.stringify({ first, second, error }));
`;

function runNode(env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --import tsx only lets node run sluice's own sources; the asset modules go through the loader.
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: REPO,
      // VITEST is inherited on purpose: a child of a test is still plain node and must take the tsx path.
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

describe('loadProject under plain node', () => {
  it('imports TypeScript through tsx with the root tsconfig, sees edited helpers, and names the file of errors', async () => {
    const roots = [await tempProject('basic'), await tempProject('invalid')];
    // 'sluice' resolves through each project's own tsconfig paths, not the working folder's.
    for (const root of roots) {
      const tsconfig = { compilerOptions: { paths: { sluice: [join(REPO, 'src/index.ts')] } } };
      await writeFile(join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
    }
    const result = await runNode({
      SLUICE_PROJECT_MODULE: pathToFileURL(join(REPO, 'src/project/index.ts')).href,
      SLUICE_ROOTS: JSON.stringify(roots),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { first, second, error } = JSON.parse(result.stdout);
    expect(first.map((a: string[]) => a.slice(0, 3))).toStrictEqual([
      ['mart.orders', 'assets/orders.ts', 'martOrders'],
      ['raw.orders', 'assets/orders.ts', 'rawOrders'],
      ['mart.daily_sales', 'assets/sales/daily.ts', 'dailySales'],
      ['mart.monthly_sales', 'assets/sales/daily.ts', 'extras[0]'],
      ['mart.weekly_sales', 'assets/sales/daily.ts', 'rollups.weekly'],
    ]);
    expect(first[2][3]).toContain('SUM(amount)');
    // Each load has its own module namespace: the helper's edit shows, and re-exports still count once.
    expect(second.map((a: string[]) => a[0])).toStrictEqual(first.map((a: string[]) => a[0]));
    expect(second[2][3]).toContain('SUM(net_amount)');
    expect(error).toStrictEqual({
      name: 'DefinitionError',
      message: 'assets/retry.ts: asset "a.b": retry.delay: must not be negative',
      exitCode: 2,
    });
    expect(await readFile(join(roots[0]!, 'assets/sales/query.ts'), 'utf8')).toContain('net_amount');
  });
});
