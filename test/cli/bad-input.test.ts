// Bad input of every kind the spine promises: a message naming file, key and field, exit 2, nothing written.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

const fixture = (name: string) => join(REPO, 'test/fixtures/cli', name);

/** Runs a command that writes lineage files, and proves nothing was written. */
async function failsWithoutWriting(project: string, ...extra: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'sluice-out-')), 'lineage');
  const result = await runCli(['--project', project, 'lineage', '--out', out, ...extra]);
  expect(existsSync(out)).toBe(false);
  return result;
}

describe('bad input', () => {
  it('a cycle: names every asset on it and its file', async () => {
    const r = await failsWithoutWriting(fixture('cycle'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cycle/);
    expect(r.stderr).toMatch(
      /loop\.a → loop\.b → loop\.c → loop\.a|loop\.b → loop\.c → loop\.a → loop\.b|loop\.c → loop\.a → loop\.b → loop\.c/,
    );
    expect(r.stderr).toContain('assets/loop.ts');
  });

  it('an unknown dep: suggests the nearest key', async () => {
    const r = await failsWithoutWriting(fixture('unknown-dep'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assets/orders.ts');
    expect(r.stderr).toContain('"mart.daily_orders"');
    expect(r.stderr).toContain('"raw.ordrs"');
    expect(r.stderr).toContain('did you mean "raw.orders"?');
  });

  it('a duplicate key across two files: names both', async () => {
    const r = await failsWithoutWriting(fixture('duplicate'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"mart.orders"');
    expect(r.stderr).toContain('assets/one.ts');
    expect(r.stderr).toContain('assets/two.ts');
  });

  it('an invalid cron: names file, pipeline and field', async () => {
    const r = await failsWithoutWriting(fixture('bad-cron'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assets/job.ts: pipeline "hourly_x": schedule.cron: is not a cron expression');
  });

  it('a retry policy with a negative delay: names file, asset and field', async () => {
    const r = await failsWithoutWriting(fixture('negative-delay'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assets/retry.ts: asset "mart.x": retry.delay: must not be negative');
  });

  it('a config file with an unknown field: names the file and the field', async () => {
    const r = await failsWithoutWriting(fixture('bad-config'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sluice.config.ts');
    expect(r.stderr).toContain('assetz');
  });

  it('an asset module that throws on import: names the module and the reason', async () => {
    const r = await failsWithoutWriting(fixture('throws'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assets/broken.ts');
    expect(r.stderr).toContain('SLUICE_FIXTURE_TABLE is not set');
  });

  it('a partition key outside the partition set: names asset and key', async () => {
    const r = await runCli(['--project', fixture('partitioned'), 'plan', 'mart.daily_events', '--partition', '2024-12-31']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('mart.daily_events');
    expect(r.stderr).toContain('"2024-12-31" is before the first partition 2025-01-10');
  });

  it('a selection that matches nothing: says so, and suggests for a misspelled key', async () => {
    const none = await runCli(['plan', 'nothing.*']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/matches no asset|matches nothing/);
    const typo = await runCli(['plan', 'analytics.mau_sumary']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean "analytics.mau_summary"?');
  });

  it('bad arguments exit 2', async () => {
    expect((await runCli(['plan'])).status).toBe(2);
    expect((await runCli(['lineage', '--format', 'svg'])).status).toBe(2);
    expect((await runCli(['plan', 'analytics.mau_summary', '--partition', 'x', '--from', 'a', '--to', 'b'])).status).toBe(2);
  });
});
