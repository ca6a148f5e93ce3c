// The shell producer on the real executor: templating, env and cwd, stored output, exit codes, process-group kills.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asset, shell, staticResources } from '../../src/index.js';
import { realClock } from '../../src/runtime/clock.js';
import { runInGroup } from '../../src/runtime/producers/process-group.js';
import { planFor, run } from './support/harness.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'sluice-shell-')));
mkdirSync(join(dir, 'work'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Real time: these producers do real I/O, and an auto-advancing fake clock would fire their timeouts early.
const resources = { ...staticResources(), root: dir };
const options = { clock: realClock(), resources };

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !alive(pid);
}

describe('shell producers', () => {
  it('fill placeholders in the command and env, run in cwd under the project root, and store every line', async () => {
    const daily = { granularity: 'daily' as const, start: '2025-01-01' };
    const a = asset('files.dump', {
      kind: 'file',
      partitions: daily,
      produce: shell({
        command:
          'echo "day {{ ds_nodash }} run {{ run_id }}"; echo "$GREETING from $(basename "$PWD")"; echo "$SLUICE_ASSET_KEY" >&2',
        env: { GREETING: 'hello {{ ds }}' },
        cwd: 'work',
      }),
    });
    const { result, store } = await run([a], { ...options, plan: planFor([a], '*', '2025-01-10'), runId: 'run-shell' });
    expect(result.status).toBe('succeeded');
    const logs = await store.logs('run-shell', 'files.dump');
    expect(logs.map((l) => [l.level, l.partition, l.message])).toEqual([
      [
        'info',
        '2025-01-10',
        `running bash -c ${JSON.stringify('echo "day 20250110 run run-shell"; echo "$GREETING from $(basename "$PWD")"; echo "$SLUICE_ASSET_KEY" >&2')} in ${join(dir, 'work')}`,
      ],
      ['info', '2025-01-10', 'day 20250110 run run-shell'],
      ['info', '2025-01-10', 'hello 2025-01-10 from work'],
      ['warn', '2025-01-10', 'files.dump'],
    ]);
  });

  it('redact secrets in the stored output', async () => {
    const a = asset('ops.leaky', { produce: shell({ command: 'echo "password is $DB_PASSWORD"; echo "$DB_PASSWORD" >&2' }) });
    process.env.DB_PASSWORD = 'hunter2-very-secret';
    try {
      const { result, store } = await run([a], { ...options, runId: 'run-leaky', secrets: ['hunter2-very-secret'] });
      expect(result.status).toBe('succeeded');
      const lines = (await store.logs('run-leaky', 'ops.leaky')).map((l) => l.message);
      expect(lines.slice(1)).toEqual(['password is ***', '***']);
      expect(JSON.stringify(await store.events('run-leaky'))).not.toContain('hunter2');
    } finally {
      delete process.env.DB_PASSWORD;
    }
  });

  it('fail on a non-zero exit with the code and the last stderr lines, not retried as a network error', async () => {
    const a = asset('ops.broken', {
      produce: shell({ command: 'echo starting; for i in $(seq 1 15); do echo "line $i" >&2; done; exit 3' }),
      retry: { maxAttempts: 3, delay: 0, retryOn: ['network', 'timeout'] },
    });
    const { result } = await run([a], options);
    const step = result.steps[0];
    expect(step).toMatchObject({ status: 'failed', attempts: 1, kind: 'other' });
    expect(step?.error).toMatch(/^command exited with code 3; last stderr lines:\nline 6\n/);
    expect(step?.error).toContain('\nline 15');
    expect(step?.error).not.toContain('line 5\n');
  });

  it('retry a failing command when the policy retries any error', async () => {
    const marker = join(dir, 'second-time');
    const a = asset('ops.flaky', {
      produce: shell({ command: `if [ -e '${marker}' ]; then echo ok; else touch '${marker}'; exit 1; fi` }),
      retry: { maxAttempts: 2, delay: '10ms' },
    });
    const { result } = await run([a], options);
    expect(result.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('on timeout kill the whole process group, grandchildren included, and fail as a timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    // The inner bash is a child, its sleep a grandchild: killing only the direct child would orphan it.
    const a = asset('ops.slow', {
      produce: shell({ command: `bash -c 'sleep 30 & echo $! > "${pidFile}"; wait'` }),
      timeout: '500ms',
      retry: { maxAttempts: 2, delay: 0, retryOn: ['network'] },
    });
    const started = Date.now();
    const { result } = await run([a], options);
    expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 1, kind: 'timeout', error: 'timed out after 500ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild, 3_000)).toBe(true);
  });

  it('send SIGKILL after the grace period to a group that ignores SIGTERM', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const controller = new AbortController();
    const lines: string[] = [];
    const exited = runInGroup(`trap '' TERM; bash -c 'trap "" TERM; sleep 30 & echo $! > "${pidFile}"; wait'`, {
      cwd: dir,
      env: process.env,
      signal: controller.signal,
      graceMs: 200,
      onLine: (_stream, line) => lines.push(line),
    });
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const exit = await exited;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')), 3_000)).toBe(true);
  });

  it('resolve cwd against the working directory when the run has no project root', async () => {
    const a = asset('ops.where', { produce: shell({ command: 'pwd' }) });
    const { result, store } = await run([a], { clock: realClock(), runId: 'run-where' });
    expect(result.status).toBe('succeeded');
    expect((await store.logs('run-where', 'ops.where')).at(-1)?.message).toBe(process.cwd());

    const lost = asset('ops.lost', { produce: shell({ command: 'pwd', cwd: 'no/such/dir' }), retry: { maxAttempts: 3 } });
    const failed = await run([lost], options);
    expect(failed.result.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: `working directory ${join(dir, 'no/such/dir')} does not exist`,
    });
  });
});
