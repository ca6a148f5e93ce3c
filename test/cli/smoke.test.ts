// The real entry point under plain node: catches ESM interop bugs that pass under vitest.
import { describe, expect, it } from 'vitest';
import { REPO, runNode } from '../support/cli.js';

describe('node bin/sluice.js', () => {
  it('prints help', async () => {
    const r = await runNode(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('materialize');
  });

  it('loads the TypeScript example project with no build step and plans it', async () => {
    const r = await runNode(['plan', '+analytics.mau_summary', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).levels).toHaveLength(3);
  });

  it('exits 2 naming the cycle on a cyclic project', async () => {
    const r = await runNode(['validate', '--project', `${REPO}test/fixtures/cli/cycle`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cycle/);
  });
});
