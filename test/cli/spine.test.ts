// The spine's commands on the example project: list, plan, validate, lineage drift, help.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

describe('sluice on the example project', () => {
  it('plans +analytics.mau_summary as three levels in order', async () => {
    const r = await runCli(['plan', '+analytics.mau_summary', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.levels.map((level: { key: string; action: string }[]) => level.map((s) => `${s.action}:${s.key}`))).toEqual([
      ['wait:raw_data.session_timestamp', 'wait:raw_data.user_session_channel'],
      ['produce:analytics.temp_mau_summary'],
      ['produce:analytics.mau_summary'],
    ]);
  });

  it('prints a readable plan without --json', async () => {
    const r = await runCli(['plan', 'analytics.*']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('level 0');
    expect(r.stdout).toMatch(/produce analytics\.temp_mau_summary/);
  });

  it('validates and lists', async () => {
    const v = await runCli(['validate', '--json']);
    expect(v.status).toBe(0);
    const summary = JSON.parse(v.stdout);
    expect(summary.ok).toBe(true);
    expect(summary.pipelines).toContainEqual({ name: 'run_elt_alert', assets: 4 });
    const l = await runCli(['list', 'tag:ELT', '--json']);
    expect(JSON.parse(l.stdout).map((a: { key: string }) => a.key)).toEqual([
      'analytics.mau_summary',
      'analytics.temp_mau_summary',
    ]);
  });

  it('keeps lineage/ in sync with assets/ (run `sluice lineage --out lineage` after changing assets)', async () => {
    for (const [format, file] of [
      ['json', 'graph.json'],
      ['mermaid', 'graph.mmd'],
      ['dot', 'graph.dot'],
      ['openlineage', 'openlineage.json'],
    ]) {
      const r = await runCli(['lineage', '--format', format as string]);
      expect(r.status).toBe(0);
      const checkedIn = readFileSync(join(REPO, 'lineage', file as string), 'utf8');
      expect(r.stdout.trimEnd(), `lineage/${file} is out of date`).toBe(checkedIn.trimEnd());
    }
  });

  it('keeps generated/asset-keys.ts in sync with assets/ (run `sluice types` after changing assets)', async () => {
    const { loadProject, renderAssetKeys } = await import('../../src/project/index.js');
    const project = await loadProject(REPO);
    const expected = renderAssetKeys(
      project.assets.map((a) => a.definition.key),
      project.config.assets,
    );
    expect(readFileSync(join(REPO, 'generated/asset-keys.ts'), 'utf8'), 'generated/asset-keys.ts is out of date').toBe(expected);
  });

  it('answers --help for every command with status 0', async () => {
    for (const args of [
      ['--help'],
      ['plan', '--help'],
      ['materialize', '--help'],
      ['new', 'asset', '--help'],
      ['export', '--help'],
    ]) {
      const r = await runCli(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: sluice');
    }
  });
});
