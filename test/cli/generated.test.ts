// generated/ is produced by `sluice export` from assets/ and checked in; this fails when it drifts.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

const TARGETS: [folder: string, args: string[]][] = [
  ['airflow', ['export', 'airflow']],
  ['airflow3', ['export', 'airflow', '--airflow', '3']],
  ['prefect', ['export', 'prefect']],
  ['dagster', ['export', 'dagster']],
];

describe('generated/ is in sync with assets/ (regenerate with `npx sluice export <target>`)', () => {
  for (const [folder, args] of TARGETS) {
    it(`generated/${folder}`, async () => {
      const out = mkdtempSync(join(tmpdir(), `sluice-export-${folder}-`));
      const r = await runCli([...args, '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const py = (dir: string) =>
        readdirSync(dir)
          .filter((f) => f.endsWith('.py'))
          .sort();
      const fresh = py(out);
      expect(fresh, `files of generated/${folder}`).toEqual(py(join(REPO, 'generated', folder)));
      for (const file of fresh) {
        expect(readFileSync(join(out, file), 'utf8'), `generated/${folder}/${file} is out of date`).toBe(
          readFileSync(join(REPO, 'generated', folder, file), 'utf8'),
        );
      }
    });
  }

  it('refuses an unknown pipeline with exit 2 and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sluice-export-')), 'x');
    const r = await runCli(['export', 'dagster', '--pipeline', 'run_elt_alrt', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no pipeline named "run_elt_alrt"');
  });
});
