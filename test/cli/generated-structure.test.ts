// Every checked-in export compiles, and its task graph, retries and schedule say what `sluice lineage` says.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Structure, structure } from '../export/python-tools.js';
import { REPO, runCli } from '../support/cli.js';

interface Retry {
  maxAttempts: number;
  waitSeconds: number[];
}
interface Lineage {
  assets: { key: string; source: boolean; retry: Retry | null }[];
  edges: [string, string][];
  pipelines: { name: string; assets: string[]; retry: Retry | null; schedule: { cron: string; timezone: string } | null }[];
}

const PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};
const cron = (expr: string) => PRESETS[expr] ?? expr;

function reachable(edges: [string, string][], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const seen = new Set([from]);
  for (const queue = [from]; queue.length > 0; ) {
    for (const n of next.get(queue.shift() as string) ?? []) {
      if (n === to) return true;
      if (!seen.has(n)) seen.add(n) && queue.push(n);
    }
  }
  return false;
}

const lineage: Lineage = JSON.parse((await runCli(['lineage', '--format', 'json'])).stdout);

describe.each(['airflow', 'airflow3', 'prefect', 'dagster'])('generated/%s agrees with the lineage', (target) => {
  it.each(lineage.pipelines.map((p) => [p.name, p] as const))('%s', (_name, pipeline) => {
    const file = join(REPO, 'generated', target, `${pipeline.name}.py`);
    expect(existsSync(file), `${file} missing: run npx sluice export`).toBe(true);
    // compile() rather than py_compile: nothing is written next to the checked-in file.
    execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1], "exec")', file]);
    const [found] = structure([file]) as [Structure];
    const produced = pipeline.assets.filter((k) => !lineage.assets.find((a) => a.key === k)?.source);
    const tasks = new Map(found.tasks.map((t) => [t.id, t]));
    for (const key of produced) {
      const task = tasks.get(key);
      expect(task, `${target}: no task/asset for ${key}`).toBeDefined();
      const retry = lineage.assets.find((a) => a.key === key)?.retry ?? pipeline.retry;
      expect(task?.retries, `${target}: retries of ${key}`).toBe(retry ? retry.maxAttempts - 1 : 0);
      // Airflow's exponential backoff waits at least sluice's delays (docs/export.md); the others match exactly.
      if (target.startsWith('airflow')) {
        for (const [i, w] of (task?.waits ?? []).entries()) expect(w).toBeGreaterThanOrEqual(retry?.waitSeconds[i] ?? 0);
      } else expect(task?.waits, `${target}: waits of ${key}`).toEqual(retry?.waitSeconds ?? []);
    }
    for (const [from, to] of lineage.edges.filter(([a, b]) => produced.includes(a) && produced.includes(b))) {
      expect(reachable(found.edges, from, to), `${target}: ${to} must run after ${from}`).toBe(true);
    }
    // Dagster starts a pipeline whose sources carry sensors from a @sensor instead of a schedule (docs/export.md).
    if (pipeline.schedule && !found.sensorStarts) {
      expect(found.schedule && cron(found.schedule.cron)).toBe(cron(pipeline.schedule.cron));
      expect(found.schedule?.timezone ?? 'UTC').toBe(pipeline.schedule.timezone);
    }
  });
});
