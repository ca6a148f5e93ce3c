// `sluice daemon`: launches due ticks once, records every tick, survives restarts, stops on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../src/storage/index.js';
import { GUARD, REPO, runCli } from '../support/cli.js';

const project = join(REPO, 'test/fixtures/cli/scheduled');
const freshStore = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'sluice-daemon-')), 'runs.db')}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('sluice daemon --once', () => {
  it('launches every due tick once: catchup makes up missed days, an hourly schedule without catchup runs the newest', async () => {
    const store = freshStore();
    const first = await runCli(['-C', project, 'daemon', '--once', '--store', store, '--json']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const { recorded } = JSON.parse(first.stdout);
    const daily = recorded.filter((t: { pipeline: string }) => t.pipeline === 'daily_counts');
    expect(daily.map((t: { status: string }) => t.status)).toEqual(['launched', 'launched', 'launched', 'launched']);
    expect(recorded.filter((t: { pipeline: string }) => t.pipeline === 'hourly_ping')).toHaveLength(1);

    const runs = JSON.parse((await runCli(['-C', project, 'runs', '--store', store, '--json'])).stdout);
    expect(runs.every((r: { status: string; launchedBy: string }) => r.status === 'succeeded' && r.launchedBy === 'daemon')).toBe(
      true,
    );
    const partitions = runs
      .filter((r: { pipeline: string }) => r.pipeline === 'daily_counts')
      .flatMap((r: { partitions: string[] }) => r.partitions);
    expect(partitions.sort()).toEqual([day(-4), day(-3), day(-2), day(-1)]);

    // A restarted daemon finds the ticks claimed and launches nothing again.
    const again = await runCli(['-C', project, 'daemon', '--once', '--store', store, '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).recorded).toEqual([]);
    const rs = await openRunStore({ url: store, root: project });
    try {
      expect((await rs.listRuns({ limit: 50 })).length).toBe(runs.length);
      expect((await rs.ticks({ pipeline: 'daily_counts' })).map((t) => t.runId)).toEqual(
        daily.map((t: { runId: string }) => t.runId).reverse(),
      );
    } finally {
      await rs.close();
    }
  });
});

describe('sluice daemon', () => {
  it('stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [`${REPO}bin/sluice.js`, '-C', project, 'daemon', '--interval', '1s', '--store', freshStore()],
      {
        env: { ...process.env, NODE_OPTIONS: `--import ${GUARD}`, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const end = Date.now() + 30_000;
    while (!out.includes('launched')) {
      if (Date.now() > end) throw new Error(`daemon never ticked: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('daemon stopping');
  }, 60_000);
});
