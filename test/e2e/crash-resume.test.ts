// kill -9 in the middle of a run, then --resume: finished assets are not run again, the rest completes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUARD, REPO, runNode } from '../support/cli.js';

const project = join(REPO, 'test/fixtures/cli/crash');

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('crash and resume', () => {
  it('resumes a kill -9ed run without re-running what succeeded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    const env = { CRASH_DIR: dir, SLUICE_TIME_SCALE: '0.1' };
    const store = `sqlite:${join(dir, 'runs.db')}`;
    writeFileSync(join(dir, 'block'), '');
    const child = spawn(process.execPath, [`${REPO}bin/sluice.js`, '-C', project, 'materialize', 'crash.*', '--store', store], {
      env: { ...process.env, ...env, NODE_OPTIONS: `--import ${GUARD}`, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const log = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').trim().split('\n') : []);
    await until(() => log().includes('crash.second'), 'crash.second to start');
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    rmSync(join(dir, 'block'));

    const runs = JSON.parse((await runNode(['-C', project, 'runs', '--store', store, '--json'], { env })).stdout);
    expect(runs).toHaveLength(1);
    const crashed = runs[0];
    expect(crashed.status).toBe('running'); // nobody was left to say otherwise

    // Its heartbeat must go stale first (6 s at this time scale); a live run may not be resumed.
    const early = await runNode(['-C', project, 'materialize', '--resume', crashed.id, '--store', store], { env });
    expect(early.status).toBe(2);
    expect(early.stderr).toContain('still running');
    await new Promise((r) => setTimeout(r, 6_500));

    const resumed = await runNode(['-C', project, 'materialize', '--resume', crashed.id, '--store', store, '--json'], { env });
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.resumedFrom).toBe(crashed.id);
    const byKey = Object.fromEntries(result.steps.map((s: { assetKey: string }) => [s.assetKey, s]));
    expect(byKey['crash.first'].reusedFrom).toBe(crashed.id);
    expect(byKey['crash.second'].status).toBe('succeeded');
    expect(byKey['crash.third'].status).toBe('succeeded');
    expect(log()).toEqual(['crash.first', 'crash.second', 'crash.second', 'crash.third']);

    const after = JSON.parse((await runNode(['-C', project, 'runs', '--store', store, '--json'], { env })).stdout);
    expect(after.find((r: { id: string }) => r.id === crashed.id).status).toBe('failed'); // marked stale
  }, 60_000);
});
